/**
 * judgeBatches: the files of one kind a load applies in one transaction are judged once.
 * Each school-month is attributed to the last batch that touched it (a monthly report
 * also touches the later months of its semester): its events name that batch and file and
 * carry its id, and its changes count under it. The batches' rows are written here
 * directly, as the loader leaves them before judging (a later file's row replaces an
 * earlier one's); their load_batches rows are not there yet. Figures by hand from
 * test/fixtures/flags/ (batches 1–3: registry, monthly, participation).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  inTransaction,
  judgeBatches,
  rejudgeAll,
  type LoadedBatch,
} from '../../../etl/flags/evaluate.ts';
import type { FlagCounts } from '../../../etl/flags/flag-counts.ts';
import { dropJudgeTables } from '../../../etl/flags/judge.ts';
import { readStoredPolicyOn } from '../../../server/policy/policy-store.ts';
import type { Row } from '../../helpers/with-warehouse.ts';
import {
  AFTER_NOVEMBER,
  openFlagDistrict,
  policyText,
  S1,
  S2,
  S3,
  S4,
  S5,
  S6,
  type FlagDistrict,
} from './flags-fixture.ts';

let d: FlagDistrict;
beforeEach(async () => {
  d = await openFlagDistrict();
  await d.load();
});
afterEach(async () => {
  await d.close();
});

const counts = (raised: number, updated: number, resolved: number, reopened: number) => ({
  raised,
  updated,
  resolved,
  reopened,
});

/**
 * judgeBatches in its own transaction, as the loader calls it; `inside` runs in the same
 * transaction afterwards (its result is returned too).
 */
async function judge<T = undefined>(
  batches: readonly LoadedBatch[],
  options: { onePassRows?: number; dryRun?: boolean } = {},
  inside?: (conn: DuckDBConnection) => Promise<T>,
): Promise<{ counts: Map<number, FlagCounts>; inside: T | undefined }> {
  const { dryRun = false, ...tuning } = options;
  const conn = await d.warehouse.connect();
  try {
    const { policy } = await readStoredPolicyOn(conn);
    return await inTransaction(conn, dryRun, async () => ({
      counts: await judgeBatches(conn, batches, { policy, now: AFTER_NOVEMBER, ...tuning }),
      inside: inside ? await inside(conn) : undefined,
    }));
  } finally {
    await dropJudgeTables(conn);
    conn.closeSync();
  }
}

/** Rewrites a fixture report as batch `batch` with `set` changed (SQL assignments). */
async function report(school: string, month: string, batch: number, set = ''): Promise<void> {
  await d.sql(`UPDATE monthly_reports SET batch_id = ${batch}${set ? `, ${set}` : ''}
    WHERE school_code = '${school}' AND month = '${month}'`);
}

const monthly = (batchId: number, fileName: string): LoadedBatch => ({
  batchId,
  kind: 'monthly',
  fileName,
});

/** Events written by the judging under test: those of batches ≥ 10. */
const newEvents = () => d.events('e.batch_id >= 10');

const eventRow = (e: Row) => [
  e.school_code,
  e.month,
  e.rule,
  e.action,
  e.from_status,
  e.to_status,
  e.note,
  e.batch_id,
];

