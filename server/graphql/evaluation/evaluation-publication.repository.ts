/**
 * Published evaluations (考核结果发布) in the warehouse: a publication row per period and
 * version and one result row per school (migration 0007). Publishing appends a version;
 * nothing here updates or deletes, so every version stays readable as it was published,
 * whatever is loaded later.
 *
 * A district has up to ~10,000 schools: their results go in through DuckDB's Appender on
 * the writer's connection (inside its transaction, so a failed publish leaves nothing),
 * never a statement per school. A published version never changes, so readers keep the
 * last few in memory by their publication id: a period's newest version costs one small
 * query once it has been read.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBAppender } from '@duckdb/node-api';
import { sql, type Kysely } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import type { WriteContext } from '../../db/writer.ts';
import type { EvaluationPublicationRow } from '../../db/tables/evaluation-publications.table.ts';
import { BadUserInputError } from '../errors.ts';
import type {
  DistrictEvaluation,
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

interface PublishedContent {
  schools: readonly ScoredSchool[];
  previous: ReadonlyMap<string, PreviousResult>;
}

/** Publications read lately, by publication id (a version's content never changes). */
const cache = new Map<string, PublishedContent>();
const CACHED_PUBLICATIONS = 3;

function remember(key: string, content: PublishedContent): void {
  cache.delete(key);
  cache.set(key, content);
  while (cache.size > CACHED_PUBLICATIONS) cache.delete(cache.keys().next().value as string);
}

/** Forgets the publications read (tests: to read a restored copy from its rows). */
export function forgetPublishedReads(): void {
  cache.clear();
}

async function readResults(
  db: Kysely<Database>,
  period: string,
  version: number,
): Promise<PublishedContent> {
  const rows = await db
    .selectFrom('evaluation_results')
    .selectAll()
    .where('period', '=', period)
    .where('version', '=', version)
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
      ...parsed<Partial<ScoredSchool>>(row.extras),
      indicators: parsed<ScoredIndicator[]>(row.indicators),
      deductions: parsed<ScoredDeduction[]>(row.deductions),
    });
    if (row.previous_score !== null && row.previous_grade !== null)
      previous.set(row.school_code, { score: row.previous_score, grade: row.previous_grade });
  }
  return { schools, previous };
}

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
  const key = publication.publication_id;
  let content = cache.get(key);
  if (content === undefined) {
    content = await readResults(db, period, publication.version);
    remember(key, content);
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
    // Copies of the containers, so a caller that sorts or adds cannot change the cache.
    schools: [...content.schools],
    previous: new Map(content.previous),
    publication: publicationOf(publication),
  };
}

/** The members of ScoredSchool that have a column of their own. */
const COLUMN_MEMBERS: ReadonlySet<string> = new Set([
  'schoolCode',
  'schoolName',
  'township',
  'stage',
  'locality',
  'score',
  'grade',
  'vetoed',
  'vetoReason',
  'incomplete',
  'excellentCapped',
  'indicators',
  'deductions',
] satisfies (keyof ScoredSchool)[]);

/** The school's other members, kept as they are (JSON leaves out undefined ones). */
function extrasOf(school: ScoredSchool): Record<string, unknown> {
  return Object.fromEntries(Object.entries(school).filter(([key]) => !COLUMN_MEMBERS.has(key)));
}

/** Appends one school's result row, in the column order of migration 0007. */
function appendResult(
  appender: DuckDBAppender,
  period: string,
  version: number,
  ordinal: number,
  school: ScoredSchool,
  previous: PreviousResult | undefined,
): void {
  const text = (value: string | null) =>
    value === null ? appender.appendNull() : appender.appendVarchar(value);
  appender.appendVarchar(period);
  appender.appendInteger(version);
  appender.appendInteger(ordinal);
  appender.appendVarchar(school.schoolCode);
  appender.appendVarchar(school.schoolName);
  appender.appendVarchar(school.township);
  appender.appendVarchar(school.stage);
  appender.appendVarchar(school.locality);
  appender.appendDouble(school.score);
  appender.appendVarchar(school.grade);
  appender.appendBoolean(school.vetoed);
  text(school.vetoReason);
  appender.appendBoolean(school.incomplete);
  appender.appendBoolean(school.excellentCapped);
  appender.appendVarchar(JSON.stringify(extrasOf(school)));
  appender.appendVarchar(JSON.stringify(school.indicators));
  appender.appendVarchar(JSON.stringify(school.deductions));
  if (previous === undefined) appender.appendNull();
  else appender.appendDouble(previous.score);
  text(previous?.grade ?? null);
  appender.endRow();
}

/**
 * Stores `evaluation` as the period's next version and returns its publication. Runs
 * inside a writer task (server/db/writer.ts): the version is the period's highest + 1,
 * read in the same transaction the rows are written in, and the keys refuse a duplicate.
 */
export async function publishEvaluation(
  { db, conn }: WriteContext,
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
  const publicationId = randomUUID();
  await db
    .insertInto('evaluation_publications')
    .values({
      period,
      version,
      publication_id: publicationId,
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
  const appender = await conn.createAppender('evaluation_results');
  try {
    evaluation.schools.forEach((school, ordinal) =>
      appendResult(
        appender,
        period,
        version,
        ordinal,
        school,
        evaluation.previous.get(school.schoolCode),
      ),
    );
    appender.closeSync(); // flushes
  } catch (error) {
    // The transaction is aborted: closing fails too, and must not hide why.
    try {
      appender.closeSync();
    } catch {
      // already failed
    }
    throw error;
  }
  // Readers get what was just stored without reading it back (the answer to the publish
  // reads it at once). Should the transaction still roll back, the id is never looked up.
  const previous = new Map<string, PreviousResult>();
  for (const school of evaluation.schools) {
    const before = evaluation.previous.get(school.schoolCode);
    if (before !== undefined) previous.set(school.schoolCode, before);
  }
  remember(publicationId, { schools: [...evaluation.schools], previous });
  return { version, publishedAt: shanghaiIso(at.getTime()), publishedBy: viewer.name, note };
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
