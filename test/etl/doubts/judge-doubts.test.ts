/**
 * The data-quality checks on the doubts fixture (test/fixtures/doubts/): ten urban primary
 * schools, 2025-09 to 2025-12, one planted anomaly per check, every figure hand-computed
 * from the CSVs. Clean school-months raise nothing; corrections clear, update or leave
 * VERIFIED doubts as the status rules say.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { judgeDoubts } from '../../../etl/doubts/judge-doubts.ts';
import { exitCode, loadPaths } from '../../../etl/index.ts';
import { DOUBT_CATALOGUE } from '../../../server/policy/doubt-catalogue.ts';
import { loadPolicy } from '../../../server/policy/policy.ts';
import { query, useWarehouse, type Row } from '../../helpers/with-warehouse.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/doubts/${name}`, import.meta.url));
const REGISTRY = fixture('学校名录.csv');
const MONTHLY = fixture('月报.csv');
const PARTICIPATION = fixture('分年级参与情况.csv');

const D = (n: number): string => `32100000${String(n).padStart(2, '0')}`;

const warehouse = useWarehouse();
let dir: string;

beforeEach(async () => {
  delete process.env.KEHOU_POLICY; // the default policy's data_quality thresholds
  dir = await mkdtemp(join(tmpdir(), 'kehou-doubts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(...paths: string[]): Promise<void> {
  const summary = await loadPaths(warehouse(), paths, { user: 'test' });
  expect(exitCode(summary)).toBe(0);
}

async function sql(statement: string): Promise<Row[]> {
  return query(warehouse(), statement);
}

/** Re-judges every month (as `etl flags` does). */
async function rejudge(): Promise<void> {
  const conn = await warehouse().connect();
  try {
    await judgeDoubts(conn, {
      policy: loadPolicy(),
      fromMonth: null,
      batchId: null,
      reason: '测试重新判定',
    });
  } finally {
    conn.closeSync();
  }
}

/** The load ran "today", so every report looks late: the monthly file came on 2025-10-03. */
async function loadOnTime(): Promise<void> {
  await load(REGISTRY, MONTHLY, PARTICIPATION);
  await sql(`UPDATE load_batches SET loaded_at = '2025-10-03 10:00:00+08'::TIMESTAMPTZ`);
  await rejudge();
}

async function openDoubts(): Promise<Row[]> {
  return sql(`SELECT school_code, month, rule, value, reference, deviation FROM data_doubts
    WHERE status = 'OPEN' ORDER BY school_code, month, rule`);
}

const doubt = (
  school: number,
  month: string,
  rule: string,
  value: number,
  reference: number | null,
  deviation: number | null,
): Row => ({ school_code: D(school), month, rule, value, reference, deviation });

/*
 * Hand-computed from the CSVs. Peer rates (participants / enrolled summed over grades 1-3):
 * D03 has 39 or 42 of 159 (24.53 %, 26.42 %); the median of the ten schools is 131/159
 * (82.39 %) in 2025-09 and -12, 0.8151 (mean of 129/159 and 130/158.9…) in -10, 0.8191 in
 * -11; MAD 0.03774 / 0.03459, so z = |rate − median| / (1.4826 · MAD): 10.3, 10.7, 11.2,
 * 10.0. No other school's z exceeds 1.3.
 */
const PLANTED: Row[] = [
  doubt(2, '2025-12', 'MONTH_JUMP.enrolled', 636, 159, 4),
  doubt(2, '2025-12', 'MONTH_JUMP.participants', 496, 124, 4),
  doubt(3, '2025-09', 'PEER_OUTLIER.participation_rate', 0.2453, 0.8239, 10.3),
  doubt(3, '2025-10', 'PEER_OUTLIER.participation_rate', 0.2642, 0.8151, 10.7),
  doubt(3, '2025-11', 'PEER_OUTLIER.participation_rate', 0.2453, 0.8191, 11.2),
  doubt(3, '2025-12', 'PEER_OUTLIER.participation_rate', 0.2642, 0.8239, 10),
  // D04: grades 1-3 participate 41, 42, 43 every month: the fourth identical month.
  doubt(4, '2025-12', 'IDENTICAL_MONTHS.participants_by_grade', 4, 4, 4),
  // D05 2025-10: 40 applied and 40 took part in each of three grades (five-day 0): 6 round counts.
  doubt(5, '2025-10', 'ROUND_NUMBERS.report_counts', 6, 6, 6),
  // D06 2025-11 grade 2: 43 left-behind participants of 40 participants.
  doubt(6, '2025-11', 'PRIORITY_ABOVE_ENROLMENT.left_behind', 43, 40, 3),
];

