/**
 * POST /api/uploads on an in-memory warehouse: first the route alone behind a stand-in
 * session (res.locals.viewer from a test header), then the whole server signing in
 * through POST /auth/login. The answer must be the `etl load --json` document with the
 * clerk's file names.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPaths, type LoadSummary } from '../../../etl/index.ts';
import type { Viewer } from '../../../server/auth/viewer.ts';
import { serverConfigFromEnv, type ServerConfig } from '../../../server/config.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import type { Role } from '../../../server/db/tables/users.table.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { createServerLogger } from '../../../server/log.ts';
import { hashPassword } from '../../../server/auth/password.ts';
import { insertUser } from '../../../server/graphql/users/users.repository.ts';
import { startServer, type RunningServer } from '../../../server/http/serve.ts';
import { uploadsRouter } from '../../../server/http/uploads-route.ts';
import { counts, query } from '../../helpers/with-warehouse.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/etl/${name}`, import.meta.url));
const REGISTRY = fixture('学校名录.xlsx');
const PARTICIPATION = fixture('分年级参与情况-河西乡.csv');

const log = createServerLogger('test');

interface Upload {
  name: string;
  bytes: Uint8Array;
}

async function fixtureUpload(path: string): Promise<Upload> {
  return { name: basename(path), bytes: await readFile(path) };
}

function form(files: readonly Upload[], field = 'files'): FormData {
  const body = new FormData();
  for (const f of files) body.append(field, new Blob([f.bytes]), f.name);
  return body;
}

/** What `etl load --json` prints for `paths` on a fresh warehouse, paths as base names. */
async function expectedSummary(paths: readonly string[]): Promise<unknown> {
  const w = await openWarehouse(':memory:');
  try {
    const summary: LoadSummary = await loadPaths(w, paths, { user: 'bureau' });
    const doc = JSON.parse(JSON.stringify(summary)) as LoadSummary;
    for (const f of doc.files) f.path = basename(f.path);
    return doc;
  } finally {
    await w.close();
  }
}

const VIEWERS: Record<Role, Viewer> = {
  BUREAU_INSPECTOR: viewer(1, 'bureau', 'BUREAU_INSPECTOR'),
  LEADERSHIP: viewer(2, 'leader', 'LEADERSHIP'),
  SUPERVISING_INSPECTOR: viewer(3, 'inspector', 'SUPERVISING_INSPECTOR'),
  SCHOOL_REPORTER: viewer(4, 'school', 'SCHOOL_REPORTER'),
  TOWNSHIP_REVIEWER: viewer(5, 'township', 'TOWNSHIP_REVIEWER'),
};

function viewer(userId: number, username: string, role: Role): Viewer {
  return {
    userId,
    username,
    name: username,
    role,
    inspectorId: null,
    schoolCode: null,
    township: null,
    sessionHash: 'x',
  };
}

let warehouse: Warehouse;
let writer: WarehouseWriter;
let tempRoot: string;
let server: Server;
let base: string;

