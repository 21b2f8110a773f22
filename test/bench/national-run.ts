/**
 * The timed half of `npm run bench -- national`, run in its own process (with peak-rss.ts
 * preloaded) so its peak memory is the aggregates' alone:
 * `node --import tsx --import ./peak-rss.ts national-run.ts <tree> <out.json>`
 * opens the national reader over <tree>, runs every aggregate once, and writes each one's
 * time and rows to <out.json>.
 */
import { writeFileSync } from 'node:fs';
import { AGGREGATES, openNationalReader } from '../../server/db/export/national-reader.ts';

const [tree, out] = process.argv.slice(2);
if (!tree || !out) {
  console.error('usage: national-run.ts <tree> <out.json>');
  process.exit(1);
}
const t0 = performance.now();
const reader = await openNationalReader([tree]);
const openMs = performance.now() - t0;
const results: Record<string, { ms: number; rows: unknown[] }> = {};
try {
  for (const name of AGGREGATES) {
    const started = performance.now();
    const rows = await reader.run(name);
    results[name] = { ms: performance.now() - started, rows };
  }
  const [count] = await reader.query('SELECT count(*) AS n FROM participation');
  const [limit] = await reader.query(
    "SELECT current_setting('memory_limit') AS memory_limit, current_setting('threads') AS threads",
  );
  writeFileSync(
    out,
    JSON.stringify({ openMs, participationRows: count?.n, settings: limit, results }),
  );
} finally {
  reader.close();
}
