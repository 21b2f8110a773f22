/**
 * The district policy as data: versions with an effective month and their source
 * document. Metrics and (later) flags judge a month by the version in force in it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/u, 'YYYY-MM');

const versionSchema = z.object({
  version: z.string().min(1),
  effective_from: month,
  source: z.string().min(1),
  service: z.object({
    days_per_week: z.number().int().min(1).max(7),
    min_daily_minutes: z.number().int().min(0).max(600),
  }),
  reports: z.object({ deadline_day: z.number().int().min(1).max(28) }),
});

const policySchema = z.object({
  district: z.string().min(1),
  versions: z.array(versionSchema).min(1),
});

export type PolicyVersion = z.infer<typeof versionSchema>;
export type DistrictPolicy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY_PATH = fileURLToPath(
  new URL('./district-policy.yaml', import.meta.url),
);

export function parsePolicy(text: string, origin = 'policy'): DistrictPolicy {
  const result = policySchema.safeParse(parse(text));
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${origin} 无效 / invalid: ${issues.join('; ')}`);
  }
  return result.data;
}

export function loadPolicy(path: string = process.env.KEHOU_POLICY ?? DEFAULT_POLICY_PATH) {
  return parsePolicy(readFileSync(path, 'utf8'), path);
}

/** The version in force in `month`; months before the first version use the first. */
export function policyFor(policy: DistrictPolicy, month: string): PolicyVersion {
  const sorted = [...policy.versions].sort((a, b) =>
    a.effective_from.localeCompare(b.effective_from),
  );
  let current = sorted[0] as PolicyVersion;
  for (const v of sorted) if (v.effective_from <= month) current = v;
  return current;
}
