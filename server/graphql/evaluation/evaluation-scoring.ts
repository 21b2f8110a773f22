/**
 * The pure scoring of an evaluation: a scheme version (server/policy/evaluation-scheme.ts)
 * turns each school's SchoolFacts into points, deductions, a veto and a grade. No warehouse,
 * no clock: the same facts and version always give the same ScoredSchool rows.
 *
 * Decisions (the scheme file's comments repeat them for districts):
 * - Points are rounded to 0.1 (one decimal, as a 考核结果表 prints them) at each step: an
 *   indicator's points, the rescaled sum, each deduction and the score. The score is
 *   computed from the rounded figures, so the table's columns add up.
 * - An indicator without data (value null, or fewer observations than its min_base) is
 *   数据不足: 0 points shown, but its weight leaves the base, and the score is the points
 *   earned / the measurable maximum × max_score (rescaled); the school is `incomplete`.
 * - When the measurable indicators carry less than min_measured_share of max_score, the
 *   rescaled score rests on too little to be trusted upwards: the grade is at most the
 *   scheme's too_little_data_best_grade (default 合格), it can still be 不合格 on the
 *   evidence there is; `tooLittleData` says so. With nothing measurable at all the score
 *   is 0 and the grade is that best grade (there is no evidence either way).
 * - Deductions come off the rescaled score; the score is clamped to 0..max_score.
 * - A veto (一票否决) makes the grade 不合格 whatever the score; the score still shows.
 * - The share cap for 优秀 applies over the whole set scored together (the district): at
 *   most floor(cap × schools) are 优秀, best scores first; schools beyond it become 良好
 *   with excellentCapped. Equal scores get equal grades: when schools tie at the boundary
 *   none of the tied ones stays 优秀, so the cap is never exceeded.
 */
import type { Locality, Stage } from '../../db/tables/schools.table.ts';
import type {
  BandKey,
  EvaluationIndicator,
  SchemeVersion,
} from '../../policy/evaluation-scheme.ts';
import { flagCode, ruleLabel } from '../../policy/flag-catalogue.ts';
import { STAGE_LABELS } from '../../policy/month-rules.ts';
import { LOCALITY_LABELS } from '../scope/scope-summary.ts';
import type {
  Grade,
  SchemeInfo,
  SchoolFacts,
  ScoredDeduction,
  ScoredIndicator,
  ScoredSchool,
} from './evaluation.types.ts';

/** Best first. */
export const GRADES: readonly Grade[] = ['EXCELLENT', 'GOOD', 'PASS', 'FAIL'];

/** The grades' 中文 labels, written once for the API, exports and print. */
export const GRADE_LABELS: Readonly<Record<Grade, string>> = {
  EXCELLENT: '优秀',
  GOOD: '良好',
  PASS: '合格',
  FAIL: '不合格',
};

const BAND_GRADE: Readonly<Record<BandKey, Grade>> = {
  excellent: 'EXCELLENT',
  good: 'GOOD',
  pass: 'PASS',
  fail: 'FAIL',
};

/** Rounded to 0.1, halves up (the epsilon keeps 84.45 from reading as 84.4499…). */
export function roundPoints(x: number): number {
  return Math.round(x * 10 + 1e-7) / 10;
}

/** The points a measured value earns under an indicator's rule, rounded to 0.1. */
export function indicatorPoints(indicator: EvaluationIndicator, value: number): number {
  let points = 0;
  if (indicator.linear !== undefined) {
    const { zero, full } = indicator.linear;
    // Works both ways: full < zero means lower is better (e.g. data_quality's reject share).
    const t = Math.min(1, Math.max(0, (value - zero) / (full - zero)));
    points = t * indicator.weight;
  } else if (indicator.thresholds !== undefined) {
    for (const step of indicator.thresholds) {
      const met = step.min !== undefined ? value >= step.min : value <= (step.max as number);
      if (met) points = Math.max(points, step.points);
    }
  }
  // Never above the weight (a value past `full` earns the maximum, no more).
  return roundPoints(Math.min(points, indicator.weight));
}

