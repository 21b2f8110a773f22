/**
 * A small demo district loaded through the real ETL under 清河县's policy: the flags raised
 * are exactly the planted rule breaks, school by month by code — no more (a clean
 * school-month raises nothing) and no fewer. Then its casework is played through the
 * server's visit and flag services as the demo does it, and read back through the flag
 * repository as the dashboard reads it on the demo's "today": every flag is where the
 * ground truth says, visits carry their inspectors, and the demo's 责任督学 sees the cases.
 * One load for both (loading is the slow part).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoUsers, ensureInspectorAccounts } from '../../../server/auth/demo-users.ts';
import type { Viewer } from '../../../server/auth/viewer.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { flagView, type FlagRow } from '../../../server/graphql/flags/flag-row.ts';
import { ANY_FLAG, flagPage } from '../../../server/graphql/flags/flags.repository.ts';
import { createServerLogger } from '../../../server/log.ts';
import { generateDemoFiles, type DemoResult } from '../../../etl/demo/cli.ts';
import { storeDemoPolicy } from '../../../etl/demo/demo-policy.ts';
import type { CaseOutcome } from '../../../etl/demo/model.ts';
import { FEATURED_USERNAME } from '../../../etl/demo/plan-casework.ts';
import { fillInboxes, playCasework, type PlayResult } from '../../../etl/demo/play-casework.ts';
import { exitCode, loadPaths } from '../../../etl/index.ts';
import { query, type Row } from '../../helpers/with-warehouse.ts';

let dir: string;
let demo: DemoResult;
let warehouse: Warehouse;
let writer: WarehouseWriter;
let played: PlayResult;
let again: PlayResult;
/** Reminders the demo's one judging wrote, then a second judging (nothing new). */
let inboxes: number[] = [];
let users: Map<string, Viewer>;
/** The flags as the load left them, before any casework. */
let raisedByLoad: Row[];

const asOf = () => new Date(demo.casework.asOf);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-demo-casework-'));
  // Spring 2025 under version 2024.1, autumn under 2025.1; no report is due in July or August.
  demo = await generateDemoFiles({
    outDir: dir,
    schools: 40,
    seed: 20240901,
    fromMonth: '2025-05',
    toMonth: '2025-10',
    messy: false,
  });
  warehouse = await openWarehouse(':memory:');
  const { current } = await storeDemoPolicy(warehouse);
  const summary = await loadPaths(warehouse, [dir], { user: 'demo', now: asOf() });
  expect(exitCode(summary)).toBe(0);
  raisedByLoad = await query(
    warehouse,
    `SELECT school_code, month, code, status, policy_version FROM flags`,
  );
  writer = await WarehouseWriter.open(warehouse);
  await ensureDemoUsers(
    writer,
    warehouse.db,
    'Demo-casework-2025!',
    demo.casework.featuredInspector,
  );
  await ensureInspectorAccounts(
    writer,
    demo.casework.accounts
      .filter((a) => a.inspector_id !== null && a.username !== FEATURED_USERNAME)
      .map((a) => ({ username: a.username, name: a.name, inspectorId: a.inspector_id! })),
  );
  const handles = { warehouse, writer, policy: current.policy, log: createServerLogger('test') };
  played = await playCasework(handles, demo.casework);
  again = await playCasework(handles, demo.casework);
  inboxes = [await fillInboxes(handles, demo.casework), await fillInboxes(handles, demo.casework)];
  const rows = await warehouse.db.selectFrom('users').selectAll().execute();
  users = new Map(
    rows.map((u) => [
      u.username,
      {
        userId: u.user_id,
        username: u.username,
        name: u.display_name,
        role: u.role,
        inspectorId: u.inspector_id,
        schoolCode: null,
        township: null,
        sessionHash: '',
      },
    ]),
  );
}, 120_000);

