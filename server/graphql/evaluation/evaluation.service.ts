/**
 * A period's evaluation of the whole district: live (measured now and scored with the
 * scheme version of the period) or, once published, the publication's snapshot. Views
 * (evaluation-view.ts) narrow it to the viewer and rank within that.
 */
import type { Kysely } from 'kysely';
import { previousPeriod, type Period } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import { BadUserInputError } from '../errors.ts';
import { evaluationEngine, type EvaluationEngine } from './evaluation-engine.ts';
import { measureSchools } from './evaluation-measures.repository.ts';
import { readPublishedEvaluation } from './evaluation-publication.reader.ts';
import type { DistrictEvaluation, PreviousResult, SchoolFacts } from './evaluation.types.ts';

/**
 * Whether the district sent any monthly report in the period: a period before the
 * warehouse's first report (or after its last) is not evaluated at all, rather than every
 * school failing for reports that were never collected.
 */
function anyReport(facts: readonly SchoolFacts[]): boolean {
  return facts.some((f) => f.measures.five_plus_two.base > 0);
}

/**
 * The period's evaluation from the warehouse as it is now: every school measured over the
 * period and over the previous period of the same kind (one statement), both scored with
 * their own scheme versions; `previous` holds the previous period's results.
 */
export async function liveDistrictEvaluation(
  db: Kysely<Database>,
  policy: DistrictPolicy,
  period: Period,
  engine: EvaluationEngine = evaluationEngine(),
): Promise<DistrictEvaluation> {
  const before = previousPeriod(period);
  // The previous period lends its scores only: no evidence texts written for it.
  const facts = await measureSchools(db, policy, [period, before], new Set([period.key]));
  const measured = facts.get(period.key) ?? [];
  const measuredBefore = facts.get(before.key) ?? [];
  const schools = anyReport(measured) ? engine.score(period, measured) : [];
  // A school lends a previous score only if it reported in the previous period: a school
  // new to the warehouse is not 进步 from a year it was never asked about.
  const reportedBefore = new Set(
    measuredBefore.filter((f) => anyReport([f])).map((f) => f.schoolCode),
  );
  const previous = new Map<string, PreviousResult>();
  if (reportedBefore.size > 0)
    for (const s of engine.score(before, measuredBefore))
      if (reportedBefore.has(s.schoolCode))
        previous.set(s.schoolCode, { score: s.score, grade: s.grade });
  return {
    period: period.key,
    scheme: engine.schemeFor(period),
    schools,
    previous,
    publication: null,
  };
}

/**
 * The evaluation views answer with: the publication asked for (`version`), else the newest
 * publication of the period, else live figures. A version that does not exist is an error,
 * never a silent fall-back to live figures.
 */
export async function loadDistrictEvaluation(
  db: Kysely<Database>,
  policy: DistrictPolicy,
  period: Period,
  version?: number | null,
  engine?: EvaluationEngine,
): Promise<DistrictEvaluation> {
  const published = await readPublishedEvaluation(db, period.key, version ?? undefined);
  if (published !== null) return published;
  if (version !== null && version !== undefined)
    throw new BadUserInputError(
      `${period.label}考核没有第 ${version} 版发布 / no published version ${version} of the ${period.key} evaluation`,
    );
  return liveDistrictEvaluation(db, policy, period, engine);
}
