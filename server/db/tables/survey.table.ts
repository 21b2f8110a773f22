import type { Selectable } from 'kysely';
import type { Respondent } from '../vocabulary/respondents.ts';

/** A questionnaire item of one survey export; is_overall marks the 总体 item. */
export interface SurveyItemsTable {
  batch_id: number;
  item_no: number;
  item_text: string;
  is_overall: boolean;
}

export type { Respondent } from '../vocabulary/respondents.ts';

/** One respondent of a survey export. month is derived from submitted_at (Asia/Shanghai). */
export interface SurveyResponsesTable {
  batch_id: number;
  response_no: number;
  school_code: string;
  respondent: Respondent;
  submitted_at: string | null;
  month: string | null;
  source_sheet: string | null;
  source_row: number | null;
}

/** One answer: score 5 (非常满意) … 1 (非常不满意). */
export interface SurveyAnswersTable {
  batch_id: number;
  response_no: number;
  item_no: number;
  score: number;
}
export type SurveyResponse = Selectable<SurveyResponsesTable>;