function worse(a: Grade, b: Grade): Grade {
  return GRADES.indexOf(a) >= GRADES.indexOf(b) ? a : b;
}

export function gradeOf(version: SchemeVersion, score: number): Grade {
  const { excellent, good, pass } = version.bands;
  if (score >= excellent) return 'EXCELLENT';
  if (score >= good) return 'GOOD';
  if (score >= pass) return 'PASS';
  return 'FAIL';
}

/** "安全事故" for a code, "未开展服务或未满足需求：本月未开展课后服务" for a rule id. */
function flagLabel(key: string): string {
  const [code = ''] = key.split('.');
  const zh = flagCode(code)?.zh ?? code;
  const rule = key.includes('.') ? ruleLabel(key) : undefined;
  return rule !== undefined ? `${zh}：${rule}` : zh;
}

function scoreIndicators(version: SchemeVersion, facts: SchoolFacts): ScoredIndicator[] {
  return version.indicators.map((ind) => {
    const m = facts.measures[ind.measure];
    const insufficientData = m.value === null || m.base < ind.min_base;
    return {
      key: ind.key,
      name: ind.name,
      measure: ind.measure,
      points: insufficientData || m.value === null ? 0 : indicatorPoints(ind, m.value),
      maxPoints: ind.weight,
      value: m.value,
      unit: m.unit,
      evidence: m.evidence,
      insufficientData,
    };
  });
}

function scoreDeductions(version: SchemeVersion, facts: SchoolFacts): ScoredDeduction[] {
  const rows: Array<ScoredDeduction & { raw: number }> = [];
  for (const s of version.deductions.severities) {
    const counted = s.codes
      .map((key) => ({ key, n: facts.flagCounts[key] ?? 0 }))
      .filter((c) => c.n > 0);
    const flags = counted.reduce((sum, c) => sum + c.n, 0);
    if (flags === 0) continue;
    const raw = flags * s.points_per_flag;
    const points = s.cap === null ? raw : Math.min(raw, s.cap);
    const rule = `每条扣 ${s.points_per_flag} 分${s.cap === null ? '' : `，本项最多扣 ${s.cap} 分`}`;
    rows.push({
      key: `violations.${s.key}`,
      name: s.name,
      points,
      raw,
      evidence: `${counted.map((c) => `${flagLabel(c.key)} ${c.n} 条`).join('、')}；${rule}`,
    });
  }
  // The total cap trims the lightest severities first (minor, then major): the serious
  // findings stay visible at their full weight.
  const cap = version.deductions.cap;
  let excess = rows.reduce((s, r) => s + r.points, 0) - (cap ?? Infinity);
  for (let i = rows.length - 1; i >= 0 && excess > 0; i--) {
    const row = rows[i] as (typeof rows)[number];
    const cut = Math.min(row.points, excess);
    row.points -= cut;
    excess -= cut;
    row.evidence = `${row.evidence}（扣分合计已达上限 ${cap} 分）`;
  }
  return rows.map(({ raw: _raw, ...r }) => ({ ...r, points: roundPoints(r.points) }));
}

function vetoReasons(version: SchemeVersion, facts: SchoolFacts): string[] {
  return version.vetoes
    .filter((v) => (facts.flagCounts[v.key] ?? 0) >= v.min_flags)
    .map((v) => `${v.reason}（${flagLabel(v.key)} ${facts.flagCounts[v.key]} 条）`);
}