afterAll(async () => {
  await writer?.close();
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

async function flagsSeenBy(username: string): Promise<FlagRow[]> {
  const view = flagView({ viewer: users.get(username)!, now: asOf });
  return (await flagPage(warehouse.db, view, ANY_FLAG, { limit: 10_000, offset: 0 })).rows;
}

/** The outcome a flag shows on the demo's today. */
function outcomeOf(f: FlagRow): CaseOutcome {
  if (f.status === 'RECTIFYING') return f.days_overdue !== null ? 'OVERDUE' : 'REQUESTED';
  if (f.status === 'CLOSED' || f.status === 'DISMISSED' || f.status === 'OPEN') return f.status;
  return 'RECTIFIED';
}

describe('the demo district under qinghe-policy.yaml', () => {
  it('raises a flag for exactly the planted (school, month, code) rule breaks', () => {
    const truth = new Set(demo.ruleBreaks.map((b) => `${b.school_code} ${b.month} ${b.rule}`));
    const raised = new Set(
      raisedByLoad.map((f) => `${String(f.school_code)} ${String(f.month)} ${String(f.code)}`),
    );
    expect(truth.size).toBeGreaterThan(5);
    expect([...raised].sort()).toEqual([...truth].sort());
    expect(new Set(raisedByLoad.map((f) => f.status))).toEqual(new Set(['OPEN']));
  });

  it('plants breaks of most kinds in a district this small', () => {
    expect(new Set(demo.ruleBreaks.map((b) => b.rule)).size).toBeGreaterThanOrEqual(6);
  });

  it('judges each month by the policy version in force then', () => {
    for (const f of raisedByLoad)
      expect(f.policy_version).toBe(String(f.month) < '2025-09' ? '2024.1' : '2025.1');
    expect(new Set(raisedByLoad.map((f) => f.policy_version))).toEqual(
      new Set(['2024.1', '2025.1']),
    );
  });
});

describe('the demo casework played through the flag and visit services', () => {
  it("fills the inboxes once, as of the snapshot's day", async () => {
    const [first, second] = inboxes;
    expect(second).toBe(0);
    const rows = await query(
      warehouse,
      `SELECT count(*)::INTEGER AS n, count(DISTINCT user_id)::INTEGER AS users,
         count(*) FILTER (WHERE kind = 'FLAG_RAISED')::INTEGER AS raised FROM notifications`,
    );
    expect(rows[0]?.n).toBe(first);
    // Every 督学 account with a school holds open flags in this district.
    expect(Number(rows[0]?.users)).toBeGreaterThanOrEqual(2);
    expect(Number(rows[0]?.raised)).toBeGreaterThan(0);
  });

  it('records the planned complaints with their handling, as planned', async () => {
    const planned = demo.casework.complaints;
    expect(planned.length).toBeGreaterThanOrEqual(10);
    const rows = await query(
      warehouse,
      `SELECT status, count(*)::INTEGER AS n, count(visit_id)::INTEGER AS linked,
         count(*) FILTER (WHERE substantiated)::INTEGER AS borne_out
       FROM complaints GROUP BY status ORDER BY status`,
    );
    const closing = planned.flatMap((c) => c.steps.filter((s) => s.step === 'CLOSE'));
    // Any step moves a complaint on from 待办理 (a 督学's own call waits for their first).
    const handled = planned.filter((c) => c.steps.length > 0).length;
    const expected = [
      ['CLOSED', closing.length],
      ['INVESTIGATING', handled - closing.length],
      ['RECEIVED', planned.length - handled],
    ].filter(([, n]) => n !== 0);
    expect(rows.map((r) => [r.status, r.n])).toEqual(expected);
    expect(rows.reduce((n, r) => n + Number(r.linked), 0)).toBe(
      planned.filter((c) => c.steps.some((s) => s.step === 'LINK_VISIT')).length,
    );
    expect(rows.reduce((n, r) => n + Number(r.borne_out), 0)).toBe(
      closing.filter((s) => s.substantiated).length,
    );
  });

  it('plays every visit and step once; a second run writes nothing', () => {
    const steps = demo.casework.cases.reduce((n, c) => n + c.steps.length, 0);
    expect(played).toEqual({
      played: true,
      visits: demo.casework.visits.length,
      steps,
      missing: [],
      complaints: demo.casework.complaints.length,
    });
    expect(again).toEqual({ played: false, visits: 0, steps: 0, missing: [], complaints: 0 });
  });

  it('puts every flag where the ground truth says, as the bureau sees it on asOf', async () => {
    const flags = await flagsSeenBy('demo-bureau');
    const truth = new Map(
      demo.casework.cases.map((c) => [
        `${c.school_code}|${c.month}|${c.code}|${c.source}`,
        c.outcome,
      ]),
    );
    const seen = new Map(
      flags.map((f) => [`${f.school_code}|${f.month}|${f.code}|${f.source}`, outcomeOf(f)]),
    );
    expect(seen).toEqual(truth);
    const counts: Record<string, number> = {};
    for (const f of flags) counts[outcomeOf(f)] = (counts[outcomeOf(f)] ?? 0) + 1;
    // The ground truth of this district (casework-plan figures for 40 schools, 2025-05..10).
    expect(counts).toEqual({
      OPEN: 6,
      REQUESTED: 2,
      OVERDUE: 2,
      RECTIFIED: 1,
      CLOSED: 6,
      DISMISSED: 4,
    });
  });

  it('records each step with its user and date, and links follow-up visits to closings', async () => {
    const events = await query(
      warehouse,
      `SELECT e.action, e.username, strftime(timezone('Asia/Shanghai', e.occurred_at), '%Y-%m-%d') AS day,
         e.visit_id, v.kind
       FROM flag_events e LEFT JOIN visits v ON v.visit_id = e.visit_id
       WHERE e.user_id IS NOT NULL AND e.action <> 'RAISED'`,
    );
    const planned = demo.casework.cases.flatMap((c) => c.steps);
    expect(events).toHaveLength(planned.length);
    expect(events.every((e) => String(e.day) <= demo.casework.asOf.slice(0, 10))).toBe(true);
    const closes = events.filter((e) => e.action === 'CLOSED');
    expect(closes.filter((e) => e.visit_id !== null).every((e) => e.kind === 'FOLLOW_UP')).toBe(
      true,
    );
    expect(closes.filter((e) => e.visit_id !== null)).toHaveLength(
      planned.filter((s) => s.step === 'CLOSE' && s.visit !== null).length,
    );
  });

  it('has visits by four inspectors, with findings raising flags', async () => {
    const rows = await query(
      warehouse,
      `SELECT v.username, v.inspector_id, count(*)::INTEGER AS n,
         count(f.flag_id)::INTEGER AS raised
       FROM visits v LEFT JOIN flags f ON f.visit_id = v.visit_id
       GROUP BY ALL ORDER BY v.username`,
    );
    const planned: Record<string, number> = {};
    for (const v of demo.casework.visits) planned[v.by] = (planned[v.by] ?? 0) + 1;
    expect(Object.fromEntries(rows.map((r) => [String(r.username), Number(r.n)]))).toEqual(planned);
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.username === FEATURED_USERNAME)?.inspector_id).toBe(
      demo.casework.featuredInspector,
    );
    expect(rows.reduce((n, r) => n + Number(r.raised), 0)).toBe(
      demo.casework.visits.reduce((n, v) => n + v.flags.length, 0),
    );
  });

  it('shows the demo’s 责任督学 flags at several steps, the newest missing report among them', async () => {
    const flags = await flagsSeenBy(FEATURED_USERNAME);
    expect(new Set(flags.map(outcomeOf)).size).toBeGreaterThanOrEqual(3);
    const missing = flags.filter((f) => f.code === 'MISSING_REPORT' && f.month === '2025-10');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.status).toBe('OPEN');
  });

  it('misses exactly one report in the newest month district-wide', async () => {
    const flags = await flagsSeenBy('demo-bureau');
    expect(flags.filter((f) => f.code === 'MISSING_REPORT' && f.month === '2025-10')).toHaveLength(
      1,
    );
  });

  it('loads survey answers submitted in the newest month', async () => {
    const [row] = await query(
      warehouse,
      `SELECT count(*)::INTEGER AS n FROM survey_responses WHERE month = '2025-10'`,
    );
    // The generator's answers dated October 2025 for these options (casework-plan's check).
    expect(Number(row!.n)).toBe(1661);
  });
});
