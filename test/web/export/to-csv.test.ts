import { describe, expect, it } from 'vitest';
import { exportFileName } from '../../../web/src/export/table-data.ts';
import { toCsv } from '../../../web/src/export/to-csv.ts';

describe('toCsv', () => {
  it('writes a BOM, notes, headers and quoted cells with CRLF', () => {
    const csv = toCsv(
      {
        title: '学校列表',
        notes: ['月份：2025年9月'],
        columns: [{ header: '学校' }, { header: '参与率', numberFormat: 'percent' }],
        rows: [],
      },
      [
        ['东城第一小学', '62.5%'],
        ['说"明",校', null],
        ['=SUM(A1)', '-1'],
      ],
    );
    expect(csv).toBe(
      '\uFEFF月份：2025年9月\r\n学校,参与率\r\n东城第一小学,62.5%\r\n"说""明"",校",\r\n\'=SUM(A1),-1\r\n',
    );
  });
});

describe('exportFileName', () => {
  it('makes a safe file name from the title', () => {
    expect(exportFileName('学校列表 2025年9月/东城镇', 'xlsx')).toBe(
      '课后服务_学校列表_2025年9月_东城镇.xlsx',
    );
  });
});
