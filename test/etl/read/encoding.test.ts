import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeText,
  detectEncoding,
  transcodeToUtf8File,
  type TextEncoding,
} from '../../../etl/read/encoding.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/read/${name}`, import.meta.url));

const GBK_TEXT =
  [
    '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,教师总数',
    '3101010001,清河县城关镇第一小学,城关镇,小学,城区,86',
    '3101010002,河西乡中心小学,河西乡,小学,乡村,23',
    '3101010003,"清河县第二中学（初中部）",城关镇,初中,镇区,"1,024"',
    '3101010004,喆庄镇九年一贯制学校,喆庄镇,九年一贯制,乡村,57',
  ].join('\r\n') + '\r\n';

const BOM_TEXT =
  [
    '学校标识码,填报月份,上学天数,开展天数,最晚结束时间',
    '3101010001,2024年9月,21,20,18：00',
    '3101010002,2024/9,21,0,',
  ].join('\r\n') + '\r\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'encoding-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('detectEncoding', () => {
  it('detects the fixtures', async () => {
    expect(detectEncoding(await readFile(fixture('gbk.csv')), true)).toBe('gb18030');
    expect(detectEncoding(await readFile(fixture('utf8-bom.csv')), true)).toBe('utf8-bom');
    expect(detectEncoding(await readFile(fixture('blank-lines.csv')), true)).toBe('utf8');
  });

  it('checks BOMs first', () => {
    const cases: [number[], TextEncoding][] = [
      [[0xef, 0xbb, 0xbf, 0x61], 'utf8-bom'],
      [[0xff, 0xfe, 0x61, 0x00], 'utf16le'],
      [[0xfe, 0xff, 0x00, 0x61], 'utf16be'],
      [[0xef, 0xbb, 0xbf], 'utf8-bom'],
    ];
    for (const [bytes, enc] of cases) expect(detectEncoding(Buffer.from(bytes), true)).toBe(enc);
  });

  it('treats ASCII and empty samples as UTF-8', () => {
    expect(detectEncoding(Buffer.from('school_code,school_name\r\n'), true)).toBe('utf8');
    expect(detectEncoding(Buffer.alloc(0), true)).toBe('utf8');
    expect(detectEncoding(Buffer.alloc(0), false)).toBe('utf8');
  });

  it('ignores a multibyte sequence cut at the end of a partial sample only', () => {
    const full = Buffer.from('学校名称,清河县城关镇第一小学😀', 'utf8');
    for (let cut = 1; cut <= 3; cut++) {
      const sample = full.subarray(0, full.length - cut); // cuts the 4-byte emoji
      expect(detectEncoding(sample, false), `cut ${cut}`).toBe('utf8');
      expect(detectEncoding(sample, true), `cut ${cut}`).toBe('gb18030');
    }
    const han = Buffer.from('河西乡', 'utf8'); // 3-byte characters
    expect(detectEncoding(han.subarray(0, 7), false)).toBe('utf8');
    expect(detectEncoding(han.subarray(0, 8), false)).toBe('utf8');
    expect(detectEncoding(han.subarray(0, 7), true)).toBe('gb18030');
  });

  it('does not excuse invalid bytes before the end of a partial sample', () => {
    const bad = Buffer.concat([Buffer.from('abc'), Buffer.from([0xc3, 0x28]), Buffer.from('def')]);
    expect(detectEncoding(bad, false)).toBe('gb18030');
    // a lone continuation byte at the end is invalid, not "cut"
    expect(detectEncoding(Buffer.from([0x61, 0x80]), false)).toBe('gb18030');
  });

  it('detects GBK even when the sample ends in the middle of a character', async () => {
    const gbk = await readFile(fixture('gbk.csv'));
    for (let n = 60; n < 80; n++) expect(detectEncoding(gbk.subarray(0, n), false)).toBe('gb18030');
  });
});

