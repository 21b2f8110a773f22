/**
 * The fixture district of test/fixtures/api loaded through the real ETL into an in-memory
 * warehouse, and a GraphQL executor that runs operations as a given viewer (no HTTP).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ApolloServer } from '@apollo/server';
import type { KyselyPlugin } from 'kysely';
import { pino } from 'pino';
import type { Viewer } from '../../server/auth/viewer.ts';
import { openWarehouse, type Warehouse } from '../../server/db/connect.ts';
import type { Role } from '../../server/db/tables/users.table.ts';
import { WarehouseWriter } from '../../server/db/writer.ts';
import { createApollo } from '../../server/graphql/apollo.ts';
import type { GraphQLContext } from '../../server/graphql/context.ts';
import { loadPolicy } from '../../server/policy/policy.ts';
import { storePolicyFileOn } from '../../server/policy/policy-store.ts';
import { exitCode, loadPaths } from '../../etl/index.ts';

/** When the fixture's files are loaded (deadlines through 2025-10 have passed). */
export const FIXTURE_LOADED_AT = new Date('2025-11-20T12:00:00+08:00');

export const API_FIXTURES = fileURLToPath(new URL('../fixtures/api/', import.meta.url));

/**
 * The fixture district's policy: the national defaults with 愿留尽留 relaxed to 95 %, unless
 * a test points KEHOU_POLICY at its own.
 */
export const API_FIXTURE_POLICY = fileURLToPath(
  new URL('../fixtures/api-district-policy.yaml', import.meta.url),
);

/** Stores the fixture district's policy, as `etl policy` would before its first load. */
export async function storeFixturePolicy(warehouse: Warehouse): Promise<void> {
  if (process.env.KEHOU_POLICY) return;
  const conn = await warehouse.connect();
  try {
    await storePolicyFileOn(conn, {
      text: readFileSync(API_FIXTURE_POLICY, 'utf8'),
      fileName: 'api-district-policy.yaml',
      loadedBy: 'test',
    });
  } finally {
    conn.closeSync();
  }
}

export const VIEWERS = {
  bureau: viewer(1, 'bureau', 'BUREAU_INSPECTOR', null),
  leader: viewer(2, 'leader', 'LEADERSHIP', null),
  dx01: viewer(3, 'dx01', 'SUPERVISING_INSPECTOR', 'DX01'),
  dx02: viewer(4, 'dx02', 'SUPERVISING_INSPECTOR', 'DX02'),
  unlinked: viewer(5, 'nobody', 'SUPERVISING_INSPECTOR', null),
  /** 学校填报员 of 1000000002 (东城村小, 东城镇). */
  school: viewer(6, 'school02', 'SCHOOL_REPORTER', null, { schoolCode: '1000000002' }),
  /** 学校填报员 of 1000000003 (西山中学, 西山镇): 1000000002 is foreign to them. */
  otherSchool: viewer(7, 'school03', 'SCHOOL_REPORTER', null, { schoolCode: '1000000003' }),
  /** 学区审核员 of 东城镇 (1000000001 and 1000000002). */
  township: viewer(8, 'dongcheng', 'TOWNSHIP_REVIEWER', null, { township: '东城镇' }),
} as const;

function viewer(
  userId: number,
  username: string,
  role: Role,
  inspectorId: string | null,
  binding: { schoolCode?: string; township?: string } = {},
): Viewer {
  return {
    userId,
    username,
    name: username,
    role,
    inspectorId,
    schoolCode: binding.schoolCode ?? null,
    township: binding.township ?? null,
    sessionHash: `s${userId}`,
  };
}

export interface ApiFixture {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  apollo: ApolloServer<GraphQLContext>;
  /** Runs an operation as `viewer`; returns data and errors as a client sees them. */
  run(
    viewer: Viewer,
    query: string,
    variables?: Record<string, unknown>,
    /** Context fields beyond the viewer's (e.g. exportRequest). */
    extra?: Pick<GraphQLContext, 'exportRequest'>,
  ): Promise<{
    data: Record<string, unknown> | null;
    errors: readonly { message: string; extensions?: Record<string, unknown> }[] | undefined;
    queries: number;
  }>;
  /** Moves the clock resolvers see ("today", overdue). */
  setNow(now: Date): void;
  close(): Promise<void>;
}

export async function openApiFixture(
  options: {
    production?: boolean;
    now?: Date;
    loadedAt?: Date;
    /** More fixture files or folders loaded after test/fixtures/api (e.g. more months). */
    extraPaths?: readonly string[];
    /** Another district instead of test/fixtures/api (its folder of files). */
    district?: string;
  } = {},
): Promise<ApiFixture> {
  const warehouse = await openWarehouse(':memory:');
  await storeFixturePolicy(warehouse);
  // Report deadlines are judged at a fixed instant, so MISSING_REPORT flags do not grow
  // as the real calendar moves on (2025-10's reports were due 2025-11-05).
  const summary = await loadPaths(
    warehouse,
    [options.district ?? API_FIXTURES, ...(options.extraPaths ?? [])],
    {
      user: 'test',
      now: options.loadedAt ?? FIXTURE_LOADED_AT,
    },
  );
  if (exitCode(summary) !== 0)
    throw new Error(
      `fixture load failed: ${JSON.stringify(summary.files.map((f) => [f.path, f.error, f.rejects]))}`,
    );
  const writer = await WarehouseWriter.open(warehouse);
  // KEHOU_TEST_LOG=error shows the errors GraphQL masks (e.g. a flaky driver error).
  const log = pino({ level: process.env.KEHOU_TEST_LOG ?? 'silent' });
  const apollo = createApollo({ production: options.production ?? false, development: false, log });
  await apollo.start();
  const policy = process.env.KEHOU_POLICY ? loadPolicy() : loadPolicy(API_FIXTURE_POLICY);
  let queries = 0;
  let clock = options.now ?? new Date();
  const counter: KyselyPlugin = {
    transformQuery(args) {
      queries += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const db = warehouse.db.withPlugin(counter);
  return {
    warehouse,
    writer,
    apollo,
    async run(viewer, query, variables, extra) {
      queries = 0;
      const response = await apollo.executeOperation(
        { query, ...(variables ? { variables } : {}) },
        { contextValue: { viewer, db, writer, log, policy, now: () => clock, ...extra } },
      );
      if (response.body.kind !== 'single') throw new Error('incremental response');
      const result = response.body.singleResult;
      return {
        data: (result.data ?? null) as Record<string, unknown> | null,
        errors: result.errors as never,
        queries,
      };
    },
    setNow(now) {
      clock = now;
    },
    async close() {
      await apollo.stop();
      await writer.close();
      await warehouse.close();
    },
  };
}
