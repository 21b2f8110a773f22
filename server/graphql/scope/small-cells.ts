/**
 * Small-cell protection with complementary suppression (issue 15), pure and set-based.
 *
 * Atoms are the smallest published counts: (school, month, group, enrolled|participants).
 * An atom of 1..n−1 pupils is a primary cell. Every primary cell is put into a block of
 * at least two non-zero atoms summing to at least n; complements are chosen smallest-first
 * within the same township and month, spilling to the district when the township has too
 * few. Blocks depend only on the month's data, never on the question asked, so every
 * viewer's every answer sees the same blocks.
 *
 * The disclosure rule: a sum over a set S of atoms is answered exactly only when every
 * block lies wholly inside S or wholly outside it; otherwise it is withheld. Every exact
 * answer is then a linear combination of unblocked atoms and whole-block sums, a space in
 * which every vector is constant on each block; a block has ≥ 2 atoms, so no single
 * blocked atom (the unit vector) is in it: none can be recovered by differencing, and what
 * can be learnt about a block (its sum) is at least n.
 */
import { PRIORITY_GROUPS, type PriorityGroupColumn } from '../../db/vocabulary/priority-groups.ts';

export type AtomKind = 'enrolled' | 'participants';
/** A count column of a priority group (`disabled_participants` …). */
export type AtomKey = `${PriorityGroupColumn}_${AtomKind}`;

export const ATOM_KEYS: readonly AtomKey[] = PRIORITY_GROUPS.flatMap((g) => [
  `${g.column}_enrolled` as const,
  `${g.column}_participants` as const,
]);

/** One cell to protect: `unit` is the school (or a grade within a school-month). */
export interface Cell {
  unit: string;
  /** The area complements are first taken from (the township). */
  area: string;
  value: number;
}

/** A block: the cells whose individual values are withheld, and whether its sum may show. */
export interface Block {
  units: string[];
  /**
   * True when even the whole district has too few pupils to hide the cell (sum < n or a
   * single non-zero cell): every answer touching the block is withheld, whole or not.
   */
  unsafe: boolean;
}

function isPrimary(value: number, n: number): boolean {
  return value >= 1 && value < n;
}

interface Draft {
  cells: Cell[];
  sum: number;
}

function safe(draft: Draft, n: number): boolean {
  return draft.cells.length >= 2 && draft.sum >= n;
}

/** Non-zero cells not yet blocked, smallest first (ties by unit, so blocks are stable). */
function byValue(a: Cell, b: Cell): number {
  return a.value - b.value || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);
}

function grow(draft: Draft, candidates: Cell[], taken: Set<string>, n: number): void {
  for (const c of candidates) {
    if (safe(draft, n)) return;
    if (taken.has(c.unit)) continue;
    taken.add(c.unit);
    draft.cells.push(c);
    draft.sum += c.value;
  }
}

/**
 * The blocks of one (month, group, kind): one per area with primary cells (its primary
 * cells plus the area's smallest other non-zero cells until safe), areas that cannot be
 * made safe merged into one district block completed from the district's smallest cells,
 * and that merged into the smallest safe block when the district itself is too small.
 */
export function buildBlocks(cells: readonly Cell[], n: number): Block[] {
  const nonZero = cells.filter((c) => c.value > 0).sort(byValue);
  const taken = new Set<string>();
  const byArea = new Map<string, Cell[]>();
  for (const c of nonZero) {
    const list = byArea.get(c.area);
    if (list) list.push(c);
    else byArea.set(c.area, [c]);
  }
  const done: Draft[] = [];
  const spilled: Draft = { cells: [], sum: 0 };
  for (const areaCells of byArea.values()) {
    const primaries = areaCells.filter((c) => isPrimary(c.value, n));
    if (primaries.length === 0) continue;
    const draft: Draft = { cells: [], sum: 0 };
    grow(draft, primaries, taken, Infinity);
    grow(draft, areaCells, taken, n);
    if (safe(draft, n)) done.push(draft);
    else {
      spilled.cells.push(...draft.cells);
      spilled.sum += draft.sum;
    }
  }
  let unsafe = false;
  if (spilled.cells.length > 0) {
    grow(spilled, nonZero, taken, n);
    if (safe(spilled, n)) done.push(spilled);
    else {
      // The district has no free cell left: join the smallest safe block (still safe).
      done.sort((a, b) => a.sum - b.sum);
      const host = done[0];
      if (host) {
        host.cells.push(...spilled.cells);
        host.sum += spilled.sum;
      } else {
        unsafe = true;
        done.push(spilled);
      }
    }
  }
  return done.map((d) => ({ units: d.cells.map((c) => c.unit).sort(), unsafe }));
}

/** Where a blocked cell sits: its block's number. */
interface Placement {
  key: AtomKey;
  block: number;
}

/**
 * The protection of a set of months: every blocked atom and its block. Answers ask
 * `exactKeys` with the school-months they sum.
 */
export class SmallCells {
  /** `${school}|${month}` → the keys of that school-month that are blocked. */
  private readonly placements = new Map<string, Placement[]>();
  private readonly sizes: number[] = [];
  private readonly unsafe: boolean[] = [];

  constructor(private readonly nByMonth: ReadonlyMap<string, number>) {}

  /** Records one (month, key)'s blocks; units are school codes. */
  addBlocks(month: string, key: AtomKey, blocks: readonly Block[]): void {
    for (const block of blocks) {
      const id = this.sizes.length;
      this.sizes.push(block.units.length);
      this.unsafe.push(block.unsafe);
      for (const school of block.units) {
        const at = `${school}|${month}`;
        const list = this.placements.get(at);
        if (list) list.push({ key, block: id });
        else this.placements.set(at, [{ key, block: id }]);
      }
    }
  }

  /** n of the month (the policy version's small_cell_min). */
  n(month: string): number | undefined {
    return this.nByMonth.get(month);
  }

  /** Whether one atom is withheld when asked alone (a school-month's own figure). */
  blocked(school: string, month: string, key: AtomKey): boolean {
    return (this.placements.get(`${school}|${month}`) ?? []).some((p) => p.key === key);
  }

  /**
   * The keys whose sum over the given school-months may be answered exactly: those for
   * which every block the pairs touch lies wholly among them. A pair given twice counts
   * once (a school listed twice must not stand in for a block member left out).
   */
  exactKeys(pairs: Iterable<{ school: string; month: string }>): Set<AtomKey> {
    const touched = new Map<number, { key: AtomKey; count: number }>();
    const seen = new Set<string>();
    for (const { school, month } of pairs) {
      const at = `${school}|${month}`;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const p of this.placements.get(at) ?? []) {
        const t = touched.get(p.block);
        if (t) t.count += 1;
        else touched.set(p.block, { key: p.key, count: 1 });
      }
    }
    const exact = new Set<AtomKey>(ATOM_KEYS);
    for (const [block, t] of touched)
      if (this.unsafe[block] || t.count !== this.sizes[block]) exact.delete(t.key);
    return exact;
  }
}

/** Blocks for a school-month's grades, within an atom that is itself published exactly. */
export function gradeBlocks(
  grades: readonly { grade: number; value: number }[],
  n: number,
): Set<number> {
  const blocks = buildBlocks(
    grades.map((g) => ({ unit: String(g.grade), area: '', value: g.value })),
    n,
  );
  return new Set(blocks.flatMap((b) => b.units.map(Number)));
}
