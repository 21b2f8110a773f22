/**
 * Which units a file changes, and whether it is an older version that would undo a
 * correction.
 *
 * "Older" is judged by content, not by file names or dates in them: a file is stale when
 * its exact bytes (sha256) were loaded before and some of its units are now held by a
 * batch of a different file whose content was first loaded after this file's content was.
 * So reloading an identical file whose units are still its own is `unchanged` (unchanged.ts
 * decides that before anything is staged); a new file (a correction) never loaded before is
 * never stale; and after a forced reload of the original, the correction loads again
 * without a prompt (its content is still the newer one).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { flagCode } from '../../server/policy/flag-catalogue.ts';
import { shanghaiLocalSql, TIME_ZONE } from '../../server/db/calendar.ts';
import { lit } from '../normalize/sql-text.ts';
import type { FileResult } from './load-report.ts';

/** Units and flags listed on a result; the rest are counted. */
export const CHANGES_LISTED = 100;

/** A unit of the file whose warehouse version a newer file wrote. */
export interface StaleUnit {
  schoolCode: string | null;
  month: string | null;
  newerFile: string;
}

/** A newer file that replaced some of this file's units. */
export interface NewerFile {
  fileName: string;
  batchId: number;
  /** When it was loaded, Asia/Shanghai, "YYYY-MM-DD HH:MM". */
  loadedAt: string;
  units: number;
}

/** Why a file was refused: loading it would undo newer versions of its units. */
export interface StaleConflict {
  units: number;
  newer: NewerFile[];
  /** The first CHANGES_LISTED units concerned. */
  sample: StaleUnit[];
}

/** A unit the load writes, with the version it replaces (null: the unit is new). */
export interface ChangedUnit {
  schoolCode: string | null;
  month: string | null;
  previousFile: string | null;
  previousLoadedAt: string | null;
}

/** A flag the load opened (raised or reopened) or closed (resolved by the new evidence). */
export interface ChangedFlag {
  flagId: number;
  schoolCode: string;
  month: string | null;
  code: string;
  /** The catalogue's Chinese name of the code, as users read it. */
  label: string;
  change: 'opened' | 'closed';
}

/** What a load changes: its units (new and replaced) and the flags it opens and closes. */
export interface LoadChanges {
  unitsNew: number;
  unitsReplaced: number;
  /** Replaced units first (a correction's point), then new ones; the first CHANGES_LISTED. */
  units: ChangedUnit[];
  flagsOpened: number;
  flagsClosed: number;
  /** The first CHANGES_LISTED flags opened or closed. */
  flags: ChangedFlag[];
}

const SHANGHAI = (col: string) => `strftime(${shanghaiLocalSql(col)}, '%Y-%m-%d %H:%M')`;

/** The group's files (file_no, file_name, sha256) as stg_members, for the held-units SQL. */
export async function writeMembers(
  conn: DuckDBConnection,
  members: ReadonlyArray<{ fileNo: number; fileName: string; sha256: string }>,
): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stg_members AS SELECT * FROM (VALUES ${members
      .map((m) => `(${m.fileNo}, ${lit(m.fileName)}, ${lit(m.sha256)})`)
      .join(', ')}) v(file_no, file_name, sha256)`,
  );
}

/** stg_held (file_no, school_code, month, batch_id) from a program's held-units SELECT. */
export async function writeHeld(conn: DuckDBConnection, heldSql: string): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE stg_held AS ${heldSql}`);
}

/** The group's stale files by file_no (see the module's comment for "stale"). */
export async function findStale(conn: DuckDBConnection): Promise<Map<number, StaleConflict>> {
  const reader = await conn.runAndReadAll(`WITH first_load AS (
      SELECT sha256, min(batch_id) AS first_batch FROM load_batches WHERE status = 'loaded'
      GROUP BY sha256)
    SELECT h.file_no, h.school_code, h.month, b.batch_id, b.file_name, ${SHANGHAI('b.loaded_at')} AS loaded_at
    FROM stg_held h JOIN stg_members m ON m.file_no = h.file_no
    JOIN load_batches b ON b.batch_id = h.batch_id
    JOIN first_load mine ON mine.sha256 = m.sha256
    JOIN first_load theirs ON theirs.sha256 = b.sha256
    WHERE b.sha256 <> m.sha256 AND theirs.first_batch > mine.first_batch
    ORDER BY h.file_no, h.school_code, h.month`);
  const found = new Map<number, StaleConflict>();
  for (const row of reader.getRowObjectsJS()) {
    const fileNo = Number(row.file_no);
    const conflict = found.get(fileNo) ?? { units: 0, newer: [], sample: [] };
    found.set(fileNo, conflict);
    conflict.units += 1;
    const batchId = Number(row.batch_id);
    const fileName = String(row.file_name);
    let newer = conflict.newer.find((n) => n.batchId === batchId);
    if (!newer) {
      newer = { fileName, batchId, loadedAt: String(row.loaded_at), units: 0 };
      conflict.newer.push(newer);
    }
    newer.units += 1;
    if (conflict.sample.length < CHANGES_LISTED)
      conflict.sample.push({
        schoolCode: (row.school_code as string | null) ?? null,
        month: (row.month as string | null) ?? null,
        newerFile: fileName,
      });
  }
  for (const c of found.values()) c.newer.sort((a, b) => b.batchId - a.batchId);
  return found;
}

