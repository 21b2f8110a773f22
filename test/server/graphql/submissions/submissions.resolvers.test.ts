/**
 * Query.submissionMatrix (报送情况) on the fixture district (test/fixtures/api: one monthly
 * file, loaded 2025-11-20 12:00, reports for 2025-09 from all four schools and for 2025-10
 * from 0001–0003; 0003 passes from DX01 to DX02 in 2025-10), plus, inserted here: an earlier file (batch 900, 2025-10-03 10:00) whose
 * 2025-09 report of 0001 the fixture's file replaced, a replaced participation row of
 * 0002 in 2025-10, and doubts in every status. Deadlines: day 5 of the next month; no
 * service in August.
 *
 *            2025-08   2025-09                      2025-10
 *   0001     NOT_DUE   ON_TIME, 1 correction        LATE
 *   0002     NOT_DUE   LATE, 2 open doubts          LATE, 1 correction
 *   0003     NOT_DUE   LATE (doubt VERIFIED: 0)     LATE, 1 open doubt (CORRECTION_REQUESTED)
 *   0004     NOT_DUE   LATE                         MISSING
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const NOW = new Date('2025-11-20T15:00:00+08:00');

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture({ now: NOW });
  await api.writer.write(async ({ conn }) => {
    const reader = await conn.runAndReadAll(
      `SELECT batch_id FROM monthly_reports WHERE school_code = '1000000001' AND month = '2025-09'`,
    );
    const monthly = Number(reader.getRowObjectsJS()[0]?.batch_id);
    // The ETL stamps the real clock; the fixture's story is a file loaded 2025-11-20 12:00.
    await conn.run(
      `UPDATE load_batches SET loaded_at = '2025-11-20T12:00:00+08:00'::TIMESTAMPTZ
       WHERE batch_id = $1`,
      [monthly],
    );
    await conn.run(
      `INSERT INTO load_batches (batch_id, file_name, file_path, sha256, kind, sheets, status,
         loaded_by, loaded_at, rows_read, rows_skipped, rows_loaded, rows_rejected,
         units_loaded, units_rejected)
       VALUES (900, '月报-初报.csv', '/tmp/x', 'abc', 'monthly', NULL, 'loaded', 'test',
         '2025-10-03T10:00:00+08:00'::TIMESTAMPTZ, 1, 0, 1, 0, 1, 0)`,
    );
    const version = (table: string, school: string, month: string) =>
      conn.run(
        `INSERT INTO row_versions (table_name, school_code, month, batch_id, source_sheet,
           source_row, row_json, superseded_by)
         VALUES ($1, $2, $3, 900, NULL, 2, '{}', $4)`,
        [table, school, month, monthly],
      );
    // The story's doubts replace what the checks raised at load (the load's real clock made
    // every report a LATE_REPORT doubt).
    await conn.run(`DELETE FROM data_doubt_events`);
    await conn.run(`DELETE FROM data_doubts`);
    await version('monthly_reports', '1000000001', '2025-09');
    await version('participation', '1000000002', '2025-10');
    const doubt = (school: string, month: string, rule: string, status: string) =>
      conn.run(
        `INSERT INTO data_doubts (school_code, month, rule, measure, detail, detail_en, status)
         VALUES ($1, $2, $3, 'participants', '…', '…', $4)`,
        [school, month, rule, status],
      );
    await doubt('1000000002', '2025-09', 'MONTH_JUMP.participants', 'OPEN');
    await doubt('1000000002', '2025-09', 'ROUND_NUMBERS.participants', 'OPEN');
    await doubt('1000000003', '2025-09', 'MONTH_JUMP.participants', 'VERIFIED');
    await doubt('1000000003', '2025-10', 'MONTH_JUMP.participants', 'CORRECTION_REQUESTED');
    await doubt('1000000001', '2025-10', 'MONTH_JUMP.participants', 'CLEARED');
  });
});
afterAll(async () => {
  await api.close();
});

const MATRIX = `query ($from: String!, $to: String!, $scope: ScopeInput, $inspectorId: String) {
  submissionMatrix(from: $from, to: $to, scope: $scope, inspectorId: $inspectorId) {
    months total onTime late missing corrected withDoubts inspectors { id name }
    rows { schoolCode schoolName township
      cells { month state firstReceivedAt corrections openDoubts } } } }`;

interface Matrix {
  months: string[];
  total: number;
  onTime: number;
  late: number;
  missing: number;
  corrected: number;
  withDoubts: number;
  inspectors: { id: string; name: string }[];
  rows: {
    schoolCode: string;
    township: string;
    cells: {
      month: string;
      state: string;
      firstReceivedAt: string | null;
      corrections: number;
      openDoubts: number;
    }[];
  }[];
}

async function matrix(
  viewer: (typeof VIEWERS)[keyof typeof VIEWERS],
  vars: Record<string, unknown> = {},
) {
  const { data, errors } = await api.run(viewer, MATRIX, {
    from: '2025-08',
    to: '2025-10',
    ...vars,
  });
  return { m: data?.submissionMatrix as Matrix | undefined, errors };
}

/** "state/corrections/openDoubts" per cell, by school. */
const grid = (m: Matrix) =>
  Object.fromEntries(
    m.rows.map((r) => [
      r.schoolCode.slice(-4),
      r.cells.map((c) => `${c.state}/${c.corrections}/${c.openDoubts}`),
    ]),
  );

