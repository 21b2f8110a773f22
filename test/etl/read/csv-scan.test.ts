import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvPreview, scanCsv, type CsvScan } from '../../../etl/read/csv-scan.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/read/${name}`, import.meta.url));

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-scan-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function temp(data: Buffer | string): Promise<string> {
  const p = join(dir, `t${n++}.csv`);
  await writeFile(p, data);
  return p;
}

function lines(s: CsvScan): number[] {
  return Array.from({ length: s.records }, (_, i) => s.lineStartOfRecord(i));
}

function summary(s: CsvScan): object {
  return {
    bytes: s.bytes,
    records: s.records,
    blank: s.blankRecordIndexes,
    quotedNewlines: s.quotedNewlines,
    lines: lines(s),
  };
}

/** Straightforward per-byte reference of the documented record syntax. */
function reference(bytes: Uint8Array): object {
  let start =
    bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let state: 'field-start' | 'unquoted' | 'quoted' | 'quote-in-quoted' = 'field-start';
  let line = 0;
  const blank: number[] = [];
  const lineStarts: number[] = [];
  let quotedNewlines = false;
  let recordLine = 0;
  let records = 0;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    if (state === 'quote-in-quoted') {
      if (b === 0x22) {
        state = 'quoted';
        continue;
      }
      state = 'unquoted';
    }
    if (state === 'quoted') {
      if (b === 0x22) state = 'quote-in-quoted';
      else if (b === 0x0a) {
        line++;
        quotedNewlines = true;
      }
      continue;
    }
    if (b === 0x0a) {
      const len = i - start;
      if (len === 0 || (len === 1 && bytes[i - 1] === 0x0d)) blank.push(records);
      lineStarts.push(recordLine);
      records++;
      line++;
      recordLine = line;
      start = i + 1;
      state = 'field-start';
    } else if (b === 0x2c) state = 'field-start';
    else if (b === 0x22 && state === 'field-start') state = 'quoted';
    else state = 'unquoted';
  }
  if (start < bytes.length) {
    if (bytes.length - start === 1 && bytes[start] === 0x0d) blank.push(records);
    lineStarts.push(recordLine);
    records++;
  }
  return { bytes: bytes.length, records, blank, quotedNewlines, lines: lineStarts };
}

