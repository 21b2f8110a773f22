/**
 * `npm run bench -- etl [--schools 10000] [--runs 3]`
 * Times the ETL against DuckDB's own read_csv of the same file, alternating the two,
 * each trial in a fresh process and a fresh warehouse file; prints medians and the ratio.
 *
 * `npm run bench -- api [--schools 10000] [--runs 200] [--warmup 10] [--fresh] [--explain]`
 * Times overview, a 24-month trend and a 100-school page through the HTTP app against
 * hand-written SQL on the same DuckDB instance (see api-bench.ts).
 *
 * `npm run bench -- web [--runs 5] [--fresh]`
 * The dashboard's first page size and sign-in → overview drawn time in headless Chromium
 * on the demo district (see web-bench.ts).
 *
 * `npm run bench -- resilience`
 * Dashboard query and /healthz latency, server memory and sign-in times while a zip bomb,
 * a 7.9-million-row workbook and a real load are uploaded (see resilience-bench.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateBenchFiles } from './generate-bench-files.ts';

interface Trial {
  ms: number;
  rows: number;
  maxRssMiB: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function trial(dir: string, args: string[]): Trial {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'etl-trial.ts'), ...args],
    {
      env: { ...process.env, KEHOU_LOG_LEVEL: 'silent' },
      cwd: process.cwd(),
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  const db = args[1]!;
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  void dir;
  return JSON.parse(out.trim().split('\n').at(-1)!) as Trial;
}

async function benchEtl(schools: number, runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kehou-bench-'));
  try {
    const t0 = performance.now();
    const files = await generateBenchFiles(dir, schools);
    console.log(
      `generated ${files.rows.toLocaleString('en')} participation rows for ${schools.toLocaleString('en')} schools in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const etl: Trial[] = [];
    const raw: Trial[] = [];
    for (let i = 0; i < runs; i++) {
      raw.push(trial(dir, ['raw', join(dir, `raw-${i}.duckdb`), files.participation]));
      etl.push(
        trial(dir, ['etl', join(dir, `etl-${i}.duckdb`), files.registry, files.participation]),
      );
      console.log(
        `run ${i + 1}: raw ${raw.at(-1)!.ms.toFixed(0)} ms, etl ${etl.at(-1)!.ms.toFixed(0)} ms`,
      );
    }
    const rawMs = median(raw.map((t) => t.ms));
    const etlMs = median(etl.map((t) => t.ms));
    const rows = etl[0]!.rows;
    console.log('');
    console.log(`rows                    ${rows.toLocaleString('en')}`);
    console.log(
      `raw read_csv (median)   ${(rawMs / 1000).toFixed(2)} s   ${Math.round(rows / (rawMs / 1000)).toLocaleString('en')} rows/s   peak RSS ${Math.max(...raw.map((t) => t.maxRssMiB))} MiB`,
    );
    console.log(
      `ETL load (median)       ${(etlMs / 1000).toFixed(2)} s   ${Math.round(rows / (etlMs / 1000)).toLocaleString('en')} rows/s   peak RSS ${Math.max(...etl.map((t) => t.maxRssMiB))} MiB`,
    );
    console.log(
      `ratio ETL / raw         ${(etlMs / rawMs).toFixed(2)}   (target ≤ 2.0; peak RSS target ≤ 1024 MiB)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    schools: { type: 'string', default: '10000' },
    runs: { type: 'string' },
    warmup: { type: 'string', default: '10' },
    fresh: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
  },
});
const what = positionals[0] ?? 'etl';
if (what === 'etl') {
  await benchEtl(Number(values.schools), Number(values.runs ?? '3'));
} else if (what === 'api') {
  // As deployed: graphql-js and Express take their fast paths only under NODE_ENV=production
  // (graphql-js decides when it is first imported, hence before the import below).
  process.env.NODE_ENV ??= 'production';
  // Loaded only here: the ETL benchmark does not need the server's modules.
  const { benchApi } = await import('./api-bench.ts');
  await benchApi({
    schools: Number(values.schools),
    runs: Number(values.runs ?? '200'),
    warmup: Number(values.warmup),
    fresh: values.fresh,
    explain: values.explain,
  });
} else if (what === 'web') {
  process.env.NODE_ENV ??= 'production';
  const { benchWeb } = await import('./web-bench.ts');
  await benchWeb({ runs: Number(values.runs ?? '5'), fresh: values.fresh });
} else if (what === 'resilience') {
  const { benchResilience } = await import('./resilience-bench.ts');
  await benchResilience();
} else {
  console.error(`unknown benchmark "${what}" (available: etl, api, web, resilience)`);
  process.exit(1);
}
