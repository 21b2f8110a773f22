import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { withScope, type ScopeRequest } from './scope.ts';

/** Codes of the schools in scope in any of the request's months, sorted. */
export async function visibleSchoolCodes(
  db: Kysely<Database>,
  request: ScopeRequest,
): Promise<string[]> {
  const result = await sql<{ school_code: string }>`${withScope(request)}
    SELECT DISTINCT school_code FROM scope ORDER BY school_code`.execute(db);
  return result.rows.map((r) => r.school_code);
}
