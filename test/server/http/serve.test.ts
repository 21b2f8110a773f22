/**
 * The in-process server of `npm start` and `npm run demo`: graceful close lets a request
 * already under way finish while refusing new connections, then releases the warehouse;
 * signals map to exit statuses.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createServerLogger } from '../../../server/log.ts';
import { closeOnSignals, startServer, type RunningServer } from '../../../server/http/serve.ts';

const log = createServerLogger('test');

let running: RunningServer | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

function start(): Promise<RunningServer> {
  return startServer({ env: {}, config: { dbPath: ':memory:', port: 0, host: '127.0.0.1' }, log });
}

describe('startServer', () => {
  it('serves /healthz on the port it reports', async () => {
    running = await start();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('finishes a request under way on close, refuses new ones, then closes the warehouse', async () => {
    const server = await start();
    running = server;
    // A GraphQL request whose body arrives in two parts, close() called in between.
    const body = JSON.stringify({ query: '{ __typename }' });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    expect(server.close()).toBe(server.close()); // idempotent
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(closed).toBe(false);

    const { status, text } = await answer;
    expect(status).toBe(401);
    expect(JSON.parse(text)).toMatchObject({
      errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
    });
    await closing;
    expect(closed).toBe(true);
    await expect(server.writer.write(async () => 1)).rejects.toThrow(/closed/u);
  });
});

describe('closeOnSignals', () => {
  const disposers: Array<() => void> = [];
  afterEach(() => {
    for (const dispose of disposers.splice(0)) dispose();
  });

  function watch(close: () => Promise<void>, timeoutMs = 1000): number[] {
    const exits: number[] = [];
    disposers.push(closeOnSignals({ close }, log, { timeoutMs, exit: (c) => exits.push(c) }));
    return exits;
  }

  it('exits 0 after a graceful close on SIGTERM', async () => {
    let calls = 0;
    const exits = watch(async () => void (calls += 1));
    process.emit('SIGTERM', 'SIGTERM');
    await new Promise((r) => setTimeout(r, 10));
    expect([calls, exits]).toEqual([1, [0]]);
  });

  it('exits 1 on a second signal while closing, and after the timeout', async () => {
    const exits = watch(() => new Promise(() => undefined), 100);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
    await new Promise((r) => setTimeout(r, 150));
    expect(exits).toEqual([1, 1]);
  });

  it('exits 1 when closing fails', async () => {
    const exits = watch(() => Promise.reject(new Error('disk full')));
    process.emit('SIGTERM', 'SIGTERM');
    await new Promise((r) => setTimeout(r, 10));
    expect(exits).toEqual([1]);
  });
});
