/**
 * `npm run bench -- etl [--schools 10000] [--runs 3] [--stress]`
 * The whole `etl load` process against a whole DuckDB read_csv process on the same
 * participation file, alternating, medians and the ratio, then planted breaks against the
 * flags raised (see etl-bench.ts).
 *
 * `npm run bench -- api [--schools 10000] [--runs 200] [--budget 40] [--warmup 10] [--stress] [--fresh] [--explain] [--only <name>]`
 * `--only evaluation` runs only the school year's evaluation (10,000 schools, 考核).
 * The warehouse's ETL load against a raw DuckDB load of the same files, then overview, a
 * 24-month trend and a 100-school page through the HTTP app against hand-written SQL on the
 * same DuckDB instance, each question for at most --budget seconds (see api-bench.ts).
 *
 * `npm run bench -- web [--runs 5] [--fresh]`
 * The dashboard's first page size and sign-in → overview drawn time in headless Chromium
 * on the demo district, against the same figures in raw SQL (see web-bench.ts).
 *
 * `npm run bench -- resilience`
 * Dashboard query and /healthz latency, server memory and sign-in times while a zip bomb,
 * a 7.9-million-row workbook and a real load are uploaded (see resilience-bench.ts).
 *
 * `npm run bench -- flags [--school-months 1000000] [--runs 3]`
 * The rules engine raising a flag (and its event) for every one of 1,000,000 school-months,
 * against a raw DuckDB insert of as many flag and event rows, then a re-judge that changes
 * nothing and one that resolves them all (see flags-bench.ts).
 *
 * `npm run bench -- national [--districts 200] [--check all|<n>] [--keep]`
 * 200 districts × 12 months (~24 M participation rows) generated into the national export's
 * Parquet layout, the portable aggregates run with DuckDB over it (time, peak RSS), and
 * their figures checked against each district aggregated alone (see national-bench.ts).
 *
 * `npm run bench -- startup [--runs 7]`
 * The compiled server's and ETL CLI's start-up time and memory against the same through
 * tsx (see startup-bench.ts).
 *
 * `--stress`: every school-month of the generated district breaks exactly one rule
 * (default: about 3 %, as in the demo district).
 */
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    schools: { type: 'string', default: '10000' },
    runs: { type: 'string' },
    budget: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '10' },
    stress: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    'school-months': { type: 'string' },
    only: { type: 'string' },
    districts: { type: 'string', default: '200' },
    check: { type: 'string', default: 'all' },
    keep: { type: 'boolean', default: false },
  },
});
const what = positionals[0] ?? 'etl';
const schools = Number(values.schools);
if (!Number.isInteger(schools) || schools < 10) {
  console.error(`--schools must be a whole number ≥ 10, got "${values.schools}"`);
  process.exit(1);
}
// The generators follow the default policy file; the warehouses must judge by it too.
delete process.env.KEHOU_POLICY;

if (what === 'etl') {
  const { benchEtl } = await import('./etl-bench.ts');
  await benchEtl({ schools, runs: Number(values.runs ?? '3'), stress: values.stress });
} else if (what === 'api') {
  // As deployed: graphql-js and Express take their fast paths only under NODE_ENV=production
  // (graphql-js decides when it is first imported, hence before the import below).
  process.env.NODE_ENV ??= 'production';
  // Loaded only here: the ETL benchmark does not need the server's modules.
  const { benchApi } = await import('./api-bench.ts');
  await benchApi({
    schools,
    runs: Number(values.runs ?? '200'),
    budget: Number(values.budget),
    warmup: Number(values.warmup),
    stress: values.stress,
    fresh: values.fresh,
    explain: values.explain,
    only: values.only,
  });
} else if (what === 'web') {
  process.env.NODE_ENV ??= 'production';
  const { benchWeb } = await import('./web-bench.ts');
  await benchWeb({ runs: Number(values.runs ?? '5'), fresh: values.fresh });
} else if (what === 'resilience') {
  const { benchResilience } = await import('./resilience-bench.ts');
  await benchResilience();
} else if (what === 'flags') {
  const { benchFlags } = await import('./flags-bench.ts');
  await benchFlags({
    ...(values['school-months'] ? { schoolMonths: Number(values['school-months']) } : {}),
    runs: Number(values.runs ?? '3'),
  });
} else if (what === 'national') {
  const { benchNational } = await import('./national-bench.ts');
  await benchNational({
    districts: Number(values.districts),
    check: values.check === 'all' ? 'all' : Number(values.check),
    keep: values.keep,
  });
} else if (what === 'startup') {
  const { benchStartup } = await import('./startup-bench.ts');
  await benchStartup({ runs: Number(values.runs ?? '7') });
} else {
  console.error(
    `unknown benchmark "${what}" (available: etl, api, web, resilience, flags, national, startup)`,
  );
  process.exit(1);
}
