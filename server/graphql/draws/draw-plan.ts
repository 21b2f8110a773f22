/**
 * The 四不两直 draw itself, pure so that drawing and replaying are the same code:
 *
 * 1. Strata are township × risk band (高/中/低 from the visit plan's risk score), ordered by
 *    township (code-point order of its name) then HIGH, MEDIUM, LOW. Candidates within a
 *    stratum are ordered by school code.
 * 2. Proportional allocation by largest remainder (Hamilton): stratum h of N_h of the N
 *    candidates gets ⌊n·N_h/N⌋ schools; the seats left go one each to the largest
 *    remainders, ties to the larger stratum, then to the earlier stratum. Allocation uses no
 *    random numbers, so it can be checked by hand from the strata sizes alone.
 * 3. Within each stratum, in stratum order, a partial Fisher–Yates shuffle (prng.ts) picks
 *    the stratum's schools; positions run 1..n in that order.
 * 4. Visit dates: the n slots spread the working days (Monday–Friday; the product has no
 *    holiday calendar) of from..to evenly — slot i is day ⌊i·W/n⌋ of the W working days —
 *    and the same generator shuffles the slots onto positions 1..n.
 *
 * The generator is consumed in exactly that order, so a seed and the recorded candidates
 * give the same schools on the same days (verifyDraw).
 */
import { addDays } from '../../db/calendar.ts';
import { RISK_BANDS, type RiskBand } from '../../db/vocabulary/risk-reasons.ts';
import { randomIndex, seededRandom, shuffle, type Random } from './prng.ts';

export type { RiskBand };

/** Bands in stratum order: the vocabulary's, highest first. */
export const BAND_ORDER: readonly RiskBand[] = RISK_BANDS.map((b) => b.band);

export interface DrawCandidate {
  schoolCode: string;
  township: string;
  band: RiskBand;
  score: number;
}

export interface DrawStratum {
  township: string;
  band: RiskBand;
  /** Candidates in the stratum. */
  population: number;
  /** Schools drawn from it. */
  allocated: number;
}

export interface DrawnSchool extends DrawCandidate {
  /** 1..n, the order of drawing. */
  position: number;
  /** YYYY-MM-DD, a working day within from..to. */
  visitDate: string;
}

export interface DrawRequest {
  candidates: readonly DrawCandidate[];
  sampleSize: number;
  seed: string;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
}

export interface DrawResult {
  strata: DrawStratum[];
  schools: DrawnSchool[];
}

/**
 * Largest-remainder (Hamilton) allocation of `n` seats over `populations` (n ≤ Σ). Ties of
 * remainder go to the larger population, then to the earlier index.
 */
export function allocate(populations: readonly number[], n: number): number[] {
  const total = populations.reduce((sum, p) => sum + p, 0);
  if (n > total) throw new RangeError(`cannot allocate ${n} of ${total}`);
  if (total === 0) return populations.map(() => 0);
  // Integer arithmetic: quota n·N_h/N has floor ⌊n·N_h / N⌋ and remainder (n·N_h mod N)/N.
  const seats = populations.map((p) => Math.floor((n * p) / total));
  const left = n - seats.reduce((sum, s) => sum + s, 0);
  const order = populations
    .map((p, index) => ({ index, p, remainder: (n * p) % total }))
    .sort((x, y) => y.remainder - x.remainder || y.p - x.p || x.index - y.index);
  for (const { index } of order.slice(0, left)) seats[index] = (seats[index] ?? 0) + 1;
  return seats;
}

/** Monday–Friday dates from `from` to `to`, inclusive (calendar dates, no zone involved). */
export function workingDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  return days;
}

/** A band's place in stratum order. */
export const bandRank = (band: RiskBand) => BAND_ORDER.indexOf(band);
/** Code-point order of texts, the same on every machine (no locale). */
export const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The candidates grouped into strata, in stratum order, each ordered by school code. */
export function strataOf(candidates: readonly DrawCandidate[]): DrawCandidate[][] {
  const groups = new Map<string, DrawCandidate[]>();
  const sorted = [...candidates].sort((a, b) => byCodePoint(a.schoolCode, b.schoolCode));
  for (const c of sorted) {
    const key = JSON.stringify([c.township, c.band]);
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()].sort((x, y) => {
    const a = x[0] as DrawCandidate;
    const b = y[0] as DrawCandidate;
    return byCodePoint(a.township, b.township) || bandRank(a.band) - bandRank(b.band);
  });
}

/** The first `k` of a partial Fisher–Yates shuffle of `members` (front to back). */
function pick<T>(members: readonly T[], k: number, random: Random): T[] {
  const pool = [...members];
  for (let i = 0; i < k; i += 1) {
    const j = i + randomIndex(random, pool.length - i);
    const kept = pool[i] as T;
    pool[i] = pool[j] as T;
    pool[j] = kept;
  }
  return pool.slice(0, k);
}

/** Draws min(sampleSize, candidates) schools and their visit dates (see the module comment). */
export function drawSchools(request: DrawRequest): DrawResult {
  const days = workingDays(request.from, request.to);
  if (days.length === 0) throw new RangeError('no working day between from and to');
  const random = seededRandom(request.seed);
  const strata = strataOf(request.candidates);
  const n = Math.min(request.sampleSize, request.candidates.length);
  const seats = allocate(
    strata.map((s) => s.length),
    n,
  );
  const picked = strata.flatMap((members, h) => pick(members, seats[h] ?? 0, random));
  const slots = shuffle(
    picked.map((_, i) => days[Math.floor((i * days.length) / picked.length)] as string),
    random,
  );
  return {
    strata: strata.map((members, h) => {
      const first = members[0] as DrawCandidate;
      return {
        township: first.township,
        band: first.band,
        population: members.length,
        allocated: seats[h] ?? 0,
      };
    }),
    schools: picked.map((c, i) => ({ ...c, position: i + 1, visitDate: slots[i] as string })),
  };
}