describe('judgeBatches: several monthly files judged once', () => {
  /**
   * a.xlsx (10): S2 2025-10 ends 17:50 (its LATE_END resolves), S3 2025-10 ends 18:40
   *   (LATE_END raised); it also touches S2 and S3 2025-11, later in the semester.
   * b.xlsx (11): S3 2025-11 ends 18:20 (LATE_END resolves; 11 > 10 takes the month),
   *   S5 2025-10 ends 18:45 (LATE_END updated), S4 2025-10 sent again unchanged (its
   *   written-homework flag, closed automatically before, reopens).
   * c.xlsx (12): S2 2025-11 ends 18:10 (LATE_END raised; 12 > 10), and S1's missing
   *   2025-11 report (MISSING_REPORT resolves, the report late).
   * d.xlsx (13): S6 2025-11 again, unchanged: nothing.
   */
  async function arrange(): Promise<void> {
    await d.sql(`UPDATE flags SET status = 'CLOSED', resolution = 'auto'
      WHERE school_code = '${S4}' AND month = '2025-10' AND rule = 'EXCESS_HOMEWORK.written_g12'`);
    await report(S2, '2025-10', 10, `latest_end_time = '17:50'`);
    await report(S3, '2025-10', 10, `latest_end_time = '18:40'`);
    await report(S3, '2025-11', 11, `latest_end_time = '18:20'`);
    await report(S5, '2025-10', 11, `latest_end_time = '18:45'`);
    await report(S4, '2025-10', 11);
    await report(S2, '2025-11', 12, `latest_end_time = '18:10'`);
    await d.sql(`INSERT INTO monthly_reports
      SELECT * REPLACE ('2025-11' AS month, 12 AS batch_id) FROM monthly_reports
      WHERE school_code = '${S1}' AND month = '2025-10'`);
    await report(S6, '2025-11', 13);
  }

  const BATCHES = [
    monthly(10, 'a.xlsx'),
    monthly(11, 'b.xlsx'),
    monthly(12, 'c.xlsx'),
    monthly(13, 'd.xlsx'),
  ];

  it('counts each change under the last batch touching its school-month; every batch has counts', async () => {
    await arrange();
    const { counts: got } = await judge(BATCHES);
    expect([...got]).toEqual([
      [10, counts(1, 0, 1, 0)],
      [11, counts(0, 1, 1, 1)],
      [12, counts(1, 0, 1, 0)],
      [13, counts(0, 0, 0, 0)],
    ]);
  });

  it('names the attributed batch and its file in every event, and carries its id', async () => {
    await arrange();
    const { inside: today } = await judge(BATCHES, {}, async (conn) => {
      const r = await conn.runAndReadAll(
        `SELECT strftime(timezone('Asia/Shanghai', now()), '%Y-%m-%d') AS day`,
      );
      return String(r.getRowObjectsJS()[0]?.day);
    });
    const events = (await newEvents()).map(eventRow);
    expect(events).toHaveLength(7);
    expect(events).toEqual(
      expect.arrayContaining([
        [
          S2,
          '2025-10',
          'LATE_END.after_cap',
          'AUTO_RESOLVED',
          'OPEN',
          'CLOSED',
          '更正后的报告（批次 10，文件 a.xlsx）不再显示该问题',
          10,
        ],
        [
          S3,
          '2025-10',
          'LATE_END.after_cap',
          'RAISED',
          null,
          'OPEN',
          '系统根据导入的报告发现（批次 10，文件 a.xlsx）',
          10,
        ],
        [
          S3,
          '2025-11',
          'LATE_END.after_cap',
          'AUTO_RESOLVED',
          'OPEN',
          'CLOSED',
          '更正后的报告（批次 11，文件 b.xlsx）不再显示该问题',
          11,
        ],
        [
          S5,
          '2025-10',
          'LATE_END.after_cap',
          'EVIDENCE_UPDATED',
          'OPEN',
          'OPEN',
          '报告（批次 11，文件 b.xlsx）更新了证据：实际 18:31 → 18:45',
          11,
        ],
        [
          S4,
          '2025-10',
          'EXCESS_HOMEWORK.written_g12',
          'REOPENED',
          'CLOSED',
          'OPEN',
          '报告（批次 11，文件 b.xlsx）再次显示该问题',
          11,
        ],
        [
          S2,
          '2025-11',
          'LATE_END.after_cap',
          'RAISED',
          null,
          'OPEN',
          '系统根据导入的报告发现（批次 12，文件 c.xlsx）',
          12,
        ],
        // Batch 12 is not in load_batches yet: loaded now, the transaction's start.
        [
          S1,
          '2025-11',
          'MISSING_REPORT.missing',
          'AUTO_RESOLVED',
          'OPEN',
          'CLOSED',
          `月报已于 ${today} 补报（批次 12，文件 c.xlsx），晚于截止日期 2025-12-05`,
          12,
        ],
      ]),
    );
  });

  it('leaves the flags as the batches’ final rows show them', async () => {
    await arrange();
    await judge(BATCHES);
    const late = await d.flags(`rule IN ('LATE_END.after_cap', 'MISSING_REPORT.missing')`);
    expect(
      late.map((f) => [
        f.school_code,
        f.month,
        f.rule,
        f.status,
        f.resolution,
        f.observed,
        f.threshold,
        f.evidence_batch_id,
      ]),
    ).toEqual([
      [
        S1,
        '2025-11',
        'MISSING_REPORT.missing',
        'CLOSED',
        'auto',
        '未报送',
        '截止 2025-12-05',
        null,
      ],
      [S2, '2025-10', 'LATE_END.after_cap', 'CLOSED', 'auto', '18:01', '18:00（小学）', 2],
      [S2, '2025-11', 'LATE_END.after_cap', 'OPEN', null, '18:10', '18:00（小学）', 12],
      [S3, '2025-10', 'LATE_END.after_cap', 'OPEN', null, '18:40', '18:30（初中）', 10],
      [S3, '2025-11', 'LATE_END.after_cap', 'CLOSED', 'auto', '18:31', '18:30（初中）', 2],
      [S5, '2025-10', 'LATE_END.after_cap', 'OPEN', null, '18:45', '18:30（完全中学）', 11],
    ]);
    expect(
      await d
        .flags(`school_code = '${S4}' AND month = '2025-10'`)
        .then((fs) => fs.map((f) => [f.rule, f.status, f.resolution, f.evidence_batch_id])),
    ).toEqual([['EXCESS_HOMEWORK.written_g12', 'OPEN', null, 11]]);
    // Nothing else changed: the fixture's 20 flags with their RAISED events (the sweep's
    // without a batch), 2 new flags, 7 new events.
    expect(
      await d.sql(`SELECT (SELECT count(*) FROM flags) AS flags,
        count(*) FILTER (WHERE batch_id IS NULL OR batch_id < 10) AS before,
        count(*) FILTER (WHERE batch_id >= 10) AS new FROM flag_events`),
    ).toEqual([{ flags: 22, before: 20, new: 7 }]);
    // A flag id is drawn for each new flag, none for the others.
    expect(await d.sql(`SELECT min(flag_id) AS lo, max(flag_id) AS hi FROM flags`)).toEqual([
      { lo: 1, hi: 22 },
    ]);
  });

  it('judges alike in one pass over a large scope and with the probe', async () => {
    await arrange();
    const snapshot = (conn: DuckDBConnection) =>
      conn
        .runAndReadAll(
          `SELECT f.school_code, f.month, f.rule, f.status, f.resolution, f.observed, f.threshold,
            f.policy_version, f.detail, f.evidence_batch_id, e.action, e.note, e.batch_id
          FROM flags f LEFT JOIN flag_events e ON e.flag_id = f.flag_id AND e.batch_id >= 10
          ORDER BY ALL`,
        )
        .then((r) => JSON.stringify(r.getRows(), (_, v: unknown) => String(v)));
    const probed = await judge(BATCHES, { dryRun: true, onePassRows: Infinity }, snapshot);
    const onePass = await judge(BATCHES, { dryRun: true, onePassRows: 0 }, snapshot);
    expect([...onePass.counts]).toEqual([...probed.counts]);
    expect(onePass.inside).toEqual(probed.inside);
  });

  it('uses the report batch’s load_batches row when it is there', async () => {
    await arrange();
    await d.sql(`INSERT INTO load_batches (batch_id, file_name, file_path, sha256, kind, status,
        loaded_by, loaded_at, rows_read, rows_skipped, rows_loaded, rows_rejected, units_loaded, units_rejected)
      VALUES (12, 'c.xlsx', '/tmp/c.xlsx', 'x', 'monthly', 'loaded', 'test',
        '2025-12-03 10:00:00+08', 2, 0, 2, 0, 2, 0)`);
    await judge([monthly(12, 'c.xlsx')]);
    const missing = await newEvents().then((es) =>
      es.filter((e) => e.rule === 'MISSING_REPORT.missing').map((e) => e.note),
    );
    expect(missing).toEqual(['月报已于 2025-12-03 报送（批次 12，文件 c.xlsx）']);
  });

  it('judges one batch alone: its own school-months, its own notes', async () => {
    await arrange();
    // Alone, a.xlsx takes S2 and S3 2025-11 too (its semester's later months).
    const { counts: got } = await judge([monthly(10, 'a.xlsx')]);
    // S2 2025-11 now ends 18:10 (c.xlsx's row is in the table): raised under a.xlsx.
    expect([...got]).toEqual([[10, counts(2, 0, 2, 0)]]);
    expect(
      (await newEvents()).map((e) => [e.school_code, e.month, e.action, e.note]).sort(),
    ).toEqual(
      [
        [S2, '2025-10', 'AUTO_RESOLVED', '更正后的报告（批次 10，文件 a.xlsx）不再显示该问题'],
        [S2, '2025-11', 'RAISED', '系统根据导入的报告发现（批次 10，文件 a.xlsx）'],
        [S3, '2025-10', 'RAISED', '系统根据导入的报告发现（批次 10，文件 a.xlsx）'],
        [S3, '2025-11', 'AUTO_RESOLVED', '更正后的报告（批次 10，文件 a.xlsx）不再显示该问题'],
      ].sort(),
    );
  });
});

