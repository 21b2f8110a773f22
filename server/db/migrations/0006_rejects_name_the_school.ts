/**
 * A reject names its school as well as its code: the code the row gives (or the school its
 * name resolves to) and the registry's name for it, else the row's own 学校名称.
 *
 * The table is rebuilt rather than altered (DuckDB 1.5.6 cannot replay ALTER TABLE from its
 * WAL; see 0005_drop_login_lock.ts). The rows are copied in rowid order, so the order the
 * load history and the downloads read them in (by rowid) stays the file's order.
 */
import type { Migration } from '../migrate.ts';

export const rejectsNameTheSchool: Migration = {
  version: 6,
  name: 'load_rejects with the school code and name',
  statements: [
    `CREATE TABLE load_rejects_v6 (
      batch_id INTEGER NOT NULL,
      sheet VARCHAR,
      row_number INTEGER,
      column_name VARCHAR,
      value VARCHAR,
      reason_code VARCHAR NOT NULL,
      reason_zh VARCHAR NOT NULL,
      reason_en VARCHAR NOT NULL,
      school_code VARCHAR,
      school_name VARCHAR
    )`,
    `INSERT INTO load_rejects_v6 (batch_id, sheet, row_number, column_name, value, reason_code,
        reason_zh, reason_en)
      SELECT batch_id, sheet, row_number, column_name, value, reason_code, reason_zh, reason_en
      FROM load_rejects ORDER BY rowid`,
    `DROP TABLE load_rejects`,
    `ALTER TABLE load_rejects_v6 RENAME TO load_rejects`,
  ],
};
