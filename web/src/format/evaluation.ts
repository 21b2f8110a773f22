/** How the 年度考核 views word an evaluation's state and changes (zh-CN). */
import { dateTime, integer, percent, score, scoreDelta } from './format.ts';

export interface PublicationState {
  published: boolean;
  version: number | null;
  publishedBy: string | null;
  publishedAt: string | null;
}

/** "已发布 第2版（督导科王老师，2025/09/01 10:00）" or "未发布（实时计算）". */
export function publicationText(state: PublicationState): string {
  if (!state.published) return '未发布（实时计算）';
  const who = [state.publishedBy, state.publishedAt ? dateTime(state.publishedAt) : null]
    .filter((x): x is string => Boolean(x))
    .join('，');
  return `已发布 第${state.version ?? '?'}版${who ? `（${who}）` : ''}`;
}

/** A score change against the previous period; "上期未考核" when there is none. */
export function changeText(change: number | null | undefined): string {
  return change === null || change === undefined ? '上期未考核' : scoreDelta(change);
}

/** Points as the card shows them: "18.5 / 20". */
export function pointsOfMax(points: number, maxPoints: number): string {
  const one = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
  return `${one(points)} / ${one(maxPoints)}`;
}

/** An indicator's measured value by its unit: a rate "62.3%", a score "85.3", a count. */
export function indicatorValue(
  value: number | null | undefined,
  unit: 'RATE' | 'SCORE' | 'COUNT',
): string {
  if (unit === 'RATE') return percent(value);
  if (unit === 'SCORE') return score(value);
  return integer(value);
}

export interface EvaluationScope {
  /** 全区, or 责任督学 张督学（DX01）挂牌学校. */
  remit: string;
  township: string | null;
  stageLabel: string | null;
  localityLabel: string | null;
  /** Schools evaluated in the scope; null while loading. */
  schools: number | null;
  periodLabel: string;
}

/** "全区 · 东城镇 · 小学（2所学校）；2025-2026学年", worded like the server's scope line. */
export function evaluationScopeText(scope: EvaluationScope): string {
  const parts = [scope.remit, scope.township, scope.stageLabel, scope.localityLabel].filter(
    (p): p is string => Boolean(p),
  );
  const count = scope.schools === null ? '' : `（${integer(scope.schools)}所学校）`;
  return `${parts.join(' · ')}${count}；${scope.periodLabel}`;
}

/** Whose schools a user sees, from the session. */
export function remitOf(user: {
  role: string;
  roleLabel: string;
  name: string;
  inspectorId?: string | null;
}): string {
  return user.role === 'SUPERVISING_INSPECTOR'
    ? `${user.roleLabel} ${user.name}（${user.inspectorId ?? '未关联'}）挂牌学校`
    : '全区';
}
