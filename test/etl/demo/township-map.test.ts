/**
 * The demo's 清河县 township map: one closed polygon per township, the cells tile the county
 * outline (no gap, no overlap), the same seed gives the same bytes, and the map passes the
 * validation `etl map` applies.
 */
import { describe, expect, it } from 'vitest';
import { validateTownshipMap } from '../../../server/db/township-map.ts';
import { generateDistrict } from '../../../etl/demo/generate-district.ts';
import { TOWNSHIPS } from '../../../etl/demo/names.ts';
import {
  area,
  generateTownshipMap,
  renderTownshipMap,
  signedArea2,
  townshipCells,
  voronoiCell,
  type Point,
} from '../../../etl/demo/township-map.ts';

const NAMES = TOWNSHIPS.slice(0, 10).map((t) => t.name);
const SEED = 20240901;

describe('the demo township map', () => {
  it('cuts a square by hand: two seeds split it down the middle', () => {
    const square: Point[] = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
    ];
    const seeds: Point[] = [
      [0.5, 1],
      [1.5, 1],
    ];
    // The bisector of the seeds is x = 1: each cell is a 1 × 2 rectangle of area 2.
    expect(area(voronoiCell(square, seeds, 0))).toBeCloseTo(2, 12);
    expect(area(voronoiCell(square, seeds, 1))).toBeCloseTo(2, 12);
    expect(voronoiCell(square, seeds, 0).every(([x]) => x <= 1 + 1e-12)).toBe(true);
  });

  it('tiles the county outline: the cells’ areas add up to the outline’s, each inside it', () => {
    const { outline, seeds, cells } = townshipCells(NAMES.length, SEED);
    expect(cells).toHaveLength(10);
    expect(signedArea2(outline)).toBeGreaterThan(0); // counter-clockwise, as GeoJSON asks
    const total = cells.reduce((n, c) => n + area(c), 0);
    expect(Math.abs(total - area(outline)) / area(outline)).toBeLessThan(1e-9);
    // Each cell is nonempty and convex (cut from a convex outline), and no cell overlaps
    // another: the areas add up exactly, so an overlap would show as a surplus.
    for (const [i, cell] of cells.entries()) {
      expect(area(cell), `cell ${i}`).toBeGreaterThan(area(outline) / 40);
      // A cell holds its seed: it lies on the inner side of every edge (counter-clockwise).
      const s = seeds[i]!;
      for (let k = 0; k < cell.length; k++) {
        const [x1, y1] = cell[k]!;
        const [x2, y2] = cell[(k + 1) % cell.length]!;
        expect((x2 - x1) * (s[1] - y1) - (y2 - y1) * (s[0] - x1), `cell ${i}`).toBeGreaterThan(0);
      }
    }
    // Around 清河县 (115.68 °E, 37.06 °N).
    for (const [x, y] of outline) {
      expect(x).toBeGreaterThan(115.4);
      expect(x).toBeLessThan(115.95);
      expect(y).toBeGreaterThan(36.85);
      expect(y).toBeLessThan(37.25);
    }
  });

  it('writes one closed Polygon per township, in order, that passes the map validation', () => {
    const map = generateTownshipMap(NAMES, SEED);
    expect(map.features.map((f) => f.properties.name)).toEqual(NAMES);
    for (const f of map.features) {
      const [ring] = f.geometry.coordinates;
      expect(ring!.length).toBeGreaterThanOrEqual(4);
      expect(ring![0]).toEqual(ring![ring!.length - 1]);
    }
    const valid = validateTownshipMap(renderTownshipMap(map), NAMES);
    expect(valid.townships).toEqual(NAMES);
    expect(valid.missing).toEqual([]);
  });

  it('is deterministic: the same seed gives the same bytes, another seed another map', () => {
    const text = renderTownshipMap(generateTownshipMap(NAMES, SEED));
    expect(renderTownshipMap(generateTownshipMap(NAMES, SEED))).toBe(text);
    expect(renderTownshipMap(generateTownshipMap(NAMES, SEED + 1))).not.toBe(text);
  });
});

describe('the demo district’s map', () => {
  it('draws exactly the townships of the demo registry, so `etl map` accepts it with no warning', () => {
    const district = generateDistrict({ schools: 150, fromMonth: '2025-09', toMonth: '2025-09' });
    const registry = [...new Set(district.schools.map((s) => s.township))];
    const map = generateTownshipMap(
      district.townships.map((t) => t.name),
      SEED,
    );
    const valid = validateTownshipMap(renderTownshipMap(map), registry);
    expect(valid.missing).toEqual([]);
    expect([...valid.townships].sort()).toEqual([...registry].sort());
  });
});
