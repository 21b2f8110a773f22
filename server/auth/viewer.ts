import type { Role } from '../db/tables/users.table.ts';

/** The signed-in user as every request sees it. Never carries the password hash. */
export interface Viewer {
  userId: number;
  username: string;
  name: string;
  role: Role;
  /** 督学编号 of a supervising inspector (their remit comes from the assignments). */
  inspectorId: string | null;
  /** 学校标识码 a school reporter is bound to; null for every other role. */
  schoolCode: string | null;
  /** The township a township reviewer reviews; null for every other role. */
  township: string | null;
  /** sha256 of the session token, to sign this session out. */
  sessionHash: string;
}

/** Roles that see every school of the district. */
export function isDistrictWide(role: Role): boolean {
  return role === 'BUREAU_INSPECTOR' || role === 'LEADERSHIP';
}
