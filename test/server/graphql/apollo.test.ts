/**
 * The API's hardening at the GraphQL layer: depth, alias, cost and token limits, no
 * schema details in production, and masking of every error that is not one of ours.
 */
import type { KyselyPlugin } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { createApollo, LIMITS } from '../../../server/graphql/apollo.ts';
import type { GraphQLContext } from '../../../server/graphql/context.ts';
import { loadPolicy } from '../../../server/policy/policy.ts';
import { VIEWERS } from '../../helpers/api-fixture.ts';

let warehouse: Warehouse;
let writer: WarehouseWriter;
const log = pino({ level: 'silent' });
beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  writer = await WarehouseWriter.open(warehouse);
});
afterAll(async () => {
  await writer.close();
  await warehouse.close();
});

async function run(query: string, options: { production?: boolean; failing?: boolean } = {}) {
  const apollo = createApollo({ production: options.production ?? false, development: false, log });
  await apollo.start();
  try {
    const failing: KyselyPlugin = {
      transformQuery() {
        throw new Error('Binder Error: school 1000000002 has 37 left-behind pupils');
      },
      transformResult: async (args) => args.result,
    };
    const db = options.failing ? warehouse.db.withPlugin(failing) : warehouse.db;
    const context: GraphQLContext = {
      viewer: VIEWERS.bureau,
      db,
      writer,
      log,
      policy: loadPolicy(),
      now: () => new Date(),
    };
    const response = await apollo.executeOperation({ query }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('incremental');
    return { status: response.http.status, ...response.body.singleResult };
  } finally {
    await apollo.stop();
  }
}

const messages = (r: { errors?: readonly { message: string }[] }) =>
  (r.errors ?? []).map((e) => e.message).join('\n');

describe('createApollo', () => {
  it('accepts the deepest real query of the schema', async () => {
    const r = await run(
      `{ school(code: "1000000001", month: "2025-10") { current { priorityGroups { gap } } series(from: "2025-09", to: "2025-10") { school { code } } } }`,
    );
    expect(r.errors).toBeUndefined();
  });

  it('rejects queries nested deeper than the schema allows', async () => {
    let q = 'code';
    for (let i = 0; i < LIMITS.maxDepth + 1; i++) q = `school { ${q} }`;
    const r = await run(`{ schools(month: "2025-10") { items { ${q} } } }`);
    expect(messages(r)).toMatch(/depth/iu);
  });

  it('rejects more aliases than the limit', async () => {
    const aliases = Array.from(
      { length: LIMITS.maxAliases + 1 },
      (_, i) => `a${i}: me { name }`,
    ).join(' ');
    const r = await run(`{ ${aliases} }`);
    expect(messages(r)).toMatch(/alias/iu);
    const limit = Array.from({ length: LIMITS.maxAliases }, (_, i) => `a${i}: me { name }`).join(
      ' ',
    );
    expect((await run(`{ ${limit} }`)).errors).toBeUndefined();
  });

  it('rejects a query costlier than the limit', async () => {
    const fields =
      'month schoolsInScope enrolled participants participationRate priorityGroups { group enrolled participants rate gap } satisfaction { respondent responses score satisfiedShare } changes { metric value monthOnMonth yearOnYear }';
    const aliases = Array.from(
      { length: LIMITS.maxRootFields + 1 },
      (_, i) => `t${i}: trend(from: "2021-01", to: "2025-12") { ${fields} }`,
    ).join(' ');
    const r = await run(`{ ${aliases} }`);
    expect(messages(r)).toMatch(/cost/iu);
    const viaFragment = await run(`{ ...F } fragment F on Query { ${aliases} }`);
    expect(messages(viaFragment)).toMatch(/cost/iu);
    const shapeOnly = Array.from(
      { length: 4 },
      (_, i) => `s${i}: schools(month: "2025-10") { items { school { code } } }`,
    ).join(' ');
    expect((await run(`{ ${shapeOnly} }`)).errors).toBeUndefined();
  });

  it('refuses documents with more tokens than the limit before parsing them', async () => {
    const r = await run(`{ ${'me { name } '.repeat(LIMITS.maxTokens / 4)} }`);
    expect(r.status).toBe(400);
    expect(messages(r)).toMatch(/tokens/iu);
  });

  it('hides introspection and field suggestions in production only', async () => {
    const intro = '{ __schema { types { name } } }';
    expect((await run(intro)).errors).toBeUndefined();
    expect(messages(await run(intro, { production: true }))).toMatch(/introspection/iu);
    expect(messages(await run('{ overveiw { month } }'))).toMatch(/Did you mean/u);
    const prod = messages(await run('{ overveiw { month } }', { production: true }));
    expect(prod).toMatch(/Cannot query field/u);
    expect(prod).not.toMatch(/Did you mean|overview/u);
  });

  it('masks an unexpected error: no message, no value, code INTERNAL_SERVER_ERROR', async () => {
    const r = await run('{ overview(month: "2025-10") { enrolled } }', { failing: true });
    expect(r.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(r.errors)).not.toMatch(/1000000002|Binder|pupils|stacktrace/u);
  });

  it('passes our own error codes through', async () => {
    const r = await run('{ overview(month: "10/2025") { enrolled } }');
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/YYYY-MM/u);
  });
});
