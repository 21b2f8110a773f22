/**
 * Small-cell protection applied to answers (issue 15): loads the months' blocks
 * (small-cells.ts) from the whole district's school-month counts, whatever the question,
 * and withholds every priority-group figure whose sum cuts a block. Only protected
 * requests (scope/disclosure.ts) come here; exact ones never pay for it.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { PRIORITY_GROUPS } from '../../db/vocabulary/priority-groups.ts';
import type { DistrictPolicy } from '../../policy/policy.ts';
import type { PriorityGroupStat } from '../__generated__/resolvers-types.ts';
import { smallCellMin, smallCellMinOver } from './disclosure.ts';
import { withScope, type ScopeRequest } from './scope.ts';
import {
  ATOM_KEYS,
  buildBlocks,
  gradeBlocks,
  SmallCells,
  type AtomKey,
  type Block,
} from './small-cells.ts';

type AtomRow = { school_code: string; month: string; township: string } & Record<
  AtomKey,
  number | bigint | null
>;

const ATOM_COLUMNS = sql.join(
  ATOM_KEYS.map((k) => sql`${sql.ref(`p.${k}`)}::INTEGER AS ${sql.ref(k)}`),
);

/** One month's blocks per key, as built from its data. */
type MonthBlocks = ReadonlyMap<AtomKey, readonly Block[]>;

/**
 * Built blocks by month, n and a fingerprint of the month's counts and townships: a
 * 24-month trend of 10,000 schools would otherwise rebuild ~2 million cells a request.
 * Any change of the month's data (a load, a correction, a restore) changes the
 * fingerprint, so a stale entry is never used; old entries fall out first.
 */
const BLOCK_CACHE = new Map<string, MonthBlocks>();
const BLOCK_CACHE_SIZE = 240;

function remember(key: string, blocks: MonthBlocks): void {
  BLOCK_CACHE.delete(key);
  BLOCK_CACHE.set(key, blocks);
  while (BLOCK_CACHE.size > BLOCK_CACHE_SIZE) {
    const oldest = BLOCK_CACHE.keys().next().value as string;
    BLOCK_CACHE.delete(oldest);
  }
}

const ATOM_SOURCE = sql`participation_monthly p LEFT JOIN schools s ON s.school_code = p.school_code`;

function monthsIn(months: readonly string[]) {
  return sql`p.month IN (${sql.join(months.map((m) => sql`${m}`))})`;
}

/** Per month a fingerprint of every school's counts and township (one scan in DuckDB). */
async function fingerprints(
  db: Kysely<Database>,
  months: readonly string[],
): Promise<Map<string, string>> {
  const columns = sql.join(ATOM_KEYS.map((k) => sql.ref(`p.${k}`)));
  const result = await sql<{ month: string; rows: number; fingerprint: string }>`
    SELECT p.month, count(*)::INTEGER AS rows,
      sum(hash(p.school_code, coalesce(s.township, ''), ${columns})::HUGEINT)::VARCHAR AS fingerprint
    FROM ${ATOM_SOURCE} WHERE ${monthsIn(months)} GROUP BY p.month`.execute(db);
  return new Map(result.rows.map((r) => [r.month, `${r.rows}:${r.fingerprint}`]));
}

/** The blocks of `months` built from the warehouse's rows of those months. */
async function buildMonths(
  db: Kysely<Database>,
  months: readonly string[],
  nByMonth: ReadonlyMap<string, number>,
): Promise<Map<string, Map<AtomKey, Block[]>>> {
  const result = await sql<AtomRow>`SELECT p.school_code, p.month,
      coalesce(s.township, '') AS township, ${ATOM_COLUMNS}
    FROM ${ATOM_SOURCE} WHERE ${monthsIn(months)}`.execute(db);
  const byMonth = new Map<string, AtomRow[]>();
  for (const row of result.rows) {
    const list = byMonth.get(row.month);
    if (list) list.push(row);
    else byMonth.set(row.month, [row]);
  }
  const out = new Map<string, Map<AtomKey, Block[]>>();
  for (const [month, rows] of byMonth) {
    const blocks = new Map<AtomKey, Block[]>();
    for (const key of ATOM_KEYS)
      blocks.set(
        key,
        buildBlocks(
          rows.map((r) => ({ unit: r.school_code, area: r.township, value: Number(r[key] ?? 0) })),
          nByMonth.get(month) as number,
        ),
      );
    out.set(month, blocks);
  }
  return out;
}

/**
 * The blocks of `months`, from every school-month of the district (never only the
 * viewer's scope: the same blocks must hold for every question, or two questions with
 * different blocks could be differenced).
 */
export async function loadSmallCells(
  db: Kysely<Database>,
  policy: DistrictPolicy,
  months: readonly string[],
): Promise<SmallCells> {
  const nByMonth = new Map(months.map((m) => [m, smallCellMin(policy, m)]));
  const cells = new SmallCells(nByMonth);
  if (months.length === 0) return cells;
  const prints = await fingerprints(db, months);
  const keyOf = (month: string) => `${month}|${nByMonth.get(month)}|${prints.get(month)}`;
  const missing = [...prints.keys()].filter((m) => !BLOCK_CACHE.has(keyOf(m)));
  const built = missing.length > 0 ? await buildMonths(db, missing, nByMonth) : new Map();
  for (const month of prints.keys()) {
    // Blocks just built are used as built, never read back from the cache.
    const blocks: MonthBlocks = built.get(month) ?? BLOCK_CACHE.get(keyOf(month)) ?? new Map();
    remember(keyOf(month), blocks);
    for (const [key, list] of blocks) cells.addBlocks(month, key, list);
  }
  return cells;
}

