/**
 * The report's sentences, one pure function per finding kind, each in Simplified Chinese
 * and English. They format what they are given and decide nothing: which schools count,
 * and against which threshold, is report-findings.ts's business.
 */
import { flagCode } from '../../policy/flag-catalogue.ts';
import type { PriorityGroup } from '../__generated__/resolvers-types.ts';
import { UnreachableCaseError } from '../errors.ts';
import {
  count,
  dateZh,
  namesEn,
  namesZh,
  oneDecimal,
  MONTH_WORDS,
  percentOfCounts,
  plural,
  thresholdPercent,
  trend,
  type PeriodWords,
} from './report-format.ts';

export interface Sentence {
  zh: string;
  en: string;
}

/** Whose schools a sentence speaks of: "全区" / "in the district". */
export interface ScopeLabel {
  zh: string;
  /** A phrase after "schools", e.g. "in the district". */
  en: string;
}

/** Names written into the coverage sentence; the finding's `schools` carries up to 20. */
const NAMED_IN_TEXT = 5;

/**
 * Coverage as the overview defines it: schools offering / schools that reported. A school
 * without a report is 未报送 and named apart, never counted as not offering.
 */
export function coverageSentence(
  scope: ScopeLabel,
  counts: { inScope: number; reporting: number; offering: number },
  notOffering: readonly string[],
  notReported: readonly string[] = [],
  words: PeriodWords = MONTH_WORDS,
): Sentence {
  const { inScope, reporting, offering } = counts;
  const rate = reporting > 0 ? percentOfCounts(offering, reporting) : '不适用';
  const rateEn = reporting > 0 ? rate : 'n/a';
  let zh: string;
  let en: string;
  if (words.summed) {
    // Over several months the counts are school-months (校次): one per school and month.
    zh = `${words.current.zh}，${scope.zh}应报送月报${count(inScope)}校次，已报送${count(reporting)}校次，其中${count(offering)}校次开展课后服务，覆盖率${rate}。`;
    en = `${words.current.en[0]?.toUpperCase()}${words.current.en.slice(1)}, ${count(reporting)} of ${count(inScope)} monthly reports due from schools ${scope.en} were sent; ${count(offering)} of them showed after-school services (coverage ${rateEn}).`;
    if (notOffering.length > 0) {
      zh += `从未开展：${namesZh(notOffering, NAMED_IN_TEXT)}。`;
      en += ` Never offering: ${namesEn(notOffering, NAMED_IN_TEXT)}.`;
    }
    if (notReported.length > 0) {
      zh += `从未报送：${namesZh(notReported, NAMED_IN_TEXT)}。`;
      en += ` Never reported: ${namesEn(notReported, NAMED_IN_TEXT)}.`;
    }
    return { zh, en };
  }
  if (reporting === inScope) {
    zh = `${scope.zh}${count(inScope)}所学校中${count(offering)}所开展课后服务，覆盖率${rate}。`;
    en = `${count(offering)} of ${plural(inScope, 'school')} ${scope.en} ran after-school services (coverage ${rateEn}).`;
  } else {
    zh = `${scope.zh}${count(inScope)}所学校中${count(reporting)}所报送月报，其中${count(offering)}所开展课后服务，覆盖率${rate}。`;
    en = `${count(reporting)} of ${plural(inScope, 'school')} ${scope.en} reported; ${count(offering)} of them ran after-school services (coverage ${rateEn}).`;
  }
  if (notOffering.length > 0) {
    zh += `未开展：${namesZh(notOffering, NAMED_IN_TEXT)}。`;
    en += ` Not offering: ${namesEn(notOffering, NAMED_IN_TEXT)}.`;
  }
  if (notReported.length > 0) {
    zh += `未报送：${namesZh(notReported, NAMED_IN_TEXT)}。`;
    en += ` Not reported: ${namesEn(notReported, NAMED_IN_TEXT)}.`;
  }
  return { zh, en };
}

