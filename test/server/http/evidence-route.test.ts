/**
 * POST/GET /api/evidence: type judged by content, location metadata stripped losslessly,
 * thumbnails, the per-file and per-owner limits, active PDFs refused, and who may upload
 * and read a file of a visit, a flag or a complaint (the owners' own scoping), with audit.
 *
 * The fixture's remit (test/fixtures/api/督学挂牌.csv): DX01 has 1000000001 and 1000000003
 * from 2025-09; DX02 has 1000000002 and 1000000004, and 1000000003 from 2025-10. The clock
 * stands at 2025-11-20, so 1000000003 is DX02's now and was DX01's in 2025-09.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneOriginals } from '../../../server/db/originals.ts';
import { evidenceRouter } from '../../../server/http/evidence-route.ts';
import { createServerLogger } from '../../../server/log.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../helpers/api-fixture.ts';
import { seedLateEndFlag } from '../../helpers/seed-flag.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/evidence/', import.meta.url));
const fixture = (name: string) => readFile(`${FIXTURES}${name}`);
const NOW = new Date('2025-11-20T10:00:00+08:00');
/** Small limits, so the test sends small files. */
const LIMITS = { maxFileBytes: 64 * 1024, maxPerOwner: 3 };

type Who = keyof typeof VIEWERS;

let api: ApiFixture;
let server: Server;
let base: string;
/** Visit at 1000000001 (DX01's) on 2025-09-15. */
let visit1: number;
/** Visit at 1000000003 on 2025-09-20: DX01's then, DX02's now. */
let visit3: number;
/** Flag of 1000000002 (DX02's) in 2025-10. */
let flag2: number;
/** Complaint about 1000000001 received 2025-10-12. */
let complaint1: number;

async function insertVisit(school: string, date: string): Promise<number> {
  const row = await api.writer.write(({ db }) =>
    db
      .insertInto('visits')
      .values({
        school_code: school,
        visit_date: sql`CAST(${date} AS DATE)` as never,
        kind: 'ROUTINE',
        user_id: 3,
        username: 'dx01',
        user_name: '张督学',
        inspector_id: 'DX01',
        findings: '查看课后服务',
        evidence: null,
      })
      .returning('visit_id')
      .executeTakeFirstOrThrow(),
  );
  return Number(row.visit_id);
}

beforeAll(async () => {
  api = await openApiFixture({ now: NOW });
  visit1 = await insertVisit('1000000001', '2025-09-15');
  visit3 = await insertVisit('1000000003', '2025-09-20');
  flag2 = Number(
    await seedLateEndFlag(api.writer, {
      school: '1000000002',
      month: '2025-10',
      createdAt: '2025-11-06T09:00:00+08:00',
    }),
  );
  const complaint = await api.writer.write(({ db }) =>
    db
      .insertInto('complaints')
      .values({
        school_code: '1000000001',
        source: 'HOTLINE_12345',
        flag_code: 'LATE_END',
        received_on: '2025-10-12',
        month: '2025-10',
        allegation: '托管拖到七点',
        complainant_name: '王女士',
        complainant_contact: '13800000000',
        status: 'RECEIVED',
        handler_user_id: null,
        deadline: '2025-10-27',
        flag_id: null,
        visit_id: null,
        finding: null,
        substantiated: null,
        created_by_user_id: 1,
        created_by: 'bureau',
        closed_at: null,
      } as never)
      .returning('complaint_id')
      .executeTakeFirstOrThrow(),
  );
  complaint1 = Number(complaint.complaint_id);
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
      limits: LIMITS,
      now: () => NOW,
    }),
  );
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await api?.close();
});

interface Uploaded {
  id: string;
  mime: string;
  fileName: string;
  bytes: number;
  width: number | null;
  height: number | null;
  stripped: string | null;
  caption: string | null;
  url: string;
  thumbnailUrl: string | null;
}

async function upload(
  who: Who,
  owner: [string, number],
  name: string,
  bytes: Buffer,
  options: { type?: string; caption?: string } = {},
): Promise<{
  status: number;
  body: { file?: Uploaded; error?: { code: string; message: string } };
}> {
  const form = new FormData();
  form.set('ownerKind', owner[0]);
  form.set('ownerId', String(owner[1]));
  if (options.caption) form.set('caption', options.caption);
  form.set('file', new Blob([bytes], { type: options.type ?? 'image/jpeg' }), name);
  const res = await fetch(`${base}/api/evidence`, {
    method: 'POST',
    body: form,
    headers: { 'x-test-user': who },
  });
  return { status: res.status, body: (await res.json()) as never };
}

const get = (who: Who | null, path: string) =>
  fetch(`${base}${path}`, { headers: who ? { 'x-test-user': who } : {} });