export interface ScopePair {
  school: string;
  month: string;
  township: string;
}

/** The (school, month) pairs of the request's scope, with the school's township. */
export async function scopePairs(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<ScopePair[]> {
  if (request.months.length === 0) return [];
  const result = await sql<ScopePair>`${withScope(request)}
    SELECT sc.school_code AS school, sc.month, s.township
    FROM scope sc JOIN schools s ON s.school_code = sc.school_code`.execute(db);
  return result.rows;
}

/**
 * A priority-group list as a protected viewer sees it: a group whose enrolled or
 * participants count is not exact (`exact` lacks its key) is withheld, its rate and gap
 * with it (a rate with one exact count gives the other away); the exact count stays.
 */
export function protectGroups(
  stats: readonly PriorityGroupStat[],
  exact: ReadonlySet<AtomKey>,
  n: number,
): PriorityGroupStat[] {
  return stats.map((stat) => {
    const column = PRIORITY_GROUPS.find((g) => g.group === stat.group)?.column;
    const enrolledExact = column !== undefined && exact.has(`${column}_enrolled`);
    const participantsExact = column !== undefined && exact.has(`${column}_participants`);
    if (enrolledExact && participantsExact) return stat;
    return {
      ...stat,
      enrolled: enrolledExact ? stat.enrolled : null,
      participants: participantsExact ? stat.participants : null,
      rate: null,
      gap: null,
      suppressed: true,
      suppressedBelow: n,
    };
  });
}

/** Protection for the answers of one request: the months' blocks and what a sum may show. */
export interface Protection {
  cells: SmallCells;
  policy: DistrictPolicy;
}

/** The months' protection for a protected request, null for an exact one. */
export async function protectionFor(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<Protection | null> {
  if (request.disclosure !== 'PROTECTED') return null;
  return {
    cells: await loadSmallCells(db, request.policy, request.months),
    policy: request.policy,
  };
}

/** Groups of a sum over `pairs` (distinct school-months), protected. */
export function protectSum(
  protection: Protection,
  stats: readonly PriorityGroupStat[],
  pairs: Iterable<{ school: string; month: string }>,
  months: readonly string[],
): PriorityGroupStat[] {
  return protectGroups(
    stats,
    protection.cells.exactKeys(pairs),
    smallCellMinOver(protection.policy, months),
  );
}

/** Groups of one school over `months` (its own row of a list or page), protected. */
export function protectSchool(
  protection: Protection,
  stats: readonly PriorityGroupStat[],
  school: string,
  months: readonly string[],
): PriorityGroupStat[] {
  return protectSum(
    protection,
    stats,
    months.map((month) => ({ school, month })),
    months,
  );
}

export interface GradeCells {
  grade: number;
  month: string;
  values: Record<AtomKey, number>;
}

/**
 * The keys exact for each grade of one school summed over `months`: a grade's count is
 * shown only when, in every month, the school-month's own count is shown and the grade is
 * outside the grades blocked inside it (the school-month's total is public, so its small
 * grades need complements among its other grades, smallest first).
 */
export function exactGradeKeys(
  protection: Protection,
  school: string,
  months: readonly string[],
  rows: readonly GradeCells[],
): Map<number, Set<AtomKey>> {
  const grades = [...new Set(rows.map((r) => r.grade))];
  const out = new Map(grades.map((g) => [g, new Set<AtomKey>(ATOM_KEYS)]));
  for (const month of months) {
    const inMonth = rows.filter((r) => r.month === month);
    if (inMonth.length === 0) continue;
    const n = smallCellMin(protection.policy, month);
    for (const key of ATOM_KEYS) {
      const withheld = protection.cells.blocked(school, month, key)
        ? new Set(inMonth.map((r) => r.grade))
        : gradeBlocks(
            inMonth.map((r) => ({ grade: r.grade, value: r.values[key] })),
            n,
          );
      for (const grade of withheld) out.get(grade)?.delete(key);
    }
  }
  return out;
}

/** Per month and grade, one school's priority counts (for exactGradeKeys). */
export async function gradeCells(
  db: Kysely<Database>,
  school: string,
  months: readonly string[],
): Promise<GradeCells[]> {
  if (months.length === 0) return [];
  const result = await sql<{ grade: number; month: string } & Record<AtomKey, number>>`
    SELECT p.grade, p.month, ${ATOM_COLUMNS}
    FROM participation p
    WHERE p.school_code = ${school} AND p.month IN (${sql.join(months.map((m) => sql`${m}`))})`.execute(
    db,
  );
  return result.rows.map((r) => ({
    grade: r.grade,
    month: r.month,
    values: Object.fromEntries(ATOM_KEYS.map((k) => [k, Number(r[k])])) as Record<AtomKey, number>,
  }));
}
