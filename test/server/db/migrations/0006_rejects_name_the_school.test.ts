/**
 * Migration 6 rebuilds load_rejects with the school's code and name: a warehouse at
 * version 5 keeps every reject, in the same rowid order (the order the load history and the
 * downloads read), with no school for the old rows.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/db/migrate.ts';
import { migrations } from '../../../../server/db/migrations/index.ts';

describe('migration 0006 (rejects name the school)', () => {
  it('keeps the old rejects in rowid order and adds school_code and school_name', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await conn.run(`CREATE TABLE schema_migrations (
        version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      for (const m of migrations.filter((x) => x.version <= 5)) {
        for (const statement of m.statements) await conn.run(statement);
        await conn.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          m.version,
          m.name,
        ]);
      }
      // Recorded in the file's order, which is not the order of the row numbers.
      await conn.run(`INSERT INTO load_rejects (batch_id, sheet, row_number, column_name, value,
          reason_code, reason_zh, reason_en) VALUES
        (7, '月报', 9, '参加人数', '-1', 'NEGATIVE', '不能为负数', 'must not be negative'),
        (7, '月报', 3, '学校标识码', 'x', 'BAD_CODE', '标识码无效', 'invalid code'),
        (7, '月报', 5, '上学天数', '', 'BLANK', '不能为空', 'must not be blank')`);
      expect(await migrate(conn)).toContain(6);
      const rows = await conn.runAndReadAll(
        'SELECT row_number, value, school_code, school_name FROM load_rejects ORDER BY rowid',
      );
      expect(rows.getRowObjectsJS()).toEqual([
        { row_number: 9, value: '-1', school_code: null, school_name: null },
        { row_number: 3, value: 'x', school_code: null, school_name: null },
        { row_number: 5, value: '', school_code: null, school_name: null },
      ]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
