/**
 * The district policy as data: versions with an effective month and their source
 * document. A version lists what it changes and inherits the rest from the version
 * before it. Metrics and flags judge a month by the version in force in that month.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import {
  DEFAULT_PARAMETERS,
  hhmmToMinutes,
  parametersSchema,
  rawPolicySchema,
  type PolicyParameters,
} from './policy.schema.ts';

export type { PolicyParameters } from './policy.schema.ts';

export interface PolicyVersion extends PolicyParameters {
  version: string;
  /** First month (YYYY-MM) the version applies to. */
  effective_from: string;
  source: string;
  note?: string;
}

export interface DistrictPolicy {
  district: string;
  /** The district's 行政区划代码 (policy.schema.ts), when the file gives one. */
  district_code?: string;
  /** Sorted by effective_from; each one complete (inheritance resolved). */
  versions: PolicyVersion[];
  /** sha256 of the file text the policy was read from. */
  sha256: string;
}

export class PolicyError extends Error {
  constructor(
    readonly origin: string,
    readonly issues: readonly string[],
  ) {
    super(`${origin} 无效 / invalid:\n  - ${issues.join('\n  - ')}`);
    this.name = 'PolicyError';
  }
}

export const DEFAULT_POLICY_PATH = fileURLToPath(
  new URL('./district-policy.yaml', import.meta.url),
);

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays, scalars and null replace. */
export function overlay(base: Json, change: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(change)) {
    const prior = out[key];
    out[key] = isObject(prior) && isObject(value) ? overlay(prior, value) : value;
  }
  return out;
}

/** zod issues as "path: message" lines under `prefix` (e.g. versions[2024.1]). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string[] {
  return issues.map(
    (i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`,
  );
}

/** Checks that need more than one field. */
function crossChecks(v: PolicyVersion, label: string): string[] {
  const out: string[] = [];
  const seen = new Map<number, string>();
  for (const season of v.end_time.seasons) {
    for (const m of season.months) {
      const other = seen.get(m);
      if (other !== undefined)
        out.push(
          `${label}.end_time.seasons: ${m} 月同时属于"${other}"和"${season.name}" / month ${m} is in two seasons`,
        );
      seen.set(m, season.name);
    }
  }
  if (v.end_time.earliest !== null) {
    const floor = hhmmToMinutes(v.end_time.earliest);
    const caps = [v.end_time.latest, ...v.end_time.seasons.map((s) => s.latest)];
    for (const cap of caps)
      for (const [stage, t] of Object.entries(cap))
        if (t !== undefined && hhmmToMinutes(t) < floor)
          out.push(
            `${label}.end_time: ${stage} 最晚结束时间 ${t} 早于最早结束时间 ${v.end_time.earliest} / cap before floor`,
          );
  }
  if (v.end_time.latest.primary === undefined || v.end_time.latest.junior === undefined)
    out.push(
      `${label}.end_time.latest: 须给出 primary 和 junior / primary and junior are required`,
    );
  return out;
}

/** What every version of a versioned file (the policy, the evaluation scheme) names itself by. */
export interface VersionHeader {
  version: string;
  /** First month (YYYY-MM) the version applies to. */
  effective_from: string;
  source: string;
  note?: string;
}

/**
 * Reads a versioned file: YAML syntax, the raw shape (`rawSchema`), then each version in
 * effective order, built by `build` from the merged parameters of the version before it
 * (`first` for the first). Every problem of every version is gathered into one PolicyError
 * naming the version and field, so a clerk fixes the file in one pass. `build` returns null
 * when the version is invalid (its issues pushed); the merged parameters still carry on.
 */
export function readVersioned<Doc extends { versions: ReadonlyArray<VersionHeader & Json> }, V>(
  text: string,
  origin: string,
  rawSchema: z.ZodType<Doc>,
  first: Json,
  build: (
    header: VersionHeader,
    base: Json,
    changes: Json,
    label: string,
    issues: string[],
  ) => { merged: Json; version: V | null },
): { doc: Doc; versions: V[]; sha256: string } {
  let parsedText: unknown;
  try {
    parsedText = parse(text);
  } catch (error) {
    throw new PolicyError(origin, [
      `YAML/JSON 语法错误 / syntax error: ${(error as Error).message}`,
    ]);
  }
  const raw = rawSchema.safeParse(parsedText);
  if (!raw.success) throw new PolicyError(origin, describeIssues(raw.error.issues, ''));

  const issues: string[] = [];
  const ordered = [...raw.data.versions].sort((a, b) =>
    a.effective_from.localeCompare(b.effective_from),
  );
  const names = new Set<string>();
  const starts = new Set<string>();
  let base = first;
  const versions: V[] = [];
  for (const entry of ordered) {
    const { version, effective_from, source, note, ...changes } = entry;
    const label = `versions[${version}]`;
    if (names.has(version)) issues.push(`${label}: 版本号重复 / duplicate version`);
    if (starts.has(effective_from))
      issues.push(
        `${label}: 生效月份 ${effective_from} 重复 / two versions start in the same month`,
      );
    names.add(version);
    starts.add(effective_from);
    const header: VersionHeader = {
      version,
      effective_from,
      source,
      ...(note !== undefined ? { note } : {}),
    };
    const built = build(header, base, changes, label, issues);
    if (built.version === null) continue;
    versions.push(built.version);
    base = built.merged;
  }
  if (issues.length > 0) throw new PolicyError(origin, issues);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { doc: raw.data, versions, sha256 };
}

export function parsePolicy(text: string, origin = 'policy'): DistrictPolicy {
  const { doc, versions, sha256 } = readVersioned(
    text,
    origin,
    rawPolicySchema,
    DEFAULT_PARAMETERS as unknown as Json,
    (header, base, changes, label, issues) => {
      const merged = overlay(base, changes);
      const parsed = parametersSchema.safeParse(merged);
      if (!parsed.success) {
        issues.push(...describeIssues(parsed.error.issues, label));
        return { merged, version: null };
      }
      const full: PolicyVersion = { ...header, ...parsed.data };
      issues.push(...crossChecks(full, label));
      return { merged, version: full };
    },
  );
  return {
    district: doc.district,
    ...(doc.district_code === undefined ? {} : { district_code: doc.district_code }),
    versions,
    sha256,
  };
}

export function loadPolicy(path: string = process.env.KEHOU_POLICY ?? DEFAULT_POLICY_PATH) {
  return parsePolicy(readFileSync(path, 'utf8'), path);
}

/** The version in force in `month`; months before the first version use the first. */
export function policyFor(policy: DistrictPolicy, month: string): PolicyVersion {
  let current = policy.versions[0] as PolicyVersion;
  for (const v of policy.versions) if (v.effective_from <= month) current = v;
  return current;
}
