/**
 * The dashboard's roles and the one name each goes by, wherever a person reads it (CLI, server
 * messages, the web app through the schema's `User.roleLabel` and `roles`). The Chinese names
 * are the domain guide's (domain.md §2); a test fails on any other copy or variant.
 */
import type { Role } from './tables/users.table.ts';

export const ROLES: readonly Role[] = [
  'BUREAU_INSPECTOR',
  'SUPERVISING_INSPECTOR',
  'LEADERSHIP',
  'SCHOOL_REPORTER',
  'TOWNSHIP_REVIEWER',
];

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  BUREAU_INSPECTOR: '教育局督导',
  SUPERVISING_INSPECTOR: '责任督学',
  LEADERSHIP: '局领导',
  SCHOOL_REPORTER: '学校填报员',
  TOWNSHIP_REVIEWER: '学区审核员',
};

export const ROLE_LABEL_EN: Readonly<Record<Role, string>> = {
  BUREAU_INSPECTOR: 'bureau inspector',
  SUPERVISING_INSPECTOR: 'supervising inspector',
  LEADERSHIP: 'leadership',
  SCHOOL_REPORTER: 'school reporter',
  TOWNSHIP_REVIEWER: 'township reviewer',
};

/** "教育局督导 bureau inspector", for the CLI's bilingual lines. */
export function bilingualRole(role: Role): string {
  return `${ROLE_LABEL[role]} ${ROLE_LABEL_EN[role]}`;
}
