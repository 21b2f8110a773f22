/**
 * The API benchmark's guards: the API and the raw SQL must give the same figures, or the
 * timings compare different work and the benchmark stops.
 */
import { API_BENCH_MONTHS } from './generate-api-bench-files.ts';

function near(a: unknown, b: unknown, what: string): void {
  const x = Number(a);
  const y = Number(b);
  if (!(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x))))
    throw new Error(`API and raw SQL disagree on ${what}: ${String(a)} vs ${String(b)}`);
}

export function checkOverview(api: Record<string, unknown>, raw: Record<string, unknown>[]): void {
  const o = api.overview as Record<string, unknown>;
  const r = raw[0]!;
  near(o.schoolsInScope, r.schools, 'schoolsInScope');
  near(o.schoolsReporting, r.reporting, 'schoolsReporting');
  near(o.schoolsOffering, r.offering, 'schoolsOffering');
  near(o.participants, r.participants, 'participants');
  near(o.enrolled, r.enrolled, 'enrolled');
  near(o.teachersServing, r.teachers_serving, 'teachersServing');
  near(o.teachersTotal, r.teachers_total, 'teachersTotal');
  near(o.openFlags, r.open_flags, 'openFlags');
  near(o.reportTimelinessRate, Number(r.on_time) / Number(r.schools), 'reportTimelinessRate');
  near(o.fivePlusTwoRate, Number(r.five_plus_two) / Number(r.reporting), 'fivePlusTwoRate');
  const sat = (r.satisfaction ?? []) as { respondent: string; responses: unknown }[];
  const apiSat = o.satisfaction as { respondent: string; responses: number }[];
  for (const s of sat)
    near(apiSat.find((x) => x.respondent === s.respondent)?.responses, s.responses, 'responses');
}

export function checkTrend(api: Record<string, unknown>, raw: Record<string, unknown>[]): void {
  const t = api.trend as Record<string, unknown>[];
  if (t.length !== raw.length || t.length !== API_BENCH_MONTHS.length)
    throw new Error(`trend: ${t.length} API months, ${raw.length} raw months`);
  t.forEach((o, i) => {
    const r = raw[i]!;
    near(o.participants, r.participants, `participants of ${String(r.month)}`);
    near(o.schoolsReporting, r.reporting, `schoolsReporting of ${String(r.month)}`);
    const sat = (r.satisfaction ?? []) as {
      respondent: string;
      score_sum: unknown;
      answers: unknown;
    }[];
    const parent = sat.find((s) => s.respondent === 'parent');
    const apiParent = (o.satisfaction as { respondent: string; score: number | null }[]).find(
      (s) => s.respondent === 'parent',
    );
    if (parent) near(apiParent?.score, Number(parent.score_sum) / Number(parent.answers), 'score');
  });
}

export function checkPage(api: Record<string, unknown>, raw: Record<string, unknown>[]): void {
  const page = api.schools as {
    total: number;
    items: { school: { code: string }; priorityGap: number | null }[];
  };
  near(page.total, raw[0]?.total, 'total');
  const a = page.items.map((x) => x.school.code).join();
  const b = raw.map((r) => String(r.school_code)).join();
  if (a !== b) throw new Error(`schools page: API and raw SQL order differ\n${a}\n${b}`);
  page.items.forEach((x, i) => near(x.priorityGap, raw[i]!.gap, 'priorityGap'));
}

/** The evaluation page against the raw per-school counts of its period ($period rows). */
export function checkEvaluation(period: string) {
  return (api: Record<string, unknown>, raw: Record<string, unknown>[]): void => {
    const page = api.evaluations as {
      total: number;
      gradeCounts: { schools: number }[];
      items: { schoolCode: string; indicators: { key: string; value: number | null }[] }[];
    };
    const rows = raw.filter((r) => r.period === period);
    near(page.total, rows.length, 'schools evaluated');
    near(
      page.gradeCounts.reduce((n, g) => n + g.schools, 0),
      rows.length,
      'grade counts',
    );
    for (const item of page.items.slice(0, 10)) {
      const r = rows.find((x) => x.school_code === item.schoolCode);
      if (!r) throw new Error(`evaluation: ${item.schoolCode} not in the raw rows`);
      const value = (key: string) => item.indicators.find((i) => i.key === key)?.value;
      near(value('participation'), Number(r.participants) / Number(r.enrolled), 'participation');
      near(value('coverage'), Number(r.offering ?? 0) / Number(r.service_months), 'coverage');
    }
  };
}
