/**
 * The reminders job: it judges at start, and again shortly after any other write of the
 * data writer, so a flag raised by a step or a load
 * reaches its 督学 without waiting for the quarter-hour.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { startRemindersJob, type RemindersJob } from '../../../server/jobs/reminders.ts';
import { NOW, seedDistrict } from '../../helpers/seed-reminders.ts';

describe('startRemindersJob', () => {
  let warehouse: Warehouse | undefined;
  let writer: WarehouseWriter | undefined;
  let job: RemindersJob | undefined;
  afterEach(async () => {
    job?.stop();
    await writer?.close();
    await warehouse?.close();
  });

  const count = async (w: Warehouse): Promise<number> =>
    Number(
      (
        await w.db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );

  it('fires at start and after another write', async () => {
    warehouse = await openWarehouse(':memory:');
    await seedDistrict(warehouse);
    writer = await WarehouseWriter.open(warehouse);
    const w = warehouse;
    const sends: string[] = [];
    job = startRemindersJob({
      warehouse: w,
      writer,
      log: pino({ level: 'silent' }),
      now: () => NOW,
      transport: {
        fetch: () => Promise.reject(new Error('no channel is configured')),
        sendMail: (m) => {
          sends.push(m.subject);
          return Promise.resolve();
        },
      },
      intervalMs: 3_600_000,
      afterWriteDelayMs: 50,
    });
    // The eight reminders of fire-reminders.test.ts, at start.
    await expect.poll(() => count(w), { timeout: 10_000 }).toBe(8);

    // A step reopens flag 1 (a write of the data writer): the job judges again by itself.
    await writer.write(async ({ conn }) => {
      await conn.run(`INSERT INTO flag_events (flag_id, action, from_status, to_status, username,
          user_name) VALUES (1, 'REOPENED', 'CLOSED', 'OPEN', 'bureau', '局督学')`);
    });
    await expect.poll(() => count(w), { timeout: 10_000 }).toBe(9);
    // Nothing more fires after a while (the same keys), and no channel means no sends.
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(w)).toBe(9);
    expect(sends).toEqual([]);
  });
});
