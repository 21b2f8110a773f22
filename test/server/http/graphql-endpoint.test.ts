/**
 * POST /graphql over real HTTP: the graphql-http audit suite (every MUST audit passes,
 * run as a signed-in user), UNAUTHENTICATED without a session, CSRF prevention, helmet's
 * headers, and fixture figures end to end (files → ETL → warehouse → HTTP → JSON).
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../server/auth/password.ts';
import { openWarehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { insertUser } from '../../../server/graphql/users/users.repository.ts';
import { startServer, type RunningServer } from '../../../server/http/serve.ts';
import { exitCode, loadPaths } from '../../../etl/index.ts';
import { API_FIXTURES } from '../../helpers/api-fixture.ts';

const PASSWORD = 'correct horse battery';
let server: RunningServer;
let bureauCookie = '';
let inspectorCookie = '';

async function signIn(username: string): Promise<string> {
  const res = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

async function gql(query: string, cookie: string | null, variables?: object) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

beforeAll(async () => {
  const warehouse = await openWarehouse(':memory:');
  expect(exitCode(await loadPaths(warehouse, [API_FIXTURES], { user: 'test' }))).toBe(0);
  const writer = await WarehouseWriter.open(warehouse);
  const passwordHash = await hashPassword(PASSWORD);
  await writer.write(async ({ db }) => {
    await insertUser(db, {
      username: 'bureau',
      displayName: '督导科',
      role: 'BUREAU_INSPECTOR',
      inspectorId: null,
      passwordHash,
    });
    await insertUser(db, {
      username: 'dx01',
      displayName: '张督学',
      role: 'SUPERVISING_INSPECTOR',
      inspectorId: 'DX01',
      passwordHash,
    });
  });
  server = await startServer({
    warehouse,
    writer,
    config: { port: 0, host: '127.0.0.1' },
    marker: false,
    env: { NODE_ENV: 'test' },
  });
  bureauCookie = await signIn('bureau');
  inspectorCookie = await signIn('dx01');
});
afterAll(async () => {
  await server?.close();
});

describe('POST /graphql', () => {
  it('passes every MUST audit of the GraphQL-over-HTTP spec (graphql-http)', async () => {
    const fetchFn = (input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('cookie', bureauCookie);
      return fetch(input, { ...init, headers });
    };
    const audits = serverAudits({ url: `${server.url}/graphql`, fetchFn });
    const failed: string[] = [];
    let must = 0;
    for (const audit of audits) {
      if (!audit.name.startsWith('MUST')) continue;
      must += 1;
      const result = await audit.fn();
      if (result.status !== 'ok') failed.push(`${audit.name}: ${result.reason}`);
    }
    expect(must).toBeGreaterThan(10);
    expect(failed).toEqual([]);
  });

  it('answers UNAUTHENTICATED (401) to every operation without a session', async () => {
    for (const query of [
      '{ me { name } }',
      '{ __typename }',
      '{ overview(month: "2025-10") { enrolled } }',
    ]) {
      const r = await gql(query, null);
      expect(r.status).toBe(401);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(r.body.data).toBeUndefined();
    }
    const forged = await gql('{ me { name } }', 'kehou_session=forged-token-value');
    expect(forged.status).toBe(401);
  });

  it('serves the fixture figures to a signed-in user, scoped to their schools', async () => {
    const q = `{ me { name role schoolCodes } overview(month: "2025-10") { schoolsInScope enrolled participants } }`;
    const bureau = await gql(q, bureauCookie);
    expect(bureau.body.data?.overview).toEqual({
      schoolsInScope: 4,
      enrolled: 450,
      participants: 208,
    });
    const inspector = await gql(q, inspectorCookie);
    expect(inspector.body.data).toEqual({
      me: { name: '张督学', role: 'SUPERVISING_INSPECTOR', schoolCodes: ['1000000001'] },
      overview: { schoolsInScope: 1, enrolled: 200, participants: 168 },
    });
  });

  it('blocks CSRF-prone requests (text/plain POST, GET without a preflight header)', async () => {
    const plain = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: bureauCookie },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(plain.status).toBe(400);
    const get = await fetch(
      `${server.url}/graphql?query=${encodeURIComponent('{ me { name } }')}`,
      {
        headers: { cookie: bureauCookie },
      },
    );
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/u);
  });

  it('sends helmet’s security headers and refuses bodies over 64 KB', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-powered-by')).toBeNull();
    expect(health.headers.get('content-security-policy')).toMatch(/default-src 'self'/u);
    const big = await gql(`{ me { name } } # ${'x'.repeat(70_000)}`, bureauCookie);
    expect(big.status).toBe(413);
    expect(big.body).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: '请求过大 / Request body too large' },
    });
  });
});
