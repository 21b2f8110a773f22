/**
 * The access matrix (issue 11): every root field of Query and Mutation has an asserted
 * outcome for every role, and a field the schema serves without an entry here fails the
 * completeness test by name.
 *
 * Roles (test/helpers/api-fixture.ts), and what README's role model gives them:
 * - bureau (督导科): the whole district; acts anywhere; the only role that sees load history.
 * - leader (局领导): reads the whole district; never acts on flags or visits; no load history.
 * - dx02 (责任督学 DX02): the subject school 1000000002 is theirs (in 2025-10 and now).
 * - dx01 (责任督学 DX01): the subject school is foreign; a foreign id answers like a missing one.
 * - unlinked (a 督学 account without 督学编号): sees nothing, acts on nothing.
 * - school (学校填报员 of 1000000002) and otherSchool (of 1000000003): their own school only;
 *   refused complaints, the evaluation, the plan, draws, audit and load history; act on
 *   nothing here (answering a rectification is the school helper's entry).
 * - township (学区审核员 of 东城镇: 1000000001, 1000000002): reads the township like the
 *   bureau reads the district (complaints without complainants), acts on nothing.
 * - anonymous (no session, over HTTP): UNAUTHENTICATED (401) before any resolver runs.
 *
 * The clock is 2025-11-10 noon in Shanghai; the operations ask about 2025-10. In 2025-10 and
 * now DX01 has 1000000001 and DX02 has 1000000002, 1000000003 and 1000000004 (1000000003
 * moved from DX01 to DX02 in 2025-10: see "a school that was the 督学's in the flag's month").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authConfigFromEnv } from '../../../server/auth/auth-config.ts';
import { hashPassword } from '../../../server/auth/password.ts';
import type { Viewer } from '../../../server/auth/viewer.ts';
import { serverConfigFromEnv } from '../../../server/config.ts';
import type { FlagStatus } from '../../../server/db/tables/flags.table.ts';
import { createApp } from '../../../server/http/app.ts';
import { loadPolicy } from '../../../server/policy/policy.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../helpers/api-fixture.ts';
import { seedComplaint } from '../../helpers/seed-complaint.ts';
import { seedDoubt } from '../../helpers/seed-doubt.ts';
import { seedDraw } from '../../helpers/seed-draw.ts';
import { seedLateEndFlag } from '../../helpers/seed-flag.ts';

const NOW = new Date('2025-11-10T04:00:00Z');
const MONTH = '2025-10';

type CoreRole = 'bureau' | 'leader' | 'dx02' | 'dx01' | 'unlinked';
/**
 * The school side (issue 17): 学校填报员 of the subject school and of a foreign one, and the
 * 学区审核员 of the subject's township (东城镇: 1000000001 and 1000000002).
 */
type SchoolSideRole = 'school' | 'otherSchool' | 'township';
type Role = CoreRole | SchoolSideRole;
const ROLES: readonly Role[] = [
  'bureau',
  'leader',
  'dx02',
  'dx01',
  'unlinked',
  'school',
  'otherSchool',
  'township',
];
const VIEWER: Record<Role, Viewer> = {
  bureau: VIEWERS.bureau,
  leader: VIEWERS.leader,
  dx02: VIEWERS.dx02,
  dx01: VIEWERS.dx01,
  unlinked: VIEWERS.unlinked,
  school: VIEWERS.school,
  otherSchool: VIEWERS.otherSchool,
  township: VIEWERS.township,
};

/** The fixture district's schools, with the names a response could name them by. */
const SCHOOLS: Record<string, string> = {
  '1000000001': '东城第一小学',
  '1000000002': '东城村小',
  '1000000003': '西山中学',
  '1000000004': '西山九年一贯制学校',
};
const ALL = Object.keys(SCHOOLS);
/** The schools each role may see in 2025-10 and now (2025-11). */
const REMIT: Record<Role, readonly string[]> = {
  bureau: ALL,
  leader: ALL,
  dx01: ['1000000001'],
  dx02: ['1000000002', '1000000003', '1000000004'],
  unlinked: [],
  school: ['1000000002'],
  otherSchool: ['1000000003'],
  township: ['1000000001', '1000000002'],
};
/** The school every single-object field and every mutation is asked about. */
const SUBJECT = '1000000002';
/** A school code that does not exist, an id that names nothing. */
const NO_SCHOOL = '1999999999';
const NO_ID = '99999999';

/**
 * Outcomes. "Sees" is what the entry's `sees` reads from the answer (school codes, or a
 * count of schools for aggregate fields); `universe` is what the district sees.
 * - ALLOW: data, no errors, sees the whole universe; a role other than the bureau reads
 *   exactly what the bureau reads (allowedSteps aside). A mutation: done, and state changed.
 * - SCOPED: data, no errors, sees exactly universe ∩ the viewer's remit (non-empty, less
 *   than the universe), and the answer equals the bureau's answer narrowed to that remit
 *   through the field's own scope argument (where it has one).
 * - EMPTY: data, no errors, sees nothing (and equals the bureau's answer about no school).
 * - PUBLIC: data, no errors, the same answer for every role.
 * - NULL: no errors and the field null, the response identical to that for a missing id.
 * - FORBIDDEN: errors[0].extensions.code FORBIDDEN, the field's data null, the same errors
 *   as for a missing id (no existence oracle); a mutation changes nothing.
 * - NOT_FOUND: errors[0].extensions.code NOT_FOUND, errors identical to those for a
 *   missing id; a mutation changes nothing.
 * Whatever the outcome, the response (data and errors) never names a school code or school
 * name outside the viewer's remit (so the unlinked account's never names one), and every
 * flag a query returns offers steps exactly when the viewer may act on its school now.
 */
type Outcome =
  | 'ALLOW'
  | 'SCOPED'
  | 'EMPTY'
  | 'PUBLIC'
  | 'NULL'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  /** A bulk mutation answers without error but skips the thing, exactly as a missing one. */
  | 'SKIPPED';
/** Every role's outcome, the school side's included: no field is left unasserted for one. */
type Expectation = Record<Role, Outcome>;

/** The roles an entry names an outcome for. */
function rolesOf(entry: { expect: Expectation }): Role[] {
  return ROLES.filter((role) => entry.expect[role] !== undefined);
}

type Data = Record<string, unknown>;
type Vars = Record<string, unknown>;

interface Seeds {
  /** A 2025-10 flag of each school (one each), by school code. */
  flagOf: Record<string, string>;
  /** A 2025-10 visit to each school (one each), by school code. */
  visitOf: Record<string, string>;
  batchIds: string[];
  /** A 2025-10 complaint of each school (one each), by school code. */
  complaintOf: Record<string, string>;
  /** A 四不两直 draw of every school, each dated 2025-11-05. */
  drawId: string;
}

interface QueryEntry {
  document: string;
  variables?: (s: Seeds) => Vars;
  /** The same operation about a thing that does not exist (for NULL). */
  missing?: Vars;
  /** What the answer shows: school codes, or a number of schools. */
  sees?: (data: Data) => readonly string[] | number;
  /** What a district-wide viewer sees (default: every school). */
  universe?: (s: Seeds) => readonly string[];
  /** What a viewer sees when not computed as universe ∩ remit (fields not about schools). */
  seesFor?: Partial<Record<Role, readonly string[]>>;
  /**
   * The entry's variables narrowed to `codes` through the field's own arguments: a SCOPED or
   * EMPTY answer must equal the bureau's answer to them, exactly (allowedSteps aside).
   */
  narrow?: (vars: Vars, codes: readonly string[]) => Vars;
  /** The part of the answer compared with the bureau's (default: all of it). */
  project?: (data: Data) => unknown;
  expect: Expectation;
}

interface MutationEntry {
  document: string;
  /** Variables for one attempt, on something fresh on school SUBJECT. */
  prepare: () => Promise<Vars>;
  /** Variables naming a thing that does not exist. */
  missing: Vars;
  /** What the mutation may change, read straight from the warehouse. */
  state: (vars: Vars) => Promise<unknown>;
  /** The returned object's status after an allowed attempt (flags). */
  after?: FlagStatus;
  /** What an allowed attempt returns, for a result that is not about one school. */
  allowed?: (result: Data) => void;
  expect: Expectation;
}

const codesIn = (list: unknown): string[] =>
  [
    ...new Set(
      (list as { schoolCode?: string; code?: string }[]).map((x) => x.schoolCode ?? x.code),
    ),
  ]
    .filter((c): c is string => typeof c === 'string')
    .sort();

/** The one number a list of aggregates agrees on (NaN when they differ). */
function same(values: number[]): number {
  return values.every((v) => v === values[0]) ? (values[0] ?? 0) : Number.NaN;
}

const FLAG_FIELDS = 'id schoolCode schoolName status allowedSteps history { action username }';

/** The semester the filing entries ask about (2025-09 to 2026-01). */
const FILING_SEMESTER = '2025-2026-1';

