/**
 * A few implausible per-grade reports planted in schools that break no rule, so the data
 * doubts (数据疑点, etl/doubts/) have something true to find, with ground truth: one school
 * copies its participant counts for four reported months of a school year
 * (IDENTICAL_MONTHS), one reports a month in round tens (ROUND_NUMBERS), one a month with a
 * quarter of its participants (MONTH_JUMP there and back). Enrolment is never touched;
 * participant counts keep every "not above" of the report, and applicants follow
 * participants, so demand stays met and no flag appears or goes.
 */
import type { Warehouse } from '../../server/db/connect.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { judgeDoubts, type DoubtCounts } from '../doubts/judge-doubts.ts';
import { inTransaction } from '../flags/evaluate.ts';
import { schoolYearOf } from '../../server/db/calendar.ts';
import type { ParticipationRow } from './model.ts';
import type { Rng } from './random.ts';

export interface PlantedDoubt {
  school_code: string;
  month: string;
  /** A rule of server/policy/doubt-catalogue.ts. */
  rule: string;
}

/** What a school estimates (its enrolment comes from the student roll): copied or rounded. */
const PARTICIPANT_COUNTS = [
  'applicants',
  'participants',
  'five_day_participants',
  'left_behind_participants',
  'migrant_participants',
  'disabled_participants',
  'poor_participants',
] as const;

/** Reported months of a school, oldest first, with their rows. */
function byMonth(rows: readonly ParticipationRow[]): Array<[string, ParticipationRow[]]> {
  const out = new Map<string, ParticipationRow[]>();
  for (const r of rows) out.set(r.month, [...(out.get(r.month) ?? []), r]);
  return [...out].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Plants the doubts into `participation` (changed in place) at schools of `clean` (no rule
 * break, no under-served group) with at least six reported months and 100 participants in
 * each; returns what the checks should find. Fewer schools than three: fewer plants.
 */
export function plantDoubts(
  participation: ParticipationRow[],
  clean: readonly string[],
  rng: Rng,
): PlantedDoubt[] {
  const rowsOf = new Map<string, ParticipationRow[]>();
  for (const r of participation)
    rowsOf.set(r.school_code, [...(rowsOf.get(r.school_code) ?? []), r]);
  const fit = clean.filter((code) => {
    const months = byMonth(rowsOf.get(code) ?? []);
    return (
      months.length >= 6 &&
      months.every(([, rows]) => rows.reduce((n, r) => n + r.participants, 0) >= 100)
    );
  });
  const picked = rng.shuffle([...fit]).slice(0, 3);
  const planted: PlantedDoubt[] = [];
  const [copier, rounder, dropper] = picked;
  if (copier !== undefined) {
    // Four reported months of one school year with the first one's counts (a clerk's copy;
    // the enrolment is the year's, so every count stays within it).
    const months = byMonth(rowsOf.get(copier) ?? []);
    const start = months.findIndex(
      ([m], i) => schoolYearOf(months[i + 3]?.[0] ?? '0000-01') === schoolYearOf(m),
    );
    const source = months[start]?.[1] ?? [];
    for (const [, rows] of start < 0 ? [] : months.slice(start + 1, start + 4))
      for (const r of rows) {
        const from = source.find((s) => s.grade === r.grade);
        if (from) for (const c of PARTICIPANT_COUNTS) r[c] = from[c];
      }
    const fourth = start < 0 ? undefined : months[start + 3]?.[0];
    if (fourth !== undefined)
      planted.push({
        school_code: copier,
        month: fourth,
        rule: 'IDENTICAL_MONTHS.participants_by_grade',
      });
  }
  if (rounder !== undefined) {
    // One month estimated in tens: participants down to a ten (up when the priority groups'
    // participants need it), five-day down, applicants = participants (demand met).
    const [month, rows] = byMonth(rowsOf.get(rounder) ?? [])[3] ?? [];
    if (month !== undefined && rows !== undefined) {
      for (const r of rows) {
        const floor = Math.floor(r.participants / 10) * 10;
        const groups = Math.max(
          r.left_behind_participants,
          r.migrant_participants,
          r.disabled_participants,
          r.poor_participants,
        );
        r.participants = floor >= groups ? floor : Math.min(r.enrolled, floor + 10);
        r.five_day_participants = Math.floor(r.five_day_participants / 10) * 10;
        r.applicants = r.participants;
      }
      planted.push({ school_code: rounder, month, rule: 'ROUND_NUMBERS.report_counts' });
    }
  }
  if (dropper !== undefined) {
    // One month with a quarter of the participants (a sheet of one class only): a jump down
    // and back up the next reported month.
    const months = byMonth(rowsOf.get(dropper) ?? []);
    const [month, rows] = months[3] ?? [];
    const next = months[4]?.[0];
    if (month !== undefined && rows !== undefined && next !== undefined) {
      for (const r of rows) {
        for (const c of PARTICIPANT_COUNTS) r[c] = Math.floor(r[c] / 4);
        r.applicants = r.participants;
      }
      planted.push({ school_code: dropper, month, rule: 'MONTH_JUMP.participants' });
      planted.push({ school_code: dropper, month: next, rule: 'MONTH_JUMP.participants' });
    }
  }
  return planted;
}

/**
 * The demo's doubts, judged once its arrivals are stamped (stamp-arrivals.ts): during the
 * load every report carried the load's minute and looked late, which no bureau would
 * have seen, so those doubts and their events go and every month is judged afresh.
 */
export async function judgeDemoDoubts(
  warehouse: Warehouse,
  policy: DistrictPolicy,
): Promise<DoubtCounts> {
  const conn = await warehouse.connect();
  try {
    return await inTransaction(conn, false, async () => {
      await conn.run('DELETE FROM data_doubt_events');
      await conn.run('DELETE FROM data_doubts');
      return judgeDoubts(conn, {
        policy,
        fromMonth: null,
        batchId: null,
        reason: '演示数据导入后核对',
      });
    });
  } finally {
    conn.closeSync();
  }
}