/** The refusal's message, naming the newest file that replaced the units and when. */
export function staleMessage(fileName: string, conflict: StaleConflict): string {
  const newest = conflict.newer[0]!;
  const others = conflict.newer.length - 1;
  const zhOthers = others > 0 ? `等 ${others + 1} 个文件` : '';
  const enOthers = others > 0 ? ` and ${others} other file${others > 1 ? 's' : ''}` : '';
  return (
    `未导入：文件“${fileName}”中的 ${conflict.units} 个单元已被较新的文件“${newest.fileName}”${zhOthers}（${newest.loadedAt} 导入）替换，再次导入将撤销其中的更正。确需导入请确认（命令行加 --force）。` +
    ` / not loaded: ${conflict.units} unit${conflict.units === 1 ? '' : 's'} of "${fileName}" were since replaced by the newer file "${newest.fileName}"${enOthers} (loaded ${newest.loadedAt} ${TIME_ZONE}); loading it again would undo that correction. Confirm to load it anyway (--force on the command line).`
  );
}

/** Leaves a refused file out of the group's staged tables. */
export async function dropStaged(conn: DuckDBConnection, fileNo: number): Promise<void> {
  await conn.run(
    `DELETE FROM stg_err WHERE sheet_no IN (SELECT sheet_no FROM stg_sheets WHERE file_no = ${fileNo})`,
  );
  for (const table of ['stg', 'stg_units', 'stg_held', 'stg_members'])
    await conn.run(`DELETE FROM ${table} WHERE file_no = ${fileNo}`);
}

/** The units each file of the group writes, against the warehouse before the group. */
export async function unitChanges(
  conn: DuckDBConnection,
): Promise<Map<number, Pick<LoadChanges, 'unitsNew' | 'unitsReplaced' | 'units'>>> {
  const counts = await conn.runAndReadAll(`SELECT file_no,
      count(*) FILTER (WHERE batch_id IS NULL)::INTEGER AS fresh,
      count(*) FILTER (WHERE batch_id IS NOT NULL)::INTEGER AS replaced
    FROM stg_held GROUP BY file_no`);
  const out = new Map<number, Pick<LoadChanges, 'unitsNew' | 'unitsReplaced' | 'units'>>();
  for (const r of counts.getRowObjectsJS())
    out.set(Number(r.file_no), {
      unitsNew: Number(r.fresh),
      unitsReplaced: Number(r.replaced),
      units: [],
    });
  const listed = await conn.runAndReadAll(`SELECT h.file_no, h.school_code, h.month,
      b.file_name, ${SHANGHAI('b.loaded_at')} AS loaded_at
    FROM stg_held h LEFT JOIN load_batches b ON b.batch_id = h.batch_id
    QUALIFY row_number() OVER (PARTITION BY h.file_no
      ORDER BY h.batch_id IS NULL, h.school_code, h.month) <= ${CHANGES_LISTED}
    ORDER BY h.file_no, h.batch_id IS NULL, h.school_code, h.month`);
  for (const r of listed.getRowObjectsJS()) {
    out.get(Number(r.file_no))?.units.push({
      schoolCode: (r.school_code as string | null) ?? null,
      month: (r.month as string | null) ?? null,
      previousFile: (r.file_name as string | null) ?? null,
      previousLoadedAt: (r.loaded_at as string | null) ?? null,
    });
  }
  return out;
}

/** The flags each batch opened or closed (its events of this load), counted and listed. */
export async function flagChanges(
  conn: DuckDBConnection,
  batchIds: readonly number[],
): Promise<Map<number, Pick<LoadChanges, 'flagsOpened' | 'flagsClosed' | 'flags'>>> {
  const out = new Map<number, Pick<LoadChanges, 'flagsOpened' | 'flagsClosed' | 'flags'>>();
  if (batchIds.length === 0) return out;
  const reader = await conn.runAndReadAll(`WITH ev AS (
      SELECT e.batch_id, f.flag_id, f.school_code, f.month, f.code,
        CASE WHEN e.action = 'AUTO_RESOLVED' THEN 'closed' ELSE 'opened' END AS change
      FROM flag_events e JOIN flags f ON f.flag_id = e.flag_id
      WHERE e.batch_id IN (${batchIds.join(', ')}) AND e.action IN ('RAISED', 'REOPENED', 'AUTO_RESOLVED'))
    SELECT *, count(*) FILTER (WHERE change = 'opened') OVER (PARTITION BY batch_id) AS opened,
      count(*) FILTER (WHERE change = 'closed') OVER (PARTITION BY batch_id) AS closed
    FROM ev
    QUALIFY row_number() OVER (PARTITION BY batch_id ORDER BY change DESC, school_code, month, code) <= ${CHANGES_LISTED}
    ORDER BY batch_id, change DESC, school_code, month, code`);
  for (const r of reader.getRowObjectsJS()) {
    const id = Number(r.batch_id);
    const c = out.get(id) ?? {
      flagsOpened: Number(r.opened),
      flagsClosed: Number(r.closed),
      flags: [],
    };
    out.set(id, c);
    c.flags.push({
      flagId: Number(r.flag_id),
      schoolCode: String(r.school_code),
      month: (r.month as string | null) ?? null,
      code: String(r.code),
      label: flagCode(String(r.code))?.zh ?? String(r.code),
      change: r.change === 'closed' ? 'closed' : 'opened',
    });
  }
  return out;
}

/** Sets a result's changes from its units and its batch's flags. */
export function setChanges(
  result: FileResult,
  units: Pick<LoadChanges, 'unitsNew' | 'unitsReplaced' | 'units'> | undefined,
  flags: Pick<LoadChanges, 'flagsOpened' | 'flagsClosed' | 'flags'> | undefined,
): void {
  result.changes = {
    unitsNew: units?.unitsNew ?? 0,
    unitsReplaced: units?.unitsReplaced ?? 0,
    units: units?.units ?? [],
    flagsOpened: flags?.flagsOpened ?? 0,
    flagsClosed: flags?.flagsClosed ?? 0,
    flags: flags?.flags ?? [],
  };
}
