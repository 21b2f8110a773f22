/**
 * Planted breaks against the flags the load raised, rule by rule, so a reader sees the
 * benchmark loads realistic reports (a few % of school-months flagged) and that every
 * planted break, and nothing else, was flagged.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Report flags in the warehouse per rule id. */
export async function raisedFlags(conn: DuckDBConnection): Promise<Record<string, number>> {
  const reader = await conn.runAndReadAll(
    `SELECT rule, count(*)::INTEGER AS n FROM flags WHERE source = 'report' GROUP BY rule`,
  );
  return Object.fromEntries(
    reader.getRowObjectsJS().map((r) => [String(r.rule), Number(r.n)] as const),
  );
}

/** The table's lines; `schoolMonths` is what the plan covered (for the share). */
export function tallyLines(
  planted: Record<string, number>,
  raised: Record<string, number>,
  schoolMonths: number,
): string[] {
  const rules = [...new Set([...Object.keys(planted), ...Object.keys(raised)])].sort();
  const lines = [`${'rule'.padEnd(38)} ${'planted'.padStart(9)} ${'raised'.padStart(9)}`];
  let p = 0;
  let r = 0;
  for (const rule of rules) {
    const a = planted[rule] ?? 0;
    const b = raised[rule] ?? 0;
    p += a;
    r += b;
    lines.push(
      `${rule.padEnd(38)} ${a.toLocaleString('en').padStart(9)} ${b.toLocaleString('en').padStart(9)}${a === b ? '' : '   ≠'}`,
    );
  }
  const share = (n: number) => `${((100 * n) / Math.max(1, schoolMonths)).toFixed(1)} %`;
  lines.push(
    `${'total'.padEnd(38)} ${p.toLocaleString('en').padStart(9)} ${r.toLocaleString('en').padStart(9)}` +
      `   (${share(p)} planted, ${share(r)} flagged of ${schoolMonths.toLocaleString('en')} school-months)`,
  );
  lines.push(
    r === p && rules.every((x) => (planted[x] ?? 0) === (raised[x] ?? 0))
      ? 'every planted break was flagged, and nothing else'
      : 'MISMATCH: planted and raised differ (≠ above)',
  );
  return lines;
}
