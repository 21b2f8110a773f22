/**
 * 多方印证: one school's month from four sources side by side, and the contradictions the
 * rule table (triangulation-rules.ts) finds between the report and the three others.
 */
import { isOneSchoolViewer } from '../scope/one-school.ts';
import { RESPONDENTS } from '../../db/vocabulary/respondents.ts';
import type { ChecklistItem } from '../../db/tables/visits.table.ts';
import type { Stage } from '../../db/tables/schools.table.ts';
import { FLAG_CATALOGUE } from '../../policy/flag-catalogue.ts';
import { monthRules, type MonthRules } from '../../policy/month-rules.ts';
import type {
  Contradiction,
  SatisfactionItemStat,
  Triangulation,
  TriangulationComplaintCount,
  TriangulationSurveyItem,
  TriangulationVisitFinding,
} from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { num, rate } from '../metrics/rates.ts';
import { itemStats } from '../satisfaction/satisfaction.service.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { schoolMonths } from '../schools/schools.repository.ts';
import {
  complaintCounts,
  reportExtras,
  visitFindings,
  type ComplaintCountRow,
  type FindingRow,
} from './triangulation.repository.ts';
import {
  CHECKLIST_LABELS,
  SOURCE_LABELS,
  TRIANGULATION_RULES,
  type ReportFacts,
  type TriangulationRule,
  type Words,
} from './triangulation-rules.ts';

/** Answer levels that count as dissatisfied: 不满意 (2) and 非常不满意 (1). */
const DISSATISFIED_LEVELS = new Set([1, 2]);

function codeWords(code: string): Words {
  const info = FLAG_CATALOGUE.get(code);
  return { zh: info?.zh ?? code, en: info?.en ?? code };
}

function findingWords(f: FindingRow): Words {
  return f.kind === 'CHECK'
    ? (CHECKLIST_LABELS[f.code as ChecklistItem] ?? { zh: f.code, en: f.code })
    : codeWords(f.code);
}

