/** Satisfaction figures: scores 5..1 map to 100..0; satisfied = 非常满意 or 满意. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AnswerCount, SatisfactionItemStat } from '../__generated__/resolvers-types.ts';
import { rate } from '../metrics/rates.ts';
import type { ScopeRequest } from '../scope/scope.ts';
import { itemScoreCounts } from './satisfaction.repository.ts';

export const ANSWER_LABELS: Readonly<Record<number, string>> = {
  5: '非常满意',
  4: '满意',
  3: '一般',
  2: '不满意',
  1: '非常不满意',
};

export function scoreOf(level: number): number {
  return (level - 1) * 25;
}

export async function itemStats(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<SatisfactionItemStat[]> {
  const rows = await itemScoreCounts(db, request);
  const items = new Map<
    string,
    { text: string; overall: boolean; respondent: string; counts: Map<number, number> }
  >();
  for (const row of rows) {
    const key = `${row.item_text}\u0000${row.respondent}`;
    const item = items.get(key) ?? {
      text: row.item_text,
      overall: row.is_overall,
      respondent: row.respondent,
      counts: new Map<number, number>(),
    };
    item.counts.set(row.score, row.answers);
    items.set(key, item);
  }
  return [...items.values()].map((item) => {
    const total = [...item.counts.values()].reduce((a, b) => a + b, 0);
    const scoreSum = [...item.counts].reduce((a, [level, n]) => a + scoreOf(level) * n, 0);
    const satisfied = (item.counts.get(5) ?? 0) + (item.counts.get(4) ?? 0);
    const distribution: AnswerCount[] = [5, 4, 3, 2, 1].map((level) => ({
      level,
      label: ANSWER_LABELS[level] as string,
      count: item.counts.get(level) ?? 0,
      share: rate(item.counts.get(level) ?? 0, total),
    }));
    return {
      itemText: item.text,
      isOverall: item.overall,
      respondent: item.respondent,
      responses: total,
      score: rate(scoreSum, total),
      satisfiedShare: rate(satisfied, total),
      distribution,
    };
  });
}
