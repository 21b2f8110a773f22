/**
 * The demo's review of school-months (issue 17), played through the server's own review
 * service as the demo users, so every unit's history reads like a real one:
 * - every school-month before the newest reported month was submitted and approved
 *   (已审核, locked) by the demo bureau user, within days of its deadline;
 * - in the newest month the demo school submitted its own report, two other schools of its
 *   township were submitted and one of them was returned (退回) by the township's reviewer
 *   with its reasons; the rest of the district is still a draft (草稿).
 * So 仅显示已审核数据 leaves out exactly the newest month, demo-township has a queue, and
 * demo-school sees one unit awaiting review. Run once: a warehouse with review rows is left
 * as it is.
 */
import { sql } from 'kysely';
import { addMonths, shanghaiInstant } from '../../server/db/calendar.ts';
import { takeStep, MAX_UNITS_PER_STEP } from '../../server/graphql/reviews/reviews.service.ts';
import { DEMO_USERNAMES } from '../../server/auth/demo-users.ts';
import { demoContext, viewers, type Handles } from './play-casework.ts';

export interface ReviewResult {
  played: boolean;
  approved: number;
  submitted: number;
  returned: number;
  drafts: number;
  newestMonth: string | null;
}

/** The reasons the township reviewer returns a report with. */
export const DEMO_RETURN_REASONS = [
  '分年级参加人数合计与月报参加人数不一致，请核对后重新提交',
  '最晚结束时间填写为 18:40，请核实是否为实际离校时间',
];

/** "2025-10" → the next month's day `day` at 10:00 in Shanghai, never after `asOf`. */
function afterMonth(month: string, day: number, asOf: string): string {
  const date = `${addMonths(month, 1)}-${String(day).padStart(2, '0')}`;
  const at = shanghaiInstant(date, '10:00:00');
  return at.getTime() < Date.parse(asOf) ? at.toISOString() : asOf;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function playReviews(handles: Handles, asOf: string): Promise<ReviewResult> {
  const { warehouse } = handles;
  const none = { approved: 0, submitted: 0, returned: 0, drafts: 0 };
  const existing = await sql<{ n: number }>`SELECT count(*) AS n FROM unit_reviews`.execute(
    warehouse.db,
  );
  if (Number(existing.rows[0]?.n ?? 0) > 0) return { played: false, ...none, newestMonth: null };
  const units = await sql<{ school_code: string; month: string; township: string | null }>`
    SELECT k.school_code, k.month, s.township
    FROM (SELECT school_code, month FROM monthly_reports
          UNION SELECT school_code, month FROM participation) k
    LEFT JOIN (SELECT school_code, any_value(township) AS township FROM schools
               GROUP BY school_code) s ON s.school_code = k.school_code
    ORDER BY k.month, k.school_code`.execute(warehouse.db);
  const newestMonth = units.rows.at(-1)?.month ?? null;
  if (newestMonth === null) return { played: false, ...none, newestMonth };

  const users = await viewers(warehouse, Object.values(DEMO_USERNAMES));
  const context = demoContext(handles, users, 'demo reviews');
  const bureau = DEMO_USERNAMES.bureau;

  let approved = 0;
  const past = units.rows.filter((u) => u.month < newestMonth);
  const months = [...new Set(past.map((u) => u.month))];
  for (const month of months) {
    const keys = past
      .filter((u) => u.month === month)
      .map((u) => ({ schoolCode: u.school_code, month }));
    for (const part of chunks(keys, MAX_UNITS_PER_STEP)) {
      await takeStep(context(bureau, afterMonth(month, 5, asOf)), 'SUBMIT', { units: part });
      await takeStep(context(bureau, afterMonth(month, 12, asOf)), 'APPROVE', { units: part });
      approved += part.length;
    }
  }

  // The newest month: the demo school's own submission and its township's queue.
  const school = users.get(DEMO_USERNAMES.school)?.schoolCode ?? null;
  const township = users.get(DEMO_USERNAMES.township)?.township ?? null;
  const latest = units.rows.filter((u) => u.month === newestMonth);
  let submitted = 0;
  let returned = 0;
  if (school !== null && latest.some((u) => u.school_code === school)) {
    await takeStep(context(DEMO_USERNAMES.school, afterMonth(newestMonth, 3, asOf)), 'SUBMIT', {
      units: [{ schoolCode: school, month: newestMonth }],
    });
    submitted += 1;
  }
  const neighbours = latest
    .filter((u) => u.township === township && u.school_code !== school)
    .slice(0, 2)
    .map((u) => ({ schoolCode: u.school_code, month: newestMonth }));
  if (neighbours.length > 0 && township !== null) {
    await takeStep(context(bureau, afterMonth(newestMonth, 4, asOf)), 'SUBMIT', {
      units: neighbours,
    });
    submitted += neighbours.length;
    await takeStep(context(DEMO_USERNAMES.township, afterMonth(newestMonth, 6, asOf)), 'RETURN', {
      units: neighbours.slice(0, 1),
      reasons: DEMO_RETURN_REASONS,
    });
    submitted -= 1;
    returned = 1;
  }
  return {
    played: true,
    approved,
    submitted,
    returned,
    drafts: latest.length - submitted - returned,
    newestMonth,
  };
}