function respondentWords(respondent: string): Words {
  const r = RESPONDENTS.find((x) => x.respondent === respondent);
  return { zh: r?.zh ?? respondent, en: r?.en ?? respondent };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function toSurveyItem(stat: SatisfactionItemStat): TriangulationSurveyItem {
  const dissatisfied = stat.distribution
    .filter((d) => DISSATISFIED_LEVELS.has(d.level))
    .reduce((a, d) => a + d.count, 0);
  return {
    itemText: stat.itemText,
    respondent: stat.respondent,
    responses: stat.responses,
    dissatisfied,
    dissatisfiedShare: rate(dissatisfied, stat.responses),
  };
}

/** Everything the rules read, gathered once. */
export interface Sources {
  report: ReportFacts | null;
  /** The policy of the month the report is judged by. */
  rules: MonthRules;
  survey: readonly TriangulationSurveyItem[];
  /** Null when withheld (leadership). */
  complaints: readonly ComplaintCountRow[] | null;
  findings: readonly FindingRow[];
}

/** The other side of one rule from each source that speaks against the report. */
function otherSides(
  rule: TriangulationRule,
  sources: Sources,
): { source: Contradiction['source']; words: Words }[] {
  const out: { source: Contradiction['source']; words: Words }[] = [];
  const complaints = (sources.complaints ?? []).filter((c) => rule.flagCodes.includes(c.flag_code));
  if (complaints.length > 0)
    out.push({
      source: 'COMPLAINT',
      words: {
        zh: `本月收到${complaints.map((c) => `“${codeWords(c.flag_code).zh}”类投诉 ${c.complaints} 件`).join('、')}`,
        en: `${complaints.map((c) => `${c.complaints} complaint(s) of ${codeWords(c.flag_code).en}`).join(', ')} came in this month`,
      },
    });
  const findings = sources.findings.filter((f) =>
    f.kind === 'CHECK'
      ? rule.checklistItems.includes(f.code as ChecklistItem)
      : rule.flagCodes.includes(f.code),
  );
  if (findings.length > 0)
    out.push({
      source: 'VISIT',
      words: {
        zh: findings
          .map((f) =>
            f.kind === 'CHECK'
              ? `${f.date} 走访检查“${findingWords(f).zh}”有问题`
              : `督导发现“${findingWords(f).zh}”问题（${f.date}）`,
          )
          .join('；'),
        en: findings
          .map((f) =>
            f.kind === 'CHECK'
              ? `a visit on ${f.date} found a problem with ${findingWords(f).en}`
              : `an inspection flagged ${findingWords(f).en} (${f.date})`,
          )
          .join('; '),
      },
    });
  const pattern = rule.surveyItem;
  const { min_respondents, dissatisfied_share } = sources.rules.version.triangulation;
  const items = pattern
    ? sources.survey.filter(
        (s) =>
          pattern.test(s.itemText) &&
          s.responses >= min_respondents &&
          s.dissatisfiedShare !== null &&
          s.dissatisfiedShare !== undefined &&
          s.dissatisfiedShare >= dissatisfied_share,
      )
    : [];
  if (items.length > 0)
    out.push({
      source: 'SURVEY',
      words: {
        zh: items
          .map(
            (s) =>
              `${respondentWords(s.respondent).zh}问卷“${s.itemText}”有 ${percent(s.dissatisfiedShare ?? 0)}（${s.dissatisfied}/${s.responses}）不满意`,
          )
          .join('；'),
        en: items
          .map(
            (s) =>
              `${percent(s.dissatisfiedShare ?? 0)} of ${respondentWords(s.respondent).en} (${s.dissatisfied}/${s.responses}) are dissatisfied with "${s.itemText}"`,
          )
          .join('; '),
      },
    });
  return out;
}

/** Every rule against every source: one contradiction per rule and source that disagree. */
export function contradictionsOf(sources: Sources, rules = TRIANGULATION_RULES): Contradiction[] {
  const report = sources.report;
  if (!report) return [];
  const out: Contradiction[] = [];
  for (const rule of rules) {
    const says = rule.reportSays(report, sources.rules);
    if (!says) continue;
    for (const other of otherSides(rule, sources))
      out.push({
        rule: rule.id,
        source: other.source,
        sourceLabel: SOURCE_LABELS[other.source],
        reportSide: says.zh,
        otherSide: other.words.zh,
        text: `${says.zh}，但${other.words.zh}。`,
        textEn: `${capitalise(says.en)}, but ${other.words.en}.`,
      });
  }
  return out;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The school's month, or null when the school is not in the viewer's scope in the month
 * (the school page's own read decides). Leadership gets no complaints (they read counts
 * in the monthly report only), a school reporter none at all (a school never learns what
 * was alleged against it here), so no contradiction from them either.
 */
export async function triangulationOf(
  ctx: GraphQLContext,
  schoolCode: string,
  month: string,
): Promise<Triangulation | null> {
  const request = scopeRequest(ctx, { schoolCodes: [schoolCode] }, [month]);
  const [row] = await schoolMonths(ctx.db, request, null);
  if (!row) return null;
  const withheld = ctx.viewer.role === 'LEADERSHIP' || isOneSchoolViewer(ctx.viewer);
  const [extras, stats, complaints, findings] = await Promise.all([
    reportExtras(ctx.db, schoolCode, month),
    itemStats(ctx.db, { ...request, window: 'SEMESTER_TO_DATE' }),
    withheld ? Promise.resolve(null) : complaintCounts(ctx.db, schoolCode, month),
    visitFindings(ctx.db, schoolCode, month),
  ]);
  const report: ReportFacts | null =
    row.reported && extras
      ? {
          stage: row.stage as Stage,
          fee_per_period: num(row.fee_per_period),
          fees_published: extras.fees_published,
          school_days: num(row.school_days),
          service_days: num(row.service_days),
          daily_minutes: num(row.daily_minutes),
          latest_end_time: row.latest_end_time,
          homework_periods: num(extras.homework_periods),
          written_homework_g12: extras.written_homework_g12,
          incidents: num(row.incidents),
        }
      : null;
  const rules = monthRules(ctx.policy, month);
  const survey = stats.map(toSurveyItem);
  const contradictions = contradictionsOf({
    report,
    rules,
    survey,
    complaints,
    findings,
  });
  return {
    schoolCode,
    month,
    report: {
      reported: report !== null,
      feePerPeriod: report?.fee_per_period ?? null,
      feesPublished: report?.fees_published ?? null,
      schoolDays: report?.school_days ?? null,
      serviceDays: report?.service_days ?? null,
      dailyMinutes: report?.daily_minutes ?? null,
      latestEndTime: report?.latest_end_time ?? null,
      endTimeCap: rules.latestEnd[row.stage as Stage].text,
      homeworkPeriods: report?.homework_periods ?? null,
      incidents: report?.incidents ?? null,
      participationRate: rate(num(row.participants), num(row.enrolled)),
    },
    survey,
    complaints: complaints?.map(toComplaintCount) ?? null,
    visitFindings: findings.map(toVisitFinding),
    contradictions,
  };
}

function toComplaintCount(row: ComplaintCountRow): TriangulationComplaintCount {
  return { code: row.flag_code, label: codeWords(row.flag_code).zh, count: row.complaints };
}

function toVisitFinding(row: FindingRow): TriangulationVisitFinding {
  return {
    date: row.date,
    kind: row.kind,
    code: row.code,
    label: findingWords(row).zh,
    note: row.note,
  };
}
