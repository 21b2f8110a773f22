/**
 * The aggregates (server/db/export/aggregates/*.sql) must run unchanged on Trino, Spark SQL
 * and MotherDuck as on DuckDB: they read plain table names (the exported tables) and use
 * ANSI constructs only. This test fails on DuckDB-only syntax from the list below, naming
 * the file, line and construct.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DERIVED_TABLES, EXPORTED_TABLES } from '../../../../server/db/export/export-tables.ts';
import { AGGREGATES, AGGREGATES_DIR } from '../../../../server/db/export/national-reader.ts';
import { PRIORITY_GROUPS } from '../../../../server/db/vocabulary/priority-groups.ts';

/** DuckDB (or engine-specific) syntax, each with what to write instead. */
export const NOT_PORTABLE: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /::/u, why: 'x::TYPE cast: write CAST(x AS TYPE)' },
  {
    pattern: /\bread_\w+\s*\(|\bglob\s*\(|\bparquet_\w+\s*\(/iu,
    why: 'file functions: read plain tables',
  },
  { pattern: /\bFILTER\s*\(/iu, why: 'aggregate FILTER: write SUM(CASE WHEN … THEN 1 ELSE 0 END)' },
  { pattern: /\b(?:GROUP|ORDER)\s+BY\s+ALL\b/iu, why: 'GROUP/ORDER BY ALL: name the columns' },
  { pattern: /\bBY\s+NAME\b/iu, why: 'UNION BY NAME' },
  { pattern: /\*\s*(?:EXCLUDE|REPLACE|RENAME)\b|\bCOLUMNS\s*\(/iu, why: 'star modifiers' },
  { pattern: /\bQUALIFY\b/iu, why: 'QUALIFY: filter a window in an outer query' },
  { pattern: /\bSAMPLE\b|\bPIVOT\b|\bUNPIVOT\b|\bASOF\b|\bPOSITIONAL\b/iu, why: 'DuckDB clauses' },
  {
    pattern:
      /\b(?:list|list_\w+|array_\w+|struct_\w+|map_\w+|string_agg|group_concat|any_value|arg_max|arg_min|max_by|min_by|count_if|countif|bool_or|bool_and|first|last|median|quantile\w*|mode|histogram|unnest|generate_series|range)\s*\(/iu,
    why: 'engine-specific aggregate or list function',
  },
  {
    pattern:
      /\b(?:strftime|strptime|date_diff|datediff|date_sub|date_add|date_trunc|date_part|datepart|last_day|make_date|make_timestamp|epoch\w*|today|now|age|to_timestamp|dayname|monthname|time_bucket)\s*\(/iu,
    why: 'date functions differ between engines: compare with district_months columns',
  },
  {
    pattern:
      /\b(?:ifnull|nvl|iif|if|try_cast|try|printf|format|regexp_\w+|concat_ws|split_part|string_split|starts_with|ends_with|contains|prefix|suffix|len|strlen|hash|md5|sha256)\s*\(/iu,
    why: 'engine-specific scalar function: use CASE, COALESCE, NULLIF, CAST',
  },
  {
    pattern: /\bI?LIKE\b|\bSIMILAR\s+TO\b|\bGLOB\b/iu,
    why: 'pattern matching differs: compare values',
  },
  {
    pattern:
      /\bAS\s+(?:VARCHAR|TEXT|STRING|HUGEINT|UBIGINT|UINTEGER|UTINYINT|TINYINT|JSON|UUID|BLOB)\b/iu,
    why: 'engine-specific type',
  },
  {
    pattern: /[{}[\]`$]|->|\/\/|\*\*/u,
    why: 'struct, list, lambda, backtick, parameter or operator of one engine',
  },
  { pattern: /"/u, why: 'quoted identifiers: the tables and columns need no quotes' },
  {
    pattern: /\b(?:main|memory|kehou)\./iu,
    why: 'a schema or catalogue prefix: plain table names only',
  },
  { pattern: /\bLIMIT\b|\bOFFSET\b/iu, why: 'the aggregates return whole results' },
  { pattern: /;/u, why: 'one statement per file, no terminator (Trino rejects one)' },
];

const files = readdirSync(AGGREGATES_DIR).filter((f) => f.endsWith('.sql'));
const text = (file: string) => readFileSync(join(AGGREGATES_DIR, file), 'utf8');
/** SQL without -- comments (a comment may name a DuckDB function it stands for). */
const code = (file: string) => text(file).replace(/--.*$/gmu, '');

describe('the national aggregates are portable SQL', () => {
  it('lists every file the runner knows, and no other', () => {
    expect(files.map((f) => f.replace(/\.sql$/u, '')).sort()).toEqual([...AGGREGATES].sort());
  });

  it.each(files)('%s uses no DuckDB-only syntax', (file) => {
    const found: string[] = [];
    code(file)
      .split('\n')
      .forEach((line, i) => {
        for (const { pattern, why } of NOT_PORTABLE)
          if (pattern.test(line)) found.push(`${file}:${i + 1}: ${line.trim()} — ${why}`);
      });
    expect(found).toEqual([]);
  });

  it.each(files)('%s reads exported tables by their plain names', (file) => {
    const sql = code(file);
    const ctes = new Set([...sql.matchAll(/\b(\w+)\s+AS\s*\(/giu)].map((m) => m[1]?.toLowerCase()));
    const exported = new Set([
      ...EXPORTED_TABLES.map((t) => t.table),
      ...Object.keys(DERIVED_TABLES),
    ]);
    const read = [...sql.matchAll(/\b(?:FROM|JOIN)\s+([\w.]+)/giu)].map((m) => m[1] as string);
    expect(read.length).toBeGreaterThan(0);
    for (const table of read)
      expect({ file, table, known: ctes.has(table.toLowerCase()) || exported.has(table) }).toEqual({
        file,
        table,
        known: true,
      });
  });

  it('names the priority groups of the vocabulary, in its order', () => {
    const named = [...code('priority_groups.sql').matchAll(/'([A-Z_]+)'/gu)].map((m) => m[1]);
    expect(named).toEqual(PRIORITY_GROUPS.map((g) => g.group));
  });

  it('the list catches what it is for', () => {
    const caught = (line: string) => NOT_PORTABLE.some(({ pattern }) => pattern.test(line));
    for (const bad of [
      'SELECT x::DOUBLE',
      'count(*) FILTER (WHERE a)',
      "SELECT * FROM read_parquet('x')",
      'GROUP BY ALL',
      "strftime(d, '%Y')",
      'SELECT * EXCLUDE (a)',
      'list(x)',
      'any_value(code)',
      'SELECT a FROM main.flags',
    ])
      expect([bad, caught(bad)]).toEqual([bad, true]);
    for (const good of [
      'SELECT CAST(x AS DOUBLE) / NULLIF(y, 0)',
      'SUM(CASE WHEN a.score >= 4 THEN 1 ELSE 0 END)',
      'COALESCE(r.providers, 0) AS providers',
      'GROUP BY district, month',
    ])
      expect([good, caught(good)]).toEqual([good, false]);
  });
});
