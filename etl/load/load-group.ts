/**
 * Loads a group — every unit of one report kind that a run loads in a row — with its SQL
 * planned once: stage every file into stg_raw → validate (set-based) → then ONE transaction
 * that replaces the accepted units of every file (a later file's version of a unit wins),
 * records one batch per file with its rejects and judges the flags of everything the group
 * touched → commit, then checks the warehouse really holds what we report.
 *
 * Each file keeps its own batch, counts and rejects. A file whose rows cannot be read is
 * left out of the group with its error; any warehouse error rolls the whole group back and
 * the caller loads its files one by one, so a failing file leaves the warehouse as it was
 * and the others still load.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { judgeLoadedDoubts } from '../doubts/judge-doubts.ts';
import { judgeBatches, type LoadedBatch } from '../flags/evaluate.ts';
import type { FlagCounts } from '../flags/flag-counts.ts';
import type { JudgeOptions } from '../flags/judge.ts';
import { lit } from '../normalize/sql-text.ts';
import { programFor } from '../reports/programs.ts';
import type { ReportKind } from '../reports/report-kind.ts';
import { readByBatch } from './apply.ts';
import type { GroupFile, KindProgram } from './kind-program.ts';
import { stageUnit, type LoadUnit, type StagedUnit } from './load-unit.ts';
import {
  countRejects,
  listRejects,
  recordRejects,
  stageRejects,
  type RejectBudget,
  type RejectSink,
} from './group-rejects.ts';
import { emptyResult, type FileResult } from './load-report.ts';
import { SourceError } from './open-source.ts';
import type { ProgressTracker } from './progress.ts';
import { guardReviewedUnits, LOCKED_TABLE, recordReviewEffects } from './review-guards.ts';
import { GroupStager } from './stage-group.ts';
import { CsvReadError } from './stage-csv.ts';
import {
  dropStaged,
  findStale,
  flagChanges,
  setChanges,
  staleMessage,
  unitChanges,
  writeHeld,
  writeMembers,
  type LoadChanges,
} from './unit-changes.ts';

export interface GroupOptions {
  user: string;
  dryRun: boolean;
  judge: JudgeOptions;
  progress: ProgressTracker;
  /** The load's rejects still to be listed on results (the rest are counted). */
  rejectBudget: RejectBudget;
  /** Where every reject goes as CSV, when asked for (`etl load --rejects`). */
  rejectSink?: RejectSink;
  /** Load a file even when newer files replaced its units since it was loaded (unit-changes.ts). */
  force?: boolean;
  /**
   * A school's own upload (学校填报员): rows of any other school are rejected (OTHER_SCHOOL),
   * the rest load (review-guards.ts).
   */
  onlySchool?: string;
  /** Test hook: called after the apply step and the flags, before commit. */
  beforeCommit?: () => void | Promise<void>;
}

/** Temp tables a group leaves besides the stager's. */
const TEMP_TABLES = [
  'stg_layout',
  'stg',
  'stg_err',
  'stg_units',
  'stg_apply',
  'stg_items',
  'stg_item_map',
  'stg_files',
  'stg_rejects',
  'stg_reject_cols',
  'stg_members',
  'stg_held',
  LOCKED_TABLE,
];

async function dropTempTables(conn: DuckDBConnection): Promise<void> {
  for (const table of TEMP_TABLES)
    await conn.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
}

interface Member {
  unit: LoadUnit;
  fileNo: number;
  staged: StagedUnit;
  result: FileResult;
}

/**
 * Loads `units` (one kind, in load order) as one group; returns one result per unit, in the
 * same order. Throws on a warehouse error, after rolling back: nothing of the group stays.
 */