/** One school, before the share cap for 优秀 (which needs the whole set). */
export function scoreSchool(version: SchemeVersion, facts: SchoolFacts): ScoredSchool {
  const indicators = scoreIndicators(version, facts);
  const deductions = scoreDeductions(version, facts);
  const measured = indicators.filter((i) => !i.insufficientData);
  const measuredMax = measured.reduce((s, i) => s + i.maxPoints, 0);
  const earned = roundPoints(measured.reduce((s, i) => s + i.points, 0));
  const deducted = roundPoints(deductions.reduce((s, d) => s + d.points, 0));
  const rescaled = measuredMax > 0 ? roundPoints((earned / measuredMax) * version.max_score) : 0;
  const score = roundPoints(Math.min(version.max_score, Math.max(0, rescaled - deducted)));

  const tooLittleData = measuredMax < version.min_measured_share * version.max_score - 1e-9;
  const best = BAND_GRADE[version.too_little_data_best_grade];
  let grade = gradeOf(version, score);
  if (measuredMax === 0) grade = best;
  else if (tooLittleData) grade = worse(grade, best);
  const reasons = vetoReasons(version, facts);
  if (reasons.length > 0) grade = 'FAIL';

  return {
    schoolCode: facts.schoolCode,
    schoolName: facts.schoolName,
    township: facts.township,
    stage: facts.stage,
    locality: facts.locality,
    score,
    grade,
    vetoed: reasons.length > 0,
    vetoReason: reasons.length > 0 ? reasons.join('；') : null,
    incomplete: measured.length < indicators.length,
    excellentCapped: false,
    tooLittleData,
    earnedPoints: earned,
    measuredMaxPoints: measuredMax,
    deductedPoints: deducted,
    indicators,
    deductions,
  };
}

/**
 * Every school of the set (the district) scored with `version`, in the order given, the
 * share cap for 优秀 applied over the whole set.
 */
export function scoreSchools(
  version: SchemeVersion,
  facts: readonly SchoolFacts[],
): ScoredSchool[] {
  const scored = facts.map((f) => scoreSchool(version, f));
  const share = version.excellent_share_cap;
  if (share === null) return scored;
  const allowed = Math.floor(share * scored.length + 1e-9);
  const excellent = scored.filter((s) => s.grade === 'EXCELLENT').sort((a, b) => b.score - a.score);
  if (excellent.length <= allowed) return scored;
  // The first school beyond the cap; it and every school tying with it are capped.
  const boundary = (excellent[allowed] as ScoredSchool).score;
  for (const s of excellent)
    if (s.score <= boundary) {
      s.grade = 'GOOD';
      s.excellentCapped = true;
    }
  return scored;
}

export function schemeInfo(version: SchemeVersion): SchemeInfo {
  return {
    version: version.version,
    name: version.name,
    source: version.source,
    effectiveFrom: version.effective_from,
    maxScore: version.max_score,
  };
}

/**
 * Competition ranking ("1, 1, 3"): higher scores first, equal scores share a rank and the
 * next rank skips. Returned best first; ties keep the order given.
 */
export function rankCompetition<T>(
  items: readonly T[],
  score: (item: T) => number,
): Array<{ item: T; rank: number }> {
  const order = items
    .map((item, index) => ({ item, index, s: score(item) }))
    .sort((a, b) => b.s - a.s || a.index - b.index);
  const out: Array<{ item: T; rank: number }> = [];
  order.forEach((e, i) => {
    const prev = order[i - 1];
    const rank =
      prev !== undefined && prev.s === e.s ? (out[i - 1] as { rank: number }).rank : i + 1;
    out.push({ item: e.item, rank });
  });
  return out;
}

/** The median of the values given, nulls skipped; the mean of the middle two for an even count; null when none. */
export function median(values: ReadonlyArray<number | null>): number | null {
  // A typed array sorts numerically without a comparator: several times faster on the
  // district's 10,000 schools × indicators than Array#sort with one.
  const xs = Float64Array.from(values.filter((v): v is number => v !== null)).sort();
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 === 1
    ? (xs[mid] as number)
    : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
}

export interface PeerGroup {
  /** e.g. "primary:rural". */
  key: string;
  /** e.g. "小学·乡村". */
  label: string;
}

/** Schools compare with their peers: the same stage and 城乡类型. */
export function peerGroupOf(stage: Stage, locality: Locality): PeerGroup {
  return {
    key: `${stage}:${locality}`,
    label: `${STAGE_LABELS[stage]}·${LOCALITY_LABELS[locality]}`,
  };
}
