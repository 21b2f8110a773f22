/**
 * The 四不两直 draw's random numbers: sfc32 (Chris Doty-Humphrey's "Small Fast Counting"
 * generator, 128-bit state, from PractRand; the same one many JS libraries ship) seeded
 * from sha256 of the seed text. A draw is then reproducible from its recorded seed alone:
 * anyone can replay it (verifyDraw does) and get the same numbers in the same order.
 *
 * Seeding: the 32-byte digest of the UTF-8 seed gives the state words a, b, c from its first
 * three big-endian 32-bit words and the counter d from the fourth; the first 12 outputs are
 * discarded, as PractRand's reference seeding does, so similar seeds diverge fully.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

const WARM_UP = 12;
const TWO_32 = 2 ** 32;

/** sfc32 over the given 32-bit state; each call returns the next number in [0, 1). */
export function sfc32(a0: number, b0: number, c0: number, d0: number): Random {
  let a = a0 >>> 0;
  let b = b0 >>> 0;
  let c = c0 >>> 0;
  let d = d0 >>> 0;
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / TWO_32;
  };
}

/** The generator of a seed text: sfc32 seeded from sha256(seed), warmed up. */
export function seededRandom(seed: string): Random {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  const random = sfc32(
    digest.readUInt32BE(0),
    digest.readUInt32BE(4),
    digest.readUInt32BE(8),
    digest.readUInt32BE(12),
  );
  for (let i = 0; i < WARM_UP; i += 1) random();
  return random;
}

/**
 * An integer in [0, n) from one draw (floor(u·n)); the bias against some values is below
 * n / 2³², nothing for a list of schools or days.
 */
export function randomIndex(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Shuffles `items` in place with Fisher–Yates (Durstenfeld), last position first. */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomIndex(random, i + 1);
    const kept = items[i] as T;
    items[i] = items[j] as T;
    items[j] = kept;
  }
  return items;
}

/** A fresh seed when the inspector gives none: 16 hex digits from the OS's CSPRNG. */
export function freshSeed(): string {
  return randomBytes(8).toString('hex');
}
