/**
 * The draw's pure parts: sfc32 against a BigInt reference of PractRand's C, the seed's
 * reproducibility, largest-remainder allocation and the strata proportions by hand, the
 * visit dates on working days spread over the range.
 */
import { describe, expect, it } from 'vitest';
import {
  allocate,
  drawSchools,
  strataOf,
  workingDays,
  type DrawCandidate,
  type RiskBand,
} from '../../../../server/graphql/draws/draw-plan.ts';
import { seededRandom, sfc32 } from '../../../../server/graphql/draws/prng.ts';

/** PractRand's sfc32 step in 64-bit integers masked to 32: an independent reference. */
function referenceSfc32(state: [bigint, bigint, bigint, bigint], count: number): number[] {
  const mask = 0xffffffffn;
  let [a, b, c, d] = state;
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t = (a + b + d) & mask;
    d = (d + 1n) & mask;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & mask;
    c = (((c << 21n) | (c >> 11n)) & mask) + t;
    c &= mask;
    out.push(Number(t));
  }
  return out;
}

describe('sfc32', () => {
  it('gives the reference outputs, as fractions of 2^32', () => {
    const state = [0x9e3779b9, 0x243f6a88, 0xb7e15162, 1] as const;
    const random = sfc32(...state);
    const mine = Array.from({ length: 40 }, () => random() * 2 ** 32);
    const reference = referenceSfc32(
      [BigInt(state[0]), BigInt(state[1]), BigInt(state[2]), BigInt(state[3])],
      40,
    );
    expect(mine).toEqual(reference);
  });

  it('replays the same numbers from the same seed and others from another', () => {
    const a = seededRandom('2025-10 第一批');
    const b = seededRandom('2025-10 第一批');
    const c = seededRandom('2025-10 第二批');
    const first = Array.from({ length: 8 }, () => a());
    expect(Array.from({ length: 8 }, () => b())).toEqual(first);
    expect(Array.from({ length: 8 }, () => c())).not.toEqual(first);
    for (const u of first) {
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });
});

describe('allocate (largest remainder)', () => {
  it('gives the floors, then the largest remainders', () => {
    // N = 10, n = 4: quotas 2.0, 1.2, 0.8 → floors 2, 1, 0; one seat left → remainder 0.8.
    expect(allocate([5, 3, 2], 4)).toEqual([2, 1, 1]);
  });

  it('breaks remainder ties by the larger stratum, then the earlier one', () => {
    // N = 10, n = 5: quotas 1.5, 1.5, 1.5, 0.5 → floors 1, 1, 1, 0; two seats left, all
    // remainders 0.5: the three strata of 3 before the one of 1, the first two of them.
    expect(allocate([3, 3, 3, 1], 5)).toEqual([2, 2, 1, 0]);
    // Quotas 0.5 each of 1 and 3 (N = 4, n = 2 → 0.5, 1.5): the floor 1 plus the tie to 3.
    expect(allocate([1, 3], 2)).toEqual([0, 2]);
  });

  it('takes everyone or no one at the ends', () => {
    expect(allocate([4, 1, 2], 7)).toEqual([4, 1, 2]);
    expect(allocate([4, 1, 2], 0)).toEqual([0, 0, 0]);
    expect(() => allocate([1], 2)).toThrow(RangeError);
  });
});

function school(n: number, township: string, band: RiskBand): DrawCandidate {
  return { schoolCode: String(1000000000 + n), township, band, score: 0 };
}

/** 东城镇: 2 HIGH, 3 MEDIUM, 5 LOW; 西山乡: 10 LOW (codes interleaved on purpose). */
const CANDIDATES: DrawCandidate[] = [
  ...[1, 2].map((n) => school(n, '东城镇', 'HIGH')),
  ...[3, 4, 5].map((n) => school(n, '东城镇', 'MEDIUM')),
  ...[6, 7, 8, 9, 10].map((n) => school(n, '东城镇', 'LOW')),
  ...[11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map((n) => school(n, '西山乡', 'LOW')),
].reverse();

// Monday 2025-12-01 to Friday 2025-12-12: ten working days.
const REQUEST = { candidates: CANDIDATES, sampleSize: 6, from: '2025-12-01', to: '2025-12-12' };

describe('drawSchools', () => {
  it('orders strata by township then HIGH, MEDIUM, LOW', () => {
    expect(strataOf(CANDIDATES).map((s) => [s[0]?.township, s[0]?.band, s.length])).toEqual([
      ['东城镇', 'HIGH', 2],
      ['东城镇', 'MEDIUM', 3],
      ['东城镇', 'LOW', 5],
      ['西山乡', 'LOW', 10],
    ]);
  });

  it('allocates the strata proportionally, by hand', () => {
    // N = 20, n = 6: quotas 0.6, 0.9, 1.5, 3.0 → floors 0, 0, 1, 3 (4 seats); the two left
    // go to the remainders 0.9 (东城镇 MEDIUM) and 0.6 (东城镇 HIGH).
    const result = drawSchools({ ...REQUEST, seed: 'strata' });
    expect(result.strata.map((s) => [s.township, s.band, s.population, s.allocated])).toEqual([
      ['东城镇', 'HIGH', 2, 1],
      ['东城镇', 'MEDIUM', 3, 1],
      ['东城镇', 'LOW', 5, 1],
      ['西山乡', 'LOW', 10, 3],
    ]);
    const drawn = result.schools.map((s) => `${s.township}/${s.band}`);
    expect(drawn).toEqual([
      '东城镇/HIGH',
      '东城镇/MEDIUM',
      '东城镇/LOW',
      '西山乡/LOW',
      '西山乡/LOW',
      '西山乡/LOW',
    ]);
    expect(new Set(result.schools.map((s) => s.schoolCode)).size).toBe(6);
    expect(result.schools.map((s) => s.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('draws the same schools on the same days from the same seed, whatever the input order', () => {
    const once = drawSchools({ ...REQUEST, seed: '2025-12 第一批' });
    const again = drawSchools({
      ...REQUEST,
      candidates: [...CANDIDATES].reverse(),
      seed: '2025-12 第一批',
    });
    expect(again).toEqual(once);
  });

  it('draws other schools from another seed', () => {
    const seeds = ['a', 'b', 'c', 'd'];
    const lists = seeds.map((seed) =>
      drawSchools({ ...REQUEST, seed })
        .schools.map((s) => `${s.schoolCode}@${s.visitDate}`)
        .join(','),
    );
    expect(new Set(lists).size).toBe(seeds.length);
  });

  it('spreads the visit dates evenly over the working days', () => {
    expect(workingDays('2025-12-05', '2025-12-08')).toEqual(['2025-12-05', '2025-12-08']);
    expect(workingDays('2025-12-06', '2025-12-07')).toEqual([]);
    // 10 working days, 6 slots: days ⌊i·10/6⌋ = 0, 1, 3, 5, 6, 8 of the range.
    const dates = drawSchools({ ...REQUEST, seed: 'dates' })
      .schools.map((s) => s.visitDate)
      .sort();
    expect(dates).toEqual([
      '2025-12-01',
      '2025-12-02',
      '2025-12-04',
      '2025-12-08',
      '2025-12-09',
      '2025-12-11',
    ]);
  });

  it('draws everyone when fewer are eligible than asked', () => {
    const result = drawSchools({
      ...REQUEST,
      candidates: CANDIDATES.slice(0, 3),
      sampleSize: 6,
      seed: 'x',
    });
    expect(result.schools).toHaveLength(3);
  });
});