async function lastAudit(): Promise<{ username: string; action: string; outcome: string }> {
  return (await api.warehouse.db
    .selectFrom('audit_log')
    .select(['username', 'action', 'outcome'])
    .orderBy('audit_id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()) as never;
}

/** The bytes from the first scan (SOS) on: the compressed pixels. */
function scanData(jpeg: Buffer): Buffer {
  return jpeg.subarray(jpeg.indexOf(Buffer.from([0xff, 0xda])));
}

describe('POST /api/evidence', () => {
  let photo: Uploaded;

  it('strips a photo’s GPS EXIF without re-encoding it and makes a 320×240 thumbnail', async () => {
    const original = await fixture('gps-photo.jpg');
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const { status, body } = await upload(
      'dx01',
      ['VISIT', visit1],
      'C:\\DCIM\\现场.jpg',
      original,
      {
        caption: '门口公示栏',
      },
    );
    expect(status).toBe(201);
    photo = body.file!;
    expect(photo).toMatchObject({
      mime: 'image/jpeg',
      fileName: '现场.jpg',
      width: 640,
      height: 480,
      stripped: 'EXIF（含定位）',
      caption: '门口公示栏',
      url: `/api/evidence/${photo.id}`,
      thumbnailUrl: `/api/evidence/${photo.id}/thumbnail`,
    });
    const res = await get('dx01', photo.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename=/u);
    const kept = Buffer.from(await res.arrayBuffer());
    expect(kept.length).toBe(photo.bytes);
    const meta = await sharp(kept).metadata();
    expect(meta.exif).toBeUndefined();
    expect(kept.includes('KehouTestCam')).toBe(false);
    expect(kept.includes('Exif\0\0')).toBe(false);
    // Lossless: the compressed pixels are the camera's, byte for byte.
    expect(scanData(kept).equals(scanData(original))).toBe(true);
    expect(await lastAudit()).toEqual({
      username: 'dx01',
      action: 'evidence.download',
      outcome: 'ok',
    });

    const thumb = await get('dx01', photo.thumbnailUrl!);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([thumbMeta.width, thumbMeta.height]).toEqual([320, 240]);
  });

  it('turns a photo by its EXIF orientation (re-encoded) and still drops the EXIF', async () => {
    const { status, body } = await upload(
      'dx01',
      ['VISIT', visit1],
      'turned.jpg',
      await fixture('turned-photo.jpg'),
    );
    expect(status).toBe(201);
    // 200×100 with orientation 6 (turn 90°) stands 100×200; smaller than a thumbnail.
    expect(body.file).toMatchObject({ width: 100, height: 200, stripped: 'EXIF（含定位）' });
    const kept = Buffer.from(await (await get('bureau', body.file!.url)).arrayBuffer());
    const meta = await sharp(kept).metadata();
    expect([meta.width, meta.height, meta.exif, meta.orientation]).toEqual([
      100,
      200,
      undefined,
      undefined,
    ]);
    const thumb = Buffer.from(await (await get('bureau', body.file!.thumbnailUrl!)).arrayBuffer());
    const t = await sharp(thumb).metadata();
    expect([t.width, t.height]).toEqual([100, 200]);
  });

  it('drops a PNG’s eXIf chunk and keeps its pixel data chunks as they were', async () => {
    const original = await fixture('gps-notice.png');
    // Named .pdf and sent as a PDF: the content says PNG, and the content decides.
    const { status, body } = await upload('bureau', ['VISIT', visit3], 'notice.pdf', original, {
      type: 'application/pdf',
    });
    expect(status).toBe(201);
    expect(body.file).toMatchObject({ mime: 'image/png', stripped: 'EXIF（含定位）', width: 640 });
    const kept = Buffer.from(await (await get('bureau', body.file!.url)).arrayBuffer());
    expect(kept.includes('eXIf')).toBe(false);
    // 6097 bytes less the eXIf chunk (338 data + 12 framing).
    expect(kept.length).toBe(original.length - 350);
    const idat = (b: Buffer) => b.subarray(b.indexOf('IDAT') - 4, b.indexOf('IEND') - 4);
    expect(idat(kept).equals(idat(original))).toBe(true);
  });

  it('keeps a plain PDF as it is, without a thumbnail, and sends it as an attachment', async () => {
    const pdf = await fixture('notice.pdf');
    const { status, body } = await upload('dx02', ['FLAG', flag2], '整改报告.pdf', pdf, {
      type: 'application/pdf',
    });
    expect(status).toBe(201);
    expect(body.file).toMatchObject({
      mime: 'application/pdf',
      bytes: pdf.length,
      stripped: null,
      thumbnailUrl: null,
      width: null,
    });
    const res = await get('dx02', body.file!.url);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/u);
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await get('dx02', `${body.file!.url}/thumbnail`)).status).toBe(404);
  });

  it('refuses what is not JPEG, PNG or PDF by content, whatever its name and type say', async () => {
    const { status, body } = await upload(
      'dx01',
      ['VISIT', visit1],
      'photo.jpg',
      await fixture('not-a-photo.jpg'),
    );
    expect(status).toBe(415);
    expect(body.error!.code).toBe('UNSUPPORTED_TYPE');
    expect(body.error!.message).toContain('只能上传 JPEG、PNG 图片或 PDF 文件');
    expect(await lastAudit()).toEqual({
      username: 'dx01',
      action: 'evidence.upload',
      outcome: 'failed',
    });
  });

  it('refuses PDFs with scripts, also hidden in a compressed object stream', async () => {
    for (const name of ['script.pdf', 'hidden-script.pdf']) {
      const { status, body } = await upload('dx01', ['VISIT', visit3], name, await fixture(name), {
        type: 'application/pdf',
      });
      expect([name, status, body.error!.code]).toEqual([name, 415, 'ACTIVE_PDF']);
    }
  });

  it('refuses a file over the size limit (413) and a fourth file on one owner (409)', async () => {
    const big = Buffer.concat([await fixture('gps-photo.jpg'), Buffer.alloc(LIMITS.maxFileBytes)]);
    const tooBig = await upload('dx01', ['VISIT', visit1], 'big.jpg', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error!.message).toContain('每个文件不超过 0.1 MB');
    // visit1 holds the GPS photo and the turned one: one more fits, then the limit of 3.
    const photoBytes = await fixture('gps-photo.jpg');
    expect((await upload('dx01', ['VISIT', visit1], 'third.jpg', photoBytes)).status).toBe(201);
    const fourth = await upload('dx01', ['VISIT', visit1], 'fourth.jpg', photoBytes);
    expect(fourth.status).toBe(409);
    expect(fourth.body.error!.code).toBe('TOO_MANY_FILES');
  });
});