async function start(overrides: Partial<ServerConfig> = {}): Promise<void> {
  const config = { ...serverConfigFromEnv({}), ...overrides };
  const app = express();
  // Stand-in for the session middleware: the test header names the signed-in role.
  app.use((req, res, next) => {
    const role = req.get('x-test-role') as Role | undefined;
    if (role) res.locals.viewer = VIEWERS[role];
    next();
  });
  app.use('/api/uploads', uploadsRouter({ warehouse, writer, config, log, tempRoot }));
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function upload(body: FormData | string, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/uploads`, { method: 'POST', body, headers });
}

const asBureau = { 'x-test-role': 'BUREAU_INSPECTOR' };

describe('uploadsRouter', () => {
  beforeEach(async () => {
    warehouse = await openWarehouse(':memory:');
    writer = await WarehouseWriter.open(warehouse);
    tempRoot = await mkdtemp(join(tmpdir(), 'kehou-upload-test-'));
  });

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await writer.close();
    await warehouse.close();
    await rm(tempRoot, { recursive: true, force: true });
  });

  it('answers 401 without a session and 403 for leadership and supervising inspectors', async () => {
    await start();
    const files = form([await fixtureUpload(REGISTRY)]);
    const anonymous = await upload(files);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: { code: 'UNAUTHENTICATED', message: '请先登录 / Sign in first' },
    });
    for (const role of ['LEADERSHIP', 'SUPERVISING_INSPECTOR']) {
      const res = await upload(files, { 'x-test-role': role });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: {
          code: 'FORBIDDEN',
          message:
            '仅教育局督导和学校填报员可以上传数据 / only bureau inspectors and school reporters may upload',
        },
      });
    }
    expect(await counts(warehouse)).toMatchObject({ load_batches: 0, schools: 0 });
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('loads the files and answers the etl --json document with the original names', async () => {
    await start();
    const res = await upload(
      form([await fixtureUpload(PARTICIPATION), await fixtureUpload(REGISTRY)]),
      asBureau,
    );
    expect(res.status).toBe(422);
    const doc = (await res.json()) as LoadSummary;
    // Registry first whatever the upload order, as for a folder.
    expect(doc).toEqual(await expectedSummary([REGISTRY, PARTICIPATION]));
    expect(
      doc.files.map((f) => [
        f.path,
        f.kind,
        f.rowsRead,
        f.rowsLoaded,
        f.rowsRejected,
        f.unitsRejected,
      ]),
    ).toEqual([
      ['学校名录.xlsx', 'registry', 5, 4, 0, 0],
      ['分年级参与情况-河西乡.csv', 'participation', 5, 2, 3, 3],
    ]);
    const sheet = '分年级参与情况-河西乡'; // a CSV's sheet is its file name: kept, not a temp name
    expect(doc.files[1]?.rejects.map((r) => [r.sheet, r.row, r.column, r.value, r.code])).toEqual([
      [sheet, 4, '年级', '一年级', 'GRADE_NOT_IN_STAGE'],
      [sheet, 5, '参加人数', '75', 'EXCEEDS'],
      [sheet, 5, '留守儿童数', '80', 'EXCEEDS'],
      [sheet, 6, '年级', '十年级', 'BAD_GRADE'],
    ]);
    expect(doc.files[1]?.rejects[0]?.reason).toBe(
      "该年级不属于学校学段（初中） / grade does not belong to the school's stage (junior)",
    );
    expect(await counts(warehouse)).toMatchObject({
      schools: 4,
      participation: 2,
      load_batches: 2,
    });
    expect(await query(warehouse, 'SELECT DISTINCT loaded_by FROM load_batches')).toEqual([
      { loaded_by: 'bureau' },
    ]);
    expect(
      await query(
        warehouse,
        'SELECT user_id, username, action, target, outcome, detail FROM audit_log',
      ),
    ).toEqual([
      {
        user_id: 1,
        username: 'bureau',
        action: 'upload',
        target: '分年级参与情况-河西乡.csv, 学校名录.xlsx',
        outcome: 'ok',
        detail: JSON.stringify({
          files: 2,
          rowsLoaded: 6,
          rowsRejected: 3,
          unitsLoaded: 5,
          unitsRejected: 3,
          rejects: 4,
          failedFiles: 0,
          unchangedFiles: 0,
          exitCode: 2,
        }),
      },
    ]);
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('answers 200 when everything is accepted and says unchanged on a second upload', async () => {
    await start();
    const files = form([await fixtureUpload(REGISTRY)]);
    const first = await upload(files, asBureau);
    expect(first.status).toBe(200);
    expect(((await first.json()) as LoadSummary).files[0]).toMatchObject({
      path: '学校名录.xlsx',
      unchanged: false,
      rowsLoaded: 4,
    });
    const again = await upload(files, asBureau);
    expect(again.status).toBe(200);
    expect(((await again.json()) as LoadSummary).files[0]).toMatchObject({
      path: '学校名录.xlsx',
      unchanged: true,
      rowsLoaded: 0,
    });
  });

  it('refuses an older file after its correction with the conflict, and loads it with ?force=1', async () => {
    await start();
    const header =
      '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';
    const monthly = (name: string, end: string): Upload => ({
      name,
      bytes: new TextEncoder().encode(
        `${header}\n3101010001,城关第一小学,2024-09,21,20,120,${end},1,否,3.5,12,0,是,10,50,2,1,0,45,0,1\n`,
      ),
    });
    const original = monthly('月报-原始.csv', '18:40');
    expect((await upload(form([await fixtureUpload(REGISTRY)]), asBureau)).status).toBe(200);
    expect((await upload(form([original]), asBureau)).status).toBe(200);
    expect((await upload(form([monthly('月报-更正.csv', '18:00')]), asBureau)).status).toBe(200);

    const refused = await upload(form([original]), asBureau);
    expect(refused.status).toBe(422);
    const file = ((await refused.json()) as LoadSummary).files[0]!;
    expect(file).toMatchObject({
      path: '月报-原始.csv',
      unitsLoaded: 0,
      conflict: {
        units: 1,
        newer: [{ fileName: '月报-更正.csv', units: 1 }],
        sample: [{ schoolCode: '3101010001', month: '2024-09', newerFile: '月报-更正.csv' }],
      },
    });
    expect(file.error).toContain('较新的文件“月报-更正.csv”');
    expect(await query(warehouse, `SELECT latest_end_time FROM monthly_reports`)).toEqual([
      { latest_end_time: '18:00' },
    ]);

    const forced = await fetch(`${base}/api/uploads?force=1`, {
      method: 'POST',
      body: form([original]),
      headers: asBureau,
    });
    expect(forced.status).toBe(200);
    const loaded = ((await forced.json()) as LoadSummary).files[0]!;
    expect(loaded.conflict).toBeUndefined();
    expect(loaded.changes).toMatchObject({ unitsNew: 0, unitsReplaced: 1, flagsClosed: 0 });
    expect(loaded.changes!.flags.filter((f) => f.code === 'LATE_END')).toMatchObject([
      { schoolCode: '3101010001', month: '2024-09', change: 'opened' },
    ]);
    expect(await query(warehouse, `SELECT latest_end_time FROM monthly_reports`)).toEqual([
      { latest_end_time: '18:40' },
    ]);
  });

  it('keeps two files of the same name apart', async () => {
    await start();
    const participation = await fixtureUpload(PARTICIPATION);
    const registry = await fixtureUpload(fixture('学校名录-补充.csv'));
    const res = await upload(
      form([
        { name: '报表.csv', bytes: participation.bytes },
        { name: '报表.csv', bytes: registry.bytes },
      ]),
      asBureau,
    );
    const doc = (await res.json()) as LoadSummary;
    expect(doc.files.map((f) => [f.path, f.kind, f.error])).toEqual([
      ['报表.csv', 'registry', undefined],
      ['报表.csv', 'participation', undefined],
    ]);
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('lists a file of another type as an error and answers 422 when nothing loads', async () => {
    await start();
    const res = await upload(
      form([{ name: '通知.pdf', bytes: new Uint8Array([37, 80]) }]),
      asBureau,
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      dryRun: false,
      files: [
        {
          path: '通知.pdf',
          kind: null,
          unchanged: false,
          rowsRead: 0,
          rowsSkipped: 0,
          rowsLoaded: 0,
          rowsRejected: 0,
          unitsLoaded: 0,
          unitsRejected: 0,
          rejects: [],
          error:
            '不支持的文件类型（仅限 .xlsx、.xls、.et、.ods、.csv、.txt）/ unsupported file type (only .xlsx, .xls, .et, .ods, .csv and .txt)',
        },
      ],
    });
    expect(await query(warehouse, 'SELECT outcome FROM audit_log')).toEqual([
      { outcome: 'failed' },
    ]);
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('gives a damaged .xls the same "save it as .xlsx" answer as etl load', async () => {
    await start();
    // An OLE compound file's signature: what Excel 97-2003 writes.
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const res = await upload(form([{ name: '月报.xls', bytes: ole }]), asBureau);
    expect(res.status).toBe(422);
    const body = (await res.json()) as LoadSummary;
    expect(body.files.map((f) => [f.path, f.kind])).toEqual([['月报.xls', null]]);
    expect(body.files[0]?.error).toContain(
      '文件不是可读的Excel 97-2003 .xls工作簿，可能已损坏，请在Excel或WPS中打开后另存为.xlsx / not a readable Excel 97-2003 .xls workbook; it may be damaged: open it in Excel or WPS and save it as .xlsx',
    );
    expect(body.files[0]?.error).not.toContain(tempRoot);
  });

  it('answers 413 for a file over the size limit and for too many files, and stores nothing', async () => {
    await start({ maxUploadBytes: 1024, maxUploadFiles: 2 });
    const big = { name: '大文件.csv', bytes: new Uint8Array(5000).fill(65) };
    const tooLarge = await upload(form([big]), asBureau);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message:
          '文件过大：大文件.csv 超过每个文件 1 KB 的上限 / file too large: 大文件.csv exceeds 1 KB per file',
      },
    });
    const small = { name: 'a.csv', bytes: new Uint8Array([65]) };
    const tooMany = await upload(form([small, small, small]), asBureau);
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toBe(
      '文件过多：每次最多上传 2 个文件 / too many files: at most 2 per upload',
    );
    expect(await counts(warehouse)).toMatchObject({ load_batches: 0 });
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('answers 400 for another field, for no files and for a body that is not multipart', async () => {
    await start();
    const other = await upload(form([await fixtureUpload(REGISTRY)], 'file'), asBureau);
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message: '文件须放在表单字段“files”中 / files must be sent in the form field "files"',
      },
    });
    const empty = new FormData();
    empty.append('note', 'x');
    expect((await upload(empty, asBureau)).status).toBe(400);
    const json = await upload('{}', { ...asBureau, 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('refuses a cross-site Origin and accepts its own', async () => {
    await start();
    const files = form([await fixtureUpload(REGISTRY)]);
    const cross = await upload(files, { ...asBureau, origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    expect(await cross.json()).toEqual({
      error: { code: 'FORBIDDEN', message: '拒绝跨站上传 / cross-site upload refused' },
    });
    expect((await upload(files, { ...asBureau, origin: 'null' })).status).toBe(403);
    expect(await counts(warehouse)).toMatchObject({ load_batches: 0 });
    expect((await upload(files, { ...asBureau, origin: base })).status).toBe(200);
  });
});

describe('POST /api/uploads on the whole server', () => {
  let running: RunningServer;
  const password = 'correct horse battery';

  beforeEach(async () => {
    running = await startServer({
      env: {},
      config: { dbPath: ':memory:', port: 0, host: '127.0.0.1' },
      log,
    });
    for (const [username, role] of [
      ['bureau', 'BUREAU_INSPECTOR'],
      ['leader', 'LEADERSHIP'],
    ] as const) {
      const passwordHash = await hashPassword(password);
      await running.writer.write(({ db }) =>
        insertUser(db, { username, displayName: username, role, inspectorId: null, passwordHash }),
      );
    }
  });

  afterEach(async () => {
    await running.close();
  });

  async function signIn(username: string): Promise<string> {
    const res = await fetch(`${running.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    return cookie.split(';')[0] ?? '';
  }

  const post = (body: FormData, headers: Record<string, string> = {}) =>
    fetch(`${running.url}/api/uploads`, { method: 'POST', body, headers });

  it('signs in through /auth/login and loads as the bureau inspector only', async () => {
    const files = form([await fixtureUpload(REGISTRY), await fixtureUpload(PARTICIPATION)]);
    expect((await post(files)).status).toBe(401);
    expect((await post(files, { cookie: await signIn('leader') })).status).toBe(403);
    const cookie = await signIn('bureau');
    const cross = await post(files, { cookie, origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    const res = await post(files, { cookie });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual(await expectedSummary([REGISTRY, PARTICIPATION]));
    expect(await counts(running.warehouse)).toMatchObject({ schools: 4, participation: 2 });
    expect(
      await query(
        running.warehouse,
        `SELECT username, target, outcome FROM audit_log WHERE action = 'upload'`,
      ),
    ).toEqual([
      { username: 'bureau', target: '学校名录.xlsx, 分年级参与情况-河西乡.csv', outcome: 'ok' },
    ]);
  });
});