export async function loadGroup(
  conn: DuckDBConnection,
  kind: ReportKind,
  units: readonly LoadUnit[],
  options: GroupOptions,
): Promise<FileResult[]> {
  const results = units.map((u) => {
    const r = emptyResult(u.path, kind);
    r.sheets = u.sheets.map((s) => s.name);
    if (u.warnings.length > 0) r.warnings = [...u.warnings];
    return r;
  });
  const stager = await GroupStager.open(conn, { copyCsv: units.length > 1 });
  try {
    let members: Member[] = [];
    for (const [fileNo, unit] of units.entries()) {
      options.progress.enter('reading', unit.path);
      try {
        const staged = await stageUnit(stager, unit, fileNo, (n) => options.progress.addRows(n));
        members.push({ unit, fileNo, staged, result: results[fileNo]! });
      } catch (error) {
        // The file's fault, found while staging: a CSV line DuckDB cannot read, or a workbook
        // read that failed while streaming (the reader's limits or its worker's death).
        if (!(error instanceof CsvReadError || error instanceof SourceError)) throw error;
        results[fileNo]!.error = error.message;
        await stager.dropFile(fileNo);
      }
    }
    if (members.length === 0) return results;
    let part: string | null = null;
    const width = await stager.finish();
    options.progress.enter('validating');
    const program = programFor(kind, options.judge.now);
    const validated = await program.validate(conn, {
      width,
      sheets: members.flatMap((m) => m.staged.sheets),
    });
    // Rows of another school (a school's upload) and of units locked by review are rejected.
    const locked = await guardReviewedUnits(conn, kind, options.onlySchool ?? null);
    // Which version of each unit the warehouse holds now: an older file is refused (unless
    // forced) before it could undo a correction; the others learn what they replace.
    await writeMembers(
      conn,
      members.map((m) => ({ fileNo: m.fileNo, fileName: m.unit.fileName, sha256: m.unit.sha256 })),
    );
    await writeHeld(conn, program.heldUnitsSql());
    if (!options.force) {
      const stale = await findStale(conn);
      for (const [fileNo, conflict] of stale) {
        const m = members.find((x) => x.fileNo === fileNo)!;
        m.result.error = staleMessage(m.unit.fileName, conflict);
        m.result.conflict = conflict;
        await dropStaged(conn, fileNo);
      }
      members = members.filter((m) => !stale.has(m.fileNo));
      if (members.length === 0) return results;
    }
    const changes = await unitChanges(conn);
    const bad = await countFiles(conn, members);
    if (bad > 0) {
      await stageRejects(conn, program, validated);
      const resultOf = new Map(members.map((m) => [m.fileNo, m.result]));
      await listRejects(conn, resultOf, options.rejectBudget);
      await countRejects(conn, resultOf);
      if (options.rejectSink)
        part = await options.rejectSink.write(
          conn,
          new Map(members.map((m) => [m.fileNo, m.unit.path])),
        );
    }
    options.progress.enter('writing');
    await writeGroup(conn, program, members, bad > 0, options, changes, locked);
    if (part !== null) options.rejectSink?.keep(part);
  } finally {
    await stager.drop();
    await dropTempTables(conn);
  }
  return results;
}

