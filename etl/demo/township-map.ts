/**
 * The demo county's township map: a plausible 清河县 outline split into one cell per
 * township, as the GeoJSON a district would supply. Pure and seeded like the rest of the
 * demo. The outline is a jittered oval made convex (its hull); the cells are the Voronoi
 * cells of seed points spread by a few Lloyd steps, each clipped to the outline, so the
 * cells tile the outline exactly (a convex region cut by half-planes).
 */
import { createRng, type Rng } from './random.ts';

export type Point = [number, number];

export interface TownshipFeature {
  type: 'Feature';
  properties: { name: string };
  geometry: { type: 'Polygon'; coordinates: Point[][] };
}

export interface TownshipMapGeoJson {
  type: 'FeatureCollection';
  features: TownshipFeature[];
}

/** Around the real 清河县 (Hebei): about 35 km east–west and 30 km north–south. */
const CENTRE: Point = [115.68, 37.06];
const RADIUS: Point = [0.2, 0.14];
const OUTLINE_POINTS = 28;
const LLOYD_STEPS = 4;
/** 5 decimals ≈ 1 m: plenty for a choropleth, and a small file. */
const DECIMALS = 5;

/** Twice the signed area (positive when counter-clockwise). */
export function signedArea2(ring: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

export function area(ring: readonly Point[]): number {
  return Math.abs(signedArea2(ring)) / 2;
}

function centroid(ring: readonly Point[]): Point {
  let cx = 0;
  let cy = 0;
  const a2 = signedArea2(ring);
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    const cross = x1 * y2 - x2 * y1;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  return [cx / (3 * a2), cy / (3 * a2)];
}

/** Andrew's monotone chain; counter-clockwise, not closed. */
function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Point, a: Point, b: Point) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: Point[]): Point[] => {
    const out: Point[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0)
        out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/** The part of `ring` where a·p ≤ b (Sutherland–Hodgman against one half-plane). */
function clip(ring: readonly Point[], a: Point, b: number): Point[] {
  const inside = (p: Point) => a[0] * p[0] + a[1] * p[1] <= b;
  const out: Point[] = [];
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    const pIn = inside(p);
    if (pIn) out.push(p);
    if (pIn !== inside(q)) {
      const fp = a[0] * p[0] + a[1] * p[1] - b;
      const fq = a[0] * q[0] + a[1] * q[1] - b;
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/** The outline's part nearer to seeds[i] than to any other seed (not closed). */
export function voronoiCell(
  outline: readonly Point[],
  seeds: readonly Point[],
  i: number,
): Point[] {
  const s = seeds[i]!;
  let cell: Point[] = [...outline];
  for (const [j, t] of seeds.entries()) {
    if (j === i || cell.length === 0) continue;
    // |p − s|² ≤ |p − t|²  ⇔  2(t − s)·p ≤ |t|² − |s|²
    const a: Point = [2 * (t[0] - s[0]), 2 * (t[1] - s[1])];
    cell = clip(cell, a, t[0] * t[0] + t[1] * t[1] - s[0] * s[0] - s[1] * s[1]);
  }
  return cell;
}

function insideConvex(ring: readonly Point[], p: Point): boolean {
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    if ((x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) < 0) return false;
  }
  return true;
}

/** The county outline: counter-clockwise and convex, not closed. */
export function countyOutline(rng: Rng): Point[] {
  const points: Point[] = [];
  for (let k = 0; k < OUTLINE_POINTS; k++) {
    const angle = ((k + rng.float(-0.3, 0.3)) / OUTLINE_POINTS) * 2 * Math.PI;
    const r = rng.float(0.82, 1.08);
    points.push([
      CENTRE[0] + RADIUS[0] * r * Math.cos(angle),
      CENTRE[1] + RADIUS[1] * r * Math.sin(angle),
    ]);
  }
  return convexHull(points);
}

const round = (v: number) => Number(v.toFixed(DECIMALS));

/** Rounded, without repeated positions, closed (first position again at the end). */
function closedRing(cell: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const [x, y] of cell) {
    const p: Point = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  while (
    out.length > 1 &&
    out[0]![0] === out[out.length - 1]![0] &&
    out[0]![1] === out[out.length - 1]![1]
  )
    out.pop();
  return [...out, out[0]!];
}

/** Seeds and outline, before rounding (tests check the tiling on these). */
export function townshipCells(
  count: number,
  seed: number,
): { outline: Point[]; seeds: Point[]; cells: Point[][] } {
  const rng = createRng(seed).fork('township-map');
  const outline = countyOutline(rng);
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs),
    Math.min(...ys),
    Math.max(...ys),
  ];
  let seeds: Point[] = [];
  while (seeds.length < count) {
    const p: Point = [rng.float(minX, maxX), rng.float(minY, maxY)];
    if (insideConvex(outline, p)) seeds.push(p);
  }
  // Lloyd's relaxation: each seed moves to its cell's centroid, evening the cells' sizes.
  for (let step = 0; step < LLOYD_STEPS; step++)
    seeds = seeds.map((s, i) => {
      const cell = voronoiCell(outline, seeds, i);
      return cell.length >= 3 ? centroid(cell) : s;
    });
  return { outline, seeds, cells: seeds.map((_, i) => voronoiCell(outline, seeds, i)) };
}

/** One polygon per township, in the order given; the same names and seed give the same map. */
export function generateTownshipMap(
  townships: readonly string[],
  seed: number,
): TownshipMapGeoJson {
  const { cells } = townshipCells(townships.length, seed);
  return {
    type: 'FeatureCollection',
    features: townships.map((name, i) => ({
      type: 'Feature',
      properties: { name },
      geometry: { type: 'Polygon', coordinates: [closedRing(cells[i]!)] },
    })),
  };
}

/** The file a district would send: one feature per line keeps diffs readable. */
export function renderTownshipMap(map: TownshipMapGeoJson): string {
  const features = map.features.map((f) => `    ${JSON.stringify(f)}`).join(',\n');
  return `{\n  "type": "FeatureCollection",\n  "features": [\n${features}\n  ]\n}\n`;
}
