/**
 * The national export end to end: three small districts loaded through the real ETL from
 * the committed fixtures, each exported (`exportWarehouse`, what `warehouse export` runs),
 * the portable aggregates run with DuckDB over the union of the three trees, and every
 * figure compared with (a) the server's own figures for the district (the overview
 * service and flag counts the GraphQL API answers with) and (b) hand-computed numbers for
 * 测试区县 (test/fixtures/api).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../../server/db/connect.ts';
import { ExportError, exportWarehouse } from '../../../../server/db/export/export.ts';
import type { ExportManifest } from '../../../../server/db/export/export-manifest.ts';
import { EXPORTED_TABLES } from '../../../../server/db/export/export-tables.ts';
import {
  openNationalReader,
  type NationalReader,
  type NationalRow,
} from '../../../../server/db/export/national-reader.ts';
import { sha256OfFile } from '../../../../server/db/originals.ts';
import { PRIORITY_GROUPS } from '../../../../server/db/vocabulary/priority-groups.ts';
import { ANY_FLAG, flagCounts } from '../../../../server/graphql/flags/flags.repository.ts';
import { computeOverviews } from '../../../../server/graphql/overview/overview.service.ts';
import type { ScopeRequest, SatisfactionWindow } from '../../../../server/graphql/scope/scope.ts';
import { parsePolicy, type DistrictPolicy } from '../../../../server/policy/policy.ts';
import { storePolicyFileOn } from '../../../../server/policy/policy-store.ts';
import { exitCode, loadPaths } from '../../../../etl/index.ts';
import {
  API_FIXTURE_POLICY,
  API_FIXTURES,
  FIXTURE_LOADED_AT,
  VIEWERS,
} from '../../../helpers/api-fixture.ts';

const FIXTURES = new URL('../../../fixtures/', import.meta.url).pathname;
/** The export's instant: 2025-11-20 in Shanghai, so overdue is judged on that day. */
const EXPORTED_AT = new Date('2025-11-20T12:00:00+08:00');
const TODAY = '2025-11-20';

interface District {
  code: string;
  paths: string[];
}

/** Three districts: 测试区县 (A), the flags fixture (B), and A with another school year (C). */
const DISTRICTS: District[] = [
  { code: '130534', paths: [API_FIXTURES] },
  { code: '320105', paths: [join(FIXTURES, 'flags')] },
  { code: '110101', paths: [API_FIXTURES, join(FIXTURES, 'api-periods')] },
];

function policyText(code: string): string {
  return readFileSync(API_FIXTURE_POLICY, 'utf8').replace(
    /^district: (.*)$/mu,
    `district: $1\ndistrict_code: '${code}'`,
  );
}

async function buildDistrict(d: District, withCode = true): Promise<Warehouse> {
  const warehouse = await openWarehouse(':memory:');
  const conn = await warehouse.connect();
  try {
    await storePolicyFileOn(conn, {
      text: withCode ? policyText(d.code) : readFileSync(API_FIXTURE_POLICY, 'utf8'),
      fileName: 'policy.yaml',
      loadedBy: 'test',
    });
  } finally {
    conn.closeSync();
  }
  const summary = await loadPaths(warehouse, d.paths, { user: 'test', now: FIXTURE_LOADED_AT });
  if (exitCode(summary) !== 0) throw new Error(`fixture load failed: ${d.paths.join(', ')}`);
  return warehouse;
}

const byKey = <T extends NationalRow>(rows: T[], ...keys: string[]) =>
  new Map(rows.map((r) => [keys.map((k) => String(r[k])).join('|'), r]));

