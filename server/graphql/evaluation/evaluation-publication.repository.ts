/**
 * Published evaluations (考核结果发布) in the warehouse: a publication row per period and
 * version and one result row per school (migration 0007). Publishing appends a version;
 * nothing here updates or deletes, so every version stays readable as it was published,
 * whatever is loaded later.
 *
 * A district has up to ~10,000 schools: their results go in with one INSERT … SELECT over
 * a JSON array bound as one parameter, never a statement per school.
 */
import { sql, type Kysely } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import type { EvaluationPublicationRow } from '../../db/tables/evaluation-publications.table.ts';
import { BadUserInputError } from '../errors.ts';
import type {
  DistrictEvaluation,
  Grade,
  PreviousResult,
  Publication,
  ScoredDeduction,
  ScoredIndicator,
  ScoredSchool,
} from './evaluation.types.ts';

/** A publication as evaluationVersions lists it. */
export interface PublicationListing extends Publication {
  period: string;
  schemeVersion: string;
  schools: number;
  /** The newest version of the period: the one evaluations() answers with. */
  current: boolean;
}

/** One result row as bound into the INSERT (field names = the JSON keys read back by SQL). */
interface ResultJson {
  ordinal: number;
  school_code: string;
  school_name: string;
  township: string;
  stage: string;
  locality: string;
  score: number;
  grade: Grade;
  vetoed: boolean;
  veto_reason: string | null;
  incomplete: boolean;
  excellent_capped: boolean;
  /** JSON text, so the stored text is exactly what JSON.stringify gave. */
  indicators: string;
  deductions: string;
  previous_score: number | null;
  previous_grade: Grade | null;
}

/** The from_json structure of ResultJson: DuckDB parses the array in one pass. */
const RESULT_STRUCTURE = JSON.stringify([
  {
    ordinal: 'INTEGER',
    school_code: 'VARCHAR',
    school_name: 'VARCHAR',
    township: 'VARCHAR',
    stage: 'VARCHAR',
    locality: 'VARCHAR',
    score: 'DOUBLE',
    grade: 'VARCHAR',
    vetoed: 'BOOLEAN',
    veto_reason: 'VARCHAR',
    incomplete: 'BOOLEAN',
    excellent_capped: 'BOOLEAN',
    indicators: 'VARCHAR',
    deductions: 'VARCHAR',
    previous_score: 'DOUBLE',
    previous_grade: 'VARCHAR',
  },
]);

function resultJson(school: ScoredSchool, ordinal: number, previous?: PreviousResult): ResultJson {
  return {
    ordinal,
    school_code: school.schoolCode,
    school_name: school.schoolName,
    township: school.township,
    stage: school.stage,
    locality: school.locality,
    score: school.score,
    grade: school.grade,
    vetoed: school.vetoed,
    veto_reason: school.vetoReason,
    incomplete: school.incomplete,
    excellent_capped: school.excellentCapped,
    indicators: JSON.stringify(school.indicators),
    deductions: JSON.stringify(school.deductions),
    previous_score: previous?.score ?? null,
    previous_grade: previous?.grade ?? null,
  };
}

function publicationOf(row: EvaluationPublicationRow & { published_ms: unknown }): Publication {
  return {
    version: Number(row.version),
    publishedAt: shanghaiIso(Number(row.published_ms)),
    publishedBy: row.published_by_name,
    note: row.note,
  };
}

/** A user error for a version the period does not have. */
function noSuchVersion(period: string, version: number): Error {
  return new BadUserInputError(
    `${period} 考核没有第 ${version} 版发布 / no published version ${version} of the ${period} evaluation`,
  );
}

function publicationsOf(db: Kysely<Database>, period: string) {
  return db
    .selectFrom('evaluation_publications')
    .selectAll()
    .select(sql<number>`epoch_ms(published_at)`.as('published_ms'))
    .where('period', '=', period);
}

const parsed = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * The period's published evaluation: `version` if given, else the newest. Null when the
 * period was never published and no version was asked for; a version the period does not
 * have is a BAD_USER_INPUT error, never a silent fall-back.
 */
