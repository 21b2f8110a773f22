/** flags(period:): the period's months bound the flags' months (test/fixtures/api). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(async () => {
  await api.close();
});

const PAGE = `total items { id month }`;

describe('flags(period)', () => {
  it('lists the flags of the semester, as from/to over its months does', async () => {
    const { data, errors } = await api.run(
      VIEWERS.bureau,
      `{ byPeriod: flags(period: "2024-2025-1", first: 200) { ${PAGE} }
         byRange: flags(from: "2024-09", to: "2025-01", first: 200) { ${PAGE} }
         later: flags(period: "2025-2026-1", first: 200) { ${PAGE} } }`,
    );
    expect(errors).toBeUndefined();
    const byPeriod = data?.byPeriod as { total: number; items: { month: string }[] };
    expect(byPeriod.total).toBeGreaterThan(0);
    expect(byPeriod).toEqual(data?.byRange);
    const later = data?.later as { total: number; items: { month: string }[] };
    expect(later.total).toBeGreaterThan(0);
    expect(later.items.every((f) => f.month >= '2025-09' && f.month <= '2026-01')).toBe(true);
  });

  it('refuses period with month or from/to, and a bad period', async () => {
    for (const args of [
      'period: "2025-2026-1", month: "2025-10"',
      'period: "2025-2026-1", from: "2025-09"',
    ]) {
      const { errors } = await api.run(VIEWERS.bureau, `{ flags(${args}) { total } }`);
      expect(errors?.[0]?.message).toContain('period 不能与 month 或 from/to 同时使用');
    }
    const { errors } = await api.run(VIEWERS.bureau, `{ flags(period: "2025-2026-3") { total } }`);
    expect(errors?.[0]?.message).toContain('period 应为月份');
  });
});
