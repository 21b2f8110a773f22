/** Chinese labels of the API's enums and codes. */
import type {
  EvaluationGrade,
  FlagSource,
  FlagStep,
  Locality,
  OverviewMetric,
  PeriodKind,
  Stage,
  VisitKind,
} from '../api/__generated__/schema-types.ts';

export const STAGE_LABEL: Record<Stage, string> = {
  PRIMARY: '小学',
  JUNIOR: '初中',
  NINE_YEAR: '九年一贯制',
  COMPLETE: '完全中学',
};

export const LOCALITY_LABEL: Record<Locality, string> = {
  URBAN: '城区',
  TOWN: '镇区',
  RURAL: '乡村',
};

export const FLAG_SOURCE_LABEL: Record<FlagSource, string> = {
  REPORT: '月报核查',
  INSPECTION: '督导检查',
};

export const FLAG_STEP_LABEL: Record<FlagStep, string> = {
  REQUEST_RECTIFICATION: '下发整改',
  RECORD_RECTIFICATION: '登记整改结果',
  CLOSE: '核查销号',
  DISMISS: '撤销违规预警',
};

export const VISIT_KIND_LABEL: Record<VisitKind, string> = {
  ROUTINE: '常规督导',
  FOLLOW_UP: '整改复查',
  UNANNOUNCED: '四不两直',
};

export const RESPONDENT_LABEL: Record<string, string> = {
  parent: '家长',
  student: '学生',
  teacher: '教师',
};

export const METRIC_LABEL: Record<OverviewMetric, string> = {
  SCHOOL_COVERAGE_RATE: '学校覆盖率',
  PARTICIPATION_RATE: '学生参与率',
  DEMAND_MET_RATE: '需求满足率',
  TEACHER_PARTICIPATION_RATE: '教师参与率',
  FIVE_DAY_SHARE: '每周5天参与占比',
  FIVE_PLUS_TWO_RATE: '“5+2”达标率',
  PARENT_SATISFACTION_SCORE: '家长满意度',
  STUDENT_SATISFACTION_SCORE: '学生满意度',
  OPEN_FLAGS: '未办结违规预警',
  PARTICIPANTS: '参与学生数',
};

export const EVALUATION_GRADE_LABEL: Record<EvaluationGrade, string> = {
  EXCELLENT: '优秀',
  GOOD: '良好',
  PASS: '合格',
  FAIL: '不合格',
};

/** How hints name the period shown: 本月 / 本学期 / 本学年. */
export const THIS_PERIOD: Record<PeriodKind, string> = {
  MONTH: '本月',
  SEMESTER: '本学期',
  YEAR: '本学年',
};