const QUERIES: Record<string, QueryEntry> = {
  // 学期备案 (schema/filings.graphql): remit in the semester's latest month so far (2025-11).
  semesterFilings: {
    document: `query ($semester: String!, $scope: ScopeInput) {
      semesterFilings(semester: $semester, scope: $scope) { semester planDue
        schools { schoolCode schoolName deviationCount plan { kind } } } }`,
    variables: () => ({ semester: FILING_SEMESTER }),
    sees: (d) => codesIn((d.semesterFilings as { schools: unknown }).schools),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  schoolFilings: {
    document: `query ($code: String!, $semester: String!) {
      schoolFilings(schoolCode: $code, semester: $semester) { schoolCode schoolName
        plan { kind } history { id kind status } } }`,
    variables: () => ({ code: SUBJECT, semester: FILING_SEMESTER }),
    missing: { code: NO_SCHOOL, semester: FILING_SEMESTER },
    sees: (d) => codesIn([d.schoolFilings]),
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'ALLOW',
      otherSchool: 'NULL',
      township: 'ALLOW',
    },
  },
  me: {
    // User.schoolCodes judges "the current month" by the wall clock, not the context's clock
    // (the fixture's assignments are the same from 2025-10 on, so either gives this remit).
    document: `{ me { id role inspectorId schoolCodes } }`,
    sees: (d) => [...((d.me as { schoolCodes: string[] }).schoolCodes ?? [])].sort(),
    project: (d) => (d.me as { schoolCodes: string[] }).schoolCodes,
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  overview: {
    document: `query ($month: String!, $scope: ScopeInput) {
      overview(month: $month, scope: $scope) { month schoolsInScope schoolsReporting enrolled participants openFlags } }`,
    // Asking for every school explicitly: the remit is intersected, never widened.
    variables: () => ({ month: MONTH, scope: { schoolCodes: ALL } }),
    sees: (d) => (d.overview as { schoolsInScope: number }).schoolsInScope,
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  scopeSummary: {
    document: `query ($month: String!, $scope: ScopeInput) {
      scopeSummary(month: $month, scope: $scope) { month schoolsInScope } }`,
    // Naming every school counts only those of the remit: a page never claims more.
    variables: () => ({ month: MONTH, scope: { schoolCodes: ALL } }),
    sees: (d) => (d.scopeSummary as { schoolsInScope: number }).schoolsInScope,
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  trend: {
    document: `query ($from: String!, $to: String!, $scope: ScopeInput) {
      trend(from: $from, to: $to, scope: $scope) { month schoolsInScope enrolled participants } }`,
    variables: () => ({ from: MONTH, to: '2025-11' }),
    sees: (d) => same((d.trend as { schoolsInScope: number }[]).map((o) => o.schoolsInScope)),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  overviewByTownship: {
    document: `query ($month: String!, $scope: ScopeInput) {
      overviewByTownship(month: $month, scope: $scope) { township overview { schoolsInScope enrolled } } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) =>
      (d.overviewByTownship as { overview: { schoolsInScope: number } }[]).reduce(
        (n, t) => n + t.overview.schoolsInScope,
        0,
      ),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  schoolTrends: {
    document: `query ($codes: [String!]!, $from: String!, $to: String!) {
      schoolTrends(codes: $codes, from: $from, to: $to) { code points { month participationRate } } }`,
    variables: () => ({ codes: ALL, from: MONTH, to: MONTH }),
    sees: (d) => codesIn(d.schoolTrends),
    narrow: (v, codes) => ({ ...v, codes }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  schools: {
    document: `query ($month: String!, $scope: ScopeInput) {
      schools(month: $month, scope: $scope, first: 200) { total items { school { code name } participants openFlags } } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) =>
      codesIn((d.schools as { items: { school: { code: string } }[] }).items.map((i) => i.school)),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  school: {
    document: `query ($code: String!, $month: String) {
      school(code: $code, month: $month) {
        school { code name } current { participants } series(from: "2025-09", to: "2025-10") { month }
        grades { grade } surveyItems { itemText responses } flags { schoolCode status }
        inspectors { id name } } }`,
    variables: () => ({ code: SUBJECT, month: MONTH }),
    missing: { code: NO_SCHOOL, month: MONTH },
    sees: (d) => {
      const s = d.school as { school: { code: string }; flags: { schoolCode: string }[] };
      return codesIn([s.school, ...s.flags]);
    },
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'ALLOW',
      otherSchool: 'NULL',
      township: 'ALLOW',
    },
  },
  triangulation: {
    document: `query ($code: String!, $month: String!) {
      triangulation(schoolCode: $code, month: $month) {
        schoolCode report { reported } survey { itemText } complaints { code count }
        visitFindings { code } contradictions { rule source } } }`,
    variables: () => ({ code: SUBJECT, month: MONTH }),
    missing: { code: NO_SCHOOL, month: MONTH },
    sees: (d) => codesIn([{ schoolCode: (d.triangulation as { schoolCode: string }).schoolCode }]),
    universe: () => [SUBJECT],
    // Leaders get no complaints (null) and no contradiction drawn from one: compare the
    // rest with the bureau's answer.
    project: (d) => {
      const t = d.triangulation as Data;
      const contradictions = (t.contradictions as { source: string }[]).filter(
        (c) => c.source !== 'COMPLAINT',
      );
      return {
        ...Object.fromEntries(Object.entries(t).filter(([key]) => key !== 'complaints')),
        contradictions,
      };
    },
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'ALLOW',
      otherSchool: 'NULL',
      township: 'ALLOW',
    },
  },
  townships: {
    document: `query ($month: String) { townships(month: $month) { name schools } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) => (d.townships as { schools: number }[]).reduce((n, t) => n + t.schools, 0),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  reportMonths: {
    document: `{ reportMonths }`,
    sees: (d) => d.reportMonths as string[],
    // 2024-10 was before any assignment: no 督学's month.
    universe: () => ['2025-10', '2025-09', '2024-10'],
    seesFor: {
      dx02: ['2025-10', '2025-09'],
      dx01: ['2025-10', '2025-09'],
      unlinked: [],
      school: ['2025-10', '2025-09'],
      otherSchool: ['2025-10', '2025-09'],
    },
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'ALLOW',
    },
  },
  satisfactionMonths: {
    document: `{ satisfactionMonths }`,
    sees: (d) => d.satisfactionMonths as string[],
    universe: () => ['2025-10', '2025-09'],
    // September's one answer came from 1000000003, DX01's school then; October's from
    // 1000000001 (DX01) and 1000000002 (DX02). So DX01's schools answered in both months
    // (the district's months, hence ALLOW), DX02's in October only.
    // 1000000003 (otherSchool's) answered in September only; the township's two in October.
    seesFor: {
      dx02: ['2025-10'],
      unlinked: [],
      school: ['2025-10'],
      otherSchool: ['2025-09'],
      township: ['2025-10'],
    },
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'ALLOW',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  satisfaction: {
    document: `query ($from: String!, $to: String!, $scope: ScopeInput) {
      satisfaction(from: $from, to: $to, scope: $scope) {
        byRespondent { respondent responses score }
        items { itemText responses }
        lowestSchools(minResponses: 1, first: 100) { school { code name } responses } } }`,
    variables: () => ({ from: MONTH, to: MONTH }),
    sees: (d) =>
      codesIn(
        (d.satisfaction as { lowestSchools: { school: { code: string } }[] }).lowestSchools.map(
          (l) => l.school,
        ),
      ),
    // Parents answered in 2025-10 for these two schools only.
    universe: () => ['1000000001', '1000000002'],
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'EMPTY',
      township: 'ALLOW',
    },
  },
  flags: {
    document: `query ($month: String, $scope: ScopeInput) {
      flags(month: $month, scope: $scope, first: 500) { total items { ${FLAG_FIELDS} } } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) => codesIn((d.flags as { items: unknown[] }).items),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  flagGroups: {
    document: `query ($month: String, $scope: ScopeInput) {
      flagGroups(month: $month, scope: $scope, first: 200) {
        total items { schoolCode count flagIds latest { ${FLAG_FIELDS} } } } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) => codesIn((d.flagGroups as { items: unknown[] }).items),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  flag: {
    document: `query ($id: ID!) { flag(id: $id) { ${FLAG_FIELDS} } }`,
    variables: (s) => ({ id: s.flagOf[SUBJECT] }),
    missing: { id: NO_ID },
    sees: (d) => codesIn([d.flag]),
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'ALLOW',
      otherSchool: 'NULL',
      township: 'ALLOW',
    },
  },
  flagCounts: {
    document: `query ($from: String!, $to: String!, $scope: ScopeInput) {
      flagCounts(from: $from, to: $to, scope: $scope) { month code status count } }`,
    variables: () => ({ from: MONTH, to: MONTH }),
    // One 2025-10 flag a school: the count is a count of schools.
    sees: (d) => (d.flagCounts as { count: number }[]).reduce((n, c) => n + c.count, 0),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  flagCodes: {
    document: `{ flagCodes { code label fromReports fromInspections rules { id } } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  evaluationVersions: {
    // A publication names no school: every role reads the same list (2025-09 is published
    // in beforeAll).
    document: `{ evaluationVersions(period: "2025-09") {
      period version schemeVersion publishedAt publishedBy note schools current } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'PUBLIC',
    },
  },
  roles: {
    document: `{ roles { role label } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx01: 'PUBLIC',
      dx02: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  flagStatuses: {
    document: `{ flagStatuses { status label open } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  townshipMap: {
    // Geometry only, the same for every role that sees the overview; the fixture has no
    // map, so it answers null (test/server/graphql/map/map.test.ts loads one).
    document: `{ townshipMap { sha256 townships missingTownships } }`,
    expect: {
      bureau: 'NULL',
      leader: 'NULL',
      dx02: 'NULL',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'NULL',
    },
  },
  policyVersions: {
    document: `{ policyVersions { district version effectiveFrom source parameters } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  visits: {
    document: `query ($from: String, $to: String, $scope: ScopeInput) {
      visits(from: $from, to: $to, scope: $scope, first: 200) { total items { id schoolCode schoolName date findings flags { schoolCode } } } }`,
    variables: () => ({ from: '2025-10-01', to: '2025-10-31' }),
    sees: (d) => codesIn((d.visits as { items: unknown[] }).items),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  visit: {
    document: `query ($id: ID!) {
      visit(id: $id) { id schoolCode schoolName date findings checklist { item result } flags { schoolCode } } }`,
    variables: (s) => ({ id: s.visitOf[SUBJECT] }),
    missing: { id: NO_ID },
    sees: (d) => codesIn([d.visit]),
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'ALLOW',
      otherSchool: 'NULL',
      township: 'ALLOW',
    },
  },
  loadBatches: {
    document: `{ loadBatches(first: 200) { total items { id fileName rejects { value } } } }`,
    sees: (d) => (d.loadBatches as { items: { id: string }[] }).items.map((b) => b.id).sort(),
    universe: (s) => s.batchIds,
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'EMPTY',
      otherSchool: 'EMPTY',
      township: 'FORBIDDEN',
    },
  },
  loadBatch: {
    document: `query ($id: ID!) { loadBatch(id: $id) { id fileName rejects { value } } }`,
    variables: (s) => ({ id: s.batchIds[0] }),
    missing: { id: NO_ID },
    sees: (d) => [(d.loadBatch as { id: string }).id],
    universe: (s) => s.batchIds.slice(0, 1),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'NULL',
      otherSchool: 'NULL',
      township: 'FORBIDDEN',
    },
  },
  submissionMatrix: {
    document: `query ($from: String!, $to: String!, $scope: ScopeInput) {
      submissionMatrix(from: $from, to: $to, scope: $scope) {
        total onTime late missing corrected withDoubts
        rows { schoolCode schoolName cells { month state corrections openDoubts } } } }`,
    variables: () => ({ from: MONTH, to: MONTH }),
    sees: (d) => codesIn((d.submissionMatrix as { rows: unknown[] }).rows),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  auditEvents: {
    document: `{ auditEvents(first: 200) { total items { id action actionLabel category target detail } } }`,
    // Not about schools: the bureau reads the trail, every other role is refused.
    sees: () => [],
    universe: () => [],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  auditCategories: {
    document: `{ auditCategories }`,
    sees: () => [],
    universe: () => [],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  users: {
    // User management (issue 17): the bureau's alone; not about schools.
    document: `{ users(first: 200) { total items { id username role schoolCode township disabled } } }`,
    sees: () => [],
    universe: () => [],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  lineage: {
    document: `query ($schoolCode: String!, $month: String!) {
      lineage(schoolCode: $schoolCode, month: $month) {
        schoolCode month current { fileName sheet row values { column value } }
        history { replacedByFile changes { column old new } } } }`,
    variables: () => ({ schoolCode: SUBJECT, month: MONTH }),
    missing: { schoolCode: NO_SCHOOL, month: MONTH },
    sees: (d) => codesIn([d.lineage]),
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'ALLOW',
      otherSchool: 'NULL',
      township: 'ALLOW',
    },
  },
  monthlyReport: {
    document: `query ($month: String!, $scope: ScopeInput) {
      monthlyReport(month: $month, scope: $scope) {
        dataAsOf overview { schoolsInScope }
        findings { code text schools { code name } }
        topSchools(first: 100) { school { code } } bottomSchools(first: 100) { school { code } }
        newFlags(first: 1000) { schoolCode } closedFlags(first: 1000) { schoolCode } } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) => {
      const r = d.monthlyReport as Record<string, { school?: unknown; schools?: unknown[] }[]>;
      return codesIn([
        ...(r.findings ?? []).flatMap((f) => f.schools ?? []),
        ...(r.topSchools ?? []).map((s) => s.school),
        ...(r.bottomSchools ?? []).map((s) => s.school),
        ...(r.newFlags ?? []),
        ...(r.closedFlags ?? []),
      ]);
    },
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    // The sentences say 本辖区 to a 督学 and 所选范围内 to a narrowed bureau: compare the rest.
    // A school reporter's report withholds the complaints finding (school-side-scope.test.ts
    // asserts it), so that finding is left out of every comparison.
    project: (d) => {
      const r = d.monthlyReport as { findings: Record<string, unknown>[] } & Data;
      return {
        ...r,
        findings: r.findings
          .filter((f) => f.code !== 'COMPLAINTS.RECEIVED')
          .map(({ text: _t, ...f }) => f),
      };
    },
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  // The evaluation (issue 14): scored district-wide, narrowed to the viewer and ranked there,
  // so a 督学's answer is the bureau's narrowed to the same schools.
  evaluations: {
    document: `query ($period: String!, $scope: ScopeInput) {
      evaluations(period: $period, scope: $scope, first: 200) {
        total gradeCounts { grade schools }
        items { schoolCode schoolName score grade rank peerRank peerGroupSize scoreChange
          indicators { key value peerMedianValue districtMedianValue } } } }`,
    variables: () => ({ period: MONTH }),
    sees: (d) => codesIn((d.evaluations as { items: unknown[] }).items),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'SCOPED',
    },
  },
  schoolEvaluation: {
    document: `query ($code: String!, $period: String!) {
      schoolEvaluation(code: $code, period: $period) { schoolCode schoolName score grade
        indicators { key value peerMedianValue } } }`,
    variables: () => ({ code: SUBJECT, period: MONTH }),
    missing: { code: NO_SCHOOL, period: MONTH },
    sees: (d) => codesIn([d.schoolEvaluation]),
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'ALLOW',
    },
  },
  evaluationSummary: {
    document: `query ($period: String!, $scope: ScopeInput) {
      evaluationSummary(period: $period, scope: $scope) {
        gradeCounts { grade schools } byTownship { township schools }
        risers { schoolCode schoolName } fallers { schoolCode schoolName } } }`,
    variables: () => ({ period: MONTH }),
    sees: (d) =>
      (d.evaluationSummary as { byTownship: { schools: number }[] }).byTownship.reduce(
        (n, t) => n + t.schools,
        0,
      ),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'SCOPED',
    },
  },
  evaluationSchemes: {
    document: `{ evaluationSchemes { version name effectiveFrom maxScore } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  dataDoubts: {
    // One 2025-10 doubt a school (seeded below); leadership never reads a doubt's detail.
    document: `query ($month: String, $scope: ScopeInput, $schoolCode: String) {
      dataDoubts(month: $month, scope: $scope, schoolCode: $schoolCode, first: 200) {
        total items { id schoolCode schoolName status allowedReviews } } }`,
    variables: () => ({ month: MONTH }),
    missing: { month: MONTH, schoolCode: NO_SCHOOL },
    sees: (d) => codesIn((d.dataDoubts as { items: unknown[] }).items),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  doubtStatuses: {
    document: `{ doubtStatuses { status label open } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  doubtRules: {
    document: `{ doubtRules { rule label measureLabel } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  unitReviews: {
    // The 2025-10 school-months with data: 1000000001, 1000000002 and 1000000003.
    document: `query ($month: String) {
      unitReviews(month: $month, first: 200) { total items { schoolCode schoolName month status } } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) => codesIn((d.unitReviews as { items: unknown[] }).items),
    universe: () => ['1000000001', '1000000002', '1000000003'],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  unitReviewCounts: {
    // One school-month a school in 2025-10: the counts add up to the schools seen.
    document: `query ($month: String) { unitReviewCounts(month: $month) { status count } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) => (d.unitReviewCounts as { count: number }[]).reduce((n, c) => n + c.count, 0),
    universe: () => ['1000000001', '1000000002', '1000000003'],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  complaints: {
    // One 2025-10 complaint a school (seeded below); leadership reads counts in the report only.
    document: `query ($month: String, $scope: ScopeInput, $schoolCode: String) {
      complaints(month: $month, scope: $scope, schoolCode: $schoolCode, first: 200) {
        total items { id schoolCode schoolName status deadline } } }`,
    variables: () => ({ month: MONTH }),
    missing: { month: MONTH, schoolCode: NO_SCHOOL },
    sees: (d) => codesIn((d.complaints as { items: unknown[] }).items),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'SCOPED',
    },
  },
  complaint: {
    // The complainant differs by role by design (bureau and handler only): tested apart.
    document: `query ($id: ID!) { complaint(id: $id) { id schoolCode schoolName allegation status } }`,
    variables: (s) => ({ id: s.complaintOf[SUBJECT] }),
    missing: { id: NO_ID },
    sees: (d) => codesIn([d.complaint]),
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'ALLOW',
    },
  },
  complaintSources: {
    document: `{ complaintSources { source label labelEn } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  // Each role's user has one 2025-10 reminder about every school (seeded below): a role
  // reads its own inbox, and a 督学 only the reminders of schools in their remit.
  reminders: {
    document: `{ reminders(first: 20) { total unread items { schoolCode month title } } }`,
    sees: (d) => codesIn((d.reminders as { items: unknown[] }).items),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  unreadReminderCount: {
    document: `{ unreadReminderCount }`,
    sees: (d) => d.unreadReminderCount as number,
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'SCOPED',
      otherSchool: 'SCOPED',
      township: 'SCOPED',
    },
  },
  reminderKinds: {
    document: `{ reminderKinds { kind label labelEn } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  complaintStatuses: {
    document: `{ complaintStatuses { status label open } }`,
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  complaintHandlers: {
    // Users, not schools: the bureau reads the subject school's handlers (seeded users).
    document: `query ($schoolCode: String!) { complaintHandlers(schoolCode: $schoolCode) { id name role } }`,
    variables: () => ({ schoolCode: SUBJECT }),
    missing: { schoolCode: NO_SCHOOL },
    sees: (d) => ((d.complaintHandlers as unknown[]).length === 2 ? [SUBJECT] : []),
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  peerComparison: {
    document: `query ($code: String!, $period: String!) {
      peerComparison(code: $code, period: $period) { schoolCode peerGroup peerGroupSize
        figures { key value peerMedian districtMedian } } }`,
    variables: () => ({ code: SUBJECT, period: MONTH }),
    missing: { code: NO_SCHOOL, period: MONTH },
    sees: (d) => codesIn([d.peerComparison]),
    universe: () => [SUBJECT],
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'NULL',
      unlinked: 'NULL',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'ALLOW',
    },
  },
  visitPlan: {
    // The plan ranks the schools in scope; a 督学's is the bureau's narrowed to their remit.
    document: `query ($month: String, $scope: ScopeInput) {
      visitPlan(month: $month, scope: $scope, first: 300) {
        month asOf total high medium low
        items { rank schoolCode schoolName score band reasons { code text points }
          inspectors { id name } } } }`,
    variables: () => ({ month: MONTH }),
    sees: (d) => codesIn((d.visitPlan as { items: unknown[] }).items),
    narrow: (v, codes) => ({ ...v, scope: { schoolCodes: codes } }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'SCOPED',
    },
  },
  riskBands: {
    document: `query ($month: String) { riskBands(month: $month) { band label minScore } }`,
    variables: () => ({ month: MONTH }),
    expect: {
      bureau: 'PUBLIC',
      leader: 'PUBLIC',
      dx02: 'PUBLIC',
      dx01: 'PUBLIC',
      unlinked: 'PUBLIC',
      school: 'PUBLIC',
      otherSchool: 'PUBLIC',
      township: 'PUBLIC',
    },
  },
  unvisitedSchools: {
    // Every school has a 2025-10 visit (seeded below), so the semester's list is empty.
    document: `{ unvisitedSchools(semester: "2025-2026-1") {
      semester total items { schoolCode schoolName inspectors { id name } } } }`,
    sees: (d) => codesIn((d.unvisitedSchools as { items: unknown[] }).items),
    universe: () => [],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  // 四不两直: the bureau's alone; a 督学 sees their drawn schools once the visit date came
  // (the seeded draw's is 2025-11-05, before the clock).
  visitDraws: {
    document: `{ visitDraws(first: 50) { total items { id seed schools { schoolCode schoolName } } } }`,
    sees: (d) =>
      codesIn(
        (d.visitDraws as { items: { schools: unknown[] }[] }).items.flatMap((i) => i.schools),
      ),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  visitDraw: {
    document: `query ($id: ID!) { visitDraw(id: $id) { id strata { township } schools { schoolCode schoolName } } }`,
    variables: (s) => ({ id: s.drawId }),
    missing: { id: NO_ID },
    sees: (d) => codesIn((d.visitDraw as { schools: unknown[] }).schools),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  verifyDraw: {
    document: `query ($id: ID!) { verifyDraw(id: $id) { drawId matches checked differences } }`,
    variables: (s) => ({ id: s.drawId }),
    missing: { id: NO_ID },
    sees: () => [],
    universe: () => [],
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  myUnannouncedVisits: {
    document: `{ myUnannouncedVisits { schoolCode schoolName visitDate visitId } }`,
    sees: (d) => codesIn(d.myUnannouncedVisits),
    expect: {
      bureau: 'EMPTY',
      leader: 'EMPTY',
      dx02: 'SCOPED',
      dx01: 'SCOPED',
      unlinked: 'EMPTY',
      school: 'EMPTY',
      otherSchool: 'EMPTY',
      township: 'EMPTY',
    },
  },
};

// ---------------------------------------------------------------------------------------

let fx: ApiFixture;
let seeds: Seeds;

const seedFlag = (school: string, month: string, status: FlagStatus): Promise<string> =>
  seedLateEndFlag(fx.writer, { school, month, status, createdAt: '2025-11-01T02:00:00Z' });

async function seedVisit(school: string, date: string): Promise<string> {
  const row = await fx.writer.write(({ db }) =>
    db
      .insertInto('visits')
      .values({
        school_code: school,
        visit_date: sql`CAST(${date} AS DATE)`,
        kind: 'ROUTINE',
        user_id: VIEWERS.bureau.userId,
        username: VIEWERS.bureau.username,
        user_name: VIEWERS.bureau.name,
        inspector_id: null,
        findings: '服务按时开展',
        evidence: null,
        created_at: sql`CAST('2025-10-20T02:00:00Z' AS TIMESTAMPTZ)`,
      })
      .returning('visit_id')
      .executeTakeFirstOrThrow(),
  );
  return String(row.visit_id);
}

beforeAll(async () => {
  fx = await openApiFixture({ now: NOW });
  // Flags the rules engine raised while loading are replaced by exactly one 2025-10 flag
  // and one 2025-10 visit a school, so every list can show every school. The mutations'
  // own flags and visits are dated 2025-11, outside what the queries ask about.
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM flag_events; DELETE FROM flags; DELETE FROM visit_checks;
      DELETE FROM visits;`.execute(db);
  });
  const flagOf: Record<string, string> = {};
  const visitOf: Record<string, string> = {};
  for (const code of ALL) {
    flagOf[code] = await seedFlag(code, MONTH, 'OPEN');
    visitOf[code] = await seedVisit(code, '2025-10-20');
  }
  const batches = await sql<{ id: string }>`
    SELECT CAST(batch_id AS VARCHAR) AS id FROM load_batches ORDER BY id`.execute(fx.warehouse.db);
  const complaintOf: Record<string, string> = {};
  for (const code of ALL)
    complaintOf[code] = await seedComplaint(fx.writer, { school: code, receivedOn: '2025-10-20' });
  // Handlers a complaint may be assigned to: the bureau inspector and DX02.
  await fx.writer.write(async ({ db }) => {
    await sql`INSERT INTO users (user_id, username, display_name, role, inspector_id, password_hash)
      SELECT * FROM (VALUES (1, 'bureau', 'bureau', 'BUREAU_INSPECTOR', NULL, 'x'),
        (4, 'dx02', 'dx02', 'SUPERVISING_INSPECTOR', 'DX02', 'x')) u
      WHERE NOT EXISTS (SELECT 1 FROM users)`.execute(db);
  });
  const drawId = await seedDraw(fx.writer, {
    schools: {
      '1000000001': '东城镇',
      '1000000002': '东城镇',
      '1000000003': '西山乡',
      '1000000004': '西山乡',
    },
    visitDate: '2025-11-05',
  });
  seeds = {
    flagOf,
    visitOf,
    batchIds: batches.rows.map((r) => r.id).sort(),
    complaintOf,
    drawId,
  };
  // Doubts the checks raised while loading are replaced by one 2025-10 doubt a school.
  await fx.writer.write(async ({ db }) => {
    await sql`DELETE FROM data_doubt_events; DELETE FROM data_doubts;`.execute(db);
  });
  for (const code of ALL) await seedDoubt(fx.writer, { school: code, month: MONTH });
  // One reminder about each school for each role's user (named in the title, so a foreign
  // school's reminder would show as a leak).
  await fx.writer.write(async ({ db }) => {
    for (const role of ROLES)
      await sql`INSERT INTO notifications (user_id, kind, dedupe_key, school_code, month, title, body)
        SELECT ${VIEWER[role].userId}, 'FLAG_RAISED', 'matrix:' || school_code, school_code,
          ${MONTH}, '新问题线索：' || school_name, '访问矩阵'
        FROM schools`.execute(db);
  });
  expect(seeds.batchIds.length).toBeGreaterThan(0);
  const published = await run(
    'bureau',
    `mutation { publishEvaluation(period: "2025-09") { version } }`,
  );
  expect(published.errors).toBeUndefined();
});
afterAll(async () => {
  await fx?.close();
});

type Response = Awaited<ReturnType<ApiFixture['run']>>;

async function run(role: Role, document: string, variables?: Vars): Promise<Response> {
  return fx.run(VIEWER[role], document, variables);
}

/** No school code or name outside the viewer's remit appears anywhere in the response. */
function expectNoForeignSchool(role: Role, field: string, response: Response): void {
  const json = JSON.stringify({ data: response.data, errors: response.errors });
  const foreign = ALL.filter((c) => !REMIT[role].includes(c)).flatMap((c) => [c, SCHOOLS[c]]);
  const leaked = foreign.filter((needle) => needle !== undefined && json.includes(needle));
  expect(leaked, `${field} as ${role} names schools outside the remit`).toEqual([]);
}

const errorsOf = (r: Response) =>
  (r.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code }));

/** The field's root name in an operation document (one root field per entry). */
function rootFields(document: string): string[] {
  const op = parse(document).definitions[0] as OperationDefinitionNode;
  return op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '?'));
}

/** The evaluation figure small-cell protection withholds from leaders (evaluation-disclosure tests). */
const isProtectedFigure = (v: unknown) =>
  v !== null && typeof v === 'object' && (v as { key?: unknown }).key === 'priority_equity';

/**
 * The answer as compared across roles: the entry's projection, without allowedSteps and
 * allowedReviews (what the viewer may do, asserted apart), and
 * without the figures a leader reads protected rather than exact.
 */
function comparable(entry: QueryEntry, data: Data | null): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.filter((v) => !isProtectedFigure(v)).map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'allowedSteps' && key !== 'allowedReviews')
        .map(([key, v]) => [key, strip(v)]),
    );
  };
  return strip(data === null ? null : (entry.project ?? ((d) => d))(data));
}

/** Whether the role may act now on a school's flags (README: bureau anywhere, 督学 own). */
function actsOn(role: Role, school: string): boolean {
  if (role === 'bureau') return true;
  if (role === 'dx01' || role === 'dx02') return REMIT[role].includes(school);
  return false;
}

/** Every flag in the answer offers steps exactly when the role may act on its school. */
function expectAllowedSteps(role: Role, field: string, data: Data | null): void {
  const flags: { schoolCode: string; allowedSteps: string[] }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (Array.isArray(o.allowedSteps) && typeof o.schoolCode === 'string') flags.push(o as never);
      Object.values(o).forEach(walk);
    }
  };
  walk(data);
  for (const f of flags)
    // Every flag the queries read is OPEN: REQUEST_RECTIFICATION and DISMISS apply.
    expect(f.allowedSteps, `${field} as ${role}: allowedSteps on ${f.schoolCode}`).toEqual(
      actsOn(role, f.schoolCode) ? ['REQUEST_RECTIFICATION', 'DISMISS'] : [],
    );
}

function expectedSees(entry: QueryEntry, role: Role, outcome: Outcome): readonly string[] {
  const universe = entry.universe?.(seeds) ?? ALL;
  if (outcome === 'ALLOW') return universe;
  if (outcome === 'EMPTY') return [];
  return entry.seesFor?.[role] ?? universe.filter((c) => REMIT[role].includes(c));
}

describe('completeness', () => {
  it('has an entry for every Query and Mutation field the executable schema serves, and no other', async () => {
    const { data, errors } = await run(
      'bureau',
      `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`,
    );
    expect(errors).toBeUndefined();
    const schema = data?.__schema as {
      queryType: { fields: { name: string }[] };
      mutationType: { fields: { name: string }[] };
    };
    const check = (kind: string, served: string[], table: string[]) => {
      const missing = served.filter((f) => !table.includes(f));
      const extra = table.filter((f) => !served.includes(f));
      expect(
        missing,
        `${kind} fields without an access-matrix entry: ${missing.join(', ')}`,
      ).toEqual([]);
      expect(
        extra,
        `access-matrix entries for ${kind} fields the schema lacks: ${extra.join(', ')}`,
      ).toEqual([]);
    };
    check(
      'Query',
      schema.queryType.fields.map((f) => f.name),
      Object.keys(QUERIES),
    );
    check(
      'Mutation',
      schema.mutationType.fields.map((f) => f.name),
      Object.keys(MUTATIONS),
    );
  });

  it('asks each entry about its own field only', () => {
    for (const [field, entry] of [...Object.entries(QUERIES), ...Object.entries(MUTATIONS)])
      expect(rootFields(entry.document), field).toEqual([field]);
  });
});

describe('queries', () => {
  for (const [field, entry] of Object.entries(QUERIES)) {
    const roles = rolesOf(entry);
    it(`${field}: ${roles.map((r) => `${r} ${entry.expect[r]}`).join(', ')}`, async () => {
      const variables = entry.variables?.(seeds);
      const answers = new Map<Role, Response>();
      for (const role of roles) answers.set(role, await run(role, entry.document, variables));
      for (const role of roles) {
        const outcome = entry.expect[role] as Outcome;
        const r = answers.get(role) as Response;
        const label = `${field} as ${role} (${outcome})`;
        expectNoForeignSchool(role, field, r);
        switch (outcome) {
          case 'ALLOW':
          case 'SCOPED':
          case 'EMPTY': {
            expect(errorsOf(r), label).toEqual([]);
            expect(r.data?.[field], label).not.toBeNull();
            const sees = (entry.sees as NonNullable<QueryEntry['sees']>)(r.data as Data);
            const expected = expectedSees(entry, role, outcome);
            if (typeof sees === 'number') expect(sees, label).toBe(expected.length);
            else expect([...sees].sort(), label).toEqual([...expected].sort());
            if (outcome === 'SCOPED') {
              const universe = entry.universe?.(seeds) ?? ALL;
              expect(expected.length, `${label}: a scope with nothing in it`).toBeGreaterThan(0);
              expect(expected.length, `${label}: a scope that is everything`).toBeLessThan(
                universe.length,
              );
            }
            if (outcome === 'ALLOW' && role !== 'bureau') {
              // What the role reads is what the bureau reads.
              const bureau = answers.get('bureau') as Response;
              expect(comparable(entry, r.data), `${label}: as the bureau reads it`).toEqual(
                comparable(entry, bureau.data),
              );
            } else if (outcome !== 'ALLOW' && entry.narrow) {
              // Exactly the district's answer about the remit: nothing more, nothing less.
              const narrowed = await run(
                'bureau',
                entry.document,
                entry.narrow(variables ?? {}, REMIT[role]),
              );
              expect(errorsOf(narrowed), label).toEqual([]);
              expect(
                comparable(entry, r.data),
                `${label}: the bureau's answer about the remit`,
              ).toEqual(comparable(entry, narrowed.data));
            }
            expectAllowedSteps(role, field, r.data);
            break;
          }
          case 'PUBLIC': {
            expect(errorsOf(r), label).toEqual([]);
            expect((r.data?.[field] as unknown[]).length, label).toBeGreaterThan(0);
            expect(r.data, label).toEqual(answers.get('bureau')?.data);
            break;
          }
          case 'NULL': {
            expect(errorsOf(r), label).toEqual([]);
            expect(r.data, label).toEqual({ [field]: null });
            const missing = await run(role, entry.document, entry.missing);
            expect({ data: r.data, errors: errorsOf(r) }, label).toEqual({
              data: missing.data,
              errors: errorsOf(missing),
            });
            break;
          }
          case 'FORBIDDEN': {
            expect(r.errors?.[0]?.extensions?.code, label).toBe('FORBIDDEN');
            expect(r.data?.[field] ?? null, label).toBeNull();
            if (entry.missing) {
              // Refused outright: the answer does not depend on whether the thing exists.
              const missing = await run(role, entry.document, entry.missing);
              expect(errorsOf(r), `${label}: like a missing one`).toEqual(errorsOf(missing));
            }
            break;
          }
          case 'NOT_FOUND':
            throw new Error(`${label}: queries answer a foreign id with null, not NOT_FOUND`);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------

/** A flag's row and its history length: what a refused step must leave alone. */
async function flagState(vars: Vars): Promise<unknown> {
  const id = Number(vars.flagId);
  const flag = await sql<Record<string, unknown>>`
    SELECT status, strftime(rectify_deadline, '%Y-%m-%d') AS deadline, rectify_request,
      rectify_report, resolution, CAST(updated_at AS VARCHAR) AS updated_at
    FROM flags WHERE flag_id = ${id}`.execute(fx.warehouse.db);
  const events = await sql<{ n: number }>`
    SELECT count(*)::INTEGER AS n FROM flag_events WHERE flag_id = ${id}`.execute(fx.warehouse.db);
  return { flag: flag.rows[0] ?? null, events: events.rows[0]?.n };
}

/** A fresh 2025-11 doubt of SUBJECT (a rule of its own: one doubt per school, month and rule). */
let doubtsMade = 0;
function freshDoubt(): Promise<string> {
  doubtsMade += 1;
  return seedDoubt(fx.writer, { school: SUBJECT, month: '2025-11', rule: `MATRIX.${doubtsMade}` });
}

/** A doubt's row and its events: what a refused review must leave alone. */
async function freshReminders(): Promise<Vars> {
  const ids: string[] = [];
  for (const role of ROLES) {
    const result = await sql<{ id: number }>`INSERT INTO notifications
        (user_id, kind, dedupe_key, title, body)
      VALUES (${VIEWER[role].userId}, 'REPORT_MISSING', ${`matrix:${String(Math.random())}`},
        '提醒', '访问矩阵') RETURNING notification_id AS id`.execute(fx.warehouse.db);
    ids.push(String(result.rows[0]?.id));
  }
  return { ids };
}

async function reminderState(vars: Vars): Promise<unknown> {
  const ids = (vars.ids as string[]).map(Number);
  const result = await sql<{ user_id: number; read: boolean }>`
    SELECT user_id, read_at IS NOT NULL AS read FROM notifications
    WHERE notification_id IN (${sql.join(ids)}) ORDER BY user_id`.execute(fx.warehouse.db);
  return result.rows;
}

async function doubtState(vars: Vars): Promise<unknown> {
  const id = Number(vars.doubtId);
  const doubt = await sql<Record<string, unknown>>`
    SELECT status, review_note, reviewed_by, CAST(updated_at AS VARCHAR) AS updated_at
    FROM data_doubts WHERE doubt_id = ${id}`.execute(fx.warehouse.db);
  const events = await sql<{ n: number }>`
    SELECT count(*)::INTEGER AS n FROM data_doubt_events WHERE doubt_id = ${id}`.execute(
    fx.warehouse.db,
  );
  return { doubt: doubt.rows[0] ?? null, events: events.rows[0]?.n };
}

/** Puts SUBJECT's 2025-10 review in `status` (a draft has no row), for a fresh attempt. */
async function unitIn(status: 'DRAFT' | 'SUBMITTED' | 'APPROVED'): Promise<void> {
  await sql`DELETE FROM unit_reviews WHERE school_code = ${SUBJECT} AND month = ${MONTH}`.execute(
    fx.warehouse.db,
  );
  if (status !== 'DRAFT')
    await sql`INSERT INTO unit_reviews (school_code, month, status)
      VALUES (${SUBJECT}, ${MONTH}, ${status})`.execute(fx.warehouse.db);
}

/** SUBJECT's 2025-10 review row and its events: what a refused step must leave alone. */
async function unitState(): Promise<unknown> {
  const row = await sql<Record<string, unknown>>`
    SELECT status, reasons, CAST(updated_at AS VARCHAR) AS updated_at FROM unit_reviews
    WHERE school_code = ${SUBJECT} AND month = ${MONTH}`.execute(fx.warehouse.db);
  const events = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM unit_review_events
    WHERE school_code = ${SUBJECT} AND month = ${MONTH}`.execute(fx.warehouse.db);
  return { unit: row.rows[0] ?? null, events: events.rows[0]?.n };
}

async function publicationState(): Promise<unknown> {
  const result = await sql<Record<string, number>>`
    SELECT (SELECT count(*) FROM evaluation_publications)::INTEGER AS publications,
      (SELECT count(*) FROM evaluation_results)::INTEGER AS results`.execute(fx.warehouse.db);
  return result.rows[0];
}

async function drawState(): Promise<unknown> {
  const result = await sql<Record<string, number>>`
    SELECT (SELECT count(*) FROM visit_draws)::INTEGER AS draws,
      (SELECT count(*) FROM visit_draw_schools)::INTEGER AS drawn,
      (SELECT count(*) FROM visit_draw_candidates)::INTEGER AS candidates`.execute(fx.warehouse.db);
  return result.rows[0];
}

async function visitState(): Promise<unknown> {
  const result = await sql<Record<string, number>>`
    SELECT (SELECT count(*) FROM visits)::INTEGER AS visits,
      (SELECT count(*) FROM visit_checks)::INTEGER AS checks,
      (SELECT count(*) FROM flags)::INTEGER AS flags,
      (SELECT count(*) FROM flag_events)::INTEGER AS events`.execute(fx.warehouse.db);
  return result.rows[0];
}

/** A complaint's row, its events and the flags: what a refused complaint step must leave alone. */
async function complaintState(vars: Vars): Promise<unknown> {
  const id = Number(vars.id ?? -1);
  const result = await sql<Record<string, unknown>>`
    SELECT (SELECT count(*) FROM complaints)::INTEGER AS complaints,
      (SELECT count(*) FROM complaint_events)::INTEGER AS events,
      (SELECT count(*) FROM flags)::INTEGER AS flags,
      (SELECT status || '/' || coalesce(CAST(handler_user_id AS VARCHAR), '-') || '/' ||
        coalesce(CAST(visit_id AS VARCHAR), '-') FROM complaints WHERE complaint_id = ${id}) AS row`.execute(
    fx.warehouse.db,
  );
  return result.rows[0];
}

const freshComplaint = (): Promise<string> =>
  seedComplaint(fx.writer, { school: SUBJECT, receivedOn: '2025-11-05' });

const COMPLAINT_FIELDS = 'id schoolCode status handlerName';

const STEP_FIELDS = 'id schoolCode status allowedSteps history { action username }';

/** A fresh evidence file of SUBJECT (a 2025-11 visit's photo), uploaded by dx02. */
async function seedEvidence(): Promise<string> {
  const row = await fx.writer.write(({ db }) =>
    db
      .insertInto('evidence_files')
      .values({
        owner_kind: 'VISIT',
        owner_id: 1,
        school_code: SUBJECT,
        month: '2025-11',
        file_name: '现场.jpg',
        mime: 'image/jpeg',
        bytes: 100,
        sha256: 'a'.repeat(64),
        thumb_sha256: null,
        width: 10,
        height: 10,
        stripped: null,
        caption: null,
        uploaded_by_user_id: VIEWERS.dx02.userId,
        uploaded_by: VIEWERS.dx02.username,
        deleted_at: null,
      })
      .returning('file_id')
      .executeTakeFirstOrThrow(),
  );
  return String(row.file_id);
}

async function evidenceState(vars: Vars): Promise<unknown> {
  const result = await sql<{ deleted: boolean }>`
    SELECT deleted_at IS NOT NULL AS deleted FROM evidence_files
    WHERE file_id = ${Number(vars.id)}`.execute(fx.warehouse.db);
  return result.rows[0] ?? null;
}

// User management (issue 17). Every role's user exists (ids as in VIEWERS) so each may
// change its own password; the id sequence is moved past them once so addUser never
// collides with a fixture id.
const KNOWN_PASSWORD = 'Matrix-known-pass-2025';
let knownHash: string | undefined;
let accountsReady = false;
let freshAccounts = 0;

async function ensureAccounts(): Promise<void> {
  if (accountsReady) return;
  await fx.writer.write(async ({ db }) => {
    for (const role of ROLES) {
      const v = VIEWER[role];
      await sql`INSERT INTO users (user_id, username, display_name, role, inspector_id,
          school_code, township, password_hash)
        SELECT ${v.userId}, ${v.username}, ${v.name}, ${v.role}, ${v.inspectorId},
          ${v.schoolCode}, ${v.township}, 'x'
        WHERE NOT EXISTS (SELECT 1 FROM users WHERE user_id = ${v.userId} OR username = ${v.username})`.execute(
        db,
      );
    }
    await sql`SELECT nextval('user_seq') FROM range(100)`.execute(db);
  });
  accountsReady = true;
}

/** A fresh 学校填报员 of SUBJECT, for the bureau's account mutations. */
async function freshAccount(): Promise<string> {
  await ensureAccounts();
  freshAccounts += 1;
  const username = `matrix-account-${freshAccounts}`;
  const row = await fx.writer.write(({ db }) =>
    db
      .insertInto('users')
      .values({
        username,
        display_name: username,
        role: 'SCHOOL_REPORTER',
        inspector_id: null,
        school_code: SUBJECT,
        township: null,
        password_hash: 'x',
      })
      .returning('user_id')
      .executeTakeFirstOrThrow(),
  );
  return String(row.user_id);
}

async function accountState(vars: Vars): Promise<unknown> {
  const id = Number(vars.id ?? -1);
  const result = await sql<Record<string, unknown>>`
    SELECT (SELECT count(*) FROM users)::INTEGER AS users,
      (SELECT display_name || '/' || role || '/' || coalesce(school_code, '-') || '/' ||
        CAST(disabled AS VARCHAR) || '/' || password_hash FROM users WHERE user_id = ${id}) AS row`.execute(
    fx.warehouse.db,
  );
  return result.rows[0];
}

/** Every role's user gets KNOWN_PASSWORD, so each may change it. */
async function knownPasswords(): Promise<Vars> {
  await ensureAccounts();
  knownHash ??= await hashPassword(KNOWN_PASSWORD);
  const hash = knownHash;
  await fx.writer.write(({ db }) =>
    db.updateTable('users').set({ password_hash: hash }).where('user_id', '<=', 8).execute(),
  );
  freshAccounts += 1;
  return { current: KNOWN_PASSWORD, next: `Matrix-next-pass-${freshAccounts}` };
}

async function passwordState(): Promise<unknown> {
  const result = await sql<{ hashes: string }>`
    SELECT string_agg(password_hash, ',' ORDER BY user_id) AS hashes FROM users
    WHERE user_id <= 8`.execute(fx.warehouse.db);
  return result.rows[0];
}

const ACCOUNT_FIELDS = 'id username role schoolCode disabled';
const ACCOUNT_REFUSED = {
  bureau: 'ALLOW',
  leader: 'FORBIDDEN',
  dx02: 'FORBIDDEN',
  dx01: 'FORBIDDEN',
  unlinked: 'FORBIDDEN',
  school: 'FORBIDDEN',
  otherSchool: 'FORBIDDEN',
  township: 'FORBIDDEN',
} as const satisfies Expectation;

const FILING_INPUT = {
  plan: {
    document: '课后服务实施方案',
    daysPerWeek: 5,
    startTime: '16:00',
    endTime: '18:00',
    contentMix: [{ kind: 'READING', periodsPerWeek: 5 }],
    teachers: 8,
    externalStaff: 0,
    thirdPartyProviders: 0,
    feePerPeriod: 0,
    priorityArrangements: '留守儿童优先',
  },
  survey: { date: '2025-09-15', respondents: 40, demandByGrade: [{ grade: 1, demand: 30 }] },
  agreement: { signed: 40, studentsServed: 40 },
  fees: {
    charged: false,
    firstFeeDate: null,
    publishedDate: null,
    publishedWhere: null,
    refundPerAbsentDay: null,
  },
  pay: {
    periods: 100,
    teacherPay: 3000,
    teachers: 8,
    performancePay: 0,
    studentsServed: 40,
    subsidy: 0,
  },
};
/** Filing: the school's own reporter and the bureau; every other role FORBIDDEN alike. */
const FILE_EXPECT: Expectation = {
  bureau: 'ALLOW',
  leader: 'FORBIDDEN',
  dx02: 'FORBIDDEN',
  dx01: 'FORBIDDEN',
  unlinked: 'FORBIDDEN',
  school: 'ALLOW',
  otherSchool: 'FORBIDDEN',
  township: 'FORBIDDEN',
};

/** Every filing of the subject school, with its review, and the filing events. */
async function filingState(): Promise<unknown> {
  const rows = await sql<Record<string, unknown>>`
    SELECT filing_id, kind, status, review_note FROM semester_filings
    WHERE school_code = ${SUBJECT} ORDER BY filing_id`.execute(fx.warehouse.db);
  const events = await sql<{ n: number }>`
    SELECT count(*)::INTEGER AS n FROM semester_filing_events`.execute(fx.warehouse.db);
  return { rows: rows.rows, events: events.rows[0]?.n };
}

/** A FILED plan of the subject school, as its reporter would leave it. */
async function freshFiling(): Promise<string> {
  const result = await sql<{ filing_id: number }>`INSERT INTO semester_filings
      (school_code, semester, kind, payload, status, filed_at, filed_by_name)
    VALUES (${SUBJECT}, ${FILING_SEMESTER}, 'PLAN', ${JSON.stringify(FILING_INPUT.plan)}, 'FILED',
      now(), '测试') RETURNING filing_id`.execute(fx.warehouse.db);
  return String(result.rows[0]?.filing_id);
}

const MUTATIONS: Record<string, MutationEntry> = {
  // 学期备案: a school files its own, the bureau any; the bureau alone reviews.
  filePlan: {
    document: `mutation ($code: String!, $semester: String!, $input: PlanFilingInput!) {
      filePlan(schoolCode: $code, semester: $semester, input: $input) { id schoolCode kind status } }`,
    prepare: () =>
      Promise.resolve({ code: SUBJECT, semester: FILING_SEMESTER, input: FILING_INPUT.plan }),
    missing: { code: NO_SCHOOL, semester: FILING_SEMESTER, input: FILING_INPUT.plan },
    state: filingState,
    expect: FILE_EXPECT,
  },
  fileDemandSurvey: {
    document: `mutation ($code: String!, $semester: String!, $input: SurveyFilingInput!) {
      fileDemandSurvey(schoolCode: $code, semester: $semester, input: $input) { id schoolCode kind status } }`,
    prepare: () =>
      Promise.resolve({ code: SUBJECT, semester: FILING_SEMESTER, input: FILING_INPUT.survey }),
    missing: { code: NO_SCHOOL, semester: FILING_SEMESTER, input: FILING_INPUT.survey },
    state: filingState,
    expect: FILE_EXPECT,
  },
  fileServiceAgreement: {
    document: `mutation ($code: String!, $semester: String!, $input: AgreementFilingInput!) {
      fileServiceAgreement(schoolCode: $code, semester: $semester, input: $input) { id schoolCode kind status } }`,
    prepare: () =>
      Promise.resolve({ code: SUBJECT, semester: FILING_SEMESTER, input: FILING_INPUT.agreement }),
    missing: { code: NO_SCHOOL, semester: FILING_SEMESTER, input: FILING_INPUT.agreement },
    state: filingState,
    expect: FILE_EXPECT,
  },
  fileFeePublicity: {
    document: `mutation ($code: String!, $semester: String!, $input: FeesFilingInput!) {
      fileFeePublicity(schoolCode: $code, semester: $semester, input: $input) { id schoolCode kind status } }`,
    prepare: () =>
      Promise.resolve({ code: SUBJECT, semester: FILING_SEMESTER, input: FILING_INPUT.fees }),
    missing: { code: NO_SCHOOL, semester: FILING_SEMESTER, input: FILING_INPUT.fees },
    state: filingState,
    expect: FILE_EXPECT,
  },
  filePay: {
    document: `mutation ($code: String!, $semester: String!, $input: PayFilingInput!) {
      filePay(schoolCode: $code, semester: $semester, input: $input) { id schoolCode kind status } }`,
    prepare: () =>
      Promise.resolve({ code: SUBJECT, semester: FILING_SEMESTER, input: FILING_INPUT.pay }),
    missing: { code: NO_SCHOOL, semester: FILING_SEMESTER, input: FILING_INPUT.pay },
    state: filingState,
    expect: FILE_EXPECT,
  },
  reviewFiling: {
    document: `mutation ($id: ID!) {
      reviewFiling(id: $id, decision: ACCEPT, note: "符合要求") { id schoolCode status } }`,
    prepare: async () => ({ id: await freshFiling() }),
    missing: { id: NO_ID },
    state: filingState,
    allowed: (result) => expect(result).toMatchObject({ schoolCode: SUBJECT, status: 'ACCEPTED' }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  requestRectification: {
    document: `mutation ($flagId: ID!) {
      requestRectification(flagId: $flagId, deadline: "2025-11-30", request: "限期整改") { ${STEP_FIELDS} } }`,
    prepare: async () => ({ flagId: await seedFlag(SUBJECT, '2025-11', 'OPEN') }),
    missing: { flagId: NO_ID },
    state: flagState,
    after: 'RECTIFYING',
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  requestRectifications: {
    document: `mutation ($flagIds: [ID!]!) {
      requestRectifications(flagIds: $flagIds, deadline: "2025-11-30", request: "限期整改") {
        requested { ${STEP_FIELDS} } skipped { flagId reason message } } }`,
    prepare: async () => ({ flagIds: [await seedFlag(SUBJECT, '2025-11', 'OPEN')] }),
    missing: { flagIds: [NO_ID] },
    state: (vars) => flagState({ flagId: (vars.flagIds as string[])[0] }),
    allowed: (result) => {
      expect(result).toMatchObject({
        requested: [{ schoolCode: SUBJECT, status: 'RECTIFYING' }],
        skipped: [],
      });
    },
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'SKIPPED',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  recordRectification: {
    document: `mutation ($flagId: ID!) {
      recordRectification(flagId: $flagId, report: "已调整作息") { ${STEP_FIELDS} } }`,
    prepare: async () => ({ flagId: await seedFlag(SUBJECT, '2025-11', 'RECTIFYING') }),
    missing: { flagId: NO_ID },
    state: flagState,
    after: 'RECTIFIED',
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'ALLOW',
      otherSchool: 'NOT_FOUND',
      township: 'FORBIDDEN',
    },
  },
  closeFlag: {
    document: `mutation ($flagId: ID!) {
      closeFlag(flagId: $flagId, note: "回访核实已整改") { ${STEP_FIELDS} } }`,
    prepare: async () => ({ flagId: await seedFlag(SUBJECT, '2025-11', 'RECTIFIED') }),
    missing: { flagId: NO_ID },
    state: flagState,
    after: 'CLOSED',
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  dismissFlag: {
    document: `mutation ($flagId: ID!) {
      dismissFlag(flagId: $flagId, reason: "系误报") { ${STEP_FIELDS} } }`,
    prepare: async () => ({ flagId: await seedFlag(SUBJECT, '2025-11', 'OPEN') }),
    missing: { flagId: NO_ID },
    state: flagState,
    after: 'DISMISSED',
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  verifyDoubt: {
    document: `mutation ($doubtId: ID!) {
      verifyDoubt(doubtId: $doubtId, note: "已电话核实") { id schoolCode status } }`,
    prepare: async () => ({ doubtId: await freshDoubt() }),
    missing: { doubtId: NO_ID },
    state: doubtState,
    allowed: (result) => expect(result).toMatchObject({ schoolCode: SUBJECT, status: 'VERIFIED' }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  requestDoubtCorrection: {
    document: `mutation ($doubtId: ID!) {
      requestDoubtCorrection(doubtId: $doubtId, note: "请更正后重报") { id schoolCode status } }`,
    prepare: async () => ({ doubtId: await freshDoubt() }),
    missing: { doubtId: NO_ID },
    state: doubtState,
    allowed: (result) =>
      expect(result).toMatchObject({ schoolCode: SUBJECT, status: 'CORRECTION_REQUESTED' }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  submitUnits: {
    document: `mutation ($schoolCode: String!, $months: [String!]!) {
      submitUnits(schoolCode: $schoolCode, months: $months) { schoolCode month status } }`,
    prepare: () => unitIn('DRAFT').then(() => ({ schoolCode: SUBJECT, months: [MONTH] })),
    missing: { schoolCode: NO_SCHOOL, months: [MONTH] },
    state: unitState,
    allowed: (result) =>
      expect(result).toEqual([{ schoolCode: SUBJECT, month: MONTH, status: 'SUBMITTED' }]),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'ALLOW',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  approveUnits: {
    document: `mutation ($units: [UnitKeyInput!]!) {
      approveUnits(units: $units) { schoolCode month status } }`,
    prepare: () =>
      unitIn('SUBMITTED').then(() => ({ units: [{ schoolCode: SUBJECT, month: MONTH }] })),
    missing: { units: [{ schoolCode: NO_SCHOOL, month: MONTH }] },
    state: unitState,
    allowed: (result) =>
      expect(result).toEqual([{ schoolCode: SUBJECT, month: MONTH, status: 'APPROVED' }]),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'ALLOW',
    },
  },
  returnUnits: {
    document: `mutation ($units: [UnitKeyInput!]!) {
      returnUnits(units: $units, reasons: ["参加人数有误"]) { schoolCode month status reasons } }`,
    prepare: () =>
      unitIn('SUBMITTED').then(() => ({ units: [{ schoolCode: SUBJECT, month: MONTH }] })),
    missing: { units: [{ schoolCode: NO_SCHOOL, month: MONTH }] },
    state: unitState,
    allowed: (result) =>
      expect(result).toEqual([
        { schoolCode: SUBJECT, month: MONTH, status: 'RETURNED', reasons: ['参加人数有误'] },
      ]),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'ALLOW',
    },
  },
  unlockUnit: {
    document: `mutation ($unit: UnitKeyInput!) {
      unlockUnit(unit: $unit, reason: "学校申请更正") { schoolCode month status } }`,
    prepare: () => unitIn('APPROVED').then(() => ({ unit: { schoolCode: SUBJECT, month: MONTH } })),
    missing: { unit: { schoolCode: NO_SCHOOL, month: MONTH } },
    state: unitState,
    allowed: (result) =>
      expect(result).toEqual({ schoolCode: SUBJECT, month: MONTH, status: 'RETURNED' }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  publishEvaluation: {
    // Any role but the bureau is refused before the period is read: a period that is
    // not one answers the same.
    document: `mutation ($period: String!) {
      publishEvaluation(period: $period, note: "访问矩阵") { period published version total } }`,
    prepare: () => Promise.resolve({ period: MONTH }),
    missing: { period: '2025-13' },
    state: publicationState,
    allowed: (result) =>
      expect(result).toMatchObject({ period: MONTH, published: true, total: ALL.length }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  recordComplaint: {
    document: `mutation ($input: ComplaintInput!) { recordComplaint(input: $input) { ${COMPLAINT_FIELDS} } }`,
    prepare: async () => ({
      input: {
        schoolCode: SUBJECT,
        source: 'LETTER',
        category: 'LATE_END',
        receivedOn: '2025-11-06',
        allegation: '服务延时到19点',
      },
    }),
    missing: {
      input: {
        schoolCode: NO_SCHOOL,
        source: 'LETTER',
        category: 'LATE_END',
        receivedOn: '2025-11-06',
        allegation: '服务延时到19点',
      },
    },
    state: complaintState,
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  assignComplaint: {
    document: `mutation ($id: ID!) { assignComplaint(id: $id, handlerUserId: "4") { ${COMPLAINT_FIELDS} } }`,
    prepare: async () => ({ id: await freshComplaint() }),
    missing: { id: NO_ID },
    state: complaintState,
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  raiseComplaintFlag: {
    document: `mutation ($id: ID!) { raiseComplaintFlag(id: $id, detail: "核实另收教辅费") { ${COMPLAINT_FIELDS} } }`,
    prepare: async () => ({ id: await freshComplaint() }),
    missing: { id: NO_ID },
    state: complaintState,
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  linkComplaintVisit: {
    document: `mutation ($id: ID!, $visitId: ID!) { linkComplaintVisit(id: $id, visitId: $visitId) { ${COMPLAINT_FIELDS} } }`,
    prepare: async () => ({
      id: await freshComplaint(),
      visitId: await seedVisit(SUBJECT, '2025-11-06'),
    }),
    missing: { id: NO_ID, visitId: NO_ID },
    state: complaintState,
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  closeComplaint: {
    document: `mutation ($id: ID!) { closeComplaint(id: $id, finding: "经核查不属实", substantiated: false) { ${COMPLAINT_FIELDS} } }`,
    prepare: async () => ({ id: await freshComplaint() }),
    missing: { id: NO_ID },
    state: complaintState,
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  recordVisit: {
    document: `mutation ($input: VisitInput!) {
      recordVisit(input: $input) { id schoolCode date flags { schoolCode status } } }`,
    prepare: () =>
      Promise.resolve({
        input: {
          schoolCode: SUBJECT,
          date: '2025-11-05',
          kind: 'UNANNOUNCED',
          checklist: [{ item: 'SAFETY', result: 'PROBLEM', note: '消防通道堵塞' }],
          findings: '四不两直检查',
          flags: [{ code: 'COLLECTIVE_TEACHING', detail: '课后服务时段集体讲授新课' }],
        },
      }),
    missing: {
      input: {
        schoolCode: NO_SCHOOL,
        date: '2025-11-05',
        kind: 'UNANNOUNCED',
        checklist: [{ item: 'SAFETY', result: 'PROBLEM', note: '消防通道堵塞' }],
        findings: '四不两直检查',
        flags: [{ code: 'COLLECTIVE_TEACHING', detail: '课后服务时段集体讲授新课' }],
      },
    },
    state: visitState,
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  // The uploader (dx02) or the bureau; dx01 cannot see the school's files at all.
  deleteEvidenceFile: {
    document: `mutation ($id: ID!) { deleteEvidenceFile(id: $id) { id schoolCode fileName } }`,
    prepare: async () => ({ id: await seedEvidence() }),
    missing: { id: NO_ID },
    state: evidenceState,
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'ALLOW',
      dx01: 'NOT_FOUND',
      unlinked: 'FORBIDDEN',
      school: 'NOT_FOUND',
      otherSchool: 'NOT_FOUND',
      township: 'FORBIDDEN',
    },
  },
  markRemindersRead: {
    // One fresh reminder for each role's user; whoever marks them all by id marks only
    // their own (1), never another user's.
    document: `mutation ($ids: [ID!]) { markRemindersRead(ids: $ids) }`,
    prepare: freshReminders,
    missing: { ids: [NO_ID] },
    state: reminderState,
    allowed: (result) => expect(result).toBe(1),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'ALLOW',
      unlinked: 'ALLOW',
      school: 'ALLOW',
      otherSchool: 'ALLOW',
      township: 'ALLOW',
    },
  },
  drawVisits: {
    // Refused before the input is read: a draw of a school that does not exist answers the same.
    document: `mutation ($input: DrawVisitsInput!) {
      drawVisits(input: $input) { id candidateCount schools { schoolCode } } }`,
    prepare: () =>
      Promise.resolve({
        input: {
          from: '2025-11-17',
          to: '2025-11-28',
          sampleSize: 1,
          // Its seeded 2025-10-20 visit is recent: kept in on purpose.
          includeRecent: true,
          scope: { schoolCodes: [SUBJECT] },
        },
      }),
    missing: {
      input: {
        from: '2025-11-17',
        to: '2025-11-28',
        sampleSize: 1,
        scope: { schoolCodes: [NO_SCHOOL] },
      },
    },
    state: drawState,
    allowed: (result) =>
      expect(result).toMatchObject({ candidateCount: 1, schools: [{ schoolCode: SUBJECT }] }),
    expect: {
      bureau: 'ALLOW',
      leader: 'FORBIDDEN',
      dx02: 'FORBIDDEN',
      dx01: 'FORBIDDEN',
      unlinked: 'FORBIDDEN',
      school: 'FORBIDDEN',
      otherSchool: 'FORBIDDEN',
      township: 'FORBIDDEN',
    },
  },
  // Refused before the input is read: an account that does not exist answers the same.
  addUser: {
    document: `mutation ($input: AddUserInput!) { addUser(input: $input) { ${ACCOUNT_FIELDS} } }`,
    prepare: async () => {
      await ensureAccounts();
      freshAccounts += 1;
      return {
        input: {
          username: `matrix-added-${freshAccounts}`,
          binding: { role: 'SCHOOL_REPORTER', schoolCode: SUBJECT },
          password: 'Matrix-temporary-2025',
        },
      };
    },
    missing: {
      input: {
        username: 'matrix-missing',
        binding: { role: 'SCHOOL_REPORTER', schoolCode: NO_SCHOOL },
        password: 'Matrix-temporary-2025',
      },
    },
    state: accountState,
    expect: ACCOUNT_REFUSED,
  },
  updateUser: {
    document: `mutation ($id: ID!) { updateUser(id: $id, input: { name: "改名" }) { ${ACCOUNT_FIELDS} } }`,
    prepare: async () => ({ id: await freshAccount() }),
    missing: { id: NO_ID },
    state: accountState,
    expect: ACCOUNT_REFUSED,
  },
  setUserDisabled: {
    document: `mutation ($id: ID!) { setUserDisabled(id: $id, disabled: true) { ${ACCOUNT_FIELDS} } }`,
    prepare: async () => ({ id: await freshAccount() }),
    missing: { id: NO_ID },
    state: accountState,
    expect: ACCOUNT_REFUSED,
  },
  resetUserPassword: {
    document: `mutation ($id: ID!) { resetUserPassword(id: $id, password: "Matrix-reset-2025") { ${ACCOUNT_FIELDS} } }`,
    prepare: async () => ({ id: await freshAccount() }),
    missing: { id: NO_ID },
    state: accountState,
    expect: ACCOUNT_REFUSED,
  },
  // Every role changes its own password, and only its own.
  changeMyPassword: {
    document: `mutation ($current: String!, $next: String!) { changeMyPassword(current: $current, next: $next) }`,
    prepare: knownPasswords,
    missing: { current: 'not-the-password', next: 'Matrix-next-pass-0' },
    state: passwordState,
    allowed: (result) => expect(result).toBe(true),
    expect: {
      bureau: 'ALLOW',
      leader: 'ALLOW',
      dx02: 'ALLOW',
      dx01: 'ALLOW',
      unlinked: 'ALLOW',
      school: 'ALLOW',
      otherSchool: 'ALLOW',
      township: 'ALLOW',
    },
  },
};
describe('mutations (each attempt on a fresh flag or visit of school 1000000002)', () => {
  for (const [field, entry] of Object.entries(MUTATIONS)) {
    const roles = rolesOf(entry);
    it(`${field}: ${roles.map((r) => `${r} ${entry.expect[r]}`).join(', ')}`, async () => {
      for (const role of roles) {
        const outcome = entry.expect[role] as Outcome;
        const label = `${field} as ${role} (${outcome})`;
        const vars = await entry.prepare();
        const before = await entry.state(vars);
        const r = await run(role, entry.document, vars);
        const after = await entry.state(vars);
        expectNoForeignSchool(role, field, r);
        switch (outcome) {
          case 'ALLOW': {
            expect(errorsOf(r), label).toEqual([]);
            const result = r.data?.[field] as Record<string, unknown>;
            if (entry.allowed) entry.allowed(result);
            else expect(result, label).toMatchObject({ schoolCode: SUBJECT });
            if (entry.after) {
              expect(result.status, label).toBe(entry.after);
              expect((result.history as { username: string }[]).at(-1)?.username, label).toBe(
                VIEWER[role].username,
              );
            }
            expect(after, `${label}: state changed`).not.toEqual(before);
            break;
          }
          case 'FORBIDDEN':
          case 'NOT_FOUND': {
            expect(r.errors?.[0]?.extensions?.code, label).toBe(outcome);
            expect(r.data, label).toBeNull();
            expect(after, `${label}: state unchanged`).toEqual(before);
            // NOT_FOUND: a foreign thing reads like a missing one. FORBIDDEN (a role that may
            // not act at all): the refusal does not depend on whether the thing exists.
            const missing = await run(role, entry.document, entry.missing);
            expect(errorsOf(r), `${label}: like a missing one`).toEqual(errorsOf(missing));
            break;
          }
          case 'SKIPPED': {
            expect(errorsOf(r), label).toEqual([]);
            expect(after, `${label}: state unchanged`).toEqual(before);
            const missing = await run(role, entry.document, entry.missing);
            const skips = (x: typeof r) =>
              (x.data?.[field] as { skipped: { reason: string; message: string }[] }).skipped.map(
                ({ reason, message }) => ({ reason, message }),
              );
            expect(skips(r), `${label}: like a missing one`).toEqual(skips(missing));
            break;
          }
          default:
            throw new Error(`${label}: not an outcome for a mutation`);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------

describe('a school that was the 督学’s in the flag’s month but is not now', () => {
  // 1000000003 was DX01's in 2025-09 and is DX02's from 2025-10: DX01 still sees its
  // 2025-09 flags and visits (README: visible in the flag's month or now) but acts on
  // neither; both answers are FORBIDDEN (the flag is no secret to them), nothing changes.
  it('dx01 reads the 2025-09 flag with no allowed step, and every step is FORBIDDEN', async () => {
    const flagId = await seedFlag('1000000003', '2025-09', 'OPEN');
    const read = await run(
      'dx01',
      `query ($id: ID!) { flag(id: $id) { schoolCode allowedSteps } }`,
      {
        id: flagId,
      },
    );
    expect(read).toMatchObject({
      data: { flag: { schoolCode: '1000000003', allowedSteps: [] } },
      errors: undefined,
    });
    for (const field of ['requestRectification', 'dismissFlag']) {
      const entry = MUTATIONS[field] as MutationEntry;
      const before = await flagState({ flagId });
      const r = await run('dx01', entry.document, { flagId });
      expect(r.errors?.[0]?.extensions?.code, field).toBe('FORBIDDEN');
      expect(await flagState({ flagId }), field).toEqual(before);
    }
  });

  it('dx01 cannot record a visit dated 2025-09 there (FORBIDDEN), nothing written', async () => {
    const before = await visitState();
    const r = await run('dx01', MUTATIONS.recordVisit?.document as string, {
      input: {
        schoolCode: '1000000003',
        date: '2025-09-20',
        kind: 'ROUTINE',
        checklist: [],
        findings: '补记九月检查',
      },
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await visitState()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------

describe('anonymous (no session), over HTTP', () => {
  let server: Server;
  let url = '';
  let stopApollo: () => Promise<void> = () => Promise.resolve();
  beforeAll(async () => {
    const config = { ...serverConfigFromEnv({}), port: 0, dbPath: ':memory:' };
    const { app, apollo } = await createApp({
      warehouse: fx.warehouse,
      writer: fx.writer,
      config,
      auth: authConfigFromEnv({}, { https: false }),
      log: pino({ level: 'silent' }),
      policy: loadPolicy(),
      now: () => NOW,
    });
    stopApollo = () => apollo.stop();
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await stopApollo();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  });

  async function post(query: string, variables?: Vars) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
    };
  }

  it('answers every query UNAUTHENTICATED (401) without data', async () => {
    for (const [field, entry] of Object.entries(QUERIES)) {
      const r = await post(entry.document, entry.variables?.(seeds));
      expect(r.status, field).toBe(401);
      expect(r.body.errors?.[0]?.extensions?.code, field).toBe('UNAUTHENTICATED');
      expect(r.body.data, field).toBeUndefined();
    }
  });

  it('answers every mutation UNAUTHENTICATED (401) and changes nothing', async () => {
    for (const [field, entry] of Object.entries(MUTATIONS)) {
      const vars = await entry.prepare();
      const before = await entry.state(vars);
      const r = await post(entry.document, vars);
      expect(r.status, field).toBe(401);
      expect(r.body.errors?.[0]?.extensions?.code, field).toBe('UNAUTHENTICATED');
      expect(r.body.data, field).toBeUndefined();
      expect(await entry.state(vars), field).toEqual(before);
    }
  });
});
