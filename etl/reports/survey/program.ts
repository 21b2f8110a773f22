/**
 * Survey exports: the question columns are found in the data (every cell an answer
 * label), then the file is validated by the same SQL builder as the fixed kinds with a
 * spec made for it. The unit is the whole file; a corrected file of the same name
 * replaces the earlier one. Item numbers are the group's in the staging SQL and each
 * file's own (from 1, in the order its columns show them) in the warehouse.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../../normalize/sql-text.ts';
import { ANSWER_LABELS } from '../../normalize/value-types.ts';
import { normalizeHeader } from '../../detect/normalize-header.ts';
import { buildStageSql } from '../../load/build-stage-sql.ts';
import { ACCEPTED_ROWS, countByBatchSql } from '../../load/accepted-rows.ts';
import { readByBatch } from '../../load/apply.ts';
import type { KindProgram } from '../../load/kind-program.ts';
import { cellColumn, type StagedSheet, type StagedSource } from '../../load/staged-source.ts';
import type { ColumnSpec, KindSpec } from '../report-kind.ts';
import { RESPONDENTS, SURVEY_IGNORED_HEADERS, itemText } from './columns.ts';

const IGNORED = new Set(SURVEY_IGNORED_HEADERS.map(normalizeHeader));
/** A question column: at least this share of its filled cells are answer labels. */
const ITEM_SHARE = 0.8;

interface Item {
  /** Number within the group (the key item_<no>); files number their own items from 1. */
  no: number;
  text: string;
  overall: boolean;
}

/** An item of one file: its own number there, as survey_items and survey_answers keep it. */
interface FileItem {
  fileNo: number;
  no: number;
  localNo: number;
  text: string;
  overall: boolean;
}

/** The file each staged sheet belongs to (stg_sheets). */
async function sheetFiles(conn: DuckDBConnection): Promise<Map<number, number>> {
  const reader = await conn.runAndReadAll('SELECT sheet_no, file_no FROM stg_sheets');
  return new Map(reader.getRowObjectsJS().map((r) => [Number(r.sheet_no), Number(r.file_no)]));
}

async function findItems(
  conn: DuckDBConnection,
  source: StagedSource,
): Promise<{ items: Item[]; fileItems: FileItem[]; sheets: StagedSheet[] }> {
  const items = new Map<string, Item>();
  const fileItems = new Map<string, FileItem>();
  const perFile = new Map<number, number>();
  const files = await sheetFiles(conn);
  const sheets: StagedSheet[] = [];
  const labels = ANSWER_LABELS.map(([l]) => lit(l)).join(', ');
  const candidatesOf = (sheet: StagedSheet) => {
    const mapped = new Set(sheet.columns.values());
    return sheet.headerTexts
      .map((text, index) => ({ text, index }))
      .filter(
        (c) =>
          c.text.trim() !== '' && !mapped.has(c.index) && !IGNORED.has(normalizeHeader(c.text)),
      );
  };
  // One scan measures every sheet's candidate columns: how many cells are filled, how many answers.
  const measured = source.sheets.flatMap((sheet) =>
    candidatesOf(sheet).map((c) => ({ sheet: sheet.sheetNo, index: c.index })),
  );
  const counts = new Map<string, { filled: number; answered: number }>();
  if (measured.length > 0) {
    const byColumn = new Map<number, number[]>();
    for (const m of measured) byColumn.set(m.index, [...(byColumn.get(m.index) ?? []), m.sheet]);
    const measures = [...byColumn.entries()]
      .map(([index, sheetNos]) => {
        const v = `trim(${cellColumn(index)})`;
        const only = `sheet_no IN (${sheetNos.join(', ')})`;
        return `count(nullif(${v}, '')) FILTER (WHERE ${only})::INTEGER AS f${index}, count(*) FILTER (WHERE ${only} AND ${v} IN (${labels}))::INTEGER AS l${index}`;
      })
      .join(', ');
    const reader = await conn.runAndReadAll(
      `SELECT sheet_no, ${measures} FROM stg_raw GROUP BY sheet_no`,
    );
    for (const row of reader.getRowObjectsJS())
      for (const index of byColumn.keys())
        counts.set(`${String(row.sheet_no)}:${index}`, {
          filled: Number(row[`f${index}`] ?? 0),
          answered: Number(row[`l${index}`] ?? 0),
        });
  }
  for (const sheet of source.sheets) {
    const fileNo = files.get(sheet.sheetNo) ?? 0;
    const columns = new Map(sheet.columns);
    for (const c of candidatesOf(sheet)) {
      const { filled, answered } = counts.get(`${sheet.sheetNo}:${c.index}`) ?? {
        filled: 0,
        answered: 0,
      };
      if (answered === 0 || answered < ITEM_SHARE * filled) continue;
      const text = itemText(c.text);
      let item = items.get(text);
      if (!item) {
        item = { no: items.size + 1, text, overall: text.includes('总体') };
        items.set(text, item);
      }
      const key = `${fileNo}:${item.no}`;
      if (!fileItems.has(key)) {
        const localNo = (perFile.get(fileNo) ?? 0) + 1;
        perFile.set(fileNo, localNo);
        fileItems.set(key, { fileNo, no: item.no, localNo, text, overall: item.overall });
      }
      columns.set(`item_${item.no}`, c.index);
    }
    sheets.push({ ...sheet, columns });
  }
  return { items: [...items.values()], fileItems: [...fileItems.values()], sheets };
}