/** Fills each member's counts; returns the number of rejected rows in the group. */
async function countFiles(conn: DuckDBConnection, members: readonly Member[]): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT f.file_no,
      coalesce(s.staged, 0)::INTEGER AS staged, coalesce(s.skipped, 0)::INTEGER AS skipped,
      coalesce(u.ok_rows, 0)::INTEGER AS ok_rows, coalesce(u.bad_rows, 0)::INTEGER AS bad_rows,
      coalesce(u.ok_units, 0)::INTEGER AS ok_units, coalesce(u.bad_units, 0)::INTEGER AS bad_units
    FROM (SELECT DISTINCT file_no FROM stg_sheets) f
    LEFT JOIN (SELECT file_no, count(*) AS staged, count(*) FILTER (WHERE skip IS NOT NULL) AS skipped
      FROM stg GROUP BY file_no) s ON s.file_no = f.file_no
    LEFT JOIN (SELECT file_no, sum(n) FILTER (WHERE NOT rejected) AS ok_rows,
        sum(n) FILTER (WHERE rejected) AS bad_rows,
        count(*) FILTER (WHERE NOT rejected) AS ok_units, count(*) FILTER (WHERE rejected) AS bad_units
      FROM stg_units GROUP BY file_no) u ON u.file_no = f.file_no`);
  const byFile = new Map(reader.getRowObjectsJS().map((r) => [Number(r.file_no), r]));
  let bad = 0;
  for (const m of members) {
    const row = byFile.get(m.fileNo) ?? {};
    const r = m.result;
    r.rowsRead = Number(row.staged ?? 0) + m.staged.extraSkipped;
    r.rowsSkipped = Number(row.skipped ?? 0) + m.staged.extraSkipped;
    r.rowsLoaded = Number(row.ok_rows ?? 0);
    r.rowsRejected = Number(row.bad_rows ?? 0);
    r.unitsLoaded = Number(row.ok_units ?? 0);
    r.unitsRejected = Number(row.bad_units ?? 0);
    bad += r.rowsRejected;
  }
  return bad;
}

/** `n` batch ids in ascending order, so batches follow the files' order. */
async function nextBatchIds(conn: DuckDBConnection, n: number): Promise<number[]> {
  const reader = await conn.runAndReadAll(
    `SELECT nextval('load_batch_seq')::INTEGER AS id FROM range(${n})`,
  );
  return reader
    .getRowObjectsJS()
    .map((r) => Number(r.id))
    .sort((a, b) => a - b);
}

function batchRow(m: Member, batchId: number, user: string, kind: ReportKind): string {
  const r = m.result;
  return `(${[
    batchId,
    lit(m.unit.fileName),
    lit(m.unit.path),
    lit(m.unit.sha256),
    lit(kind),
    lit(m.unit.sheets.map((s) => s.name).join(',')),
    `'loaded'`,
    lit(user),
    r.rowsRead,
    r.rowsSkipped,
    r.rowsLoaded,
    r.rowsRejected,
    r.unitsLoaded,
    r.unitsRejected,
  ].join(', ')})`;
}

async function writeGroup(
  conn: DuckDBConnection,
  program: KindProgram,
  members: readonly Member[],
  hasRejects: boolean,
  options: GroupOptions,
  units: ReadonlyMap<number, Pick<LoadChanges, 'unitsNew' | 'unitsReplaced' | 'units'>>,
  locked: boolean,
): Promise<void> {
  let open = false;
  let committed = false;
  try {
    await conn.run('BEGIN TRANSACTION');
    open = true;
    const ids = await nextBatchIds(conn, members.length);
    const files: GroupFile[] = members.map((m, i) => ({
      fileNo: m.fileNo,
      batchId: ids[i]!,
      fileName: m.unit.fileName,
    }));
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stg_files AS SELECT * FROM (VALUES ${files
        .map((f) => `(${f.fileNo}, ${f.batchId}, ${lit(f.fileName)})`)
        .join(', ')}) v(file_no, batch_id, file_name)`,
    );
    const applied = await program.apply(conn, files);
    const held = [...applied.byBatch.values()].reduce((a, b) => a + b, 0);
    const accepted = members.reduce((n, m) => n + m.result.rowsLoaded, 0);
    if (applied.inserted !== held || held > accepted) {
      throw new Error(`inserted ${applied.inserted} rows for ${held} kept of ${accepted} accepted`);
    }
    members.forEach((m, i) => (m.result.batchId = ids[i]!));
    await conn.run(
      `INSERT INTO load_batches (batch_id, file_name, file_path, sha256, kind, sheets, status, loaded_by,
        rows_read, rows_skipped, rows_loaded, rows_rejected, units_loaded, units_rejected)
       VALUES ${members.map((m, i) => batchRow(m, ids[i]!, options.user, program.kind)).join(', ')}`,
    );
    if (hasRejects) await recordRejects(conn);
    await recordReviewEffects(conn, program.kind, locked, options.user);
    // The staged rows are spent: free their memory before the flags are judged.
    await dropTempTables(conn);
    options.progress.enter('judging');
    const batches: LoadedBatch[] = files.map((f) => ({
      batchId: f.batchId,
      kind: program.kind,
      fileName: f.fileName,
    }));
    const flags: Map<number, FlagCounts> = await judgeBatches(conn, batches, options.judge);
    // Data doubts (数据疑点) are judged where flags are, in the same transaction.
    await judgeLoadedDoubts(conn, batches, options.judge.policy);
    const changed = await flagChanges(conn, ids);
    members.forEach((m, i) => {
      const counts = flags.get(ids[i]!);
      if (counts) m.result.flags = counts;
      setChanges(m.result, units.get(m.fileNo), changed.get(ids[i]!));
    });
    await options.beforeCommit?.();
    if (options.dryRun) {
      await conn.run('ROLLBACK');
      open = false;
      return;
    }
    await conn.run('COMMIT');
    committed = true;
    open = false;
    await verifyCommitted(conn, program, ids, applied.byBatch);
  } catch (error) {
    if (open && !committed) await conn.run('ROLLBACK').catch(() => undefined);
    for (const m of members) {
      delete m.result.batchId;
      delete m.result.flags;
      delete m.result.changes;
    }
    throw error;
  }
}

/**
 * DuckDB can report a COMMIT as successful after a failed statement yet roll everything
 * back, so the loader checks the warehouse holds the batches before it reports success.
 */
async function verifyCommitted(
  conn: DuckDBConnection,
  program: KindProgram,
  ids: readonly number[],
  expected: ReadonlyMap<number, number>,
): Promise<void> {
  const list = ids.join(', ');
  const stored = await conn.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM load_batches WHERE batch_id IN (${list})`,
  );
  const rows = await readByBatch(
    conn,
    `SELECT batch_id, count(*)::INTEGER AS n FROM ${program.countTable} WHERE batch_id IN (${list}) GROUP BY batch_id`,
  );
  const n = Number(stored.getRowObjectsJS()[0]?.n ?? 0);
  const wrong = ids.find((id) => (rows.get(id) ?? 0) !== (expected.get(id) ?? 0));
  if (n !== ids.length || wrong !== undefined) {
    throw new Error(
      `the warehouse does not hold the batches after commit (batch rows ${n} of ${ids.length}${wrong === undefined ? '' : `, batch ${wrong}: ${rows.get(wrong) ?? 0} data rows of ${expected.get(wrong) ?? 0}`})`,
    );
  }
}
