/**
 * The one home of the rule "which binding each role needs": a 责任督学 is linked to a
 * 督学编号, a 学校填报员 to one school of the registry, a 学区审核员 to one township the
 * registry knows, and the district-wide roles to nothing. The `users` CLI and the GraphQL
 * user management both go through `checkBinding` (shape) and `checkBindingInRegistry`
 * (against the loaded registry), so the two can never accept different accounts.
 * Messages are bilingual and name the role only through ROLE_LABEL.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { ROLE_LABEL } from '../db/roles.ts';
import type { Role } from '../db/tables/users.table.ts';

/** A role and the links it carries, as stored in users (inspector_id, school_code, township). */
export interface Binding {
  role: Role;
  inspectorId: string | null;
  schoolCode: string | null;
  township: string | null;
}

/** What a caller typed: any link may be missing or blank. */
export interface BindingRequest {
  role: Role;
  inspectorId?: string | null | undefined;
  schoolCode?: string | null | undefined;
  township?: string | null | undefined;
}

/** The link each role needs; district-wide roles need none. */
type Link = 'inspectorId' | 'schoolCode' | 'township';
const NEEDS: Readonly<Record<Role, Link | null>> = {
  BUREAU_INSPECTOR: null,
  LEADERSHIP: null,
  SUPERVISING_INSPECTOR: 'inspectorId',
  SCHOOL_REPORTER: 'schoolCode',
  TOWNSHIP_REVIEWER: 'township',
};

/** How each link is named to people (Chinese / English, and the CLI option). */
const LINK_NAME: Readonly<
  Record<Link, { zh: string; en: string; article: string; option: string }>
> = {
  inspectorId: { zh: '督学编号', en: 'inspector id', article: 'an', option: '--inspector' },
  schoolCode: { zh: '学校标识码', en: 'school code', article: 'a', option: '--school' },
  township: { zh: '乡镇（街道）', en: 'township', article: 'a', option: '--township' },
};

const LINKS: readonly Link[] = ['inspectorId', 'schoolCode', 'township'];

/** The school code shape of the registry (学校标识码: 10 digits). */
const SCHOOL_CODE = /^\d{10}$/u;

/** Thrown for a binding that does not fit its role or the registry; the message is bilingual. */
export class BindingError extends Error {}

/** The link `role` needs, or null for a district-wide role. */
export function linkNeeded(role: Role): Link | null {
  return NEEDS[role];
}

/**
 * The binding as stored, from what was typed (trimmed, blanks as null), or a BindingError
 * naming what is missing or does not belong to the role.
 */
export function checkBinding(request: BindingRequest): Binding {
  const values: Record<Link, string | null> = {
    inspectorId: request.inspectorId?.trim() || null,
    schoolCode: request.schoolCode?.trim() || null,
    township: request.township?.trim() || null,
  };
  const needed = NEEDS[request.role];
  const label = ROLE_LABEL[request.role];
  if (needed && values[needed] === null) {
    const name = LINK_NAME[needed];
    throw new BindingError(
      `${label}须指定${name.zh}（${name.option}） / A ${request.role} needs ${name.article} ${name.en} (${name.option})`,
    );
  }
  for (const link of LINKS) {
    if (link !== needed && values[link] !== null) {
      const name = LINK_NAME[link];
      throw new BindingError(
        `${label}不能指定${name.zh}（${name.option}） / A ${request.role} takes no ${name.en} (${name.option})`,
      );
    }
  }
  if (values.schoolCode !== null && !SCHOOL_CODE.test(values.schoolCode)) {
    throw new BindingError(
      `学校标识码应为 10 位数字（收到 "${values.schoolCode}"） / A school code is 10 digits (got "${values.schoolCode}")`,
    );
  }
  if (values.township !== null && [...values.township].length > 60) {
    throw new BindingError('乡镇名称过长 / The township name is too long');
  }
  if (values.inspectorId !== null && [...values.inspectorId].length > 40) {
    throw new BindingError('督学编号过长 / The inspector id is too long');
  }
  return { role: request.role, ...values };
}

/** What the registry says of a binding: the name to show for it, when one is known. */
export interface RegistryMatch {
  /** The school's name (reporter), the inspector's (督学), or the township itself. */
  knownName: string | null;
  /** A 督学编号 not (yet) in the loaded assignments: allowed, but worth a note. */
  unknownInspector: boolean;
}

/**
 * Checks a binding against the loaded registry: a reporter's school must be in it, a
 * reviewer's township must be one it knows. A 督学编号 may precede the assignments file that
 * names it (the account is often made first), so it is only reported as unknown.
 */
export async function checkBindingInRegistry(
  db: Kysely<Database>,
  binding: Binding,
): Promise<RegistryMatch> {
  if (binding.schoolCode !== null) {
    const row = await sql<{ school_name: string }>`
      SELECT school_name FROM schools WHERE school_code = ${binding.schoolCode}
      ORDER BY batch_id DESC LIMIT 1`.execute(db);
    const name = row.rows[0]?.school_name;
    if (name === undefined) {
      throw new BindingError(
        `学校名录中没有学校标识码 ${binding.schoolCode} / The school code ${binding.schoolCode} is not in the registry`,
      );
    }
    return { knownName: name, unknownInspector: false };
  }
  if (binding.township !== null) {
    const row = await sql<{ n: number }>`
      SELECT count(*)::INTEGER AS n FROM schools WHERE township = ${binding.township}`.execute(db);
    if ((row.rows[0]?.n ?? 0) === 0) {
      throw new BindingError(
        `学校名录中没有乡镇（街道）“${binding.township}” / The registry knows no township "${binding.township}"`,
      );
    }
    return { knownName: binding.township, unknownInspector: false };
  }
  if (binding.inspectorId !== null) {
    const row = await db
      .selectFrom('inspectors')
      .where('inspector_id', '=', binding.inspectorId)
      .orderBy('batch_id', 'desc')
      .select('inspector_name')
      .limit(1)
      .executeTakeFirst();
    return { knownName: row?.inspector_name ?? null, unknownInspector: row === undefined };
  }
  return { knownName: null, unknownInspector: false };
}

/** The binding's words for the audit trail (CLI and GraphQL alike; never a password). */
export function bindingDetail(binding: Binding): string {
  const parts = [`role=${binding.role}`];
  if (binding.inspectorId) parts.push(`inspector=${binding.inspectorId}`);
  if (binding.schoolCode) parts.push(`school=${binding.schoolCode}`);
  if (binding.township) parts.push(`township=${binding.township}`);
  return parts.join('; ');
}
