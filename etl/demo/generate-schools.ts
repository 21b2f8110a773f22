/**
 * The registry of the demo county: how many schools each township gets, their codes
 * (unique 10-digit 学校标识码), and a plan of traits per school (school-plan.ts).
 */
import { clamp, type Rng } from './random.ts';
import type { Township } from './model.ts';
import { TOWNSHIPS } from './names.ts';
import { newNameCounters, sketchTownship } from './school-names.ts';
import { planSchool, type SchoolPlan } from './school-plan.ts';

const KIND_WEIGHT: Record<Township['kind'], number> = {
  seat: 2.2,
  street: 1.5,
  town: 1.0,
  xiang: 0.7,
};

/** Largest-remainder split of `total` schools over townships, at least one each. */
function allocate(townships: readonly Township[], total: number): number[] {
  const weights = townships.map((t) => KIND_WEIGHT[t.kind]);
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - townships.length;
  const exact = weights.map((w) => (w / sum) * spare);
  const counts = exact.map((x) => 1 + Math.floor(x));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return counts;
}

export function generateSchools(
  count: number,
  rng: Rng,
): { townships: Township[]; plans: SchoolPlan[] } {
  const nTownships = clamp(Math.round(count / 15), Math.min(2, count), TOWNSHIPS.length);
  const townships = TOWNSHIPS.slice(0, nTownships);
  const counts = allocate(townships, count);
  const urbanIdx = townships.flatMap((t, i) =>
    t.kind === 'seat' || t.kind === 'street' ? [i] : [],
  );
  const completeTotal = count >= 20 ? Math.max(1, Math.round(count * 0.013)) : 0;
  const privateTotal = count >= 30 ? Math.max(1, Math.round(count * 0.025)) : 0;
  const codes = new Set<string>();
  const counters = newNameCounters();
  const chargingFee = new Map(
    townships.map((t) => [t.name, rng.chance(0.3) ? rng.pick([1.5, 1.8, 2]) : 0]),
  );
  const plans: SchoolPlan[] = [];

  townships.forEach((t, ti) => {
    const slot = urbanIdx.indexOf(ti);
    const share = (total: number): number =>
      slot < 0 ? 0 : Math.floor(total / urbanIdx.length) + (slot < total % urbanIdx.length ? 1 : 0);
    const trng = rng.fork(`township:${t.name}`);
    const sketches = sketchTownship(
      t,
      counts[ti] ?? 1,
      share(completeTotal),
      share(privateTotal),
      trng,
      counters,
    );
    for (const s of sketches) {
      let code: string;
      do code = `21410${String(rng.int(0, 99999)).padStart(5, '0')}`;
      while (codes.has(code));
      codes.add(code);
      plans.push(planSchool(s, t, code, chargingFee.get(t.name) ?? 0, rng.fork(`school:${code}`)));
    }
  });
  return { townships, plans };
}