// Each test loads the fixture through the ETL: seconds each on a shared 2-core machine.
describe('the data-quality checks on the doubts fixture', { timeout: 120_000 }, () => {
  it('find exactly the planted anomalies, with what and by how much', async () => {
    await loadOnTime();
    expect(await openDoubts()).toEqual(PLANTED);
    const rows = await sql(`SELECT rule, detail, detail_en, evidence_batch_id, policy_version
      FROM data_doubts WHERE school_code = '${D(2)}' AND rule = 'MONTH_JUMP.participants'`);
    expect(rows[0]?.detail).toBe(
      '参与人数由 2025-11 的 124 人变为 2025-12 的 496 人，增至上月的 4.0（前后相差超过 3 倍即存疑）',
    );
    expect(rows[0]?.detail_en).toBe(
      'participants went from 124 in 2025-11 to 496 in 2025-12, a 4.0-fold change (doubtful above 3)',
    );
    const peer = await sql(`SELECT detail FROM data_doubts
      WHERE school_code = '${D(3)}' AND month = '2025-09' AND rule LIKE 'PEER%'`);
    expect(peer[0]?.detail).toBe(
      '参与率 24.5%，同月同学段、同城乡类型的 10 所学校中位数 82.4%，稳健 Z 值 10.3（超过 4 即存疑）',
    );
    const six = await sql(`SELECT detail FROM data_doubts
      WHERE school_code = '${D(6)}' AND rule LIKE 'PRIORITY%'`);
    expect(six[0]?.detail).toBe('2 年级留守儿童参加 43 人，超过该年级参加人数 40 人（多 3 人）');
    // Every raised rule is in the catalogue (its label lives there).
    for (const r of PLANTED) expect(DOUBT_CATALOGUE.has(String(r.rule))).toBe(true);
  });

  it('raise each doubt once with a RAISED event, and judge again without a change', async () => {
    await loadOnTime();
    await rejudge();
    const events = await sql(`SELECT action, count(*)::INTEGER AS n FROM data_doubt_events
      GROUP BY action ORDER BY action`);
    // The load's "today" made all forty reports late; the on-time stamp cleared them.
    expect(events).toEqual([
      { action: 'CLEARED', n: 40 },
      { action: 'RAISED', n: PLANTED.length + 40 },
    ]);
  });

  it('finds late reports by the first arrival against the deadline', async () => {
    await load(REGISTRY, MONTHLY, PARTICIPATION);
    // The monthly file arrived on 2025-10-08: 2025-09's report (due 2025-10-05) is 3 days late.
    await sql(`UPDATE load_batches SET loaded_at = '2025-10-08 09:00:00+08'::TIMESTAMPTZ`);
    await rejudge();
    const late = await sql(`SELECT month, count(*)::INTEGER AS n, min(value) AS lo, max(value) AS hi
      FROM data_doubts WHERE rule = 'LATE_REPORT.report' AND status = 'OPEN' GROUP BY month`);
    expect(late).toEqual([{ month: '2025-09', n: 10, lo: 3, hi: 3 }]);
    const text = await sql(`SELECT detail FROM data_doubts
      WHERE rule = 'LATE_REPORT.report' AND school_code = '${D(1)}' AND status = 'OPEN'`);
    expect(text[0]?.detail).toBe(
      '2025-09 月报首次报送于 2025-10-08，晚于截止日期 2025-10-05（逾期 3 天）',
    );
  });

  it('counts re-submissions from the replaced versions', async () => {
    await loadOnTime();
    for (const by of [901, 902, 903])
      await sql(`INSERT INTO row_versions (table_name, school_code, month, batch_id, row_json, superseded_by)
        VALUES ('monthly_reports', '${D(8)}', '2025-11', ${by - 1}, '{}', ${by})`);
    await rejudge();
    expect(
      await sql(`SELECT value, reference, deviation, evidence_batch_id FROM data_doubts
        WHERE rule = 'RESUBMITTED.report'`),
    ).toEqual([{ value: 3, reference: 2, deviation: 1, evidence_batch_id: 903 }]);
  });

  it('finds more teachers serving than a later registry lists', async () => {
    await loadOnTime();
    const update = fixture('学校名录-更新.csv');
    await load(update);
    const rows = await sql(`SELECT school_code, month, value, reference, deviation FROM data_doubts
      WHERE rule = 'TEACHERS_ABOVE_TOTAL.teachers_serving'`);
    expect(rows).toEqual([
      { school_code: D(7), month: '2025-10', value: 25, reference: 20, deviation: 5 },
    ]);
    const event =
      await sql(`SELECT e.action, e.batch_id = (SELECT max(batch_id) FROM load_batches) AS own
      FROM data_doubt_events e JOIN data_doubts d USING (doubt_id)
      WHERE d.rule = 'TEACHERS_ABOVE_TOTAL.teachers_serving'`);
    expect(event).toEqual([{ action: 'RAISED', own: true }]);
  });

  it('clears corrected doubts, updates evidence that still holds, leaves VERIFIED alone', async () => {
    await loadOnTime();
    await sql(`UPDATE data_doubts SET status = 'CORRECTION_REQUESTED'
      WHERE school_code = '${D(6)}' AND rule LIKE 'PRIORITY%'`);
    await sql(`UPDATE data_doubts SET status = 'VERIFIED'
      WHERE school_code = '${D(3)}' AND month = '2025-11' AND rule LIKE 'PEER%'`);
    // A corrected per-grade file: D06 2025-11 grade 2 with 38 left-behind participants, and
    // D02 2025-12 five times (not four times) its November figures.
    const lines = readFileSync(PARTICIPATION, 'utf8').trim().split('\n');
    const fixed = lines.flatMap((line, i) => {
      const c = line.split(',');
      if (i === 0) return [line];
      if (c[0] === D(6) && c[1] === '2025-11') {
        if (c[2] === '2') c[7] = '38';
        return [c.join(',')];
      }
      if (c[0] === D(2) && c[1] === '2025-12') {
        for (const k of [3, 4, 5]) c[k] = String((Number(c[k]) / 4) * 5);
        return [c.join(',')];
      }
      return [];
    });
    const file = join(dir, '分年级参与情况-更正.csv');
    await writeFile(file, `${fixed.join('\n')}\n`);
    const before = await sql(`SELECT value, deviation FROM data_doubts
      WHERE school_code = '${D(3)}' AND month = '2025-11' AND rule LIKE 'PEER%'`);
    await load(file);
    const batch = (await sql(`SELECT max(batch_id)::INTEGER AS b FROM load_batches`))[0]?.b;
    const six = await sql(`SELECT d.status, e.action, e.from_status, e.batch_id FROM data_doubts d
      JOIN data_doubt_events e USING (doubt_id)
      WHERE d.school_code = '${D(6)}' AND d.rule LIKE 'PRIORITY%' AND e.action = 'CLEARED'`);
    expect(six).toEqual([
      {
        status: 'CLEARED',
        action: 'CLEARED',
        from_status: 'CORRECTION_REQUESTED',
        batch_id: batch,
      },
    ]);
    const jump = await sql(`SELECT d.status, d.value, d.reference, d.deviation, e.action
      FROM data_doubts d JOIN data_doubt_events e USING (doubt_id)
      WHERE d.school_code = '${D(2)}' AND d.rule = 'MONTH_JUMP.participants' ORDER BY e.event_id`);
    expect(jump).toEqual([
      { status: 'OPEN', value: 620, reference: 124, deviation: 5, action: 'RAISED' },
      { status: 'OPEN', value: 620, reference: 124, deviation: 5, action: 'EVIDENCE_UPDATED' },
    ]);
    // D06's rate moved the 2025-11 median: D03's verified doubt keeps its evidence and status.
    const three = await sql(`SELECT status, value, deviation FROM data_doubts
      WHERE school_code = '${D(3)}' AND month = '2025-11' AND rule LIKE 'PEER%'`);
    expect(three).toEqual([{ status: 'VERIFIED', ...before[0] }]);
    const touched = await sql(`SELECT count(*)::INTEGER AS n FROM data_doubt_events e
      JOIN data_doubts d USING (doubt_id)
      WHERE d.school_code = '${D(3)}' AND d.month = '2025-11' AND d.rule LIKE 'PEER%'`);
    expect(touched).toEqual([{ n: 1 }]);
  });
});
