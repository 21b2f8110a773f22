/**
 * Small-cell protection of the evaluation's 优先群体保障 indicator (the default scheme,
 * server/policy/evaluation-scheme.yaml) on the API fixture district. 东城第一小学
 * (1000000001) in 2025-10: the worst group is 留守儿童 14 of 20 (70.0%) against 84.0%,
 * but the school also has 残疾儿童 1 of 2 and 困难家庭学生 8 of 10, small cells a leader
 * never gets: its equity value, evidence and the indicator's medians are withheld for the
 * leader, exact for the bureau; the points stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

let fx: ApiFixture;

beforeAll(async () => {
  fx = await openApiFixture({ now: new Date('2025-11-20T12:00:00+08:00') });
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

interface Indicator {
  key: string;
  points: number;
  value: number | null;
  evidence: string | null;
  peerMedianValue: number | null;
  districtMedianValue: number | null;
}

const CARD = `query($code: String!) {
  schoolEvaluation(code: $code, period: "2025-10") {
    indicators { key points value evidence peerMedianValue districtMedianValue }
  }
  peerComparison(code: $code, period: "2025-10") {
    figures { key value peerMedian districtMedian }
  }
}`;

async function equity(who: keyof typeof VIEWERS) {
  const { data, errors } = await fx.run(VIEWERS[who], CARD, { code: '1000000001' });
  expect(errors).toBeUndefined();
  const d = data as {
    schoolEvaluation: { indicators: Indicator[] };
    peerComparison: {
      figures: {
        key: string;
        value: number | null;
        peerMedian: number | null;
        districtMedian: number | null;
      }[];
    };
  };
  return {
    card: d.schoolEvaluation.indicators.find((i) => i.key === 'priority_equity') as Indicator,
    peer: d.peerComparison.figures.find((f) => f.key === 'priority_equity'),
    others: d.schoolEvaluation.indicators.filter((i) => i.key !== 'priority_equity'),
  };
}

describe('evaluation evidence under small-cell protection', () => {
  it('the bureau reads the worst group’s rate against the school’s', async () => {
    const { card, peer } = await equity('bureau');
    expect(card.evidence).toBe('留守儿童参与率 70.0% / 全校 84.0%（-14.0 个百分点）');
    expect(card.value).toBeCloseTo(0.7 - 0.84, 12);
    expect(peer?.value).toBeCloseTo(0.7 - 0.84, 12);
  });

  it('a leader gets the points but neither the gap, its evidence nor its medians', async () => {
    const [leader, bureau] = [await equity('leader'), await equity('bureau')];
    expect(leader.card.value).toBeNull();
    expect(leader.card.evidence).toBe(
      '小群体保护：本校有优先群体人数少于10人（或为防止推算一并隐藏），群体参与率与差距不予显示',
    );
    expect([leader.card.peerMedianValue, leader.card.districtMedianValue]).toEqual([null, null]);
    expect(leader.card.points).toBe(bureau.card.points);
    expect(leader.peer).toMatchObject({ value: null, peerMedian: null, districtMedian: null });
    // The other indicators are untouched.
    expect(leader.others).toEqual(bureau.others);
  });
});
