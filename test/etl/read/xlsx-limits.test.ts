import { describe, expect, it } from 'vitest';
import {
  limitTexts,
  XLSX_LIMIT_ENV,
  XLSX_LIMITS,
  xlsxLimits,
} from '../../../etl/read/xlsx-limits.ts';

describe('xlsxLimits', () => {
  it('takes the defaults, then the environment, then explicit overrides', () => {
    expect(xlsxLimits({}, {})).toEqual(XLSX_LIMITS);
    const limits = xlsxLimits(
      { maxSheets: 3 },
      {
        KEHOU_XLSX_MAX_ROWS: '5,000',
        KEHOU_XLSX_WORKER_HEAP_MB: '256',
        KEHOU_XLSX_MAX_SHEETS: '9',
      },
    );
    expect([limits.maxRows, limits.workerHeapMb, limits.maxSheets]).toEqual([5000, 256, 3]);
    expect(Object.keys(XLSX_LIMIT_ENV).sort()).toEqual(Object.keys(XLSX_LIMITS).sort());
  });

  it('refuses a malformed environment value rather than ignoring it', () => {
    expect(() => xlsxLimits({}, { KEHOU_XLSX_MAX_CELLS: 'many' })).toThrow(
      '环境变量 KEHOU_XLSX_MAX_CELLS 应为正数，实为“many” / KEHOU_XLSX_MAX_CELLS must be a positive number, not "many"',
    );
    expect(() => xlsxLimits({}, { KEHOU_XLSX_MAX_ROWS: '0' })).toThrow(/positive/);
  });

  it('names the limit, the figure and what to do, in Chinese and English', () => {
    expect(limitTexts('maxRows', XLSX_LIMITS)).toEqual({
      zh: '工作簿过大：超过 1,048,576 行的上限，请拆分文件，或在Excel中另存为CSV后载入',
      en: 'workbook too large: more than 1,048,576 rows; split the file, or save it as CSV in Excel and load that',
    });
    for (const key of Object.keys(XLSX_LIMITS) as (keyof typeof XLSX_LIMITS)[]) {
      const { zh, en } = limitTexts(key, XLSX_LIMITS, '表1');
      expect(zh).toContain(XLSX_LIMITS[key].toLocaleString('en-US'));
      expect(en).toContain(XLSX_LIMITS[key].toLocaleString('en-US'));
      expect(zh).toMatch(/另存为CSV/);
      expect(en).toMatch(/save it as CSV/);
    }
  });
});
