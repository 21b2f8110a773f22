import { describe, expect, it } from 'vitest';
import {
  cellText,
  figureColumn,
  sortRows,
  type Column,
} from '../../../web/src/components/table-columns.ts';

interface Row {
  name: string;
  rate: number | null;
}
const rows: Row[] = [
  { name: '乙校', rate: 0.5 },
  { name: '甲校', rate: null },
  { name: '丙校', rate: 0.9 },
  { name: '丁校', rate: 0.5 },
];
const rate: Column<Row> = { key: 'rate', label: '参与率', value: (r) => r.rate };

describe('sortRows', () => {
  it('sorts numbers both ways, keeps ties stable and nulls last', () => {
    expect(sortRows(rows, rate, 'DESC').map((r) => r.name)).toEqual([
      '丙校',
      '乙校',
      '丁校',
      '甲校',
    ]);
    expect(sortRows(rows, rate, 'ASC').map((r) => r.name)).toEqual([
      '乙校',
      '丁校',
      '丙校',
      '甲校',
    ]);
  });
});

describe('cellText', () => {
  it('uses the column text, else the value, else a dash', () => {
    expect(cellText(rate, rows[0]!)).toBe('0.5');
    expect(cellText(rate, rows[1]!)).toBe('—');
    expect(cellText({ ...rate, text: (r) => `${(r.rate ?? 0) * 100}%` }, rows[0]!)).toBe('50%');
  });
});

describe('figureColumn', () => {
  it('sorts and exports the raw figure and shows it formatted, right-aligned', () => {
    const column = figureColumn<Row>('rate', '参与率', (r) => r.rate, 'rate', { sortable: true });
    expect(column.value(rows[0]!)).toBe(0.5);
    expect(cellText(column, rows[0]!)).toBe('50.0%');
    expect(cellText(column, rows[1]!)).toBe('—');
    expect([column.numberFormat, column.align, column.sortable]).toEqual([
      'percent',
      'right',
      true,
    ]);
    const count = figureColumn<Row>('n', '人数', () => 1234, 'count');
    expect([cellText(count, rows[0]!), count.numberFormat, count.sortable]).toEqual([
      '1,234',
      'integer',
      undefined,
    ]);
    expect(
      cellText(
        figureColumn<Row>('s', '得分', () => 85.25, 'score'),
        rows[0]!,
      ),
    ).toBe('85.3');
  });
});
