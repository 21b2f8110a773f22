/**
 * Query.loadBatches / loadBatch on the fixture district plus, loaded after it by 张三, the
 * registry workbook and the messy October CSV of test/fixtures/etl (eight bad values, see
 * test/etl/index.test.ts), then the workbook again (byte-identical: recorded as unchanged).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPaths } from '../../../../etl/index.ts';
import { LIMITS } from '../../../../server/graphql/apollo.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { query } from '../../../helpers/with-warehouse.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../../fixtures/etl/${name}`, import.meta.url));

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture();
  for (const file of ['学校名录.xlsx', '月报-2024-10-混杂.csv', '学校名录.xlsx'])
    await loadPaths(api.warehouse, [fixture(file)], { user: '张三' });
});
afterAll(async () => {
  await api.close();
});

const BATCH = `id fileName kind sheets status loadedBy loadedAt rowsRead rowsSkipped rowsLoaded
  rowsRejected unitsLoaded unitsRejected`;

interface Page {
  total: number;
  endCursor: string | null;
  items: Record<string, unknown>[];
}

async function page(first: number, after?: string | null): Promise<Page> {
  const { data, errors } = await api.run(
    VIEWERS.bureau,
    `query ($first: Int, $after: String) {
      loadBatches(first: $first, after: $after) { total endCursor items { ${BATCH} } } }`,
    { first, after },
  );
  expect(errors).toBeUndefined();
  return data?.loadBatches as Page;
}

const SHEET = '月报-2024-10-混杂';

describe('Query.loadBatches', () => {
  it('lists batches newest first with the counts the ETL reported', async () => {
    const first = await page(3);
    expect(first.total).toBe(8);
    expect(first.items.map((b) => [b.id, b.fileName, b.kind, b.status])).toEqual([
      ['8', '学校名录.xlsx', 'registry', 'unchanged'],
      ['7', '月报-2024-10-混杂.csv', 'monthly', 'loaded'],
      ['6', '学校名录.xlsx', 'registry', 'loaded'],
    ]);
    // Read: 14 rows, of which 6 skipped (title, blanks, 合计, 填表人), 2 loaded, 6 rejected.
    expect(first.items[1]).toMatchObject({
      sheets: [SHEET],
      loadedBy: '张三',
      rowsRead: 14,
      rowsSkipped: 6,
      rowsLoaded: 2,
      rowsRejected: 6,
      unitsLoaded: 2,
      unitsRejected: 6,
    });
    expect(first.items[0]).toMatchObject({ sheets: [], rowsRead: 0, rowsLoaded: 0 });
    const loadedAt = await query(
      api.warehouse,
      `SELECT epoch_ms(loaded_at) AS ms FROM load_batches WHERE batch_id = 7`,
    );
    expect(first.items[1]?.loadedAt).toBe(
      `${new Date(Number(loadedAt[0]?.ms) + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`,
    );
  });

  it('pages on with the opaque cursor to the fixture district’s batches', async () => {
    const first = await page(3);
    const second = await page(3, first.endCursor);
    expect(second.items.map((b) => b.id)).toEqual(['5', '4', '3']);
    const last = await page(3, second.endCursor);
    expect(last.items.map((b) => [b.id, b.kind])).toEqual([
      ['2', 'assignments'],
      ['1', 'registry'],
    ]);
    expect(last.endCursor).toBeNull();
    expect(await page(3, Buffer.from('o:30').toString('base64url'))).toEqual({
      total: 8,
      endCursor: null,
      items: [],
    });
  });

  it('rejects a page larger than 200 and a forged cursor', async () => {
    for (const args of [{ first: 201 }, { first: 0 }, { first: 5, after: 'bm9wZQ' }]) {
      const { errors } = await api.run(
        VIEWERS.bureau,
        `query ($first: Int, $after: String) { loadBatches(first: $first, after: $after) { total } }`,
        args,
      );
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('counts as one data root field of the operation’s budget', async () => {
    const pages = Array.from(
      { length: LIMITS.maxRootFields + 1 },
      (_, i) => `p${i}: loadBatches(first: 1) { total }`,
    );
    const over = await api.run(VIEWERS.bureau, `{ ${pages.join(' ')} }`);
    expect(over.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers FORBIDDEN to every role but bureau inspectors', async () => {
    for (const viewer of [VIEWERS.leader, VIEWERS.dx01, VIEWERS.unlinked]) {
      const { data, errors } = await api.run(
        viewer,
        `{ loadBatches { total items { fileName } } loadBatch(id: "7") { fileName } }`,
      );
      expect(data).toBeNull();
      expect(errors?.map((e) => [e.extensions?.code, e.message])).toContainEqual([
        'FORBIDDEN',
        '仅教育局督导和学校填报员可以查看导入记录 / only bureau inspectors and school reporters may see the load history',
      ]);
    }
    const one = await api.run(VIEWERS.leader, `{ loadBatch(id: "7") { fileName } }`);
    expect(one.data).toEqual({ loadBatch: null });
    expect(one.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

const REJECTS = `rejects { sheet row column value reasonCode reasonZh reasonEn }`;

describe('LoadBatch.rejects', () => {
  it('gives the rejected values in file order, as the ETL reported them', async () => {
    const { data, errors } = await api.run(VIEWERS.bureau, `{ loadBatch(id: "7") { ${REJECTS} } }`);
    expect(errors).toBeUndefined();
    const rejects = (data?.loadBatch as { rejects: Record<string, unknown>[] }).rejects;
    expect(rejects.map((r) => [r.sheet, r.row, r.column, r.value, r.reasonCode])).toEqual([
      [SHEET, 7, '开展天数', '23', 'EXCEEDS'],
      // Within a row, in the file's column order.
      [SHEET, 8, '最晚结束时间', null, 'TIME_REQUIRED'],
      [SHEET, 8, '参与教师数', '41', 'EXCEEDS_REGISTRY'],
      [SHEET, 8, '其中未经审核机构数', '2', 'EXCEEDS'],
      [SHEET, 9, '学校标识码', '3101019999', 'UNKNOWN_SCHOOL'],
      [SHEET, 10, '日均服务时长（分钟）', '350', 'ABOVE_MAX'],
      [SHEET, 11, '上学天数', null, 'REQUIRED'],
      [SHEET, 12, '填报月份', '2024-13', 'BAD_MONTH'],
    ]);
    expect(rejects[0]).toMatchObject({ reasonZh: '不能大于“上学天数”（22）' });
    expect(rejects[0]?.reasonEn).toEqual(expect.any(String));
  });

  it('cuts each batch’s rejects at `first` (at most 1000)', async () => {
    const { data } = await api.run(
      VIEWERS.bureau,
      `{ loadBatch(id: "7") { three: rejects(first: 3) { row column } one: rejects(first: 1) { row } } }`,
    );
    expect(data?.loadBatch).toEqual({
      three: [
        { row: 7, column: '开展天数' },
        { row: 8, column: '最晚结束时间' },
        { row: 8, column: '参与教师数' },
      ],
      one: [{ row: 7 }],
    });
    const { errors } = await api.run(
      VIEWERS.bureau,
      `{ loadBatch(id: "7") { rejects(first: 1001) { row } } }`,
    );
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('loads the rejects of a whole page in one statement', async () => {
    const small = await api.run(
      VIEWERS.bureau,
      `{ loadBatches(first: 1) { items { id ${REJECTS} } } }`,
    );
    const large = await api.run(
      VIEWERS.bureau,
      `{ loadBatches(first: 8) { items { id ${REJECTS} few: rejects(first: 2) { row } } } }`,
    );
    expect(large.errors).toBeUndefined();
    expect([small.queries, large.queries]).toEqual([2, 2]);
    const items = (
      large.data?.loadBatches as { items: { id: string; rejects: unknown[]; few: unknown[] }[] }
    ).items;
    expect(items.map((b) => [b.id, b.rejects.length, b.few.length])).toEqual([
      ['8', 0, 0],
      ['7', 8, 2],
      ['6', 0, 0],
      ['5', 0, 0],
      ['4', 0, 0],
      ['3', 0, 0],
      ['2', 0, 0],
      ['1', 0, 0],
    ]);
  });
});

describe('Query.loadBatch', () => {
  it('finds a batch by ID, and answers null for a missing or malformed one', async () => {
    const { data, errors } = await api.run(
      VIEWERS.bureau,
      `{ a: loadBatch(id: "6") { id fileName kind sheets rowsLoaded }
         b: loadBatch(id: "999") { id } c: loadBatch(id: "seven") { id } d: loadBatch(id: "99999999999") { id } }`,
    );
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({ b: null, c: null, d: null });
    expect(data?.a).toMatchObject({ id: '6', fileName: '学校名录.xlsx', kind: 'registry' });
  });
});