describe('scanCsv', () => {
  it('scans blank-lines.csv: blank records, quoted newline, CRLF, no final newline', async () => {
    const path = fixture('blank-lines.csv');
    const raw = await readFile(path);
    const s = await scanCsv(path);
    expect(s.sha256).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(summary(s)).toEqual({
      bytes: raw.length,
      records: 10,
      blank: [1, 4, 6, 7],
      quotedNewlines: true,
      // record 3 spans lines 3-4 (quoted newline), so later records start one line later
      lines: [0, 1, 2, 3, 5, 6, 7, 8, 9, 10],
    });
    expect(() => s.lineStartOfRecord(10)).toThrow(RangeError);
    expect(() => s.lineStartOfRecord(-1)).toThrow(RangeError);
  });

  it('agrees with parseCsvPreview on record indexes', async () => {
    const path = fixture('blank-lines.csv');
    const s = await scanCsv(path);
    const recs = parseCsvPreview(await readFile(path, 'utf8'), 100);
    expect(recs).toHaveLength(s.records);
    const blanks = recs.flatMap((r, i) => (r.length === 1 && r[0] === '' ? [i] : []));
    expect(blanks).toEqual(s.blankRecordIndexes);
    expect(recs[3]).toEqual(['3101010001', '清河县城关镇第一小学', '地址：城关镇\r\n解放路1号']);
    expect(recs[5]).toEqual(['3101010002', '河西乡中心小学', '校长说"好"']);
    expect(recs[9]).toEqual(['注：数据截至9月30日']);
  });

  it('skips a UTF-8 BOM for quoting but hashes and counts it', async () => {
    const path = fixture('utf8-bom.csv');
    const raw = await readFile(path);
    const s = await scanCsv(path);
    expect(s.sha256).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(summary(s)).toEqual({
      bytes: raw.length,
      records: 3,
      blank: [],
      quotedNewlines: false,
      lines: [0, 1, 2],
    });

    const quotedFirst = await temp('\ufeff"学校\n标识码",名称\r\n1,2\r\n');
    expect(summary(await scanCsv(quotedFirst))).toMatchObject({
      records: 2,
      quotedNewlines: true,
      lines: [0, 2],
    });
  });

  it('handles edge cases', async () => {
    const cases: [string, object][] = [
      ['', { records: 0, blank: [], quotedNewlines: false, lines: [] }],
      ['a', { records: 1, blank: [], lines: [0] }],
      ['a\n', { records: 1, blank: [], lines: [0] }],
      ['\n', { records: 1, blank: [0], lines: [0] }],
      ['\r\n\r\n', { records: 2, blank: [0, 1], lines: [0, 1] }],
      ['a\n\r', { records: 2, blank: [1], lines: [0, 1] }],
      ['a\r\n\r\nb', { records: 3, blank: [1], lines: [0, 1, 2] }],
      [' \r\n', { records: 1, blank: [], lines: [0] }], // a space is not blank
      [',\n', { records: 1, blank: [], lines: [0] }], // an empty field is not blank
      ['\r\r\n', { records: 1, blank: [], lines: [0] }],
      // a quote in the middle of an unquoted field is a plain character
      ['ab"c\nd"\ne', { records: 3, quotedNewlines: false, lines: [0, 1, 2] }],
      // escaped quotes keep the field open
      ['"a""\nb",c\nd', { records: 2, quotedNewlines: true, lines: [0, 2] }],
      ['"a"""\nb', { records: 2, quotedNewlines: false, lines: [0, 1] }],
      // a closed quote followed by text (relaxed), then a newline ends the record
      ['"a"x\ny', { records: 2, quotedNewlines: false, lines: [0, 1] }],
      // a quote after a comma opens
      ['x,"1\n2",y\n\nz', { records: 3, blank: [1], quotedNewlines: true, lines: [0, 2, 3] }],
      // an unclosed quote runs to the end of the file
      ['a\n"b\n\nc\n', { records: 2, blank: [], quotedNewlines: true, lines: [0, 1] }],
      // a quoted field that is empty
      ['"",""\n""\n', { records: 2, blank: [], quotedNewlines: false, lines: [0, 1] }],
    ];
    for (const [text, expected] of cases) {
      const s = await scanCsv(await temp(text));
      expect(summary(s), JSON.stringify(text)).toMatchObject(expected);
      expect(summary(s), JSON.stringify(text)).toEqual(reference(Buffer.from(text)));
    }
  });

  it('gives the same result for every chunk size (state carried across chunk boundaries)', async () => {
    let seed = 12345;
    const rand = (k: number): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % k;
    };
    const alphabet = ['a', 'b', ',', ',', '"', '"', '\n', '\n', '\r\n', '\r', '中', ' '];
    for (let t = 0; t < 100; t++) {
      const len = 1 + rand(120);
      let text = t % 5 === 0 ? '\ufeff' : '';
      for (let i = 0; i < len; i++) text += alphabet[rand(alphabet.length)];
      const bytes = Buffer.from(text, 'utf8');
      const path = await temp(bytes);
      const expected = reference(bytes);
      for (const chunkBytes of [1, 2, 3, 4, 7, 16, 1 << 20]) {
        const s = await scanCsv(path, { chunkBytes });
        expect(summary(s), `${JSON.stringify(text)} @${chunkBytes}`).toEqual(expected);
        expect(s.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
    }
  });

  it('answers lineStartOfRecord exactly far beyond the first records', async () => {
    // 5000 records with a quoted newline each, blank lines every 1000 records
    let text = '学校标识码,备注\n';
    for (let i = 0; i < 5000; i++)
      text += `${i},"第一行\n第二行"\n` + (i % 1000 === 999 ? '\n' : '');
    const s = await scanCsv(await temp(text), { chunkBytes: 4096 });
    expect(s.records).toBe(1 + 5000 + 5);
    expect(s.blankRecordIndexes).toEqual([1001, 2002, 3003, 4004, 5005]);
    const expected = reference(Buffer.from(text)) as { lines: number[] };
    expect(lines(s)).toEqual(expected.lines);
    expect(s.lineStartOfRecord(5004)).toBe(expected.lines[5004]);
  });

  it('hashes exactly the file bytes of a multi-chunk file', async () => {
    const bytes = Buffer.from('3101010001,河西乡中心小学,"a\r\nb"\r\n'.repeat(20_000), 'utf8');
    const s = await scanCsv(await temp(bytes), { chunkBytes: 65_537 });
    expect(s.bytes).toBe(bytes.length);
    expect(s.records).toBe(20_000);
    expect(s.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(s.lineStartOfRecord(19_999)).toBe(39_998);
  });
});

describe('parseCsvPreview', () => {
  it('parses the first records without trimming, allowing ragged rows and stray quotes', () => {
    const text =
      'XX区学校名录\r\n\r\n 学校标识码 ,学校名称,备注\r\n3101010001,"清河县""一小""",ab"c\r\n4,5\r\n';
    expect(parseCsvPreview(text, 10)).toEqual([
      ['XX区学校名录'],
      [''],
      [' 学校标识码 ', '学校名称', '备注'],
      ['3101010001', '清河县"一小"', 'ab"c'],
      ['4', '5'],
    ]);
    expect(parseCsvPreview(text, 2)).toEqual([['XX区学校名录'], ['']]);
    expect(parseCsvPreview(text, 0)).toEqual([]);
    expect(parseCsvPreview('', 5)).toEqual([]);
  });

  it('accepts mixed line endings and a BOM', () => {
    expect(parseCsvPreview('\ufeffa,b\n\r\nc,d\r\ne,f', 10)).toEqual([
      ['a', 'b'],
      [''],
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });

  it('stops at text cut off inside a quoted field', () => {
    const cut = 'a,b\r\n1,2\r\n3,"unterminated\r\nfield';
    expect(parseCsvPreview(cut, 10)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
