/**
 * Each domain fact is written once (GUIDE.md): this test scans the tracked source files of
 * etl/, server/ and web/ and fails on a copy of a fact outside its home, naming the file,
 * line and text, so the copy is replaced by an import.
 *
 * FACTS is the table, one row per fact:
 *   fact        what the fact is, in words (it names the test).
 *   homes       where it may be written: files, or folders ending in "/" (the fact's one
 *               home in the kernel, server/db or server/policy, and any data file it is
 *               read from). Everything else imports it.
 *   signatures  regular expressions that match a copy in code. Comments are blanked before
 *               matching (a comment may say "Asia/Shanghai"), strings are not. Keep them
 *               specific: a signature that also matches another fact's code is a bad one.
 *   allow       optional [{ file, why }]: a file that must write a signature for another
 *               reason; the reason is part of the review.
 *
 * To add a fact (flag statuses and labels, priority groups, role names, …), add a row;
 * the self-test at the bottom shows how a row catches a copy.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

export interface FactRow {
  fact: string;
  homes: readonly string[];
  signatures: readonly RegExp[];
  allow?: ReadonlyArray<{ file: string; why: string }>;
}

export const FACTS: readonly FactRow[] = [
  {
    fact: 'the time zone: Asia/Shanghai, UTC+8',
    homes: ['server/db/calendar.ts'],
    signatures: [
      /Asia\/Shanghai/,
      /\+0?8:?00\b/,
      /\b8\s*\*\s*(?:3600|60\s*\*\s*60|HOUR)\b/,
      /\b28_?800(?:_?000)?\b/,
    ],
  },
  {
    fact: 'the semester starts: September (autumn) and February (spring)',
    homes: ['server/db/calendar.ts'],
    signatures: [
      // '-09' / '-02' appended to a year, in a string or at a template's end.
      /['"`]-0[29]['"`]/,
      /\}-0[29]`/,
      // A month number compared with September: the autumn semester / school year test.
      /\bm\w*\s*>=\s*9\b/i,
      /\bsubstr\([^)]*6,\s*2\)\s*=\s*'0[29]'/,
    ],
  },
  {
    fact: 'the semester names (秋季学期, 春季学期)',
    homes: ['server/db/calendar.ts'],
    signatures: [/[秋春]季学期/],
  },
  {
    fact: 'month arithmetic on "YYYY-MM" (next month, n months back, month ranges)',
    homes: ['server/db/calendar.ts'],
    signatures: [
      // A month as a count of months, and back to "YYYY-MM".
      /\b\w+\s*\*\s*12\s*\+/,
      /\(\s*\w+\s*%\s*12\s*\)\s*\+\s*1\s*\)\.padStart/,
      // December rolls over to January of the next year.
      /\bm\s*>\s*12\s*\)/,
      /===\s*12\s*\?\s*`\$\{\s*\w+\s*\+\s*1\s*\}-01`/,
    ],
  },
  {
    fact: 'the months without service (policy: no_service_months)',
    homes: ['server/policy/'],
    signatures: [/\[\s*2\s*,\s*7\s*,\s*8\s*\]/, /\bNO_SERVICE_MONTHS\b/],
  },
  {
    // The server's home exports GRADE_LABELS (gradeLabel, exports, print); the web app,
    // which may not import the server, keeps its enum labels in one file.
    fact: 'the evaluation grade labels (优秀, 良好, 合格, 不合格)',
    homes: ['server/graphql/evaluation/evaluation-scoring.ts', 'web/src/format/labels.ts'],
    signatures: [/['"`]不合格['"`]/, /['"`]良好['"`]/],
  },
];

const SCANNED = /^(?:etl|server|web)\/.*\.(?:ts|vue|js|mjs)$/;
const SKIPPED = /\/__generated__\//;

/**
 * The text with comments blanked (newlines kept, so line numbers hold). Strings are
 * skipped over whole, so "//" or "/*" inside a string is not taken for a comment.
 */
export function blankComments(text: string): string {
  const token =
    /('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)|(\/\*[\s\S]*?\*\/|\/\/[^\n]*|<!--[\s\S]*?-->)/g;
  return text.replace(token, (match, literal: string | undefined) =>
    literal !== undefined ? match : match.replace(/[^\n]/g, ' '),
  );
}

const isHome = (row: FactRow, file: string) =>
  row.homes.some((home) => (home.endsWith('/') ? file.startsWith(home) : file === home));

/** Every copy of the row's fact outside its homes: "path:line: text". */
export function findCopies(
  row: FactRow,
  files: ReadonlyArray<{ path: string; text: string }>,
): string[] {
  const copies: string[] = [];
  for (const { path, text } of files) {
    if (isHome(row, path) || row.allow?.some((a) => a.file === path)) continue;
    blankComments(text)
      .split('\n')
      .forEach((line, i) => {
        if (row.signatures.some((s) => s.test(line)))
          copies.push(`${path}:${i + 1}: ${text.split('\n')[i]?.trim() ?? ''}`);
      });
  }
  return copies;
}

function trackedSources(): Array<{ path: string; text: string }> {
  const listed = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' });
  return listed
    .split('\0')
    .filter((path) => SCANNED.test(path) && !SKIPPED.test(path))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

describe('each fact is written once', () => {
  const files = trackedSources();

  it('scans the source tree', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.path === 'server/db/calendar.ts')).toBe(true);
    expect(files.some((f) => f.path.endsWith('.vue'))).toBe(true);
  });

  it.each(FACTS.map((row) => [row.fact, row] as const))('%s', (_fact, row) => {
    expect(findCopies(row, files)).toEqual([]);
  });
});

describe('findCopies (the table at work)', () => {
  const [timeZone, semester] = FACTS as [FactRow, FactRow];

  it('finds a copy in code, not in a comment, nor in the home', () => {
    const files = [
      {
        path: 'web/src/state/clock.ts',
        text: [
          '/** Today in Asia/Shanghai. */',
          "const zone = 'Asia/Shanghai'; // Asia/Shanghai",
          'const url = "http://x/Asia"; /* +08:00 */',
          'const due = `${day}T23:59:59+08:00`;',
        ].join('\n'),
      },
      { path: 'server/db/calendar.ts', text: "export const TIME_ZONE = 'Asia/Shanghai';" },
    ];
    expect(findCopies(timeZone, files)).toEqual([
      "web/src/state/clock.ts:2: const zone = 'Asia/Shanghai'; // Asia/Shanghai",
      'web/src/state/clock.ts:4: const due = `${day}T23:59:59+08:00`;',
    ]);
  });

  it('finds a hand-written semester start in TypeScript, Vue and SQL', () => {
    const files = [
      {
        path: 'web/src/views/SomeView.vue',
        text: '<script setup lang="ts">\nif (m >= 9) return `${y}-09`;\n</script>',
      },
      { path: 'etl/flags/x.ts', text: "const s = `CASE WHEN mm = 1 THEN y || '-09' END`;" },
    ];
    expect(findCopies(semester, files)).toEqual([
      'web/src/views/SomeView.vue:2: if (m >= 9) return `${y}-09`;',
      "etl/flags/x.ts:1: const s = `CASE WHEN mm = 1 THEN y || '-09' END`;",
    ]);
  });

  it('keeps line numbers when comments span lines', () => {
    expect(blankComments('a /* x\ny */ b\n// c\nd').split('\n')).toHaveLength(4);
  });
});
