/**
 * 责任督学挂牌督导: every school has exactly one supervising inspector, who usually
 * looks after about five neighbouring schools. The bureau re-issues the list each
 * autumn, moving a tenth of the schools to another inspector.
 */
import type { Rng } from './random.ts';
import type { Assignment, Inspector, School } from './model.ts';
import { INSPECTOR_NAMES, personName } from './names.ts';

const SCHOOLS_PER_INSPECTOR = 5;
export const REASSIGNMENT_MONTH = '2025-09';

export function generateInspectors(schoolCount: number, rng: Rng): Inspector[] {
  const count = Math.max(1, Math.round(schoolCount / SCHOOLS_PER_INSPECTOR));
  const width = Math.max(3, String(count).length);
  const used = new Set<string>(INSPECTOR_NAMES);
  return Array.from({ length: count }, (_, i) => ({
    inspector_id: `DX${String(i + 1).padStart(width, '0')}`,
    inspector_name: INSPECTOR_NAMES[i] ?? personName(rng, used),
  }));
}

/**
 * Version 1 from `fromMonth`; version 2 from 2025-09 when that month is inside the
 * period. Schools are dealt out in registry order (grouped by township), so an
 * inspector's schools are neighbours, as in real 挂牌 lists.
 */
export function generateAssignments(
  schools: readonly School[],
  inspectors: readonly Inspector[],
  fromMonth: string,
  toMonth: string,
  rng: Rng,
): Assignment[] {
  const n = inspectors.length;
  const owner = schools.map((_, i) => Math.min(n - 1, Math.floor((i * n) / schools.length)));
  const rows = (month: string, who: readonly number[]): Assignment[] =>
    schools.map((s, i) => {
      const inspector = inspectors[who[i] ?? 0] as Inspector;
      return { effective_month: month, ...inspector, school_code: s.school_code };
    });
  const out = rows(fromMonth, owner);
  if (REASSIGNMENT_MONTH > fromMonth && REASSIGNMENT_MONTH <= toMonth && n > 1) {
    const moved = owner.slice();
    const k = Math.max(1, Math.round(schools.length * 0.1));
    for (const i of rng.shuffle(schools.map((_, i) => i)).slice(0, k)) {
      const current = moved[i] ?? 0;
      // A neighbour inspector takes over, not one across the county.
      const step = rng.chance(0.5) ? 1 : n - 1;
      moved[i] = (current + step) % n;
    }
    out.push(...rows(REASSIGNMENT_MONTH, moved));
  }
  return out;
}
