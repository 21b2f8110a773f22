/**
 * Argument validation, the per-request history loader, and the policy as GraphQL types,
 * without the GraphQL layer.
 */
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../../server/db/connect.ts';
import type { GraphQLContext } from '../../../../server/graphql/context.ts';
import { ANY_FLAG } from '../../../../server/graphql/flags/flags.repository.ts';
import {
  flagHistory,
  parseFlagId,
  policyVersionInfos,
  toCountFilter,
  toFlagFilter,
} from '../../../../server/graphql/flags/flags.service.ts';
import { parsePolicy } from '../../../../server/policy/policy.ts';

const badInput = expect.objectContaining({
  extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
});

describe('toFlagFilter', () => {
  it('leaves every filter open when no argument is given', () => {
    expect(toFlagFilter({})).toEqual(ANY_FLAG);
  });

  it('maps each argument to its filter', () => {
    expect(
      toFlagFilter({
        month: '2025-10',
        schoolCode: '1000000001',
        codes: ['LATE_END'],
        statuses: ['OPEN', 'RECTIFYING'],
        source: 'INSPECTION',
        overdue: false,
        scope: { township: '东城镇', stage: 'NINE_YEAR', locality: 'TOWN', schoolCodes: ['1'] },
      }),
    ).toEqual({
      from: '2025-10',
      to: '2025-10',
      schoolCode: '1000000001',
      codes: ['LATE_END'],
      statuses: ['OPEN', 'RECTIFYING'],
      source: 'inspection',
      overdue: false,
      scope: {
        township: '东城镇',
        stage: 'nine_year',
        locality: 'town',
        schoolCodes: ['1'],
        approvedOnly: null,
      },
    });
    expect(toFlagFilter({ from: '2025-09', source: 'REPORT' })).toMatchObject({
      from: '2025-09',
      to: null,
      source: 'report',
    });
  });

  it('intersects a single value with its list', () => {
    expect(toFlagFilter({ code: 'A' }).codes).toEqual(['A']);
    expect(toFlagFilter({ code: 'A', codes: ['B', 'A'] }).codes).toEqual(['A']);
    expect(toFlagFilter({ code: 'A', codes: ['B'] }).codes).toEqual([]);
    expect(toFlagFilter({ status: 'OPEN', statuses: ['CLOSED'] }).statuses).toEqual([]);
    expect(toFlagFilter({ statuses: [] }).statuses).toEqual([]);
  });

  it('refuses malformed months, month with a range, reversed ranges and long lists', () => {
    for (const args of [
      { month: '2025-9' },
      { to: '2025-00' },
      { month: '2025-10', to: '2025-10' },
      { from: '2025-11', to: '2025-10' },
      { statuses: Array.from({ length: 101 }, () => 'OPEN' as const) },
    ])
      expect(() => toFlagFilter(args)).toThrow(badInput);
    expect(() => toFlagFilter({ from: '2025-10', to: '2025-10' })).not.toThrow();
  });
});

describe('toCountFilter', () => {
  it('takes a range of at most 60 months', () => {
    expect(toCountFilter({ from: '2021-02', to: '2026-01' })).toEqual({
      ...ANY_FLAG,
      from: '2021-02',
      to: '2026-01',
      scope: {},
    });
    expect(() => toCountFilter({ from: '2021-01', to: '2026-01' })).toThrow(badInput);
    expect(() => toCountFilter({ from: '2025-10', to: '2025-09' })).toThrow(badInput);
  });
});

describe('parseFlagId', () => {
  it('accepts positive integers that fit a double exactly, nothing else', () => {
    expect(parseFlagId('1')).toBe(1);
    expect(parseFlagId('999999999999999')).toBe(999999999999999);
    for (const id of ['', '0', '01', '-1', '1.5', '1e3', ' 1', 'abc', '9999999999999999'])
      expect(parseFlagId(id)).toBeNull();
  });
});

