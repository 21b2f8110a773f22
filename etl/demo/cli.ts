/**
 * tsx etl/demo/cli.ts --out <dir> [--schools N] [--seed S] [--from 2024-09] [--to 2026-10]
 *                     [--no-messy] [--truth <file.json>]
 *
 * Generates the demo district and writes it as report files. --truth writes the ground
 * truth (planned rule breaks, under-served groups, the casework of visits and 整改 steps,
 * planted invalid rows) to a JSON file, which should live
 * outside --out so the ETL never mistakes it for a report.
 */
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULTS, generateDistrict } from './generate-district.ts';
import { writeDistrictFiles } from './write-files.ts';
import type { InvalidRow } from './messy-rows.ts';
import type { PlantedDoubt } from './planted-doubts.ts';
import type { Casework, RuleBreak, UnderServedSchool } from './model.ts';
import { COUNTY } from './names.ts';
import { generateTownshipMap, renderTownshipMap } from './township-map.ts';

export interface DemoOptions {
  outDir?: string;
  schools?: number;
  seed?: number;
  fromMonth?: string;
  toMonth?: string;
  messy?: boolean;
}

export interface DemoResult {
  outDir: string;
  files: string[];
  schools: number;
  months: string[];
  invalidRows: InvalidRow[];
  ruleBreaks: RuleBreak[];
  underServed: UnderServedSchool[];
  plantedDoubts: PlantedDoubt[];
  /** Visits and 整改 steps to play after the load (play-casework.ts). */
  casework: Casework;
  /** The county's township map (GeoJSON), for `etl map`; the report loader skips it. */
  mapFile: string;
  millis: number;
}

export const DEFAULT_OUT = 'data/demo/files';
/** Beside the report files, as a district would keep it; `.geojson` is no report kind. */
export const MAP_FILE = `${COUNTY}乡镇边界.geojson`;

export async function generateDemoFiles(opts: DemoOptions = {}): Promise<DemoResult> {
  const started = performance.now();
  const seed = opts.seed ?? DEFAULTS.seed;
  const model = generateDistrict({
    seed,
    schools: opts.schools ?? DEFAULTS.schools,
    fromMonth: opts.fromMonth ?? DEFAULTS.fromMonth,
    toMonth: opts.toMonth ?? DEFAULTS.toMonth,
  });
  const written = await writeDistrictFiles(model, opts.outDir ?? DEFAULT_OUT, {
    messy: opts.messy ?? true,
  });
  const mapFile = join(written.outDir, MAP_FILE);
  const map = generateTownshipMap(
    model.townships.map((t) => t.name),
    seed,
  );
  await writeFile(mapFile, renderTownshipMap(map));
  return {
    outDir: written.outDir,
    files: written.files,
    schools: model.schools.length,
    months: model.months,
    invalidRows: written.invalidRows,
    ruleBreaks: model.ruleBreaks,
    underServed: model.underServed,
    plantedDoubts: model.plantedDoubts,
    casework: model.casework,
    mapFile,
    millis: Math.round(performance.now() - started),
  };
}

function parseArgs(argv: readonly string[]): DemoOptions & { truth?: string } {
  const out: DemoOptions & { truth?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new Error(`${flag} must be a whole number, got "${v}"`);
      return Number(v);
    };
    if (flag === '--out') out.outDir = value();
    else if (flag === '--schools') out.schools = int();
    else if (flag === '--seed') out.seed = int();
    else if (flag === '--from') out.fromMonth = value();
    else if (flag === '--to') out.toMonth = value();
    else if (flag === '--no-messy') out.messy = false;
    else if (flag === '--truth') out.truth = value();
    else throw new Error(`unknown option ${flag}`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const r = await generateDemoFiles(args);
  const rules = new Set(r.ruleBreaks.map((b) => b.school_code));
  console.log(`wrote ${r.files.length} files to ${r.outDir} in ${r.millis} ms`);
  console.log(
    `  schools ${r.schools}, months ${r.months.length} (${r.months[0]} … ${r.months[r.months.length - 1]})`,
  );
  console.log(`  schools breaking rules: ${rules.size} (${r.ruleBreaks.length} school-months)`);
  console.log(`  planted invalid rows: ${r.invalidRows.length}`);
  for (const bad of r.invalidRows) {
    console.log(
      `    ${bad.file} [${bad.sheet}] row ${bad.row}, ${bad.column} = "${bad.value}": ${bad.reason}`,
    );
  }
  if (args.truth) {
    const truth = {
      ruleBreaks: r.ruleBreaks,
      underServed: r.underServed,
      plantedDoubts: r.plantedDoubts,
      casework: r.casework,
      invalidRows: r.invalidRows,
      files: r.files.map((f) => relative(r.outDir, f)),
    };
    await writeFile(args.truth, JSON.stringify(truth, null, 2) + '\n');
    console.log(`  ground truth written to ${args.truth}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
