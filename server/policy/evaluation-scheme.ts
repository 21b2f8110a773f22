/**
 * The evaluation scheme (考核方案) as data, versioned like the district policy: each version
 * has an effective month and its source document. The first version is complete; a later
 * version lists only what it changes and inherits the rest from the version before it.
 * Objects merge key by key (as in the policy), except that `indicators` and `vetoes` merge
 * entry by entry: an entry a version names replaces the earlier one whole (no field-level
 * merge inside an indicator, where a half-inherited rule would be a trap), and `null`
 * removes it. Arrays and scalars replace.
 *
 * A period is evaluated with the version in force in its first month (schemeFor), so a
 * school year is scored with one scheme even when a new one starts mid-year.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MEASURE_KEYS,
  MEASURE_RANGES,
  rawSchemeSchema,
  schemeParametersSchema,
  SEVERITY_KEYS,
  type MeasureKey,
  type SchemeIndicator,
  type SchemeParameters,
  type SchemeSeverity,
  type SeverityKey,
} from './evaluation-scheme.schema.ts';
import { flagCode, ruleLabel } from './flag-catalogue.ts';
import { describeIssues, isObject, overlay, readVersioned, type Json } from './policy.ts';

export {
  MEASURE_KEYS,
  type BandKey,
  type MeasureKey,
  type SeverityKey,
} from './evaluation-scheme.schema.ts';

export interface EvaluationIndicator extends Omit<SchemeIndicator, 'measure'> {
  key: string;
  measure: MeasureKey;
}

export interface EvaluationSeverity extends SchemeSeverity {
  key: SeverityKey;
}

export interface EvaluationVeto {
  /** Flag code or rule id. */
  key: string;
  reason: string;
  min_flags: number;
}

/** One complete version (inheritance resolved), with the scheme's name. */
export interface SchemeVersion extends Omit<
  SchemeParameters,
  'indicators' | 'vetoes' | 'deductions'
> {
  /** The scheme's name (the file's `name`). */
  name: string;
  version: string;
  /** First month (YYYY-MM) the version applies to. */
  effective_from: string;
  source: string;
  note?: string;
  /** In the file's order. */
  indicators: EvaluationIndicator[];
  deductions: { cap: number | null; severities: EvaluationSeverity[] };
  vetoes: EvaluationVeto[];
}

export interface EvaluationScheme {
  name: string;
  /** Sorted by effective_from; each one complete. */
  versions: SchemeVersion[];
  /** sha256 of the file text the scheme was read from. */
  sha256: string;
}

export const DEFAULT_EVALUATION_SCHEME_PATH = fileURLToPath(
  new URL('./evaluation-scheme.yaml', import.meta.url),
);

/** `indicators` and `vetoes`: entries replace whole, null removes. */
const KEYED = new Set(['indicators', 'vetoes']);

function inherit(base: Json, change: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(change)) {
    const prior = out[key];
    if (KEYED.has(key) && isObject(value)) {
      const merged: Json = isObject(prior) ? { ...prior } : {};
      for (const [entry, v] of Object.entries(value)) {
        if (v === null) delete merged[entry];
        else merged[entry] = v;
      }
      out[key] = merged;
    } else out[key] = isObject(prior) && isObject(value) ? overlay(prior, value) : value;
  }
  return out;
}

