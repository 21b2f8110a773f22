/**
 * Failed sign-ins no longer lock an account (anyone who knew a username could lock its
 * owner out); a per (username, address) throttle in the server's memory slows guessing
 * instead (server/auth/login-throttle.ts). The lock's counter and deadline go, so no stale
 * lock can be read back from an older warehouse.
 *
 * The table is rebuilt (ids, hashes and dates carried over) rather than altered: DuckDB
 * 1.5.6 cannot replay `ALTER TABLE users DROP COLUMN …` from its WAL ("GetDefaultDatabase
 * with no default database set", from re-binding the nextval/now() defaults), so a server
 * killed before its next checkpoint would leave a warehouse that no longer opens; CREATE,
 * INSERT, DROP and RENAME replay fine.
 */
import type { Migration } from '../migrate.ts';

export const dropLoginLock: Migration = {
  version: 5,
  name: 'users without the sign-in lock columns',
  statements: [
    `CREATE TABLE users_v5 (
      user_id INTEGER PRIMARY KEY DEFAULT nextval('user_seq'),
      username VARCHAR NOT NULL UNIQUE,
      display_name VARCHAR NOT NULL,
      role VARCHAR NOT NULL CHECK (role IN ('BUREAU_INSPECTOR', 'SUPERVISING_INSPECTOR', 'LEADERSHIP')),
      inspector_id VARCHAR,
      password_hash VARCHAR NOT NULL,
      disabled BOOLEAN NOT NULL DEFAULT false,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
    `INSERT INTO users_v5 (user_id, username, display_name, role, inspector_id, password_hash,
        disabled, created_at, updated_at)
      SELECT user_id, username, display_name, role, inspector_id, password_hash,
        disabled, created_at, updated_at FROM users`,
    `DROP TABLE users`,
    `ALTER TABLE users_v5 RENAME TO users`,
  ],
};