describe('who may upload and read evidence', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const jpeg = await fixture('gps-photo.jpg');
    const pdf = await fixture('notice.pdf');
    ids.visit3 = (await upload('dx01', ['VISIT', visit3], 'v3.jpg', jpeg)).body.file!.id;
    ids.flag2 = (await upload('bureau', ['FLAG', flag2], 'f2.pdf', pdf)).body.file!.id;
    ids.complaint1 = (
      await upload('dx01', ['COMPLAINT', complaint1], 'c1.jpg', jpeg)
    ).body.file!.id;
  });

  it('lets a 督学 upload only to owners of their schools, never leadership', async () => {
    const jpeg = await fixture('gps-photo.jpg');
    // 1000000001 was never DX02's; 1000000002 never DX01's.
    expect((await upload('dx02', ['VISIT', visit1], 'x.jpg', jpeg)).status).toBe(404);
    expect((await upload('dx01', ['FLAG', flag2], 'x.jpg', jpeg)).status).toBe(404);
    expect((await upload('dx02', ['COMPLAINT', complaint1], 'x.jpg', jpeg)).status).toBe(404);
    expect((await upload('unlinked', ['VISIT', visit1], 'x.jpg', jpeg)).status).toBe(404);
    expect(await lastAudit()).toEqual({
      username: 'nobody',
      action: 'evidence.upload',
      outcome: 'denied',
    });
    expect((await upload('dx01', ['FLAG', 999999], 'x.jpg', jpeg)).status).toBe(404);
    expect((await upload('leader', ['VISIT', visit1], 'x.jpg', jpeg)).status).toBe(403);
    // DX02 holds 1000000003 now, so it may add to a visit made there before it was theirs.
    expect((await upload('dx02', ['VISIT', visit3], 'x.jpg', jpeg)).status).toBe(201);
  });

  it('serves each file to exactly those who may see its owner', async () => {
    const expected: Record<string, Record<Who, number>> = {
      // 1000000003: DX01's in the visit's month, DX02's now.
      // A school's reporter and the township's reviewer see their own school's files.
      visit3: {
        ...{ bureau: 200, leader: 200, dx01: 200, dx02: 200, unlinked: 404 },
        ...{ school: 404, otherSchool: 200, township: 404 },
      },
      // 1000000002: DX02's only (and 东城镇's, the school's own).
      flag2: {
        ...{ bureau: 200, leader: 200, dx01: 404, dx02: 200, unlinked: 404 },
        ...{ school: 200, otherSchool: 404, township: 200 },
      },
      // Complaints: leadership gets counts only, never files; the school side never.
      complaint1: {
        ...{ bureau: 200, leader: 404, dx01: 200, dx02: 404, unlinked: 404 },
        ...{ school: 404, otherSchool: 404, township: 404 },
      },
    };
    const actual: Record<string, Record<string, number>> = {};
    for (const [owner, id] of Object.entries(ids)) {
      actual[owner] = {};
      for (const who of Object.keys(VIEWERS) as Who[])
        actual[owner][who] = (await get(who, `/api/evidence/${id}`)).status;
    }
    expect(actual).toEqual(expected);
    expect((await get('dx02', `/api/evidence/${ids.complaint1}/thumbnail`)).status).toBe(404);
    expect(await lastAudit()).toEqual({
      username: 'dx02',
      action: 'evidence.download',
      outcome: 'denied',
    });
    expect((await get(null, `/api/evidence/${ids.visit3}`)).status).toBe(401);
    for (const bad of ['0', 'abc', '1e3', '..%2F1'])
      expect((await get('bureau', `/api/evidence/${bad}`)).status).toBe(404);
  });

  it('never prunes a kept evidence file, nor its thumbnail', async () => {
    const row = await api.warehouse.db
      .selectFrom('evidence_files')
      .select(['sha256', 'thumb_sha256'])
      .where('file_id', '=', Number(ids.visit3))
      .executeTakeFirstOrThrow();
    const conn = await api.warehouse.connect();
    try {
      const result = await pruneOriginals(api.warehouse, conn, {
        retentionDays: 1,
        now: new Date('2027-01-01T00:00:00Z'),
      });
      expect(result.removed).not.toContain(row.sha256);
      expect(result.removed).not.toContain(row.thumb_sha256);
    } finally {
      conn.closeSync();
    }
    expect((await get('bureau', `/api/evidence/${ids.visit3}`)).status).toBe(200);
    expect((await get('bureau', `/api/evidence/${ids.visit3}/thumbnail`)).status).toBe(200);
  });
});

