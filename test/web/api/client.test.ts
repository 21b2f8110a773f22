import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request } from '../../../web/src/api/client.ts';

function answer(status: number, body: unknown): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('gives the Chinese half and the code of the server answer GraphQL never saw', async () => {
    answer(503, {
      error: {
        code: 'WAREHOUSE_UNAVAILABLE',
        message:
          '数据仓库暂不可用，正在恢复，请稍后重试 / the warehouse is unavailable while it recovers; try again shortly',
      },
    });
    const failure = await request('{ me { username } }').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      message: '数据仓库暂不可用，正在恢复，请稍后重试',
      code: 'WAREHOUSE_UNAVAILABLE',
    });
  });

  it('gives a GraphQL error its code, e.g. a query that ran past its deadline', async () => {
    answer(200, {
      errors: [
        {
          message:
            '查询超时：超过 10 秒，已中止，请缩小范围后重试 / query timed out after 10 s and was stopped; narrow the request and try again',
          extensions: { code: 'QUERY_TIMEOUT' },
        },
      ],
    });
    await expect(request('{ me { username } }')).rejects.toMatchObject({
      message: '查询超时：超过 10 秒，已中止，请缩小范围后重试',
      code: 'QUERY_TIMEOUT',
    });
  });

  it('marks an export’s query so the server answers protected figures, and a view’s not', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ data: { me: null } })));
    vi.stubGlobal('fetch', fetch);
    await request('{ me { username } }', {}, undefined, 'export');
    await request('{ me { username } }');
    const headers = (call: number) =>
      (fetch.mock.calls[call] as unknown as [string, RequestInit])[1].headers as Record<
        string,
        string
      >;
    expect(headers(0)['x-kehou-disclosure']).toBe('export');
    expect(headers(1)['x-kehou-disclosure']).toBeUndefined();
  });
});