describe('judgeBatches: other kinds', () => {
  it('registry files: each school’s months go to the last file listing it', async () => {
    // r1.csv (20) lists S2 and S3 unchanged; r2.csv (21) lists S3 again, now a primary:
    // its 18:30 end in 2025-10 is late and its written homework forbidden, 2025-11's
    // threshold tightens.
    await d.sql(`UPDATE schools SET batch_id = 20 WHERE school_code = '${S2}'`);
    await d.sql(`UPDATE schools SET batch_id = 21, stage = 'primary' WHERE school_code = '${S3}'`);
    const registry = (batchId: number, fileName: string): LoadedBatch => ({
      batchId,
      kind: 'registry',
      fileName,
    });
    const { counts: got } = await judge([registry(20, 'r1.csv'), registry(21, 'r2.csv')]);
    expect([...got]).toEqual([
      [20, counts(0, 0, 0, 0)],
      [21, counts(2, 1, 0, 0)],
    ]);
    expect(
      (await d.events('e.batch_id >= 20')).map((e) => [e.month, e.rule, e.action, e.note]),
    ).toEqual(
      expect.arrayContaining([
        [
          '2025-10',
          'LATE_END.after_cap',
          'RAISED',
          '系统根据导入的学校名录发现（批次 21，文件 r2.csv）',
        ],
        [
          '2025-10',
          'EXCESS_HOMEWORK.written_g12',
          'RAISED',
          '系统根据导入的学校名录发现（批次 21，文件 r2.csv）',
        ],
        [
          '2025-11',
          'LATE_END.after_cap',
          'EVIDENCE_UPDATED',
          '学校名录（批次 21，文件 r2.csv）更新了证据：标准 18:30（初中） → 18:00（小学）',
        ],
      ]),
    );
  });

  it('participation files: a grade’s excess is judged under the file of its school-month', async () => {
    // p1.csv (30): S2 2025-10's grade 2 now 40 of 40 (no excess: FORCED_PARTICIPATION
    // resolves); p2.csv (31): S1 2025-10's grade 1 now 101 of 100 applicants (raised).
    await d.sql(`UPDATE participation SET batch_id = 30, participants = 40
      WHERE school_code = '${S2}' AND month = '2025-10' AND grade = 2`);
    await d.sql(`UPDATE participation SET batch_id = 31, participants = 101
      WHERE school_code = '${S1}' AND month = '2025-10' AND grade = 1`);
    const part = (batchId: number, fileName: string): LoadedBatch => ({
      batchId,
      kind: 'participation',
      fileName,
    });
    const { counts: got } = await judge([part(30, 'p1.csv'), part(31, 'p2.csv')]);
    const forced = (await d.events('e.batch_id >= 30')).filter(
      (e) => e.rule === 'FORCED_PARTICIPATION.over_applicants',
    );
    expect(forced.map((e) => [e.school_code, e.action, e.note, e.batch_id])).toEqual(
      expect.arrayContaining([
        [S2, 'AUTO_RESOLVED', '更正后的报告（批次 30，文件 p1.csv）不再显示该问题', 30],
        [S1, 'RAISED', '系统根据导入的报告发现（批次 31，文件 p2.csv）', 31],
      ]),
    );
    expect([...got]).toEqual([
      [30, counts(0, 0, 1, 0)],
      [31, counts(1, 0, 0, 0)],
    ]);
  });

  it('survey and assignment files touch nothing and run no SQL', async () => {
    const untouchable = new Proxy({} as DuckDBConnection, {
      get() {
        throw new Error('no SQL expected');
      },
    });
    const conn = await d.warehouse.connect();
    const { policy } = await readStoredPolicyOn(conn).finally(() => conn.closeSync());
    for (const kind of ['survey', 'assignments'] as const) {
      const got = await judgeBatches(
        untouchable,
        [
          { batchId: 40, kind, fileName: 'x.xlsx' },
          { batchId: 41, kind, fileName: 'y.xlsx' },
        ],
        { policy, now: AFTER_NOVEMBER },
      );
      expect([...got]).toEqual([
        [40, counts(0, 0, 0, 0)],
        [41, counts(0, 0, 0, 0)],
      ]);
    }
    expect(await judgeBatches(untouchable, [], { policy, now: AFTER_NOVEMBER })).toEqual(new Map());
  });

  it('refuses batches of two kinds', async () => {
    await expect(
      judge([monthly(50, 'a.xlsx'), { batchId: 51, kind: 'participation', fileName: 'p.csv' }]),
    ).rejects.toThrow(/two kinds/);
  });
});