function surveySpec(items: readonly Item[]): KindSpec {
  const itemColumns: ColumnSpec[] = items.map((item) => ({
    key: `item_${item.no}`,
    header: item.text,
    type: { kind: 'answer' },
    blankAllowed: true,
  }));
  return {
    kind: 'survey',
    columns: [
      { key: 'serial', header: '序号', type: { kind: 'text' }, optional: true, blankAllowed: true },
      {
        key: 'submitted_at',
        header: '提交答卷时间',
        type: { kind: 'timestamp' },
        optional: true,
        blankAllowed: true,
      },
      {
        key: 'school_code',
        header: '学校标识码',
        type: { kind: 'code10' },
        optional: true,
        blankAllowed: true,
      },
      {
        key: 'school_name',
        header: '学校',
        type: { kind: 'text' },
        optional: true,
        blankAllowed: true,
      },
      { key: 'respondent', header: '身份', type: { kind: 'enum', values: RESPONDENTS } },
      ...itemColumns,
    ],
    signature: ['respondent'],
    unitKeys: [],
    rowKeys: [],
    lookups: `s.school_code AS reg_code, s.school_code IS NOT NULL AS reg_known`,
    lookupJoin: `LEFT JOIN (SELECT school_name, min(school_code) AS code FROM schools GROUP BY school_name) sn
      ON sn.school_name = p.v_school_name
      LEFT JOIN schools s ON s.school_code = coalesce(p.v_school_code, sn.code)`,
    rules: [
      {
        column: 'school_code',
        code: 'UNKNOWN_SCHOOL',
        when: 'v_school_code IS NOT NULL AND NOT reg_known',
      },
      {
        column: 'school_name',
        code: 'UNKNOWN_SCHOOL_NAME',
        when: 'v_school_code IS NULL AND v_school_name IS NOT NULL AND NOT reg_known',
      },
      {
        column: 'school_name',
        code: 'REQUIRED',
        when: 'v_school_code IS NULL AND v_school_name IS NULL AND raw_school_code IS NULL',
      },
    ],
  };
}

