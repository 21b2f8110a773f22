/**
 * The violation catalogue (flag-catalogue.yaml) as typed data: codes, their labels and
 * prohibitions, sources, what can evidence them, and the report rules under each code.
 * A rule id is `<CODE>.<rule>`, e.g. ILLEGAL_FEES.per_period.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const codeSchema = z
  .object({
    zh: z.string().min(1),
    en: z.string().min(1),
    prohibition: z.string().min(1),
    sources: z.array(z.string()).min(1),
    evidence: z.array(z.enum(['report', 'inspection'])).min(1),
    rules: z.record(z.string().regex(/^[a-z_0-9]+$/u), z.string()).optional(),
  })
  .strict();

const catalogueSchema = z
  .object({
    sources: z.record(z.string(), z.string()),
    codes: z.record(z.string().regex(/^[A-Z_]+$/u), codeSchema),
  })
  .strict();

export type EvidenceKind = 'report' | 'inspection';

export interface FlagCodeInfo {
  code: string;
  zh: string;
  en: string;
  prohibition: string;
  /** Source documents, resolved to their titles. */
  sources: string[];
  evidence: EvidenceKind[];
  /** Report rules: rule id → description. */
  rules: Record<string, string>;
}

function loadCatalogue(): Map<string, FlagCodeInfo> {
  const text = readFileSync(new URL('./flag-catalogue.yaml', import.meta.url), 'utf8');
  const doc = catalogueSchema.parse(parse(text));
  const out = new Map<string, FlagCodeInfo>();
  for (const [code, c] of Object.entries(doc.codes)) {
    const unknown = c.sources.filter((s) => doc.sources[s] === undefined);
    if (unknown.length > 0)
      throw new Error(`flag-catalogue: ${code} cites unknown ${unknown.join(', ')}`);
    out.set(code, {
      code,
      zh: c.zh,
      en: c.en,
      prohibition: c.prohibition,
      sources: c.sources.map((s) => doc.sources[s] as string),
      evidence: c.evidence,
      rules: Object.fromEntries(Object.entries(c.rules ?? {}).map(([k, v]) => [`${code}.${k}`, v])),
    });
  }
  return out;
}

export const FLAG_CATALOGUE: ReadonlyMap<string, FlagCodeInfo> = loadCatalogue();

export function flagCode(code: string): FlagCodeInfo | undefined {
  return FLAG_CATALOGUE.get(code);
}

/** Codes an inspection finding may raise. */
export function inspectionCodes(): string[] {
  return [...FLAG_CATALOGUE.values()]
    .filter((c) => c.evidence.includes('inspection'))
    .map((c) => c.code);
}

/** Codes only an inspection can evidence (no report rule checks them). */
export function inspectionOnlyCodes(): string[] {
  return [...FLAG_CATALOGUE.values()]
    .filter((c) => !c.evidence.includes('report'))
    .map((c) => c.code);
}

/** The description of a rule id, e.g. "每课时收费超过上限". */
export function ruleLabel(ruleId: string): string | undefined {
  const code = ruleId.split('.')[0] ?? '';
  return FLAG_CATALOGUE.get(code)?.rules[ruleId];
}