describe('transcodeToUtf8File', () => {
  it('transcodes GBK so that school names survive', async () => {
    const dest = join(dir, 'gbk.utf8.csv');
    await transcodeToUtf8File(fixture('gbk.csv'), 'gb18030', dest);
    const out = await readFile(dest);
    expect(out.toString('utf8')).toBe(GBK_TEXT);
    expect(out.toString('utf8')).toContain('清河县城关镇第一小学');
    expect(out.toString('utf8')).toContain('河西乡中心小学');
    expect(out.toString('utf8')).toContain('喆庄镇'); // GBK, not GB2312
  });

  it('drops the BOM of UTF-8 with BOM', async () => {
    const dest = join(dir, 'bom.utf8.csv');
    await transcodeToUtf8File(fixture('utf8-bom.csv'), 'utf8-bom', dest);
    const out = await readFile(dest);
    expect(out[0]).not.toBe(0xef);
    expect(out.toString('utf8')).toBe(BOM_TEXT);
  });

  it('copies valid UTF-8 unchanged', async () => {
    const dest = join(dir, 'plain.csv');
    await transcodeToUtf8File(fixture('blank-lines.csv'), 'utf8', dest);
    expect(await readFile(dest)).toEqual(await readFile(fixture('blank-lines.csv')));
  });

  it('transcodes UTF-16 LE and BE with BOM', async () => {
    const text = '学校标识码\t学校名称\r\n3101010001\t河西乡中心小学 𠀀\r\n';
    for (const enc of ['utf16le', 'utf16be'] as const) {
      const src = join(dir, `${enc}.txt`);
      await writeFile(src, iconv.encode(text, enc, { addBOM: true }));
      expect(detectEncoding(await readFile(src), true)).toBe(enc);
      const dest = join(dir, `${enc}.utf8.txt`);
      await transcodeToUtf8File(src, enc, dest);
      expect((await readFile(dest)).toString('utf8')).toBe(text);
    }
  });

  it('streams large files with characters split across chunk boundaries', async () => {
    // ~3 MB of GB18030 with 2- and 4-byte characters at every offset modulo the chunk size
    const line = '3101010001,清河县城关镇第一小学,𠀀㐀喆,18：00\r\n';
    const text = line.repeat(60_000) + 'x';
    const src = join(dir, 'big-gb.csv');
    await writeFile(src, iconv.encode(text, 'gb18030'));
    const dest = join(dir, 'big-gb.utf8.csv');
    await transcodeToUtf8File(src, 'gb18030', dest);
    expect((await readFile(dest)).toString('utf8')).toBe(text);

    const src8 = join(dir, 'big-utf8.csv');
    await writeFile(src8, text, 'utf8');
    const dest8 = join(dir, 'big-utf8.out.csv');
    await transcodeToUtf8File(src8, 'utf8', dest8);
    expect((await readFile(dest8)).toString('utf8')).toBe(text);
  });

  it('fails on invalid UTF-8 beyond the detection sample', async () => {
    const src = join(dir, 'late-gbk.csv');
    const head = Buffer.from('school_code,school_name\r\n'.repeat(5000), 'utf8');
    await writeFile(
      src,
      Buffer.concat([head, iconv.encode('3101010002,河西乡中心小学\r\n', 'gbk')]),
    );
    expect(detectEncoding((await readFile(src)).subarray(0, 65536), false)).toBe('utf8');
    await expect(transcodeToUtf8File(src, 'utf8', join(dir, 'late.out'))).rejects.toThrow(
      /不是有效的UTF-8.*not valid UTF-8 near byte 125011/,
    );
    // whole-file detection gets it right
    expect(detectEncoding(await readFile(src), true)).toBe('gb18030');
  });

  it('fails on UTF-8 truncated in the middle of a character', async () => {
    const src = join(dir, 'cut.csv');
    await writeFile(src, Buffer.from('河西乡', 'utf8').subarray(0, 8));
    await expect(transcodeToUtf8File(src, 'utf8', join(dir, 'cut.out'))).rejects.toThrow(
      /not valid UTF-8/,
    );
  });
});

describe('decodeText', () => {
  it('decodes previews and strips BOMs', async () => {
    expect(decodeText(await readFile(fixture('gbk.csv')), 'gb18030')).toBe(GBK_TEXT);
    expect(decodeText(await readFile(fixture('utf8-bom.csv')), 'utf8-bom')).toBe(BOM_TEXT);
    expect(decodeText(Buffer.from('\ufeffabc', 'utf8'), 'utf8')).toBe('abc');
    expect(decodeText(iconv.encode('河西乡', 'utf16le', { addBOM: true }), 'utf16le')).toBe(
      '河西乡',
    );
    expect(decodeText(iconv.encode('河西乡', 'utf16be', { addBOM: true }), 'utf16be')).toBe(
      '河西乡',
    );
    expect(decodeText(Buffer.alloc(0), 'gb18030')).toBe('');
  });
});