export async function readPublishedEvaluation(
  db: Kysely<Database>,
  period: string,
  version?: number | null,
): Promise<DistrictEvaluation | null> {
  const asked = version ?? null;
  let query = publicationsOf(db, period);
  query =
    asked === null ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', asked);
  const publication = await query.executeTakeFirst();
  if (publication === undefined) {
    if (asked !== null) throw noSuchVersion(period, asked);
    return null;
  }
  const rows = await db
    .selectFrom('evaluation_results')
    .selectAll()
    .where('period', '=', period)
    .where('version', '=', publication.version)
    .orderBy('ordinal')
    .execute();
  const schools: ScoredSchool[] = [];
  const previous = new Map<string, PreviousResult>();
  for (const row of rows) {
    schools.push({
      schoolCode: row.school_code,
      schoolName: row.school_name,
      township: row.township,
      stage: row.stage,
      locality: row.locality,
      score: row.score,
      grade: row.grade,
      vetoed: row.vetoed,
      vetoReason: row.veto_reason,
      incomplete: row.incomplete,
      excellentCapped: row.excellent_capped,
      indicators: parsed<ScoredIndicator[]>(row.indicators),
      deductions: parsed<ScoredDeduction[]>(row.deductions),
    });
    if (row.previous_score !== null && row.previous_grade !== null)
      previous.set(row.school_code, { score: row.previous_score, grade: row.previous_grade });
  }
  return {
    period,
    scheme: {
      version: publication.scheme_version,
      name: publication.scheme_name,
      source: publication.scheme_source,
      effectiveFrom: publication.scheme_effective_from,
      maxScore: publication.scheme_max_score,
    },
    schools,
    previous,
    publication: publicationOf(publication),
  };
}

/**
 * Stores `evaluation` as the period's next version and returns its publication. Run it
 * inside a writer task (server/db/writer.ts): the version is the period's highest + 1,
 * read in the same transaction the rows are written in, and the keys refuse a duplicate.
 */
export async function publishEvaluation(
  db: Kysely<Database>,
  viewer: Viewer,
  evaluation: DistrictEvaluation,
  note: string | null,
  at: Date = new Date(),
): Promise<Publication> {
  const period = evaluation.period;
  const last = await db
    .selectFrom('evaluation_publications')
    .select(sql<number | null>`max(version)`.as('version'))
    .where('period', '=', period)
    .executeTakeFirst();
  const version = Number(last?.version ?? 0) + 1;
  const { scheme } = evaluation;
  await db
    .insertInto('evaluation_publications')
    .values({
      period,
      version,
      scheme_version: scheme.version,
      scheme_name: scheme.name,
      scheme_source: scheme.source,
      scheme_effective_from: scheme.effectiveFrom,
      scheme_max_score: scheme.maxScore,
      published_at: sql<Date>`CAST(${at.toISOString()} AS TIMESTAMPTZ)`,
      published_by_user_id: viewer.userId,
      published_by_username: viewer.username,
      published_by_name: viewer.name,
      note,
      school_count: evaluation.schools.length,
    })
    .execute();
  if (evaluation.schools.length > 0) {
    const rows = evaluation.schools.map((school, i) =>
      resultJson(school, i, evaluation.previous.get(school.schoolCode)),
    );
    await sql`
      INSERT INTO evaluation_results (period, version, ordinal, school_code, school_name,
        township, stage, locality, score, grade, vetoed, veto_reason, incomplete,
        excellent_capped, indicators, deductions, previous_score, previous_grade)
      SELECT ${period}, ${version}, r.ordinal, r.school_code, r.school_name, r.township,
        r.stage, r.locality, r.score, r.grade, r.vetoed, r.veto_reason, r.incomplete,
        r.excellent_capped, r.indicators, r.deductions, r.previous_score, r.previous_grade
      FROM (SELECT unnest(from_json(CAST(${JSON.stringify(rows)} AS JSON),
        ${RESULT_STRUCTURE})) AS r)`.execute(db);
  }
  return {
    version,
    publishedAt: shanghaiIso(at.getTime()),
    publishedBy: viewer.name,
    note,
  };
}

/** Every publication of the period, newest first; the first is `current`. */
export async function listPublications(
  db: Kysely<Database>,
  period: string,
): Promise<PublicationListing[]> {
  const rows = await publicationsOf(db, period).orderBy('version', 'desc').execute();
  return rows.map((row, i) => ({
    ...publicationOf(row),
    period: row.period,
    schemeVersion: row.scheme_version,
    schools: Number(row.school_count),
    current: i === 0,
  }));
}
