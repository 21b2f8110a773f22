/**
 * .xls (Excel 97-2003 / WPS .et) and .ods through the workbook reader: the committed twins of
 * test/fixtures/legacy (make-fixtures.ts) read and load exactly like their .xlsx, and hostile
 * files stay within the same limits.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPaths, type FileResult, type LoadSummary } from '../../../etl/index.ts';
import { readXlsxSheets } from '../../../etl/read/xlsx.ts';
import type { Warehouse } from '../../../server/db/connect.ts';
import { LOADED_TABLES, query, withWarehouse, type Row } from '../../helpers/with-warehouse.ts';
import { failure } from './read-failure.ts';
import { MONTHLY_HEADERS } from '../../../etl/demo/contract-headers.ts';

const etl = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/etl/${name}`, import.meta.url));
const legacy = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/legacy/${name}`, import.meta.url));

const TWINS: Array<[xlsx: string, twin: string]> = [
  ['月报-2024-09.xlsx', '月报-2024-09.xls'],
  ['分年级参与情况.xlsx', '分年级参与情况.ods'],
  ['分年级参与情况.xlsx', '分年级参与情况.xls'],
  ['学校名录.xlsx', '学校名录.et'],
  ['满意度问卷-2024秋.xlsx', '满意度问卷-2024秋.ods'],
];

describe('legacy workbooks read like their .xlsx twins', () => {
  it.each(TWINS)('%s ≡ %s', async (xlsx, twin) => {
    const a = await readXlsxSheets(etl(xlsx));
    const b = await readXlsxSheets(legacy(twin));
    expect(b).toEqual(a);
  });

  it('gives the month stored as an Excel date cell as the same text', async () => {
    const [sheet] = await readXlsxSheets(legacy('月报-2024-09.xls'));
    // Rows 3-6 of the fixture: the month as text, a date cell, 2024年9月, 2024-9.
    expect(sheet?.rows.slice(2).map((r) => r.cells[2])).toEqual([
      '2024-09',
      '2024-09-01',
      '2024年9月',
      '2024-9',
    ]);
  });
});

/** What a load leaves, without what differs by file (batch ids, paths, hashes, times). */
async function loaded(w: Warehouse): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  const vary = /batch|file|path|sha|_at$|loaded|original/;
  for (const table of LOADED_TABLES) {
    if (table === 'load_batches') continue;
    const rows = await query(w, `SELECT * FROM ${table}`);
    out[table] = rows
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !vary.test(k))))
      .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  }
  return out;
}

function outcome(summary: LoadSummary): unknown[] {
  return summary.files.map((f: FileResult) => ({
    kind: f.kind,
    rowsRead: f.rowsRead,
    rowsSkipped: f.rowsSkipped,
    rowsLoaded: f.rowsLoaded,
    rowsRejected: f.rowsRejected,
    unitsLoaded: f.unitsLoaded,
    unitsRejected: f.unitsRejected,
    error: f.error,
    rejects: f.rejects,
  }));
}

describe('legacy workbooks load like their .xlsx twins', () => {
  it('loads registry (.et), monthly (.xls), participation (.ods) and survey (.ods) exactly', async () => {
    const run = (paths: string[]) =>
      withWarehouse(async (w) => {
        const summary = await loadPaths(w, paths);
        return { summary: outcome(summary), tables: await loaded(w) };
      });
    const xlsx = await run([
      etl('学校名录.xlsx'),
      etl('月报-2024-09.xlsx'),
      etl('分年级参与情况.xlsx'),
      etl('满意度问卷-2024秋.xlsx'),
    ]);
    const twins = await run([
      legacy('学校名录.et'),
      legacy('月报-2024-09.xls'),
      legacy('分年级参与情况.ods'),
      legacy('满意度问卷-2024秋.ods'),
    ]);
    expect(twins).toEqual(xlsx);
    // The hand-checked figures of test/etl/index.test.ts: four schools below the merged
    // title, four monthly rows (rows 3-6), the kinds recognised from the headers.
    expect(twins.summary.slice(0, 2)).toMatchObject([
      { kind: 'registry', rowsRead: 5, rowsSkipped: 1, rowsLoaded: 4, rowsRejected: 0 },
      { kind: 'monthly', rowsRead: 5, rowsSkipped: 1, rowsLoaded: 4, rowsRejected: 0 },
    ]);
    expect(twins.summary.map((s) => (s as { kind: string }).kind)).toEqual([
      'registry',
      'monthly',
      'participation',
      'survey',
    ]);
    expect(twins.tables.monthly_reports).toHaveLength(4);
  }, 90_000);
});