describe('flagHistory', () => {
  let warehouse: Warehouse;
  let queries = 0;
  beforeAll(async () => {
    warehouse = await openWarehouse(':memory:');
    const conn = await warehouse.connect();
    await conn.run(`INSERT INTO flag_events (event_id, flag_id, action, from_status, to_status,
        username, user_name, occurred_at) VALUES
      (2, 1, 'RECTIFICATION_REQUESTED', 'OPEN', 'RECTIFYING', 'bureau', '区督导', '2025-11-02T00:00:00Z'),
      (1, 1, 'RAISED', NULL, 'OPEN', 'system', '系统', '2025-11-01T00:00:00Z'),
      (3, 2, 'RAISED', NULL, 'OPEN', 'system', '系统', '2025-11-01T00:00:00Z')`);
    conn.closeSync();
  });
  afterAll(() => warehouse.close());

  const context = (): GraphQLContext => {
    const counter: KyselyPlugin = {
      transformQuery(args) {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    return { db: warehouse.db.withPlugin(counter) } as unknown as GraphQLContext;
  };
  const eventIds = (events: { id: string | number }[]) => events.map((e) => String(e.id));

  it('loads the flags asked for in one tick with one query', async () => {
    queries = 0;
    const ctx = context();
    const [one, two, three, again] = await Promise.all([
      flagHistory(ctx, '1'),
      flagHistory(ctx, '2'),
      flagHistory(ctx, '3'),
      flagHistory(ctx, '1'),
    ]);
    expect([one, two, three, again].map((events) => eventIds(events ?? []))).toEqual([
      ['1', '2'],
      ['3'],
      [],
      ['1', '2'],
    ]);
    expect(queries).toBe(1);
  });

  it('reads again in a later tick, so a step taken meanwhile shows', async () => {
    queries = 0;
    const ctx = context();
    expect(eventIds(await flagHistory(ctx, '2'))).toEqual(['3']);
    const conn = await warehouse.connect();
    await conn.run(`INSERT INTO flag_events (event_id, flag_id, action, from_status, to_status,
        username, user_name) VALUES (4, 2, 'DISMISSED', 'OPEN', 'DISMISSED', 'bureau', '区督导')`);
    conn.closeSync();
    expect(eventIds(await flagHistory(ctx, '2'))).toEqual(['3', '4']);
    expect(queries).toBe(2);
  });

  it('asks nothing for an ID that cannot name a flag', async () => {
    queries = 0;
    expect(await flagHistory(context(), 'abc')).toEqual([]);
    expect(queries).toBe(0);
  });
});

describe('policyVersionInfos', () => {
  it('lists versions oldest first with every inherited parameter as JSON', () => {
    const policy = parsePolicy(`
district: 测试区
versions:
  - version: '2024.1'
    effective_from: '2024-09'
    source: 区通知（2024）
    note: 春冬季提前结束
    end_time: { latest: { primary: '17:30' } }
  - version: '2021.1'
    effective_from: '2021-09'
    source: 国家默认
`);
    const infos = policyVersionInfos(policy);
    expect(infos.map((i) => [i.district, i.version, i.effectiveFrom, i.source, i.note])).toEqual([
      ['测试区', '2021.1', '2021-09', '国家默认', null],
      ['测试区', '2024.1', '2024-09', '区通知（2024）', '春冬季提前结束'],
    ]);
    const [older, newer] = infos.map((i) => JSON.parse(i.parameters) as Record<string, never>);
    expect(older).toMatchObject({ end_time: { latest: { primary: '18:00', junior: '18:30' } } });
    expect(newer).toMatchObject({
      end_time: { latest: { primary: '17:30', junior: '18:30' } },
      service: { min_daily_minutes: 120 },
    });
    for (const key of ['version', 'effective_from', 'source', 'note'])
      expect(Object.keys(newer ?? {})).not.toContain(key);
  });
});