/** rejudgeAll of a district without flags, rolled back: by the probe's two passes and in one. */
async function bothWays(district: FlagDistrict) {
  await district.sql(`DELETE FROM flag_events`);
  await district.sql(`DELETE FROM flags`);
  const conn = await district.warehouse.connect();
  try {
    const { policy } = await readStoredPolicyOn(conn);
    const run = (onePassRows: number) =>
      inTransaction(conn, true, async () => {
        const result = await rejudgeAll(conn, {
          policy,
          now: AFTER_NOVEMBER,
          reason: '测试',
          onePassRows,
        });
        const rows = await conn.runAndReadAll(
          `SELECT f.school_code, f.month, f.code, f.rule, f.status, f.observed, f.threshold,
            f.policy_version, f.detail, f.evidence_batch_id, e.action, e.note, e.batch_id
          FROM flags f JOIN flag_events e USING (flag_id) ORDER BY ALL`,
        );
        return { result, rows: rows.getRowObjectsJS() };
      });
    return { probed: await run(Infinity), onePass: await run(0) };
  } finally {
    await dropJudgeTables(conn);
    conn.closeSync();
  }
}

describe('judging in one pass (a large scope)', () => {
  it('raises every rule’s flags on the fixture with the same texts as the probe’s two passes', async () => {
    const { probed, onePass } = await bothWays(d);
    expect(probed.result.total).toEqual(counts(20, 0, 0, 0));
    expect(onePass).toEqual(probed);
  });

  it('judges alike under semester fee caps, an earliest end and rules disabled from a month', async () => {
    const district = await openFlagDistrict(
      policyText(
        {
          fees: { caps: { per_period: null, per_semester: 80 } },
          end_time: { earliest: '17:30' },
        },
        [
          {
            version: 'v2',
            effective_from: '2025-11',
            source: '测试区通知',
            disabled_rules: ['LATE_END', 'ILLEGAL_FEES.unpublished'],
          },
        ],
      ),
    );
    try {
      await district.load();
      const { probed, onePass } = await bothWays(district);
      const rules = probed.rows.map((r) => `${String(r.month)} ${String(r.rule)}`);
      expect(rules).toContain('2025-10 LATE_END.after_cap');
      expect(rules).not.toContain('2025-11 LATE_END.after_cap');
      expect(rules).toContain('2025-11 ILLEGAL_FEES.per_semester');
      expect(onePass).toEqual(probed);
    } finally {
      await district.close();
    }
  });
});