/** `change`: month-on-month change of the rate as a fraction (0.012 = 1.2 points). */
export function participationSentence(
  participants: number,
  enrolled: number,
  change: number | null,
  words: PeriodWords = MONTH_WORDS,
): Sentence & { fell: boolean } {
  const rate = percentOfCounts(participants, enrolled);
  if (change === null)
    return { zh: `学生参与率${rate}。`, en: `Student participation was ${rate}.`, fell: false };
  const t = trend(change * 100, '个百分点', 'percentage points', words.previous);
  return {
    zh: `学生参与率${rate}，${t.zh}。`,
    en: `Student participation was ${rate}, ${t.en}.`,
    fell: t.fell,
  };
}

export function demandBelowFloorSentence(schools: number, floor: number): Sentence {
  const f = thresholdPercent(floor);
  return {
    zh: `${count(schools)}所学校需求满足率低于${f}。`,
    en: `${plural(schools, 'school')} met less than ${f} of demand (participants / applicants).`,
  };
}

export function groupLabel(group: PriorityGroup): Sentence {
  switch (group) {
    case 'LEFT_BEHIND':
      return { zh: '留守儿童', en: 'left-behind children' };
    case 'MIGRANT':
      return { zh: '随迁子女', en: "migrant workers' children" };
    case 'DISABLED':
      return { zh: '残疾儿童', en: 'disabled children' };
    case 'POOR':
      return { zh: '困难家庭学生', en: 'children of families in hardship' };
    default:
      throw new UnreachableCaseError(group);
  }
}

export function priorityGapSentence(
  group: PriorityGroup,
  schools: number,
  points: number,
): Sentence {
  const label = groupLabel(group);
  return {
    zh: `${count(schools)}所学校${label.zh}参与率低于本校学生参与率超过${points}个百分点。`,
    en: `At ${plural(schools, 'school')}, the participation rate of ${label.en} was more than ${points} percentage points below the school's overall rate.`,
  };
}

/** `score` 0..100; `change` in score points. */
export function parentSatisfactionSentence(
  score: number,
  responses: number,
  change: number | null,
  words: PeriodWords = MONTH_WORDS,
): Sentence & { fell: boolean } {
  const zh = `家长满意度${oneDecimal(score)}分（${count(responses)}份答卷）`;
  const en = `Parent satisfaction scored ${oneDecimal(score)} (${plural(responses, 'response')})`;
  if (change === null) return { zh: `${zh}。`, en: `${en}.`, fell: false };
  const t = trend(change, '分', 'points', words.previous);
  return { zh: `${zh}，${t.zh}。`, en: `${en}, ${t.en}.`, fell: t.fell };
}

/** `byCode`: codes in the order to name them, with their counts (one code: "均为…"). */
export function newFlagsSentence(
  byCode: readonly { code: string; count: number }[],
  words: PeriodWords = MONTH_WORDS,
): Sentence {
  const total = byCode.reduce((n, c) => n + c.count, 0);
  const label = (code: string) => flagCode(code) ?? { zh: code, en: code };
  const head = {
    zh: `${words.current.zh}新增违规预警${count(total)}条`,
    en: `${plural(total, 'new violation flag')} ${words.current.en}`,
  };
  const [only] = byCode;
  if (byCode.length === 1 && only)
    return {
      zh: `${head.zh}，均为${label(only.code).zh}。`,
      en: `${head.en} (${label(only.code).en}).`,
    };
  const zh = byCode.map((c) => `${label(c.code).zh}${count(c.count)}条`);
  const en = byCode.map((c) => `${label(c.code).en} ${count(c.count)}`);
  return { zh: `${head.zh}，其中${zh.join('、')}。`, en: `${head.en}: ${en.join(', ')}.` };
}

export function overdueSentence(flags: number, schools: number): Sentence {
  return {
    zh: `${count(flags)}条整改逾期未完成，涉及${count(schools)}所学校。`,
    en: `${plural(flags, 'rectification')} past the deadline, at ${plural(schools, 'school')}.`,
  };
}