function fmt(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

function indicatorIssues(key: string, ind: SchemeIndicator, label: string): string[] {
  const at = `${label}.indicators.${key}`;
  const out: string[] = [];
  if (!(MEASURE_KEYS as readonly string[]).includes(ind.measure)) {
    out.push(
      `${at}.measure: 未知的测量项 "${ind.measure}" / unknown measure; 可选 / one of: ${MEASURE_KEYS.join(', ')}`,
    );
    return out;
  }
  const [lo, hi] = MEASURE_RANGES[ind.measure as MeasureKey];
  const inRange = (v: number, field: string) => {
    if (v < lo || v > hi)
      out.push(
        `${at}.${field}: ${fmt(v)} 超出 ${ind.measure} 的取值范围 ${lo}..${hi}（比率写作小数，如 0.85） / outside the measure's range (rates are fractions)`,
      );
  };
  if ((ind.thresholds === undefined) === (ind.linear === undefined))
    out.push(
      `${at}: 须给出 thresholds 或 linear 之一 / exactly one of thresholds and linear is required`,
    );
  if (ind.linear !== undefined) {
    if (ind.linear.zero === ind.linear.full)
      out.push(
        `${at}.linear: zero 与 full 不能相同 / zero and full must differ (full < zero: lower is better)`,
      );
    inRange(ind.linear.zero, 'linear.zero');
    inRange(ind.linear.full, 'linear.full');
  }
  if (ind.thresholds !== undefined) {
    const kinds = new Set<string>();
    ind.thresholds.forEach((s, i) => {
      const step = `thresholds[${i}]`;
      if ((s.min === undefined) === (s.max === undefined))
        out.push(`${at}.${step}: 须给出 min 或 max 之一 / exactly one of min and max is required`);
      else {
        kinds.add(s.min !== undefined ? 'min' : 'max');
        inRange((s.min ?? s.max) as number, `${step}.${s.min !== undefined ? 'min' : 'max'}`);
      }
      if (s.points > ind.weight)
        out.push(
          `${at}.${step}.points: ${fmt(s.points)} 超过该指标满分 ${fmt(ind.weight)} / more than the weight`,
        );
    });
    if (kinds.size > 1)
      out.push(
        `${at}.thresholds: 各档须同为 min（越高越好）或同为 max（越低越好） / steps must all use min or all use max`,
      );
  }
  return out;
}

function flagKeyIssue(key: string, at: string): string | null {
  const [code = '', rule] = key.split('.');
  if (flagCode(code) === undefined)
    return `${at}: 违规代码 ${code} 不在违规目录中（server/policy/flag-catalogue.yaml） / unknown flag code`;
  if (rule !== undefined && ruleLabel(key) === undefined)
    return `${at}: ${code} 没有规则 ${rule} / unknown rule of ${code}`;
  return null;
}

/** Checks that need more than one field or the catalogue. */
function crossChecks(v: SchemeVersion, raw: SchemeParameters, label: string): string[] {
  const out: string[] = [];
  for (const [key, ind] of Object.entries(raw.indicators))
    out.push(...indicatorIssues(key, ind, label));
  if (v.indicators.length === 0) out.push(`${label}.indicators: 至少需要一个指标 / no indicators`);
  const total = v.indicators.reduce((s, i) => s + i.weight, 0);
  if (Math.abs(total - v.max_score) > 1e-9)
    out.push(
      `${label}.indicators: 各指标分值之和为 ${fmt(total)}，应等于满分 ${fmt(v.max_score)} / weights sum to ${fmt(total)}, not max_score ${fmt(v.max_score)}`,
    );

  const { excellent, good, pass } = v.bands;
  if (!(excellent > good && good > pass && pass >= 0 && excellent <= v.max_score))
    out.push(
      `${label}.bands: 等级下限应满足 满分 ≥ 优秀 > 良好 > 合格 ≥ 0（现为 ${fmt(excellent)}、${fmt(good)}、${fmt(pass)}） / bands must be ordered excellent > good > pass ≥ 0, excellent ≤ max_score`,
    );

  // Each flag is counted once: in one severity or one veto, never under its code and a rule too.
  const named = new Map<string, string>();
  const claim = (key: string, at: string) => {
    const issue = flagKeyIssue(key, at);
    if (issue !== null) out.push(issue);
    const code = key.split('.')[0] as string;
    for (const [other, where] of named)
      if (other === key || other === code || other.split('.')[0] === key)
        out.push(
          `${at}: ${key} 与 ${where} 的 ${other} 重复计算 / ${key} is also counted under ${where}`,
        );
    named.set(key, at);
  };
  for (const s of v.deductions.severities)
    for (const code of s.codes) claim(code, `${label}.deductions.severities.${s.key}`);
  for (const veto of v.vetoes) claim(veto.key, `${label}.vetoes.${veto.key}`);
  return out;
}

function complete(
  name: string,
  identity: { version: string; effective_from: string; source: string; note?: string },
  p: SchemeParameters,
): SchemeVersion {
  const { indicators, vetoes, deductions, ...rest } = p;
  return {
    name,
    version: identity.version,
    effective_from: identity.effective_from,
    source: identity.source,
    ...(identity.note !== undefined ? { note: identity.note } : {}),
    ...rest,
    indicators: Object.entries(indicators).map(([key, ind]) => ({
      key,
      ...ind,
      measure: ind.measure as MeasureKey,
    })),
    deductions: {
      cap: deductions.cap,
      severities: SEVERITY_KEYS.flatMap((key) => {
        const s = deductions.severities[key];
        return s == null ? [] : [{ key, ...s }];
      }),
    },
    vetoes: Object.entries(vetoes).map(([key, v]) => ({ key, ...v })),
  };
}

export function parseEvaluationScheme(
  text: string,
  origin = 'evaluation scheme',
): EvaluationScheme {
  const { doc, versions, sha256 } = readVersioned(
    text,
    origin,
    rawSchemeSchema,
    {},
    (header, base, changes, label, issues) => {
      const merged = inherit(base, changes);
      const parsed = schemeParametersSchema.safeParse(merged);
      if (!parsed.success) {
        issues.push(...describeIssues(parsed.error.issues, label));
        return { merged, version: null };
      }
      // The scheme's name is the file's, set on every version once the file is read.
      const full = complete('', header, parsed.data);
      issues.push(...crossChecks(full, parsed.data, label));
      return { merged, version: full };
    },
  );
  return { name: doc.name, versions: versions.map((v) => ({ ...v, name: doc.name })), sha256 };
}

/** The scheme file the server evaluates with: KEHOU_EVALUATION_SCHEME, else the default. */
export function evaluationSchemePath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.KEHOU_EVALUATION_SCHEME;
  return path !== undefined && path.length > 0 ? path : DEFAULT_EVALUATION_SCHEME_PATH;
}

export function loadEvaluationScheme(path: string = evaluationSchemePath()): EvaluationScheme {
  return parseEvaluationScheme(readFileSync(path, 'utf8'), path);
}

/**
 * The version a period is evaluated with: the one in force in the period's first month
 * (a school year starting 2025-09 uses the version effective then, even if another starts
 * in 2026-02). Periods before the first version use the first.
 */
export function schemeFor(scheme: EvaluationScheme, months: readonly string[]): SchemeVersion {
  const first = [...months].sort()[0];
  let current = scheme.versions[0] as SchemeVersion;
  if (first === undefined) return current;
  for (const v of scheme.versions) if (v.effective_from <= first) current = v;
  return current;
}

/**
 * The flag codes and rule ids a version counts (deductions and vetoes): the measuring side
 * puts a count under each of them in SchoolFacts.flagCounts (a rule id counts that rule's
 * flags only).
 */
export function schemeFlagKeys(version: SchemeVersion): string[] {
  return [
    ...version.deductions.severities.flatMap((s) => s.codes),
    ...version.vetoes.map((v) => v.key),
  ];
}
