/**
 * Writes the demo district as the files a bureau actually receives: registry and
 * inspector list from the bureau itself, monthly reports per township and month, and
 * questionnaire exports per township and semester. Returns what it wrote and the
 * deliberately invalid rows (with their Excel positions) for checking the ETL.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRng } from './random.ts';
import type { District, MonthlyReport, ParticipationRow, SurveyResponse } from './model.ts';
import { styleFor } from './file-styles.ts';
import { personName, INSPECTOR_NAMES } from './names.ts';
import {
  writeAssignments,
  writeRegistry,
  REGISTRY_FILE,
  ASSIGNMENT_FILE,
} from './write-registry.ts';
import { writeTownshipMonth, type TownshipFiles } from './write-monthly.ts';
import { writeTownshipSurvey } from './write-surveys.ts';
import { planMessy, type InvalidRow } from './messy-rows.ts';

export interface WriteOptions {
  /** Plant the invalid rows of messy-rows.ts (default true). */
  messy?: boolean;
  /** Remove previously generated demo files first, so stale months never linger (default true). */
  clean?: boolean;
}

export interface WrittenFiles {
  outDir: string;
  /** Absolute paths, in writing order. */
  files: string[];
  invalidRows: InvalidRow[];
}

/** The entries this writer owns inside outDir; nothing else there is touched. */
const OWNED = [REGISTRY_FILE, ASSIGNMENT_FILE, '月报', '问卷'];

/**
 * Runs jobs a few at a time and returns results in job order. Overlapping them keeps
 * the CPU busy while zlib and the disk work on the previous files; results stay in a
 * fixed order so the output does not depend on timing.
 */
async function inParallel<J, R>(
  jobs: readonly J[],
  run: (job: J) => Promise<R>,
  limit = 4,
): Promise<R[]> {
  const results = new Array<R>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await run(jobs[i] as J);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export async function writeDistrictFiles(
  model: District,
  outDir: string,
  options: WriteOptions = {},
): Promise<WrittenFiles> {
  const root = resolve(outDir);
  if (options.clean ?? true) {
    for (const entry of OWNED) await rm(join(root, entry), { recursive: true, force: true });
  }
  await mkdir(root, { recursive: true });
  const rng = createRng(`${model.seed}/files`);
  const used = new Set<string>(INSPECTOR_NAMES);
  const townships: TownshipFiles[] = model.townships.map((t, i) => {
    const clerks = rng.fork(`clerks:${t.name}`);
    return {
      name: t.name,
      style: styleFor(i),
      clerk: personName(clerks, used),
      reviewer: personName(clerks, used),
    };
  });
  const townOf = new Map(model.schools.map((s) => [s.school_code, s.township]));
  const key = (code: string, month: string): string => `${townOf.get(code) ?? ''}|${month}`;
  const reports = groupBy<MonthlyReport>(model.monthly, (r) => key(r.school_code, r.month));
  const rows = groupBy<ParticipationRow>(model.participation, (p) => key(p.school_code, p.month));
  const surveys = groupBy<SurveyResponse>(
    model.surveys,
    (s) => `${townOf.get(s.school_code) ?? ''}|${s.semester}`,
  );
  const messy = (options.messy ?? true) ? planMessy(model) : [];

  const files: string[] = [await writeRegistry(model, root), await writeAssignments(model, root)];
  const invalidRows: InvalidRow[] = [];
  const jobs = model.months.flatMap((month) => townships.map((t) => ({ month, t })));
  const written = await inParallel(jobs, ({ month, t }) => {
    const k = `${t.name}|${month}`;
    const input = {
      month,
      township: t,
      reports: reports.get(k) ?? [],
      rows: rows.get(k) ?? [],
      messy: messy.filter((s) => s.township === t.name && s.month === month),
    };
    return writeTownshipMonth(model, input, root, rng.fork(`month:${k}`));
  });
  for (const out of written) {
    files.push(...out.files.map((f) => join(root, f)));
    invalidRows.push(...out.invalid);
  }
  const semesters = [...new Set(model.surveys.map((s) => s.semester))];
  const surveyJobs = semesters.flatMap((semester) => townships.map((t) => ({ semester, t })));
  const surveyFiles = await inParallel(surveyJobs, ({ semester, t }) =>
    writeTownshipSurvey(model, semester, t, surveys.get(`${t.name}|${semester}`) ?? [], root),
  );
  for (const file of surveyFiles) if (file) files.push(join(root, file));
  return { outDir: root, files, invalidRows };
}