/**
 * 57条违规预警未销号，其中3条整改逾期、12条超过180天未销号（最早自2024年3月1日起）。
 * `oldestSince`: "YYYY-MM-DD", named only with long-open flags.
 */
export function openFlagsSentence(
  open: number,
  overdue: number,
  longOpen: number,
  longOpenDays: number,
  oldestSince: string | null,
): Sentence {
  const partsZh: string[] = [];
  const partsEn: string[] = [];
  if (overdue > 0) {
    partsZh.push(`${count(overdue)}条整改逾期`);
    partsEn.push(`${count(overdue)} past the rectification deadline`);
  }
  if (longOpen > 0) {
    partsZh.push(`${count(longOpen)}条超过${count(longOpenDays)}天未销号`);
    partsEn.push(`${count(longOpen)} open for more than ${plural(longOpenDays, 'day')}`);
  }
  const oldest = longOpen > 0 && oldestSince !== null ? oldestSince : null;
  const zhTail = oldest ? `（最早自${dateZh(oldest)}起）` : '';
  const enTail = oldest ? ` (the oldest since ${oldest})` : '';
  const head = {
    zh: `${count(open)}条违规预警未销号`,
    en: `${plural(open, 'violation flag')} still open`,
  };
  if (partsZh.length === 0) return { zh: `${head.zh}。`, en: `${head.en}.` };
  return {
    zh: `${head.zh}，其中${partsZh.join('、')}${zhTail}。`,
    en: `${head.en}: ${partsEn.join(', ')}${enTail}.`,
  };
}

/** `due`: "YYYY-MM-DD"; `passed`: the deadline is behind us. */
export function missingReportsSentence(schools: number, due: string, passed: boolean): Sentence {
  if (passed)
    return {
      zh: `${count(schools)}所学校未在${dateZh(due)}截止前报送本月月报。`,
      en: `${plural(schools, 'school')} did not send this month's report by the deadline (${due}).`,
    };
  return {
    zh: `${count(schools)}所学校尚未报送本月月报，截止日期为${dateZh(due)}。`,
    en: `${plural(schools, 'school')} ${schools === 1 ? 'has' : 'have'} not sent this month's report yet; it is due ${due}.`,
  };
}

/** A semester's or year's reports not sent, in school-months (校次), by the deadlines passed. */
export function periodMissingReportsSentence(words: PeriodWords, schoolMonths: number): Sentence {
  return {
    zh: `${words.current.zh}有${count(schoolMonths)}校次月报未报送。`,
    en: `${plural(schoolMonths, 'monthly report')} due ${words.current.en} ${schoolMonths === 1 ? 'was' : 'were'} not sent.`,
  };
}

export function noDataSentence(words: PeriodWords = MONTH_WORDS): Sentence {
  if (!words.summed) return { zh: '本月暂无数据。', en: 'No data for this month yet.' };
  return { zh: `${words.current.zh}暂无数据。`, en: `No data ${words.current.en} yet.` };
}

/**
 * COMPLAINTS.RECEIVED: complaints received in the period, by category (most first) and how
 * many schools they concern; counts only, never who complained or what was alleged.
 */
export function complaintsSentence(
  byCategory: readonly { code: string; count: number }[],
  schools: number,
  words: PeriodWords = MONTH_WORDS,
): Sentence {
  const total = byCategory.reduce((n, c) => n + c.count, 0);
  const label = (code: string) => flagCode(code) ?? { zh: code, en: code };
  const zh = byCategory.map((c) => `${label(c.code).zh}${count(c.count)}件`);
  const en = byCategory.map((c) => `${label(c.code).en} ${count(c.count)}`);
  return {
    zh: `${words.current.zh}收到投诉举报${count(total)}件，涉及${count(schools)}所学校，其中${zh.join('、')}。`,
    en: `${plural(total, 'complaint')} received ${words.current.en}, about ${plural(schools, 'school')}: ${en.join(', ')}.`,
  };
}
