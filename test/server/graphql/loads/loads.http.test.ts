/**
 * The load history over real HTTP: without a session the request never reaches the
 * resolvers and answers UNAUTHENTICATED (401), as every operation does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../../../server/db/connect.ts';
import { startServer, type RunningServer } from '../../../../server/http/serve.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    warehouse: await openWarehouse(':memory:'),
    config: { port: 0, host: '127.0.0.1' },
    marker: false,
    env: { NODE_ENV: 'test' },
  });
});
afterAll(async () => {
  // Closes the warehouse too (checkpoint on shutdown).
  await server?.close();
});

describe('Query.loadBatches', () => {
  it('answers UNAUTHENTICATED (401) without a session', async () => {
    for (const query of ['{ loadBatches { total } }', '{ loadBatch(id: "1") { id } }']) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as {
        data?: unknown;
        errors?: { extensions?: { code?: string } }[];
      };
      expect(res.status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
    }
  });
});
