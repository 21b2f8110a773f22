import type { Generated, Selectable } from 'kysely';

export type Role =
  | 'BUREAU_INSPECTOR'
  | 'SUPERVISING_INSPECTOR'
  | 'LEADERSHIP'
  | 'SCHOOL_REPORTER'
  | 'TOWNSHIP_REVIEWER';

/** Dashboard users; password_hash is argon2id (PHC string). */
export interface UsersTable {
  user_id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  /** 督学编号 linking a supervising inspector to the assignments files. */
  inspector_id: string | null;
  /** 学校标识码 a school reporter is bound to (their only school). */
  school_code: string | null;
  /** 乡镇（街道） a township reviewer reviews (the registry's township name). */
  township: string | null;
  password_hash: string;
  disabled: Generated<boolean>;
  created_at: Generated<string | Date>;
  updated_at: Generated<string | Date>;
}
export type User = Selectable<UsersTable>;

/** Server-side sessions; only the sha256 of the cookie's token is stored. */
export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Generated<string | Date>;
  last_seen_at: Generated<string | Date>;
  /** Absolute expiry; idle expiry is judged from last_seen_at. */
  expires_at: string | Date;
  ip: string | null;
  user_agent: string | null;
}
export type Session = Selectable<SessionsTable>;

/** Sign-ins and every change a user makes. Never holds passwords or pupils' data. */
export interface AuditLogTable {
  audit_id: Generated<number>;
  occurred_at: Generated<string | Date>;
  user_id: number | null;
  username: string | null;
  action: string;
  target: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  detail: string | null;
  ip: string | null;
}