describe('evidence in GraphQL', () => {
  const VISIT_FILES = /* GraphQL */ `
    query ($id: ID!) {
      visit(id: $id) {
        evidenceFiles {
          id
          fileName
          ownerKind
          stripped
          thumbnailUrl
        }
      }
    }
  `;
  const DELETE = /* GraphQL */ `
    mutation ($id: ID!) {
      deleteEvidenceFile(id: $id) {
        id
        fileName
      }
    }
  `;
  const names = async (who: Who, visitId: number) => {
    const { data, errors } = await api.run(VIEWERS[who], VISIT_FILES, { id: String(visitId) });
    expect(errors).toBeUndefined();
    const visit = data!.visit as { evidenceFiles: { fileName: string }[] } | null;
    return visit?.evidenceFiles.map((f) => f.fileName) ?? null;
  };

  it("lists a visit's files, oldest first, to those who see the visit", async () => {
    // visit1: the GPS photo, the turned one, third.jpg (the fourth was refused).
    expect(await names('dx01', visit1)).toEqual(['现场.jpg', 'turned.jpg', 'third.jpg']);
    expect(await names('leader', visit1)).toEqual(['现场.jpg', 'turned.jpg', 'third.jpg']);
    expect(await names('dx02', visit1)).toBeNull();
  });

  it('deletes a file for its uploader or the bureau only, and the file is gone', async () => {
    const target = await api.warehouse.db
      .selectFrom('evidence_files')
      .select('file_id')
      .where('file_name', '=', 'third.jpg')
      .executeTakeFirstOrThrow();
    const id = String(target.file_id);
    for (const [who, code] of [
      ['dx02', 'NOT_FOUND'],
      ['leader', 'FORBIDDEN'],
    ] as const) {
      const { errors } = await api.run(VIEWERS[who], DELETE, { id });
      expect(errors?.[0]?.extensions?.code).toBe(code);
    }
    const { data, errors } = await api.run(VIEWERS.dx01, DELETE, { id });
    expect(errors).toBeUndefined();
    expect(data!.deleteEvidenceFile).toEqual({ id, fileName: 'third.jpg' });
    expect(await names('dx01', visit1)).toEqual(['现场.jpg', 'turned.jpg']);
    expect((await get('bureau', `/api/evidence/${id}`)).status).toBe(404);
    expect(await lastAudit()).toMatchObject({ username: 'bureau', action: 'evidence.download' });
    const deleted = await api.warehouse.db
      .selectFrom('audit_log')
      .select(['username', 'outcome'])
      .where('action', '=', 'evidence.delete')
      .execute();
    expect(deleted).toEqual([{ username: 'dx01', outcome: 'ok' }]);
  });
});
