/**
 * `npm run -s warehouse -- national <导出目录 folder>... --out <结果目录 folder> [--only a,b] [--json]`
 * (dispatched by warehouse-cli.ts): runs the portable aggregates (aggregates/*.sql) with
 * DuckDB over one or more district exports and writes each result as `<name>.csv` into a new
 * or empty folder. It is what a province runs before it has a cluster, and the reference a
 * cluster's figures are checked against: the same files, unchanged (README "National scale").
 * It reads the export folders only, never a warehouse, so it runs beside a server.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { shortMessage } from '../engine-errors.ts';
import { MANIFEST_FILE } from './export-manifest.ts';
import { AGGREGATES, openNationalReader, type AggregateName } from './national-reader.ts';

export const NATIONAL_USAGE = `  npm run -s warehouse -- national <导出目录 folder>... --out <结果目录 folder> [--only ${AGGREGATES.slice(0, 2).join(',')},…] [--json]`;

class NationalCliError extends Error {}

function isAggregate(name: string): name is AggregateName {
  return (AGGREGATES as readonly string[]).includes(name);
}

function chosen(only: string | undefined): AggregateName[] {
  if (only === undefined) return [...AGGREGATES];
  const names = only.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !isAggregate(n));
  if (unknown.length > 0)
    throw new NationalCliError(
      `没有这个汇总 / no such aggregate: ${unknown.join(', ')}（可选 choose from: ${AGGREGATES.join(', ')}）`,
    );
  return names.filter(isAggregate);
}

function checkTrees(trees: readonly string[]): void {
  for (const tree of trees) {
    if (!existsSync(join(tree, MANIFEST_FILE)))
      throw new NationalCliError(
        `${tree} 不是完整的导出目录（缺少 ${MANIFEST_FILE}）/ ${tree} is not a whole export folder (no ${MANIFEST_FILE}): make it with \`npm run -s warehouse -- export <folder>\``,
      );
  }
}

function prepareOut(out: string): void {
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0))
    throw new NationalCliError(
      `结果目录须为新目录或空目录 / the result folder must be new or empty: ${out}`,
    );
  mkdirSync(out, { recursive: true });
}

export interface NationalResult {
  name: AggregateName;
  file: string;
  rows: number;
}

/** Runs the command; returns the exit status (0 done, 1 not done). */
export async function runNationalCommand(
  argv: string[],
  io: { out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  let json = false;
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        only: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    json = values.json;
    if (positionals.length === 0 || values.out === undefined)
      throw new NationalCliError(`用法 usage:\n${NATIONAL_USAGE}`);
    const trees = positionals.map((p) => resolve(p));
    const out = resolve(values.out);
    const names = chosen(values.only);
    checkTrees(trees);
    prepareOut(out);
    const reader = await openNationalReader(trees, { writeDir: out });
    const results: NationalResult[] = [];
    try {
      for (const name of names) {
        const file = join(out, `${name}.csv`);
        results.push({ name, file, rows: await reader.writeCsv(name, file) });
      }
    } finally {
      reader.close();
    }
    if (json) io.out(`${JSON.stringify({ ok: true, trees, out, results })}\n`);
    else
      io.out(
        `已汇总 ${trees.length} 个导出目录 / aggregated ${trees.length} export folder(s) into ${out}:\n${results
          .map((r) => `  ${r.name}.csv  ${r.rows.toLocaleString('en-US')} 行 rows`)
          .join('\n')}\n`,
      );
    return 0;
  } catch (error) {
    const message =
      error instanceof NationalCliError
        ? error.message
        : `汇总失败 / the aggregation failed: ${shortMessage(error)}`;
    io.err(`${message}\n`);
    if (json) io.out(`${JSON.stringify({ ok: false, error: message })}\n`);
    return 1;
  }
}
