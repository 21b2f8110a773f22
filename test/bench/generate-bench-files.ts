/**
 * Synthetic district at benchmark scale, in the contract's CSV shapes: a registry of N
 * schools and N × months × grades participation rows (10,000 × 10 × ~7 ≈ 700,000).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

export const PARTICIPATION_HEADER =
  '学校标识码,填报月份,年级,在校生数,申请人数,参加人数,留守儿童数,留守儿童参加数,随迁子女数,随迁子女参加数,残疾儿童数,残疾儿童参加数,困难家庭学生数,困难家庭学生参加数,五天全勤参加人数';

export const BENCH_MONTHS = [
  '2024-09',
  '2024-10',
  '2024-11',
  '2024-12',
  '2025-01',
  '2025-03',
  '2025-04',
  '2025-05',
  '2025-06',
  '2025-09',
];

export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeLines(path: string, lines: () => Generator<string>): Promise<void> {
  const out = createWriteStream(path);
  let buffer = '';
  for (const line of lines()) {
    buffer += line + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

export function schoolCode(i: number): string {
  return String(2100000000 + i);
}

const STAGE_MIX = ['小学', '九年一贯制', '九年一贯制', '小学', '九年一贯制', '初中'] as const;
const STAGE_GRADES = {
  小学: [1, 2, 3, 4, 5, 6],
  初中: [7, 8, 9],
  九年一贯制: [1, 2, 3, 4, 5, 6, 7, 8, 9],
} as const;

/** Stage of school i: the mix gives 7 grades a school on average (700,000 rows for 10,000 × 10). */
export function stage(i: number): (typeof STAGE_MIX)[number] {
  return STAGE_MIX[i % STAGE_MIX.length]!;
}

export function grades(i: number): readonly number[] {
  return STAGE_GRADES[stage(i)];
}

export async function generateBenchFiles(
  dir: string,
  schools: number,
): Promise<{ registry: string; participation: string; rows: number }> {
  const registry = join(dir, 'registry.csv');
  const participation = join(dir, 'participation.csv');
  await writeLines(registry, function* () {
    yield '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,办学性质,是否偏远,教师总数';
    for (let i = 0; i < schools; i++) {
      yield `${schoolCode(i)},第${i}学校,乡镇${i % 40},${stage(i)},${['城区', '镇区', '乡村'][i % 3]},公办,否,${40 + (i % 60)}`;
    }
  });
  const random = rng(42);
  let rows = 0;
  await writeLines(participation, function* () {
    yield PARTICIPATION_HEADER;
    for (const month of BENCH_MONTHS) {
      for (let i = 0; i < schools; i++) {
        for (const g of grades(i)) {
          rows++;
          yield participationLine(random, schoolCode(i), month, g);
        }
      }
    }
  });
  return { registry, participation, rows };
}

/** One participation row with plausible counts (group participants ≤ group enrolled). */
export function participationLine(
  random: () => number,
  code: string,
  month: string,
  grade: number,
): string {
  const enrolled = 30 + Math.floor(random() * 250);
  const applicants = Math.floor(enrolled * (0.6 + random() * 0.4));
  const participants = Math.floor(applicants * (0.9 + random() * 0.1));
  const lb = Math.floor(enrolled * random() * 0.3);
  const mg = Math.floor(enrolled * random() * 0.2);
  const ds = Math.floor(enrolled * random() * 0.02);
  const pr = Math.floor(enrolled * random() * 0.1);
  const part = (n: number) => Math.floor(n * (0.5 + random() * 0.5));
  return `${code},${month},${grade},${enrolled},${applicants},${participants},${lb},${part(lb)},${mg},${part(mg)},${ds},${part(ds)},${pr},${part(pr)},${Math.floor(participants * 0.7)}`;
}
