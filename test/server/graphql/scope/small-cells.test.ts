/** Blocks and the exactness rule of small-cell protection, on hand-computed cells (n = 10). */
import { describe, expect, it } from 'vitest';
import {
  buildBlocks,
  gradeBlocks,
  SmallCells,
  type Cell,
} from '../../../../server/graphql/scope/small-cells.ts';
import { disclosureOf, isExportRequest } from '../../../../server/graphql/scope/disclosure.ts';

const cell = (unit: string, area: string, value: number): Cell => ({ unit, area, value });

/** 东城 (E): A1 3, A2 0, A3 12, A4 25; 西山 (W): B1 4, B2 5, B3 30; 南湖 (S): C1 2. */
const DISTRICT = [
  cell('A1', 'E', 3),
  cell('A2', 'E', 0),
  cell('A3', 'E', 12),
  cell('A4', 'E', 25),
  cell('B1', 'W', 4),
  cell('B2', 'W', 5),
  cell('B3', 'W', 30),
  cell('C1', 'S', 2),
];

describe('buildBlocks', () => {
  it('completes each township smallest-first and spills a lone township to the district', () => {
    const blocks = buildBlocks(DISTRICT, 10);
    expect(blocks).toEqual([
      // 3 + 12 = 15 ≥ 10: the smallest other cell of 东城 completes A1.
      { units: ['A1', 'A3'], unsafe: false },
      // 4 + 5 = 9 < 10: two small cells are not enough, B3 joins them (39).
      { units: ['B1', 'B2', 'B3'], unsafe: false },
      // 南湖 has one school: C1 takes the district's smallest free cell, A4 (2 + 25).
      { units: ['A4', 'C1'], unsafe: false },
    ]);
    // A zero is never withheld: it hides nothing and needs no complement.
    expect(blocks.flatMap((b) => b.units)).not.toContain('A2');
  });

  it('joins the smallest safe block when the district has no free cell left', () => {
    const blocks = buildBlocks([cell('A1', 'E', 3), cell('A3', 'E', 12), cell('C1', 'S', 2)], 10);
    expect(blocks).toEqual([{ units: ['A1', 'A3', 'C1'], unsafe: false }]);
  });

  it('marks a block unsafe when the whole district cannot hide it', () => {
    expect(buildBlocks([cell('A1', 'E', 3), cell('B1', 'W', 4)], 10)).toEqual([
      { units: ['A1', 'B1'], unsafe: true },
    ]);
    expect(buildBlocks([cell('A1', 'E', 3), cell('A2', 'E', 0)], 10)).toEqual([
      { units: ['A1'], unsafe: true },
    ]);
  });

  it('blocks nothing without small cells, and n is policy data', () => {
    expect(buildBlocks([cell('A1', 'E', 10), cell('A2', 'E', 0)], 10)).toEqual([]);
    expect(buildBlocks([cell('A1', 'E', 10), cell('A2', 'E', 30)], 11)).toEqual([
      { units: ['A1', 'A2'], unsafe: false },
    ]);
  });

  it('completes a small grade with the school-month’s smallest other grade', () => {
    expect(
      gradeBlocks(
        [
          { grade: 1, value: 3 },
          { grade: 2, value: 20 },
          { grade: 3, value: 0 },
          { grade: 4, value: 11 },
        ],
        10,
      ),
    ).toEqual(new Set([1, 4]));
  });
});

describe('SmallCells.exactKeys', () => {
  const cells = new SmallCells(new Map([['2025-09', 10]]));
  cells.addBlocks('2025-09', 'disabled_enrolled', buildBlocks(DISTRICT, 10));
  const pairs = (...schools: string[]) => schools.map((school) => ({ school, month: '2025-09' }));

  it('answers a sum exactly only when every block lies wholly inside or outside it', () => {
    // 东城 alone cuts {A4, C1}; 东城 + 南湖 holds it whole, and {A1, A3} too.
    expect(cells.exactKeys(pairs('A1', 'A2', 'A3', 'A4')).has('disabled_enrolled')).toBe(false);
    expect(cells.exactKeys(pairs('A1', 'A2', 'A3', 'A4', 'C1')).has('disabled_enrolled')).toBe(
      true,
    );
    expect(cells.exactKeys(pairs('B1', 'B2', 'B3')).has('disabled_enrolled')).toBe(true);
    expect(cells.exactKeys(pairs('A2')).has('disabled_enrolled')).toBe(true);
    expect(cells.exactKeys(pairs('A3')).has('disabled_enrolled')).toBe(false);
    // Other groups and the other kind have no blocks here.
    expect(cells.exactKeys(pairs('A3')).has('disabled_participants')).toBe(true);
    expect(cells.exactKeys(pairs('A3')).size).toBe(7);
    // A school given twice does not stand in for the block member left out.
    expect(cells.exactKeys(pairs('A1', 'A1')).has('disabled_enrolled')).toBe(false);
  });

  it('names the blocked atoms and treats other months as unblocked', () => {
    expect(cells.blocked('A1', '2025-09', 'disabled_enrolled')).toBe(true);
    expect(cells.blocked('A2', '2025-09', 'disabled_enrolled')).toBe(false);
    expect(cells.blocked('A1', '2025-10', 'disabled_enrolled')).toBe(false);
  });

  it('withholds every sum touching an unsafe block, even the whole of it', () => {
    const tiny = new SmallCells(new Map([['2025-09', 10]]));
    tiny.addBlocks('2025-09', 'poor_participants', buildBlocks([cell('X', 'E', 3)], 10));
    expect(tiny.exactKeys(pairs('X')).has('poor_participants')).toBe(false);
  });
});

describe('disclosureOf', () => {
  it('protects leadership and every export; bureau and 督学 work views stay exact', () => {
    expect(disclosureOf({ viewer: { role: 'LEADERSHIP' } })).toBe('PROTECTED');
    expect(disclosureOf({ viewer: { role: 'BUREAU_INSPECTOR' } })).toBe('EXACT');
    expect(disclosureOf({ viewer: { role: 'SUPERVISING_INSPECTOR' } })).toBe('EXACT');
    expect(disclosureOf({ viewer: { role: 'BUREAU_INSPECTOR' }, exportRequest: true })).toBe(
      'PROTECTED',
    );
    expect(isExportRequest({ 'x-kehou-disclosure': 'export' })).toBe(true);
    expect(isExportRequest({ 'x-kehou-disclosure': ['x', 'EXPORT '] })).toBe(true);
    expect(isExportRequest({})).toBe(false);
  });
});
