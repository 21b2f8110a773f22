/**
 * Role scoping through every entry point: a supervising inspector sees exactly the
 * schools the assignments give their inspector ID in the month asked, whatever the
 * arguments say; district-wide roles see every school.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagStatus } from '../../../server/db/tables/flags.table.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../helpers/api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  // After every assignment (1000000003 is DX02's from 2025-10), so "now" is deterministic.
  api = await openApiFixture({ now: new Date('2025-11-10T04:00:00Z') });
  await api.writer.write(async ({ db, conn }) => {
    // The rules engine may raise flags while loading the fixture: start from none.
    await conn.run('DELETE FROM flag_events');
    await conn.run('DELETE FROM flags');
    const flag = (school_code: string, month: string, code: string, status: FlagStatus) => ({
      school_code,
      month,
      code,
      rule: `${code}.inspection`,
      source: 'inspection' as const,
      status,
      raised_by: 'bureau',
    });
    await db
      .insertInto('flags')
      .values([
        { ...flag('1000000001', '2025-10', 'LATE_END', 'OPEN'), detail: '最晚结束时间 18:40' },
        { ...flag('1000000002', '2025-10', 'ILLEGAL_FEES', 'OPEN'), detail: '收费 3 元/课时' },
        { ...flag('1000000003', '2025-09', 'SAFETY_INCIDENT', 'RECTIFYING'), detail: '事故 1 起' },
        { ...flag('1000000003', '2025-10', 'NOT_OFFERED', 'OPEN'), detail: '开展天数 0' },
        { ...flag('1000000001', '2025-09', 'EXCESS_HOMEWORK', 'CLOSED'), detail: '作业 2 课时' },
      ])
      .execute();
  });
});
afterAll(async () => {
  await api.close();
});

const OVERVIEW = `query ($month: String!, $scope: ScopeInput) {
  overview(month: $month, scope: $scope) { schoolsInScope schoolsReporting enrolled participants participationRate openFlags
    satisfaction { respondent responses } }
}`;

async function overview(
  viewer: (typeof VIEWERS)[keyof typeof VIEWERS],
  vars: Record<string, unknown>,
) {
  const { data, errors } = await api.run(viewer, OVERVIEW, vars);
  expect(errors).toBeUndefined();
  return data?.overview as Record<string, unknown>;
}

describe('scope of a supervising inspector', () => {
  it('covers the schools assigned in the month asked', async () => {
    expect(await overview(VIEWERS.dx01, { month: '2025-10' })).toMatchObject({
      schoolsInScope: 1,
      enrolled: 200,
      participants: 168,
      // Open flags are those the flags page shows DX01 now: 1000000001's LATE_END and
      // 1000000003's 2025-09 SAFETY_INCIDENT (theirs in its month), not per month.
      openFlags: 2,
    });
    expect(await overview(VIEWERS.dx01, { month: '2025-09' })).toMatchObject({
      schoolsInScope: 2,
      participants: 160,
    });
    expect(await overview(VIEWERS.dx02, { month: '2025-10' })).toMatchObject({
      schoolsInScope: 3,
      schoolsReporting: 2,
      participants: 40,
      openFlags: 3,
    });
  });

  it('never widens through scope arguments', async () => {
    const other = await overview(VIEWERS.dx01, {
      month: '2025-10',
      scope: { schoolCodes: ['1000000002'] },
    });
    expect(other).toMatchObject({
      schoolsInScope: 0,
      schoolsReporting: 0,
      enrolled: 0,
      participants: 0,
      participationRate: null,
      openFlags: 0,
    });
    expect((other.satisfaction as { responses: number }[]).every((s) => s.responses === 0)).toBe(
      true,
    );
    const town = await overview(VIEWERS.dx01, { month: '2025-10', scope: { township: '西山乡' } });
    expect(town).toMatchObject({ schoolsInScope: 0, enrolled: 0 });
    const empty = await overview(VIEWERS.bureau, { month: '2025-10', scope: { schoolCodes: [] } });
    expect(empty).toMatchObject({ schoolsInScope: 0 });
  });

  it('lists only assigned schools, whatever the filter', async () => {
    const q = `query ($scope: ScopeInput) { schools(month: "2025-10", scope: $scope) { total items { school { code } } } }`;
    const mine = await api.run(VIEWERS.dx01, q);
    expect(mine.data?.schools).toEqual({ total: 1, items: [{ school: { code: '1000000001' } }] });
    const theirs = await api.run(VIEWERS.dx01, q, {
      scope: { schoolCodes: ['1000000002', '1000000004'] },
    });
    expect(theirs.data?.schools).toEqual({ total: 0, items: [] });
  });

  it('gets null for another school’s page, with no error that could leak it', async () => {
    const q = `query ($code: String!, $month: String) { school(code: $code, month: $month) { school { name } current { participants } } }`;
    const other = await api.run(VIEWERS.dx01, q, { code: '1000000002', month: '2025-10' });
    expect(other).toMatchObject({ data: { school: null }, errors: undefined });
    const missing = await api.run(VIEWERS.dx01, q, { code: '9999999999', month: '2025-10' });
    expect(missing).toMatchObject({ data: { school: null }, errors: undefined });
    const before = await api.run(VIEWERS.dx01, q, { code: '1000000003', month: '2025-09' });
    expect(before.data?.school).toEqual({
      school: { name: '西山中学' },
      current: { participants: 90 },
    });
    const after = await api.run(VIEWERS.dx01, q, { code: '1000000003', month: '2025-10' });
    expect(after.data?.school).toBeNull();
  });

  it('sees only its schools’ flags, even when asking for another school', async () => {
    const q = `query ($school: String) { flags(schoolCode: $school) { total items { schoolCode month code status } } }`;
    const mine = await api.run(VIEWERS.dx01, q);
    expect(mine.data?.flags).toEqual({
      total: 3,
      items: [
        { schoolCode: '1000000001', month: '2025-09', code: 'EXCESS_HOMEWORK', status: 'CLOSED' },
        {
          schoolCode: '1000000003',
          month: '2025-09',
          code: 'SAFETY_INCIDENT',
          status: 'RECTIFYING',
        },
        { schoolCode: '1000000001', month: '2025-10', code: 'LATE_END', status: 'OPEN' },
      ],
    });
    const theirs = await api.run(VIEWERS.dx01, q, { school: '1000000002' });
    expect(theirs).toMatchObject({ data: { flags: { total: 0, items: [] } }, errors: undefined });
    // DX02 sees 1000000002's flag and both of 1000000003's: the school is theirs now, so
    // its 2025-09 flag (raised while DX01 had it) is theirs to follow up too.
    const dx02 = await api.run(VIEWERS.dx02, q);
    expect((dx02.data?.flags as { total: number }).total).toBe(3);
  });

  it('knows its current schools in `me`', async () => {
    const q = `{ me { username role inspectorId schoolCodes } }`;
    expect((await api.run(VIEWERS.dx01, q)).data?.me).toEqual({
      username: 'dx01',
      role: 'SUPERVISING_INSPECTOR',
      inspectorId: 'DX01',
      schoolCodes: ['1000000001'],
    });
    expect(
      ((await api.run(VIEWERS.dx02, q)).data?.me as { schoolCodes: string[] }).schoolCodes,
    ).toEqual(['1000000002', '1000000003', '1000000004']);
  });

  it('keeps its satisfaction and townships to its schools', async () => {
    const { data } = await api.run(
      VIEWERS.dx01,
      `{ satisfaction(from: "2025-10", to: "2025-10") { byRespondent { respondent responses } lowestSchools(minResponses: 1) { school { code } } }
         townships(month: "2025-10") { name schools } }`,
    );
    expect((data?.satisfaction as { byRespondent: unknown[] }).byRespondent.slice(0, 2)).toEqual([
      { respondent: 'parent', responses: 3 },
      { respondent: 'student', responses: 1 },
    ]);
    expect((data?.satisfaction as { lowestSchools: unknown }).lowestSchools).toEqual([
      { school: { code: '1000000001' } },
    ]);
    expect(data?.townships).toEqual([{ name: '东城镇', schools: 1 }]);
  });

  it('follows reassignment across a trend', async () => {
    const { data } = await api.run(
      VIEWERS.dx01,
      `{ trend(from: "2025-09", to: "2025-10") { month schoolsInScope } }`,
    );
    expect(data?.trend).toEqual([
      { month: '2025-09', schoolsInScope: 2 },
      { month: '2025-10', schoolsInScope: 1 },
    ]);
  });

  it('sees nothing when not linked to an inspector ID', async () => {
    expect(await overview(VIEWERS.unlinked, { month: '2025-10' })).toMatchObject({
      schoolsInScope: 0,
      enrolled: 0,
    });
    const flags = await api.run(VIEWERS.unlinked, `{ flags { total } }`);
    expect(flags.data?.flags).toEqual({ total: 0 });
  });
});

describe('scope of district-wide roles', () => {
  it('covers every school for bureau inspectors and leadership alike', async () => {
    for (const viewer of [VIEWERS.bureau, VIEWERS.leader]) {
      expect(await overview(viewer, { month: '2025-10' })).toMatchObject({
        schoolsInScope: 4,
        participants: 208,
        openFlags: 4,
      });
      const flags = await api.run(viewer, `{ flags { total } }`);
      expect(flags.data?.flags).toEqual({ total: 5 });
    }
  });

  it('filters flags by status and month', async () => {
    const { data } = await api.run(
      VIEWERS.bureau,
      `{ open: flags(status: OPEN) { total } sep: flags(month: "2025-09") { total items { code } } }`,
    );
    expect(data?.open).toEqual({ total: 3 });
    expect((data?.sep as { total: number }).total).toBe(2);
  });
});
