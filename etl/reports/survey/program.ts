/**
 * Survey exports: the question columns are found in the data (every cell an answer
 * label), then the file is validated by the same SQL builder as the fixed kinds with a
 * spec made for it. The unit is the whole file; a corrected file of the same name
 * replaces the earlier one.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../../normalize/sql-text.ts';
import { ANSWER_LABELS } from '../../normalize/value-types.ts';
import { normalizeHeader } from '../../detect/normalize-header.ts';
import { buildStageSql } from '../../load/build-stage-sql.ts';
import { ACCEPTED_ROWS } from '../../load/accepted-rows.ts';
import type { KindProgram } from '../../load/kind-program.ts';
import { cellColumn, type StagedSheet, type StagedSource } from '../../load/staged-source.ts';
import type { ColumnSpec, KindSpec } from '../report-kind.ts';
import { RESPONDENTS, SURVEY_IGNORED_HEADERS, itemText } from './columns.ts';

const IGNORED = new Set(SURVEY_IGNORED_HEADERS.map(normalizeHeader));
/** A question column: at least this share of its filled cells are answer labels. */
const ITEM_SHARE = 0.8;

interface Item {
  no: number;
  text: string;
  overall: boolean;
}

async function findItems(
  conn: DuckDBConnection,
  source: StagedSource,
): Promise<{ items: Item[]; sheets: StagedSheet[] }> {
  const items = new Map<string, Item>();
  const sheets: StagedSheet[] = [];
  const labels = ANSWER_LABELS.map(([l]) => lit(l)).join(', ');
  for (const sheet of source.sheets) {
    const mapped = new Set(sheet.columns.values());
    const candidates = sheet.headerTexts
      .map((text, index) => ({ text, index }))
      .filter(
        (c) =>
          c.text.trim() !== '' && !mapped.has(c.index) && !IGNORED.has(normalizeHeader(c.text)),
      );
    const columns = new Map(sheet.columns);
    if (candidates.length > 0) {
      const measures = candidates
        .map((c) => {
          const v = `trim(${cellColumn(c.index)})`;
          return `count(nullif(${v}, ''))::INTEGER AS f${c.index}, count(*) FILTER (WHERE ${v} IN (${labels}))::INTEGER AS l${c.index}`;
        })
        .join(', ');
      const reader = await conn.runAndReadAll(
        `SELECT ${measures} FROM stg_raw WHERE ${source.sheetNoSql} = ${sheet.sheetNo} AND ${source.filterSql ?? 'TRUE'}`,
      );
      const row = reader.getRowObjectsJS()[0] ?? {};
      for (const c of candidates) {
        const filled = Number(row[`f${c.index}`] ?? 0);
        const answered = Number(row[`l${c.index}`] ?? 0);
        if (answered === 0 || answered < ITEM_SHARE * filled) continue;
        const text = itemText(c.text);
        let item = items.get(text);
        if (!item) {
          item = { no: items.size + 1, text, overall: text.includes('总体') };
          items.set(text, item);
        }
        columns.set(`item_${item.no}`, c.index);
      }
    }
    sheets.push({ ...sheet, columns });
  }
  return { items: [...items.values()], sheets };
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
  return {
    kind: 'survey',
    headerOf: (key) =>
      key.startsWith('item_') ? (items.find((i) => `item_${i.no}` === key)?.text ?? key) : key,
    async validate(conn, source) {
      const found = await findItems(conn, source);
      items = found.items;
      const extended: StagedSource = { ...source, sheets: found.sheets };
      const sql = buildStageSql(surveySpec(items), extended);
      for (const statement of sql.statements) await conn.run(statement);
      return { source: extended, rawValuesSql: sql.rawValuesSql };
    },
    async apply(conn, batchId, fileName) {
      const accepted = await conn.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM ${ACCEPTED_ROWS}`,
      );
      if (Number(accepted.getRowObjectsJS()[0]?.n ?? 0) === 0) return 0;
      // A corrected export of the same file replaces the earlier one.
      const earlier = `SELECT batch_id FROM load_batches WHERE kind = 'survey' AND file_name = ${lit(fileName)}`;
      for (const table of ['survey_answers', 'survey_responses', 'survey_items']) {
        await conn.run(`DELETE FROM ${table} WHERE batch_id IN (${earlier})`);
      }
      if (items.length > 0) {
        await conn.run(
          `INSERT INTO survey_items (batch_id, item_no, item_text, is_overall) VALUES ${items
            .map((i) => `(${batchId}, ${i.no}, ${lit(i.text)}, ${i.overall})`)
            .join(', ')}`,
        );
      }
      await conn.run(`CREATE OR REPLACE TEMP TABLE stg_items AS
        SELECT row_number() OVER (ORDER BY sheet_no, r)::INTEGER AS response_no, * FROM ${ACCEPTED_ROWS}`);
      const inserted = await conn.run(`INSERT INTO survey_responses
        (batch_id, response_no, school_code, respondent, submitted_at, month, source_sheet, source_row)
        SELECT ${batchId}, response_no, reg_code, v_respondent, v_submitted_at, strftime(v_submitted_at, '%Y-%m'), ss.name, r
        FROM stg_items a LEFT JOIN stg_sheets ss ON ss.sheet_no = a.sheet_no`);
      for (const item of items) {
        await conn.run(`INSERT INTO survey_answers (batch_id, response_no, item_no, score)
          SELECT ${batchId}, response_no, ${item.no}, v_item_${item.no} FROM stg_items WHERE v_item_${item.no} IS NOT NULL`);
      }
      return Number(inserted.rowsChanged);
    },
    countSql: (batchId) =>
      `SELECT count(*)::INTEGER AS n FROM survey_responses WHERE batch_id = ${batchId}`,
  };
}
