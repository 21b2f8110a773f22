import { describe, expect, it } from 'vitest';
import {
  defaultEvaluationPeriod,
  evaluationPeriodChoices,
  parseEvaluationPeriod,
} from '../../../web/src/state/evaluation-period.ts';

describe('the 考核 period', () => {
  it('reads a semester or a school year from the URL; a month stands for its school year', () => {
    expect(parseEvaluationPeriod({ period: '2024-2025' })?.label).toBe('2024-2025学年');
    expect(parseEvaluationPeriod({ period: '2024-2025-2' })?.label).toBe('2024-2025学年第二学期');
    expect(parseEvaluationPeriod({ period: '2025-09' })?.key).toBe('2025-2026');
    expect(parseEvaluationPeriod({ period: '2025-07' })?.key).toBe('2024-2025');
    expect(parseEvaluationPeriod({ period: '2024-2026' })).toBeNull();
    expect(parseEvaluationPeriod({})).toBeNull();
  });

  it('defaults to the newest school year with reports', () => {
    // The fixture district's months, newest first.
    expect(defaultEvaluationPeriod(['2025-10', '2025-09', '2024-10'])?.key).toBe('2025-2026');
    expect(defaultEvaluationPeriod(['2025-07'])?.key).toBe('2024-2025');
    expect(defaultEvaluationPeriod(null)).toBeNull();
  });

  it('offers each year before its semesters, newest first, each once', () => {
    expect(
      evaluationPeriodChoices(['2025-10', '2025-09', '2025-03', '2024-10']).map((p) => p.key),
    ).toEqual(['2025-2026', '2025-2026-1', '2024-2025', '2024-2025-2', '2024-2025-1']);
  });
});
