/**
 * POST /api/uploads by a 学校填报员 (issue 17), the route alone behind a stand-in session on
 * the API fixture district: its own school's rows load, another school's row in the same
 * file is rejected (the load's `onlySchool`), a registry, assignments or survey file is
 * refused whole, and it reads the rejects of its own batches only. Roles without an upload right
 * (a reporter bound to no school, a township reviewer) are refused before any byte is read.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, loadPaths, type LoadSummary } from '../../../etl/index.ts';
import type { Viewer } from '../../../server/auth/viewer.ts';
import { serverConfigFromEnv } from '../../../server/config.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { loadBatchPage } from '../../../server/graphql/loads/loads.repository.ts';
import { batchOwnerOf } from '../../../server/graphql/loads/loads.service.ts';
import { createServerLogger } from '../../../server/log.ts';
import { MASTER_DATA_REFUSED } from '../../../server/http/school-upload.ts';
import { uploadsRouter } from '../../../server/http/uploads-route.ts';
import { API_FIXTURES, FIXTURE_LOADED_AT, VIEWERS } from '../../helpers/api-fixture.ts';
import { query } from '../../helpers/with-warehouse.ts';

const SCHOOL_FILE = fileURLToPath(
  new URL('../../fixtures/web/月报-2025-11-东城村小.csv', import.meta.url),
);
const REGISTRY = join(API_FIXTURES, '学校名录.csv');
const ASSIGNMENTS = join(API_FIXTURES, '督学挂牌.csv');
const SURVEY = join(API_FIXTURES, '满意度问卷-2025秋.csv');

const log = createServerLogger('test');
const UNBOUND: Viewer = { ...VIEWERS.school, userId: 9, username: 'noschool', schoolCode: null };
const BY_NAME: Record<string, Viewer> = {
  bureau: VIEWERS.bureau,
  school02: VIEWERS.school,
  school03: VIEWERS.otherSchool,
  dongcheng: VIEWERS.township,
  noschool: UNBOUND,
};

let warehouse: Warehouse;
let writer: WarehouseWriter;
let tempRoot: string;
let server: Server;
let base: string;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  const fixture = await loadPaths(warehouse, [API_FIXTURES], {
    user: 'bureau',
    now: FIXTURE_LOADED_AT,
  });
  if (exitCode(fixture) !== 0) throw new Error('fixture load failed');
  writer = await WarehouseWriter.open(warehouse);
  tempRoot = await mkdtemp(join(tmpdir(), 'kehou-school-upload-'));
  const app = express();
  // Stand-in for the session middleware: the test header names the signed-in user.
  app.use((req, res, next) => {
    const user = req.get('x-test-user');
    if (user) res.locals.viewer = BY_NAME[user];
    next();
  });
  const config = serverConfigFromEnv({});
  app.use('/api/uploads', uploadsRouter({ warehouse, writer, config, log, tempRoot }));
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await writer?.close();
  await warehouse?.close();
  await rm(tempRoot, { recursive: true, force: true });
});

async function upload(user: string, paths: readonly string[]) {
  const body = new FormData();
  for (const path of paths) body.append('files', new Blob([await readFile(path)]), basename(path));
  const res = await fetch(`${base}/api/uploads`, {
    method: 'POST',
    body,
    headers: { 'x-test-user': user },
  });
  return { status: res.status, body: (await res.json()) as LoadSummary & { error?: unknown } };
}

const novemberRows = () =>
  query(
    warehouse,
    `SELECT school_code, service_days, teachers_serving FROM monthly_reports
     WHERE month = '2025-11' ORDER BY school_code`,
  );

describe('a school reporter uploads', () => {
  it('is refused without a school, and as a township reviewer', async () => {
    const unbound = await upload('noschool', [SCHOOL_FILE]);
    expect(unbound).toEqual({
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          message:
            '您的账号未关联学校，不能上传数据 / your account is bound to no school: you cannot upload',
        },
      },
    });
    const township = await upload('dongcheng', [SCHOOL_FILE]);
    expect(township.status).toBe(403);
    expect(await novemberRows()).toEqual([]);
  });

  it("loads its own school's row and rejects the other school's row of the same file", async () => {
    const { status, body } = await upload('school02', [SCHOOL_FILE]);
    expect(status).toBe(422);
    const [file] = body.files;
    expect(file).toMatchObject({
      path: '月报-2025-11-东城村小.csv',
      kind: 'monthly',
      unitsLoaded: 1,
      unitsRejected: 1,
    });
    expect(file!.rejects).toEqual([
      expect.objectContaining({
        row: 3,
        column: '学校标识码',
        value: '1000000003',
        reasonZh: '文件中含其他学校的数据（学校标识码 1000000003），已拒绝该行',
        reasonEn: "the file holds another school's rows (school 1000000003); rejected",
      }),
    ]);
    // 开展天数 19 and 参与教师数 14 are the school's; nothing of 西山中学 loaded.
    expect(await novemberRows()).toEqual([
      { school_code: '1000000002', service_days: 19, teachers_serving: 14 },
    ]);
  });

  it('has a registry, assignments or survey file refused whole, the other files loaded', async () => {
    const batches = async () =>
      Number((await query(warehouse, `SELECT count(*)::INTEGER AS n FROM load_batches`))[0]!.n);
    const before = await batches();
    const { status, body } = await upload('school02', [REGISTRY, ASSIGNMENTS, SURVEY, SCHOOL_FILE]);
    expect(status).toBe(422);
    expect(body.files.map((f) => [f.path, f.error ?? null])).toEqual([
      ['月报-2025-11-东城村小.csv', null],
      ['学校名录.csv', MASTER_DATA_REFUSED],
      ['督学挂牌.csv', MASTER_DATA_REFUSED],
      ['满意度问卷-2025秋.csv', MASTER_DATA_REFUSED],
    ]);
    // Only the monthly file made a batch (byte-identical to the last one: recorded unchanged).
    expect(await batches()).toBe(before + 1);
    expect(
      await query(
        warehouse,
        `SELECT kind, status FROM load_batches WHERE loaded_by = 'school02' ORDER BY batch_id`,
      ),
    ).toEqual([
      { kind: 'monthly', status: 'loaded' },
      { kind: 'monthly', status: 'unchanged' },
    ]);
    expect(
      await query(warehouse, `SELECT township FROM schools WHERE school_code = '1000000002'`),
    ).toEqual([{ township: '东城镇' }]);
  });

  it('reads its own batches and their rejects only', async () => {
    const mine = await loadBatchPage(
      warehouse.db,
      { limit: 50, offset: 0 },
      batchOwnerOf(VIEWERS.school) ?? null,
    );
    expect(mine.total).toBe(2);
    expect(mine.rows.every((b) => b.loaded_by === 'school02')).toBe(true);
    const own = mine.rows.find((b) => b.status === 'loaded')!;
    const bureauBatch = Number(
      (
        await query(
          warehouse,
          `SELECT batch_id FROM load_batches WHERE loaded_by = 'bureau' ORDER BY batch_id LIMIT 1`,
        )
      )[0]!.batch_id,
    );
    const get = (user: string, id: number) =>
      fetch(`${base}/api/uploads/rejects/${id}`, { headers: { 'x-test-user': user } });
    const ownCsv = await get('school02', own.batch_id);
    expect(ownCsv.status).toBe(200);
    expect(await ownCsv.text()).toContain('1000000003');
    for (const [user, id] of [
      ['school02', bureauBatch],
      ['school03', own.batch_id],
    ] as const) {
      const res = await get(user, id);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: { code: 'NOT_FOUND', message: '没有这个导入批次 / no such load batch' },
      });
    }
    expect((await get('bureau', own.batch_id)).status).toBe(200);
  });
});
