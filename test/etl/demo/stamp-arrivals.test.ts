/**
 * The demo's simulated arrivals: each monthly-report and per-grade batch is stamped on the
 * afternoon of its deadline day (5th of the next month, 16:00 Beijing) or three days later,
 * plus its batch number in seconds; timeliness then counts the on-time files, and a second
 * run changes nothing.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stampArrivals } from '../../../etl/demo/stamp-arrivals.ts';
import { loadPolicy } from '../../../server/policy/policy.ts';
import {
  API_FIXTURE_POLICY,
  openApiFixture,
  VIEWERS,
  type ApiFixture,
} from '../../helpers/api-fixture.ts';

let fx: ApiFixture;

beforeAll(async () => {
  fx = await openApiFixture();
}, 60_000);

afterAll(async () => {
  await fx.close();
});

interface Stamped {
  batch_id: number;
  month: string;
  loaded_ms: number;
  reports: number;
}

async function stamped(): Promise<Stamped[]> {
  const rows = await sql<Stamped>`
    SELECT b.batch_id, min(r.month) AS month, epoch_ms(b.loaded_at)::DOUBLE AS loaded_ms,
      count(*)::INTEGER AS reports
    FROM load_batches b JOIN monthly_reports r ON r.batch_id = b.batch_id
    GROUP BY b.batch_id, b.loaded_at ORDER BY b.batch_id`.execute(fx.warehouse.db);
  return rows.rows;
}

describe('stampArrivals (demo)', () => {
  it('stamps each report batch at its deadline afternoon or three days later, once', async () => {
    const policy = loadPolicy(API_FIXTURE_POLICY);
    const first = await stampArrivals(fx.warehouse, policy);
    const batches = await stamped();
    expect(batches.length).toBeGreaterThan(0);
    for (const b of batches) {
      const [year, month] = b.month.split('-').map(Number) as [number, number];
      const next =
        month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
      // 16:00 Beijing = 08:00 UTC on the 5th (on time) or the 8th (late), plus batch seconds.
      const onTime = Date.parse(`${next}-05T08:00:00Z`) + b.batch_id * 1000;
      const late = onTime + 3 * 86_400_000;
      expect([onTime, late]).toContain(b.loaded_ms);
    }
    expect(first.onTime + first.late).toBeGreaterThanOrEqual(batches.length);
    const again = await stampArrivals(fx.warehouse, policy);
    expect(again).toEqual(first);
    expect(await stamped()).toEqual(batches);
  });

  it('lets timeliness count the files that arrived by the deadline', async () => {
    // The fixture's 月报.csv holds every month and is stamped by its first (2024-10): it
    // arrives before every later deadline, so 2025-10 counts its 3 reports of 4 schools.
    const result = await fx.run(
      VIEWERS.bureau,
      '{ overview(month: "2025-10") { reportTimelinessRate schoolsInScope schoolsReporting } }',
    );
    expect(result.data?.overview).toEqual({
      reportTimelinessRate: 0.75,
      schoolsInScope: 4,
      schoolsReporting: 3,
    });
  });
});