describe('a reject in an .xls, .et or .ods names the same sheet, row and column as in an .xlsx', () => {
  it('rejects 开展天数 “二十” on row 4 of 月报 in every format', async () => {
    // One workbook written four ways: a title row, the header, two schools of the registry.
    const header = [...MONTHLY_HEADERS];
    const row = (code: string, days: string | number) => [
      code,
      '学校',
      '2024-09',
      21,
      days,
      120,
      '18:00',
      1,
      '否',
      0,
      0,
      0,
      '是',
      20,
      0,
      0,
      0,
      0,
      40,
      0,
      0,
    ];
    const ws = XLSX.utils.aoa_to_sheet([
      ['课后服务月报（2024年9月）'],
      header,
      row('3101010001', 20),
      row('3101010002', '二十'),
    ]);
    ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 20 } }];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '月报');
    const dir = await mkdtemp(join(tmpdir(), 'kehou-legacy-rejects-'));
    try {
      const results: unknown[] = [];
      for (const [ext, bookType] of [
        ['xlsx', 'xlsx'],
        ['xls', 'xls'],
        ['et', 'xls'],
        ['ods', 'ods'],
      ] as const) {
        const p = join(dir, `月报.${ext}`);
        await writeFile(p, XLSX.write(wb, { type: 'buffer', bookType }) as Buffer);
        results.push(
          await withWarehouse(async (w) => {
            const summary = await loadPaths(w, [etl('学校名录.xlsx'), p]);
            const file = summary.files[1]!;
            return {
              loaded: [file.kind, file.rowsLoaded, file.rowsRejected],
              rejects: file.rejects.map((r) => [r.sheet, r.row, r.column, r.value, r.code]),
            };
          }),
        );
      }
      expect(results[0]).toEqual({
        loaded: ['monthly', 1, 1],
        rejects: [['月报', 4, '开展天数', '二十', 'BAD_INT']],
      });
      expect(results.slice(1)).toEqual([results[0], results[0], results[0]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('hostile legacy workbooks are bounded', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehou-legacy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, data: Buffer | Uint8Array): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, data);
    return p;
  };
  const book = (sheets: Record<string, XLSX.WorkSheet>): XLSX.WorkBook => {
    const wb = XLSX.utils.book_new();
    for (const [name, ws] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, ws, name);
    return wb;
  };
  const bytes = (wb: XLSX.WorkBook, bookType: XLSX.BookType): Buffer =>
    XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;

  /** An .xls's BIFF8 records rewritten by `edit` (a record's type and bytes → new bytes). */
  const rewrite = (xls: Buffer, edit: (type: number, rec: Buffer) => Buffer): Buffer => {
    const cfb = XLSX.CFB.read(xls, { type: 'buffer' });
    const entry = XLSX.CFB.find(cfb, 'Workbook') as { content: Buffer; size: number };
    const stream = Buffer.from(entry.content);
    const parts: Buffer[] = [];
    for (let i = 0; i < stream.length;) {
      const len = stream.readUInt16LE(i + 2);
      parts.push(edit(stream.readUInt16LE(i), stream.subarray(i, i + 4 + len)));
      i += 4 + len;
    }
    entry.content = Buffer.concat(parts);
    entry.size = entry.content.length;
    return XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer;
  };

  it('reads an .xls claiming 65,536 × 256 cells as the one cell it holds', async () => {
    // The DIMENSIONS record (0x0200) says rows 0-65535 and columns 0-255 hold data.
    const xls = rewrite(
      bytes(book({ S: XLSX.utils.aoa_to_sheet([['x']]) }), 'xls'),
      (type, rec) => {
        if (type !== 0x0200) return rec;
        const out = Buffer.from(rec);
        out.writeUInt32LE(0, 4);
        out.writeUInt32LE(65536, 8);
        out.writeUInt16LE(0, 12);
        out.writeUInt16LE(256, 14);
        return out;
      },
    );
    const p = await file('dimension.xls', xls);
    const sheets = await readXlsxSheets(p, { limits: { maxCells: 10, maxRows: 10 } });
    expect(sheets.map((s) => s.rows)).toEqual([[{ sheet: 'S', row: 1, cells: ['x'] }]]);
  });

  it('gives a formula’s cached result, never the formula or its evaluation', async () => {
    // C2's NUMBER record (cached 3) rewritten as a FORMULA record whose formula is the
    // constant 99 (ptgInt), what Excel writes for a cell whose result it has cached.
    const ws = XLSX.utils.aoa_to_sheet([
      ['a', 'b'],
      [1, 2, 3],
    ]);
    const formula = rewrite(bytes(book({ S: ws }), 'xls'), (type, rec) => {
      if (type !== 0x0203 || rec.readUInt16LE(4) !== 1 || rec.readUInt16LE(6) !== 2) return rec;
      const f = Buffer.alloc(29);
      f.writeUInt16LE(0x0006, 0);
      f.writeUInt16LE(25, 2);
      rec.copy(f, 4, 4, 18); // row, column, XF, the cached number
      f.writeUInt16LE(3, 24); // formula length
      f[26] = 0x1e; // ptgInt
      f.writeUInt16LE(99, 27);
      return f;
    });
    const xls = await file('formula.xls', formula);
    // The same in OpenDocument: a table:formula with its office:value.
    const wsOds = XLSX.utils.aoa_to_sheet([
      ['a', 'b'],
      [1, 2],
    ]);
    wsOds.C2 = { t: 'n', v: 3, f: 'A2+B2+94' };
    wsOds['!ref'] = 'A1:C2';
    const ods = await file('formula.ods', bytes(book({ S: wsOds }), 'ods'));
    for (const p of [xls, ods]) {
      const [sheet] = await readXlsxSheets(p);
      expect(sheet?.rows.map((r) => r.cells)).toEqual([
        ['a', 'b'],
        ['1', '2', '3'],
      ]);
    }
  });

  it('refuses too many sheets before parsing any, and rows, cells, columns and size over the limits', async () => {
    const many: Record<string, XLSX.WorkSheet> = {};
    for (let i = 1; i <= 5; i++) many[`表${i}`] = XLSX.utils.aoa_to_sheet([[i]]);
    for (const bookType of ['xls', 'ods'] as const) {
      const p = await file(`many.${bookType}`, bytes(book(many), bookType));
      const err = await failure(readXlsxSheets(p, { limits: { maxSheets: 3 } }));
      expect([err.code, err.limit]).toEqual(['limit', 'maxSheets']);
      expect(err.message).toBe(
        '工作簿过大：超过 3 个工作表的上限，请拆分文件，或在Excel中另存为CSV后载入 / workbook too large: more than 3 sheets; split the file, or save it as CSV in Excel and load that',
      );
    }
    const rows = Array.from({ length: 20 }, (_, i) => [i, i + 1]);
    const tall = await file('tall.xls', bytes(book({ S: XLSX.utils.aoa_to_sheet(rows) }), 'xls'));
    expect((await failure(readXlsxSheets(tall, { limits: { maxRows: 10 } }))).limit).toBe(
      'maxRows',
    );
    expect((await failure(readXlsxSheets(tall, { limits: { maxCells: 30 } }))).limit).toBe(
      'maxCells',
    );
    expect((await failure(readXlsxSheets(tall, { limits: { maxColumns: 1 } }))).limit).toBe(
      'maxColumns',
    );
    expect((await failure(readXlsxSheets(tall, { limits: { maxInflatedMb: 0.001 } }))).limit).toBe(
      'maxInflatedMb',
    );
  });

  it('refuses an .ods repeating a row a million times at the row limit', async () => {
    const wb = bytes(book({ S: XLSX.utils.aoa_to_sheet([['x']]) }), 'ods');
    // Rewrite content.xml: the one row repeated 1,000,000 times (a few bytes on disk).
    const zip = XLSX.CFB.read(wb, { type: 'buffer' });
    const entry = XLSX.CFB.find(zip, 'content.xml') as { content: Buffer; size: number };
    const xml = Buffer.from(entry.content).toString('utf8');
    const repeated = xml.replace(
      '<table:table-row',
      '<table:table-row table:number-rows-repeated="1000000"',
    );
    expect(repeated).not.toBe(xml);
    entry.content = Buffer.from(repeated, 'utf8');
    entry.size = entry.content.length;
    const p = await file(
      'repeated.ods',
      XLSX.CFB.write(zip, { type: 'buffer', fileType: 'zip', compression: true }) as Buffer,
    );
    // Refused from content.xml's own counts, before SheetJS would expand the rows.
    const err = await failure(readXlsxSheets(p, { limits: { maxRows: 1000 } }));
    expect([err.code, err.limit]).toEqual(['limit', 'maxRows']);
  });

  it('explains a damaged .xls in Chinese and English', async () => {
    const ole = Buffer.alloc(4096);
    Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(ole);
    const err = await failure(readXlsxSheets(await file('damaged.xls', ole)));
    expect(err.message).toContain(
      '文件不是可读的Excel 97-2003 .xls工作簿，可能已损坏，请在Excel或WPS中打开后另存为.xlsx / not a readable Excel 97-2003 .xls workbook; it may be damaged: open it in Excel or WPS and save it as .xlsx',
    );
  });
});