describe('national export and portable aggregates', () => {
  const root = mkdtempSync(join(tmpdir(), 'kehou-national-test-'));
  const warehouses: Warehouse[] = [];
  const manifests: ExportManifest[] = [];
  let reader: NationalReader;
  const policy: Record<string, DistrictPolicy> = {};

  beforeAll(async () => {
    for (const d of DISTRICTS) {
      const warehouse = await buildDistrict(d);
      warehouses.push(warehouse);
      manifests.push(await exportWarehouse(warehouse, join(root, d.code), { now: EXPORTED_AT }));
      policy[d.code] = parsePolicy(policyText(d.code));
    }
    reader = await openNationalReader(DISTRICTS.map((d) => join(root, d.code)));
  }, 120_000);

  afterAll(async () => {
    reader?.close();
    for (const w of warehouses) await w.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes a hive tree by district and month, and a manifest whose files check out', async () => {
    const dir = join(root, '130534');
    const m = manifests[0] as ExportManifest;
    expect(m.format).toBe('kehou-national-export/1');
    expect(m.district.code).toBe('130534');
    expect(m.asOfDate).toBe(TODAY);
    expect(m.schemaVersion).toBeGreaterThanOrEqual(13);
    expect(m.policy.versions.map((v) => v.version)).toEqual(['2021.1']);
    const participation = m.tables.participation;
    expect(participation?.partitionBy).toEqual(['district', 'month']);
    expect(participation?.files.map((f) => f.path)).toEqual([
      'participation/district=130534/month=2024-10/data_0.parquet',
      'participation/district=130534/month=2025-09/data_0.parquet',
      'participation/district=130534/month=2025-10/data_0.parquet',
    ]);
    // 9 grade rows in test/fixtures/api/分年级参与情况.csv: 1 + 4 + 4.
    expect(participation?.files.map((f) => f.rows)).toEqual([1, 4, 4]);
    expect(m.tables.schools?.files.map((f) => [f.path, f.rows])).toEqual([
      ['schools/district=130534/data_0.parquet', 4],
    ]);
    // The partition keys are folder names, not columns inside the files.
    expect(participation?.columns.map((c) => c.name)).not.toContain('month');
    for (const table of Object.values(m.tables))
      for (const file of table.files) {
        expect(existsSync(join(dir, file.path))).toBe(true);
        expect(await sha256OfFile(join(dir, file.path))).toBe(file.sha256);
      }
    // Row counts equal the warehouse's.
    const conn = await (warehouses[0] as Warehouse).connect();
    try {
      for (const { table } of EXPORTED_TABLES) {
        const reader = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`);
        expect([table, m.tables[table]?.rows]).toEqual([table, reader.getRows()[0]?.[0]]);
      }
    } finally {
      conn.closeSync();
    }
  });

  it('exports nothing that names or reaches a person', () => {
    const personal =
      /user|password|token|secret|session|contact|complainant|note|finding|^ip$|raised_by|loaded_by|file_path|inspector/iu;
    const allowed = new Set(['school_name', 'school_name_reported', 'district_name', 'label']);
    for (const m of manifests) {
      for (const gone of ['users', 'sessions', 'audit_log', 'push_channels', 'load_rejects'])
        expect(Object.keys(m.tables)).not.toContain(gone);
      for (const [table, t] of Object.entries(m.tables))
        for (const c of t.columns)
          if (!allowed.has(c.name)) expect(`${table}.${c.name}`).not.toMatch(personal);
    }
  });

  it('refuses a folder that is not empty, and a policy without district_code, leaving nothing', async () => {
    await expect(exportWarehouse(warehouses[0] as Warehouse, join(root, '130534'))).rejects.toThrow(
      /不为空.*not empty/su,
    );
    const bare = await buildDistrict(DISTRICTS[1] as District, false);
    try {
      const target = join(root, 'no-code');
      await expect(exportWarehouse(bare, target)).rejects.toThrow(ExportError);
      await expect(exportWarehouse(bare, target)).rejects.toThrow(/district_code/u);
      expect(existsSync(target)).toBe(false);
      // Nor is a staged tree left in the warehouse's work folder.
      expect(readdirSync(join(bare.workDir, 'exports'))).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  /** The server's overview figures for a district, every month of its export. */
  async function serverOverviews(i: number, window: SatisfactionWindow) {
    const d = DISTRICTS[i] as District;
    const months = (
      await reader.query(`SELECT month FROM district_months
      WHERE district = '${d.code}' ORDER BY month`)
    ).map((r) => String(r.month));
    const request: ScopeRequest = {
      viewer: VIEWERS.bureau,
      filter: {},
      months,
      policy: policy[d.code] as DistrictPolicy,
      window,
      today: TODAY,
      disclosure: 'EXACT',
    };
    return { months, overviews: await computeOverviews((warehouses[i] as Warehouse).db, request) };
  }

  it.each([0, 1, 2])('equals the server figures of district %i', async (i) => {
    const code = (DISTRICTS[i] as District).code;
    const { months, overviews } = await serverOverviews(i, 'MONTH');
    expect(months.length).toBeGreaterThan(0);
    const coverage = byKey(await reader.run('coverage'), 'district', 'month');
    const participation = byKey(await reader.run('participation'), 'district', 'month');
    const groups = byKey(
      await reader.run('priority_groups'),
      'district',
      'month',
      'priority_group',
    );
    const satisfaction = byKey(await reader.run('satisfaction'), 'district', 'month', 'respondent');
    const [open] = (await reader.run('open_flags')).filter((r) => r.district === code);
    for (const month of months) {
      const o = overviews.get(month);
      const c = coverage.get(`${code}|${month}`);
      const p = participation.get(`${code}|${month}`);
      expect({ month, ...c }).toMatchObject({
        month,
        schools_in_scope: o?.schoolsInScope,
        schools_reporting: o?.schoolsReporting,
        schools_offering: o?.schoolsOffering,
        coverage_rate: o?.schoolCoverageRate,
        five_plus_two_rate: o?.fivePlusTwoRate,
        teacher_participation_rate: o?.teacherParticipationRate,
        report_timeliness_rate: o?.reportTimelinessRate,
        external_staff: o?.externalStaff,
        providers_unapproved: o?.providersUnapproved,
      });
      expect({
        month,
        enrolled: p?.enrolled ?? 0,
        applicants: p?.applicants ?? 0,
        participants: p?.participants ?? 0,
        participationRate: p?.participation_rate ?? null,
        demandMetRate: p?.demand_met_rate ?? null,
        fiveDayShare: p?.five_day_share ?? null,
      }).toEqual({
        month,
        enrolled: o?.enrolled,
        applicants: o?.applicants,
        participants: o?.participants,
        participationRate: o?.participationRate,
        demandMetRate: o?.demandMetRate,
        fiveDayShare: o?.fiveDayShare,
      });
      expect(
        PRIORITY_GROUPS.map(({ group }) => {
          const g = groups.get(`${code}|${month}|${group}`);
          return {
            group,
            enrolled: g?.enrolled ?? null,
            participants: g?.participants ?? null,
            rate: g?.rate ?? null,
            gap: g?.gap ?? null,
          };
        }),
      ).toEqual(
        o?.priorityGroups.map((g) => ({
          group: g.group,
          enrolled: g.enrolled,
          participants: g.participants,
          rate: g.rate,
          gap: g.gap,
        })),
      );
      expect(
        o?.satisfaction.map((s) => {
          const row = satisfaction.get(`${code}|${month}|${s.respondent}`);
          return {
            respondent: s.respondent,
            responses: row?.responses ?? 0,
            score: row?.score ?? null,
            satisfiedShare: row?.satisfied_share ?? null,
          };
        }),
      ).toEqual(o?.satisfaction);
      expect([open?.open_flags, open?.overdue_flags]).toEqual([o?.openFlags, o?.overdueFlags]);
    }
    const server = await flagCounts(
      (warehouses[i] as Warehouse).db,
      {
        viewer: VIEWERS.bureau,
        today: TODAY,
        currentMonth: TODAY.slice(0, 7),
      },
      ANY_FLAG,
    );
    const national = (await reader.run('flags')).filter((r) => r.district === code);
    const key = (r: { month?: unknown; code?: unknown; status?: unknown }) =>
      `${String(r.month)} ${String(r.code)} ${String(r.status)}`;
    expect(new Map(national.map((r) => [key(r), r.flags]))).toEqual(
      new Map(server.map((r) => [key(r), r.count])),
    );
    expect(national.length).toBeGreaterThan(0);
  });

  it.each([0, 1, 2])(
    'equals the server satisfaction of district %i over the semester to date',
    async (i) => {
      const code = (DISTRICTS[i] as District).code;
      const { months, overviews } = await serverOverviews(i, 'SEMESTER_TO_DATE');
      const rows = byKey(
        await reader.run('satisfaction_semester_to_date'),
        'district',
        'month',
        'respondent',
      );
      for (const month of months)
        expect(
          overviews.get(month)?.satisfaction.map((s) => {
            const row = rows.get(`${code}|${month}|${s.respondent}`);
            return {
              respondent: s.respondent,
              responses: row?.responses ?? 0,
              score: row?.score ?? null,
              satisfiedShare: row?.satisfied_share ?? null,
            };
          }),
        ).toEqual(overviews.get(month)?.satisfaction);
    },
  );

  it('gives the hand-computed figures of 测试区县 in 2025-10', async () => {
    const at = (rows: NationalRow[], extra: Record<string, unknown> = {}) =>
      rows.filter(
        (r) =>
          r.district === '130534' &&
          r.month === '2025-10' &&
          Object.entries(extra).every(([k, v]) => r[k] === v),
      );
    // 月报.csv 2025-10: 1000000001 served 20 of 20 days at 120 min, 1000000002 18 of 20,
    // 1000000003 none; 1000000004 sent no report. Teachers 30 + 10 + 0 of 40 + 20 + 30.
    expect(at(await reader.run('coverage'))).toMatchObject([
      {
        service_month: true,
        schools_in_scope: 4,
        schools_reporting: 3,
        schools_offering: 2,
        coverage_rate: 2 / 3,
        five_plus_two_rate: 1 / 3,
        teacher_participation_rate: 40 / 90,
      },
    ]);
    // 分年级参与情况.csv 2025-10: enrolled 100 + 100 + 50 + 200, applicants 80 + 90 + 40 + 0,
    // participants 78 + 90 + 40 + 0, five days 60 + 70 + 30 + 0.
    expect(at(await reader.run('participation'))).toMatchObject([
      {
        enrolled: 450,
        applicants: 210,
        participants: 208,
        participation_rate: 208 / 450,
        demand_met_rate: 208 / 210,
        five_day_share: 160 / 208,
      },
    ]);
    expect(
      at(await reader.run('priority_groups')).map((g) => [
        g.priority_group,
        g.enrolled,
        g.participants,
        g.rate,
      ]),
    ).toEqual([
      ['LEFT_BEHIND', 40, 24, 24 / 40],
      ['MIGRANT', 20, 15, 15 / 20],
      ['DISABLED', 3, 1, 1 / 3],
      ['POOR', 20, 12, 12 / 20],
    ]);
    // 满意度问卷-2025秋.csv, overall item, October: parents 非常满意, 满意, 不满意, 一般
    // (100 + 75 + 25 + 50 points), one student 非常满意.
    expect(
      at(await reader.run('satisfaction')).map((s) => [
        s.respondent,
        s.responses,
        s.score,
        s.satisfied_share,
      ]),
    ).toEqual([
      ['parent', 4, 62.5, 0.5],
      ['student', 1, 100, 1],
    ]);
    // Semester to date adds September's one parent, 非常不满意 (0 points).
    expect(
      at(await reader.run('satisfaction_semester_to_date'), { respondent: 'parent' }).map((s) => [
        s.responses,
        s.score,
        s.satisfied_share,
      ]),
    ).toEqual([[5, 50, 0.4]]);
  });

  it('national totals are the sums of the districts', async () => {
    const national = byKey(await reader.run('national'), 'month');
    const coverage = await reader.run('coverage');
    const participation = await reader.run('participation');
    const sum = (
      rows: NationalRow[],
      month: string,
      column: string,
      when = (_: NationalRow) => true,
    ) =>
      rows.filter((r) => r.month === month && when(r)).reduce((n, r) => n + Number(r[column]), 0);
    for (const [month, row] of national) {
      const inService = (r: NationalRow) => r.service_month === true;
      expect(row).toMatchObject({
        schools_in_scope: sum(coverage, month, 'schools_in_scope'),
        schools_reporting: sum(coverage, month, 'schools_reporting', inService),
        schools_offering: sum(coverage, month, 'schools_offering', inService),
        enrolled: sum(participation, month, 'enrolled'),
        participants: sum(participation, month, 'participants'),
      });
    }
    // 2025-10 over the three districts: A and C each have 测试区县's October (450 enrolled,
    // 208 participants); B (test/fixtures/flags) 100 + 100 + 50 + 200 + 30 + 40 + 60
    // enrolled and 95 + 90 + 41 + 150 + 30 + 40 + 60 participants.
    expect(national.get('2025-10')).toMatchObject({
      districts: 3,
      enrolled: 450 + 450 + 580,
      participants: 208 + 208 + 506,
      participation_rate: (208 + 208 + 506) / (450 + 450 + 580),
    });
  });
});
