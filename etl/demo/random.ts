/**
 * Seeded randomness for the demo district. Everything the demo produces must be
 * reproducible from its seed (the lead diffs runs and the ETL treats a byte-identical
 * file as already loaded), so nothing here may touch Math.random or the clock.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  float(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Approximately normal (sum of uniforms): cheap, bounded, and good enough for counts. */
  normal(mean: number, sd: number): number;
  shuffle<T>(items: readonly T[]): T[];
  /**
   * An independent stream named by a label. Sub-streams keep one part of the district
   * stable when another part changes (e.g. more months do not reshuffle the schools).
   */
  fork(label: string): Rng;
}

/** FNV-1a: turns a seed and a label into a 32-bit state. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast, and statistically fine for demo data. */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number | string): Rng {
  const key = String(seed);
  const next = mulberry32(hash32(key));
  const rng: Rng = {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    float(min, max) {
      return min + next() * (max - min);
    },
    chance(p) {
      return next() < p;
    },
    pick(items) {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(items) {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      const last = items[items.length - 1];
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
    normal(mean, sd) {
      // Irwin-Hall with 6 terms: variance 0.5, so scale by sqrt(2).
      let s = 0;
      for (let i = 0; i < 6; i++) s += next();
      return mean + (s - 3) * Math.SQRT2 * sd;
    },
    shuffle(items) {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i] as (typeof out)[number];
        out[i] = out[j] as (typeof out)[number];
        out[j] = tmp;
      }
      return out;
    },
    fork(label) {
      return createRng(`${key}/${label}`);
    },
  };
  return rng;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
