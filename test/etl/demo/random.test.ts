import { describe, expect, it } from 'vitest';
import { createRng } from '../../../etl/demo/random.ts';

describe('demo random', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('forks independent, reproducible streams', () => {
    const x = createRng(7).fork('schools').int(0, 1_000_000);
    const y = createRng(7).fork('schools').int(0, 1_000_000);
    const z = createRng(7).fork('surveys').int(0, 1_000_000);
    expect(x).toBe(y);
    expect(z).not.toBe(x);
  });

  it('keeps helpers within their ranges', () => {
    const r = createRng('range');
    for (let i = 0; i < 2000; i++) {
      const n = r.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
      const f = r.float(1, 2);
      expect(f).toBeGreaterThanOrEqual(1);
      expect(f).toBeLessThan(2);
    }
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++)
      counts[
        r.weighted([
          ['a', 3],
          ['b', 1],
        ] as const)
      ]++;
    expect(counts.a / 4000).toBeGreaterThan(0.7);
    expect(counts.a / 4000).toBeLessThan(0.8);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
