/**
 * Upload progress: the in-memory store (ids, owners, bounds, expiry on a hand-moved clock),
 * then the whole server: an upload sent with X-Upload-Id and paused just before its commit
 * is polled through GET /api/uploads/progress/:id by its owner, and by nobody else, while
 * the POST answers exactly as without the header.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadSummary } from '../../../etl/index.ts';
import { hashPassword } from '../../../server/auth/password.ts';
import type { Role } from '../../../server/db/tables/users.table.ts';
import { insertUser } from '../../../server/graphql/users/users.repository.ts';
import {
  isUploadId,
  UploadProgressStore,
  type UploadProgressView,
} from '../../../server/http/upload-progress.ts';
import { startServer, type RunningServer } from '../../../server/http/serve.ts';
import { createServerLogger } from '../../../server/log.ts';
import { until } from '../../helpers/until.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));
const ID = 'a1B2c3D4e5F6g7H8i9J0kL';

describe('UploadProgressStore', () => {
  let clock = 1_000_000;
  const store = (options: { maxEntries?: number; keepMs?: number } = {}) =>
    new UploadProgressStore({ now: () => clock, ...options });

  it('takes only short URL-safe ids', () => {
    expect(
      ['a1B2c3D4e5F6g7H8i9J0kL', 'abcdefghijklmnop', 'A-_'.repeat(20)].map(isUploadId),
    ).toEqual([true, true, true]);
    expect(
      [undefined, '', 'short', 'x'.repeat(65), 'a1B2c3D4e5F6g7H8/../x', 'a1B2c3D4e5F6g7H8 x'].map(
        isUploadId,
      ),
    ).toEqual([false, false, false, false, false, false]);
    const s = store();
    s.start('../../etc/passwd!!', 1).received(10, 1);
    s.start(undefined, 1).end('done');
    expect(s.size).toBe(0);
  });

  it("follows an upload's phases and counts for its owner only, then forgets it", () => {
    const s = store({ keepMs: 30_000 });
    let bytes = 0;
    const track = s.start(ID, 7, () => bytes);
    bytes = 4096;
    clock += 500;
    expect(s.read(ID, 7)).toEqual({
      phase: 'receiving',
      filesDone: 0,
      filesTotal: 0,
      rowsRead: 0,
      elapsedMs: 500,
      receivedBytes: 4096,
    } satisfies UploadProgressView);
    expect(s.read(ID, 8)).toBeNull();
    expect(s.read('zzzzzzzzzzzzzzzzzzzz', 7)).toBeNull();
    track.received(9000, 3);
    bytes = 123_456; // the connection's next request: no longer this upload's
    expect(s.read(ID, 7)).toMatchObject({ phase: 'queued', filesTotal: 3, receivedBytes: 9000 });
    track.loading();
    expect(s.read(ID, 7)?.phase).toBe('reading');
    clock += 1_000;
    track.onProgress({
      filesDone: 1,
      filesTotal: 3,
      rowsRead: 24_310,
      elapsedMs: 900,
      phase: 'validating',
      file: '/tmp/upload-x/学校名录.xlsx',
    });
    const during = s.read(ID, 7);
    expect(during).toEqual({
      phase: 'validating',
      filesDone: 1,
      filesTotal: 3,
      rowsRead: 24_310,
      elapsedMs: 1_500,
      receivedBytes: 9000,
    });
    // No file names reach the page.
    expect(JSON.stringify(during)).not.toContain('学校名录');
    clock += 500;
    track.end('done');
    track.onProgress({ filesDone: 0, filesTotal: 0, rowsRead: 0, elapsedMs: 0, phase: 'reading' });
    clock += 29_000;
    expect(s.read(ID, 7)).toMatchObject({ phase: 'done', elapsedMs: 2_000 });
    // The same id cannot be taken over while it is kept.
    s.start(ID, 8).received(1, 1);
    expect(s.read(ID, 8)).toBeNull();
    clock += 1_000;
    expect(s.read(ID, 7)).toBeNull();
    expect(s.size).toBe(0);
  });

  it('drops a finished upload after keepMs even when nobody asks again', async () => {
    const s = new UploadProgressStore({ now: () => clock, keepMs: 20 }); // the clock stands still
    s.start(ID, 7).end('done');
    expect(s.read(ID, 7)?.phase).toBe('done');
    await new Promise((r) => setTimeout(r, 60));
    expect(s.read(ID, 7)).toBeNull();
  });

  it('holds a bounded number of uploads, making room by dropping finished ones', () => {
    const s = store({ maxEntries: 2 });
    const id = (n: number) => `upload-${String(n).padStart(12, '0')}`;
    const first = s.start(id(1), 1);
    s.start(id(2), 1);
    s.start(id(3), 1); // full of running uploads: not tracked
    expect([1, 2, 3].map((n) => s.read(id(n), 1) !== null)).toEqual([true, true, false]);
    first.end('failed');
    s.start(id(4), 1);
    expect([1, 2, 4].map((n) => s.read(id(n), 1)?.phase ?? null)).toEqual([
      null,
      'receiving',
      'receiving',
    ]);
    expect(s.size).toBe(2);
  });
});

describe('GET /api/uploads/progress/:id on the whole server', () => {
  let running: RunningServer;
  let reached: () => void;
  let inside: Promise<void>;
  let release: () => void;
  const password = 'correct horse battery';
  const log = createServerLogger('test');

  beforeEach(async () => {
    inside = new Promise<void>((r) => (reached = r));
    const held = new Promise<void>((r) => (release = r));
    running = await startServer({
      env: {},
      config: { dbPath: ':memory:', port: 0, host: '127.0.0.1' },
      log,
      uploadBeforeCommit: async () => {
        reached();
        await held;
      },
    });
    const users: Array<[string, Role]> = [
      ['bureau', 'BUREAU_INSPECTOR'],
      ['bureau2', 'BUREAU_INSPECTOR'],
      ['leader', 'LEADERSHIP'],
    ];
    for (const [username, role] of users) {
      const passwordHash = await hashPassword(password);
      await running.writer.write(({ db }) =>
        insertUser(db, { username, displayName: username, role, inspectorId: null, passwordHash }),
      );
    }
  });

  afterEach(async () => {
    release?.();
    await running.close();
  });

  async function signIn(username: string): Promise<string> {
    const res = await fetch(`${running.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(200);
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  const poll = (id: string, cookie?: string) =>
    fetch(`${running.url}/api/uploads/progress/${id}`, {
      headers: cookie ? { cookie } : {},
    });

  async function form(): Promise<FormData> {
    const body = new FormData();
    body.append('files', new Blob([await readFile(REGISTRY)]), '学校名录.xlsx');
    return body;
  }

  it('shows the owner a paused upload in a loading phase, nobody else, and the answer is unchanged', async () => {
    const cookie = await signIn('bureau');
    const uploading = fetch(`${running.url}/api/uploads`, {
      method: 'POST',
      headers: { cookie, 'X-Upload-Id': ID },
      body: await form(),
    });
    await inside;

    const seen = await until(async () => {
      const res = await poll(ID, cookie);
      if (res.status !== 200) return null;
      const view = (await res.json()) as UploadProgressView;
      return ['reading', 'validating', 'writing', 'judging'].includes(view.phase) ? view : null;
    });
    expect(seen.filesTotal).toBe(1);
    expect(seen.filesDone).toBeLessThanOrEqual(1);
    expect(seen.rowsRead).toBeGreaterThanOrEqual(0);
    expect(seen.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(seen.receivedBytes).toBe((await readFile(REGISTRY)).length);
    expect(Object.keys(seen).sort()).toEqual(
      ['elapsedMs', 'filesDone', 'filesTotal', 'phase', 'receivedBytes', 'rowsRead'].sort(),
    );
    const first = await poll(ID, cookie);
    expect(first.headers.get('cache-control')).toBe('no-store');

    // Another bureau inspector: as unknown as a missing upload. Others: the upload's refusals.
    const other = await poll(ID, await signIn('bureau2'));
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: '没有这次上传的进度 / no progress is known for this upload',
      },
    });
    expect((await poll(ID, await signIn('leader'))).status).toBe(403);
    expect((await poll(ID)).status).toBe(401);
    expect((await poll('nosuchuploadatall0000', cookie)).status).toBe(404);
    expect((await poll('bad id', cookie)).status).toBe(404);

    release();
    const res = await uploading;
    expect(res.status).toBe(200);
    const summary = (await res.json()) as LoadSummary;
    expect(summary.files.map((f) => [f.path, f.kind, f.rowsLoaded])).toEqual([
      ['学校名录.xlsx', 'registry', 4],
    ]);
    // Kept a little after the answer, final.
    const after = (await (await poll(ID, cookie)).json()) as UploadProgressView;
    expect(after).toMatchObject({ phase: 'done', filesDone: 1, filesTotal: 1 });
  });

  it('answers an upload without the header, or with a malformed one, exactly as before', async () => {
    const cookie = await signIn('bureau');
    release();
    const plain = await fetch(`${running.url}/api/uploads`, {
      method: 'POST',
      headers: { cookie },
      body: await form(),
    });
    const odd = await fetch(`${running.url}/api/uploads`, {
      method: 'POST',
      headers: { cookie, 'X-Upload-Id': '../not an id' },
      body: await form(),
    });
    expect([plain.status, odd.status]).toEqual([200, 200]);
    const [a, b] = (await Promise.all([plain.json(), odd.json()])) as LoadSummary[];
    expect(a!.files[0]).toMatchObject({ path: '学校名录.xlsx', unchanged: false });
    expect(b!.files[0]).toMatchObject({ path: '学校名录.xlsx', unchanged: true });
  });

  it('says failed for an upload refused for its form', async () => {
    const cookie = await signIn('bureau');
    const id = 'failedUpload-0000000001';
    const body = new FormData();
    body.append('note', 'x');
    const res = await fetch(`${running.url}/api/uploads`, {
      method: 'POST',
      headers: { cookie, 'X-Upload-Id': id },
      body,
    });
    expect(res.status).toBe(400);
    expect(await (await poll(id, cookie)).json()).toMatchObject({ phase: 'failed', filesTotal: 0 });
  });
});