export function surveyProgram(): KindProgram {
  let items: Item[] = [];
  let fileItems: FileItem[] = [];
  return {
    kind: 'survey',
    headerOf: (key) =>
      key.startsWith('item_') ? (items.find((i) => `item_${i.no}` === key)?.text ?? key) : key,
    async validate(conn, source) {
      const found = await findItems(conn, source);
      items = found.items;
      fileItems = found.fileItems;
      const extended: StagedSource = { ...source, sheets: found.sheets };
      const sql = buildStageSql(surveySpec(items), extended);
      for (const statement of sql.statements) await conn.run(statement);
      return { source: extended, rawValuesSql: sql.rawValuesSql };
    },
    async apply(conn, files) {
      // A file with accepted rows replaces the earlier exports of the same name (and, within
      // the group, an earlier file of that name); a file with none changes nothing.
      await conn.run(`CREATE OR REPLACE TEMP TABLE stg_items AS
        SELECT row_number() OVER (PARTITION BY a.file_no ORDER BY a.sheet_no, a.r)::INTEGER AS response_no,
          a.*, f.batch_id AS apply_batch, ss.name AS apply_sheet
        FROM ${ACCEPTED_ROWS} a JOIN stg_files f ON f.file_no = a.file_no
        LEFT JOIN stg_sheets ss ON ss.sheet_no = a.sheet_no
        WHERE a.file_no IN (
          SELECT max(f2.file_no) FROM stg_files f2
          WHERE f2.file_no IN (SELECT DISTINCT file_no FROM ${ACCEPTED_ROWS})
          GROUP BY f2.file_name)`);
      const kept = await conn.runAndReadAll(
        `SELECT DISTINCT file_no, apply_batch FROM stg_items ORDER BY file_no`,
      );
      const keptFiles = kept.getRowObjectsJS().map((r) => ({
        fileNo: Number(r.file_no),
        batchId: Number(r.apply_batch),
      }));
      if (keptFiles.length === 0) return { inserted: 0, byBatch: new Map() };
      const names = [
        ...new Set(keptFiles.map((k) => files.find((f) => f.fileNo === k.fileNo)?.fileName ?? '')),
      ];
      const earlier = `SELECT batch_id FROM load_batches WHERE kind = 'survey' AND file_name IN (${names.map(lit).join(', ')})`;
      for (const table of ['survey_answers', 'survey_responses', 'survey_items']) {
        await conn.run(`DELETE FROM ${table} WHERE batch_id IN (${earlier})`);
      }
      const batchOf = new Map(keptFiles.map((k) => [k.fileNo, k.batchId]));
      const keptItems = fileItems.filter((i) => batchOf.has(i.fileNo));
      const itemRows = keptItems.map(
        (i) => `(${batchOf.get(i.fileNo)!}, ${i.localNo}, ${lit(i.text)}, ${i.overall})`,
      );
      if (itemRows.length > 0) {
        await conn.run(
          `INSERT INTO survey_items (batch_id, item_no, item_text, is_overall) VALUES ${itemRows.join(', ')}`,
        );
      }
      const inserted = await conn.run(`INSERT INTO survey_responses
        (batch_id, response_no, school_code, respondent, submitted_at, month, source_sheet, source_row)
        SELECT apply_batch, response_no, reg_code, v_respondent, v_submitted_at, strftime(v_submitted_at, '%Y-%m'), apply_sheet, r
        FROM stg_items`);
      if (keptItems.length > 0) {
        // Each answer is stored under its file's own item number.
        await conn.run(
          `CREATE OR REPLACE TEMP TABLE stg_item_map AS SELECT * FROM (VALUES ${keptItems
            .map((i) => `(${i.fileNo}, ${i.no}, ${i.localNo})`)
            .join(', ')}) v(file_no, no, local_no)`,
        );
        const answers = [...new Set(keptItems.map((i) => i.no))].map(
          (no) => `SELECT s.apply_batch, s.response_no, m.local_no, s.v_item_${no} FROM stg_items s
            JOIN stg_item_map m ON m.file_no = s.file_no AND m.no = ${no}
            WHERE s.v_item_${no} IS NOT NULL`,
        );
        await conn.run(`INSERT INTO survey_answers (batch_id, response_no, item_no, score)
          ${answers.join('\nUNION ALL ')}`);
      }
      const byBatch = await readByBatch(conn, countByBatchSql('stg_items', 'apply_batch'));
      return { inserted: Number(inserted.rowsChanged), byBatch };
    },
    countTable: 'survey_responses',
    // An export is replaced whole by a later file of its name: its "unit" is the file.
    heldUnitsSql: () => `SELECT m.file_no, NULL::VARCHAR AS school_code, NULL::VARCHAR AS month,
        max(b.batch_id) AS batch_id
      FROM stg_members m
      LEFT JOIN load_batches b ON b.kind = 'survey' AND b.status = 'loaded' AND b.file_name = m.file_name
        AND b.batch_id IN (SELECT DISTINCT batch_id FROM survey_responses)
      WHERE m.file_no IN (SELECT DISTINCT file_no FROM ${ACCEPTED_ROWS})
      GROUP BY m.file_no`,
  };
}