describe('Query.submissionMatrix', () => {
  it('gives the bureau every school × month with arrival, corrections and open doubts', async () => {
    const { m, errors } = await matrix(VIEWERS.bureau);
    expect(errors).toBeUndefined();
    expect(m!.months).toEqual(['2025-08', '2025-09', '2025-10']);
    expect(grid(m!)).toEqual({
      '0001': ['NOT_DUE/0/0', 'ON_TIME/1/0', 'LATE/0/0'],
      '0002': ['NOT_DUE/0/0', 'LATE/0/2', 'LATE/1/0'],
      '0003': ['NOT_DUE/0/0', 'LATE/0/0', 'LATE/0/1'],
      '0004': ['NOT_DUE/0/0', 'LATE/0/0', 'MISSING/0/0'],
    });
    // By township (东城镇 before 西山乡), then code.
    expect(m!.rows.map((r) => r.township)).toEqual(['东城镇', '东城镇', '西山乡', '西山乡']);
    // The first arrival is the replaced file's, not the correction's.
    expect(m!.rows[0]!.cells[1]!.firstReceivedAt).toBe('2025-10-03T10:00:00+08:00');
    expect(m!.rows[1]!.cells[1]!.firstReceivedAt).toBe('2025-11-20T12:00:00+08:00');
    expect(m!.rows[3]!.cells[2]!.firstReceivedAt).toBeNull();
    expect(m).toMatchObject({
      total: 4,
      onTime: 1,
      late: 6,
      missing: 1,
      corrected: 2,
      withDoubts: 2,
    });
  });

  it('gives a 督学 only their schools in the months they are theirs', async () => {
    // 0003 passes to DX02 in 2025-10: DX01's grid shows nothing of that month.
    const { m, errors } = await matrix(VIEWERS.dx01);
    expect(errors).toBeUndefined();
    expect(grid(m!)).toEqual({
      '0001': ['NOT_DUE/0/0', 'ON_TIME/1/0', 'LATE/0/0'],
      '0003': ['NOT_DUE/0/0', 'LATE/0/0', 'NOT_DUE/0/0'],
    });
    expect(m).toMatchObject({
      total: 2,
      onTime: 1,
      late: 2,
      missing: 0,
      corrected: 1,
      withDoubts: 0,
    });
    const none = await matrix(VIEWERS.unlinked);
    expect(none.m).toMatchObject({ total: 0, rows: [], onTime: 0, late: 0, missing: 0 });
  });

  it('narrows to one 督学 and their school-months, within the remit', async () => {
    const all = await matrix(VIEWERS.bureau);
    expect(all.m!.inspectors).toEqual([
      { id: 'DX01', name: '张督学' },
      { id: 'DX02', name: '李督学' },
    ]);
    const { m } = await matrix(VIEWERS.bureau, { inspectorId: 'DX01' });
    expect(grid(m!)).toEqual({
      '0001': ['NOT_DUE/0/0', 'ON_TIME/1/0', 'LATE/0/0'],
      '0003': ['NOT_DUE/0/0', 'LATE/0/0', 'NOT_DUE/0/0'],
    });
    expect(m).toMatchObject({ total: 2, onTime: 1, late: 2, missing: 0 });
    // DX01's only school-month DX02 also had is none: 0003 was DX01's in 2025-09 only.
    const other = await matrix(VIEWERS.dx02, { inspectorId: 'DX01' });
    expect(other.m).toMatchObject({ total: 0, rows: [] });
    expect((await matrix(VIEWERS.dx02)).m!.inspectors.map((i) => i.id)).toEqual(['DX02']);
    const bad = await matrix(VIEWERS.bureau, { inspectorId: "x' OR 1=1" });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('narrows to a township', async () => {
    const { m } = await matrix(VIEWERS.bureau, { scope: { township: '西山乡' } });
    expect(Object.keys(grid(m!))).toEqual(['0003', '0004']);
    expect(m).toMatchObject({ total: 2, onTime: 0, late: 3, missing: 1, withDoubts: 1 });
  });

  it('does not call a report missing before its deadline', async () => {
    api.setNow(new Date('2025-11-05T12:00:00+08:00')); // 2025-10 due 2025-11-05 23:59:59
    try {
      const { m } = await matrix(VIEWERS.bureau);
      expect(grid(m!)['0004']).toEqual(['NOT_DUE/0/0', 'LATE/0/0', 'NOT_DUE/0/0']);
      expect(m!.missing).toBe(0);
    } finally {
      api.setNow(NOW);
    }
  });

  it('is FORBIDDEN for leadership and refuses bad ranges', async () => {
    const leader = await matrix(VIEWERS.leader);
    expect(leader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(leader.m).toBeUndefined();
    for (const vars of [
      { from: '2023-01', to: '2025-01' }, // 25 months
      { from: '2025-10', to: '2025-09' },
      { from: '2025-13', to: '2025-14' },
    ]) {
      const { errors } = await matrix(VIEWERS.bureau, vars);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
