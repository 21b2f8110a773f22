/**
 * The flags fixture district (test/fixtures/flags/): six schools, one of each stage plus a
 * primary that opens in 2025-11, with monthly and grade rows on both sides of every rule's
 * boundary. Helpers load it under a given policy and clock, write corrected monthly files
 * (the fixture rows with some cells changed) and read flags and events back.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { exitCode, loadPaths, type LoadSummary } from '../../../etl/index.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { storePolicyFileOn } from '../../../server/policy/policy-store.ts';
import { query, type Row } from '../../helpers/with-warehouse.ts';

export const flagFixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/flags/${name}`, import.meta.url));

export const REGISTRY = flagFixture('学校名录.csv');
export const MONTHLY = flagFixture('月报.csv');
export const PARTICIPATION = flagFixture('分年级参与情况.csv');
export const FIXTURES = [REGISTRY, MONTHLY, PARTICIPATION];

/** After the 2025-11 reports' deadline (2025-12-05 23:59:59 Asia/Shanghai). */
export const AFTER_NOVEMBER = new Date('2025-12-06T00:00:00+08:00');

export const S1 = '3200000001'; // primary, every value on the allowed side
export const S2 = '3200000002'; // primary, every value just over
export const S3 = '3200000003'; // junior
export const S4 = '3200000004'; // nine-year
export const S5 = '3200000005'; // complete secondary
export const S6 = '3200000006'; // primary, opens 2025-11-01

/** A policy file of one version (v1, from 2025-09) changing `changes`; more versions after. */
export function policyText(
  changes: Record<string, unknown> = {},
  later: ReadonlyArray<Record<string, unknown>> = [],
): string {
  return stringify({
    district: '测试区',
    versions: [
      { version: 'v1', effective_from: '2025-09', source: '测试区课后服务实施方案', ...changes },
      ...later,
    ],
  });
}

export interface FlagDistrict {
  warehouse: Warehouse;
  /** Loads files (default: the three fixtures) and checks nothing was rejected. */
  load(paths?: readonly string[], options?: { now?: Date; dryRun?: boolean }): Promise<LoadSummary>;
  /** Writes a monthly CSV of fixture rows with cells changed, e.g. {S2, '2025-10', {最晚结束时间: '17:50'}}. */
  monthly(name: string, rows: ReadonlyArray<Correction>): Promise<string>;
  /** Writes any file into the district's temp folder. */
  file(name: string, text: string): Promise<string>;
  flags(where?: string): Promise<Row[]>;
  events(where?: string): Promise<Row[]>;
  sql(statement: string): Promise<Row[]>;
  close(): Promise<void>;
}

export interface Correction {
  school: string;
  month: string;
  set?: Record<string, string>;
}

const MONTHLY_LINES = readFileSync(MONTHLY, 'utf8').trim().split('\n');
const HEADER = (MONTHLY_LINES[0] ?? '').split(',');

function correctedLine({ school, month, set = {} }: Correction): string {
  const line = MONTHLY_LINES.find((l) => l.startsWith(`${school},`) && l.includes(`,${month},`));
  if (!line) throw new Error(`no fixture row ${school} ${month}`);
  const cells = line.split(',');
  for (const [header, value] of Object.entries(set)) {
    const i = HEADER.indexOf(header);
    if (i < 0) throw new Error(`no column ${header}`);
    cells[i] = value;
  }
  return cells.join(',');
}

/** A fresh in-memory warehouse; `policy` (YAML text) is stored first when given. */
export async function openFlagDistrict(policy?: string): Promise<FlagDistrict> {
  const warehouse = await openWarehouse(':memory:');
  const dir = await mkdtemp(join(tmpdir(), 'kehou-flags-'));
  if (policy !== undefined) {
    const conn = await warehouse.connect();
    try {
      await storePolicyFileOn(conn, {
        text: policy,
        fileName: 'test-policy.yaml',
        loadedBy: 'test',
      });
    } finally {
      conn.closeSync();
    }
  }
  const sql = (statement: string) => query(warehouse, statement);
  return {
    warehouse,
    async load(paths = FIXTURES, options = {}) {
      const summary = await loadPaths(warehouse, paths, {
        user: 'test',
        now: options.now ?? AFTER_NOVEMBER,
        dryRun: options.dryRun ?? false,
      });
      if (exitCode(summary) !== 0 || summary.flagsError)
        throw new Error(`load failed: ${JSON.stringify(summary)}`);
      return summary;
    },
    async monthly(name, rows) {
      const path = join(dir, name);
      await writeFile(path, [HEADER.join(','), ...rows.map(correctedLine)].join('\n') + '\n');
      return path;
    },
    async file(name, text) {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    flags: (where = 'TRUE') =>
      sql(`SELECT school_code, month, code, rule, status, resolution, observed, threshold,
          policy_version, detail, evidence_batch_id, raised_by, source
        FROM flags WHERE ${where} ORDER BY school_code, month, rule`),
    events: (where = 'TRUE') =>
      sql(`SELECT f.school_code, f.month, f.rule, e.action, e.from_status, e.to_status,
          e.username, e.user_name, e.note, e.batch_id
        FROM flag_events e JOIN flags f USING (flag_id) WHERE ${where}
        ORDER BY e.event_id`),
    sql,
    async close() {
      await warehouse.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Flags as [school, month, rule] triples, for set comparisons. */
export function keys(rows: readonly Row[]): string[] {
  return rows.map((r) => `${String(r.school_code)} ${String(r.month)} ${String(r.rule)}`);
}
