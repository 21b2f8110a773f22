/**
 * The ETL benchmark's files, in the contract's CSV shapes: a registry of N schools and
 * N × 10 service months × ~7 grades of participation rows (10,000 schools ≈ 700,000 rows)
 * that follow the default policy, except the planted school-months (planted-breaks.ts;
 * with only this file, only participation rules can be broken).
 */
import { join } from 'node:path';
import { registryLine, REGISTRY_HEADER, rng, schoolProfile, writeLines } from './bench-district.ts';
import {
  PARTICIPATION_HEADER,
  participationLine,
  participationRows,
} from './participation-rows.ts';
import { planBreaks } from './planted-breaks.ts';
import { defaultLimits } from './policy-limits.ts';

/** Ten service months of two school years (no February, July or August). */
export const BENCH_MONTHS = [
  '2024-09',
  '2024-10',
  '2024-11',
  '2024-12',
  '2025-01',
  '2025-03',
  '2025-04',
  '2025-05',
  '2025-06',
  '2025-09',
];

export interface BenchFiles {
  registry: string;
  participation: string;
  rows: number;
  /** Planted school-months per rule id. */
  planted: Record<string, number>;
  schoolMonths: number;
}

export async function generateBenchFiles(
  dir: string,
  schools: number,
  stress = false,
): Promise<BenchFiles> {
  const registry = join(dir, 'registry.csv');
  const participation = join(dir, 'participation.csv');
  await writeLines(registry, function* () {
    yield REGISTRY_HEADER;
    for (let i = 0; i < schools; i++) yield registryLine(i, 40);
  });
  const profiles = Array.from({ length: schools }, (_, i) => schoolProfile(i));
  const limits = [...defaultLimits(BENCH_MONTHS).values()];
  const plan = planBreaks({
    schools: profiles,
    months: limits,
    files: 'participation',
    stress,
    seed: 42,
    now: new Date(),
  });
  const random = rng(43);
  let rows = 0;
  await writeLines(participation, function* () {
    yield PARTICIPATION_HEADER;
    for (const [mi, m] of limits.entries()) {
      for (const [si, p] of profiles.entries()) {
        for (const row of participationRows(p, m, plan.at(si, mi), random)) {
          rows++;
          yield participationLine(p.code, m.month, row);
        }
      }
    }
  });
  return { registry, participation, rows, planted: plan.counts, schoolMonths: plan.schoolMonths };
}
