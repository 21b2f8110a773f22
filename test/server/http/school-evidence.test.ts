/**
 * POST /api/evidence by a 学校填报员 (issue 17): the photos of its rectification report go
 * onto its own school's flags awaiting its answer (RECTIFYING) and nowhere else — not an
 * open or answered flag, not another school's, not a visit. It reads its files back,
 * another school does not, and it may remove a file it uploaded. A 学区审核员 attaches
 * nothing. The API fixture's clock stands at 2025-11-20.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceRouter } from '../../../server/http/evidence-route.ts';
import { createServerLogger } from '../../../server/log.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../helpers/api-fixture.ts';
import { seedLateEndFlag } from '../../helpers/seed-flag.ts';

const PHOTO = fileURLToPath(new URL('../../fixtures/evidence/turned-photo.jpg', import.meta.url));
const NOW = new Date('2025-11-20T10:00:00+08:00');

type Who = keyof typeof VIEWERS;

let api: ApiFixture;
let server: Server;
let base: string;
const flags: Record<'awaiting' | 'open' | 'answered' | 'theirs' | 'township', number> = {
  awaiting: 0,
  open: 0,
  answered: 0,
  theirs: 0,
  township: 0,
};
let visit: number;

beforeAll(async () => {
  api = await openApiFixture({ now: NOW });
  const seed = async (school: string, status: 'OPEN' | 'RECTIFYING' | 'RECTIFIED') =>
    Number(
      await seedLateEndFlag(api.writer, {
        school,
        month: '2025-10',
        status,
        createdAt: '2025-11-06T09:00:00+08:00',
      }),
    );
  flags.awaiting = await seed('1000000002', 'RECTIFYING');
  flags.open = await seed('1000000002', 'OPEN');
  flags.answered = await seed('1000000002', 'RECTIFIED');
  flags.theirs = await seed('1000000003', 'RECTIFYING');
  flags.township = await seed('1000000001', 'RECTIFYING');
  const row = await api.writer.write(({ db }) =>
    db
      .insertInto('visits')
      .values({
        school_code: '1000000002',
        visit_date: sql`CAST('2025-10-15' AS DATE)` as never,
        kind: 'ROUTINE',
        user_id: 4,
        username: 'dx02',
        user_name: '李督学',
        inspector_id: 'DX02',
        findings: '查看课后服务',
        evidence: null,
      })
      .returning('visit_id')
      .executeTakeFirstOrThrow(),
  );
  visit = Number(row.visit_id);
  const app = express();
  app.use((req, res, next) => {
    const who = req.get('x-test-user') as Who | undefined;
    if (who) res.locals.viewer = VIEWERS[who];
    next();
  });
  app.use(
    '/api/evidence',
    evidenceRouter({
      warehouse: api.warehouse,
      writer: api.writer,
      log: createServerLogger('test'),
      limits: { maxFileBytes: 64 * 1024, maxPerOwner: 3 },
      now: () => NOW,
    }),
  );
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await api?.close();
});

async function upload(who: Who, kind: string, id: number) {
  const form = new FormData();
  form.set('ownerKind', kind);
  form.set('ownerId', String(id));
  form.set('file', new Blob([await readFile(PHOTO)], { type: 'image/jpeg' }), '整改后.jpg');
  const res = await fetch(`${base}/api/evidence`, {
    method: 'POST',
    body: form,
    headers: { 'x-test-user': who },
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      file?: { id: string; schoolCode: string; ownerKind: string };
      error?: { code: string; message: string };
    },
  };
}

const NOT_ATTACHABLE = {
  status: 404,
  body: {
    error: { code: 'NOT_FOUND', message: '没有这个对象，或您无权为它上传材料 / no such owner' },
  },
};

describe('a school reporter attaches evidence', () => {
  let fileId = '';

  it("attaches a photo to its own flag awaiting its answer, and reads it; another school doesn't", async () => {
    const { status, body } = await upload('school', 'FLAG', flags.awaiting);
    expect(status).toBe(201);
    expect(body.file).toMatchObject({ ownerKind: 'FLAG', schoolCode: '1000000002' });
    fileId = body.file!.id;
    const own = await fetch(`${base}/api/evidence/${fileId}`, {
      headers: { 'x-test-user': 'school' },
    });
    expect(own.status).toBe(200);
    const other = await fetch(`${base}/api/evidence/${fileId}`, {
      headers: { 'x-test-user': 'otherSchool' },
    });
    expect(other.status).toBe(404);
  });

  it('attaches nothing to an open or answered flag, another school’s flag or a visit', async () => {
    for (const [kind, id] of [
      ['FLAG', flags.open],
      ['FLAG', flags.answered],
      ['FLAG', flags.theirs],
      ['VISIT', visit],
    ] as const)
      expect(await upload('school', kind, id)).toEqual(NOT_ATTACHABLE);
  });

  it('leaves a township reviewer attaching nothing, even in its township', async () => {
    expect(await upload('township', 'FLAG', flags.township)).toEqual(NOT_ATTACHABLE);
  });

  it('removes a file it uploaded itself', async () => {
    const { data, errors } = await api.run(
      VIEWERS.school,
      `mutation ($id: ID!) { deleteEvidenceFile(id: $id) { id } }`,
      { id: fileId },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({ deleteEvidenceFile: { id: fileId } });
    const denied = await api.run(
      VIEWERS.township,
      `mutation ($id: ID!) { deleteEvidenceFile(id: $id) { id } }`,
      { id: fileId },
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
