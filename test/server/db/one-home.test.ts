/**
 * Each flag fact lives once (issue 13): the status vocabulary and its labels in
 * server/db/flag-statuses.ts, the rule "which schools a 责任督学 may see in a month" in
 * server/db/remit.ts. This test reads the source tree and fails on a copy elsewhere.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAG_STATUS_VOCABULARY } from '../../../server/db/flag-statuses.ts';

const ROOT = join(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (name === '__generated__' || name === 'node_modules' || name === 'dist') continue;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|vue)$/.test(name)) out.push(path);
  }
  return out;
}

const HOME = 'server/db/flag-statuses.ts';
/** Migrations are history: they keep the CHECK lists and views they once created. */
const HISTORY = /^server\/db\/migrations\//;
/**
 * Copies in the ETL and the demo, left to their owners (this brief keeps them out
 * of the flags work): each must still hold its copy, so the list shrinks as they go.
 */
const NOT_YET: Record<string, RegExp> = {};

const FILES = [...sources('server'), ...sources('web/src'), ...sources('etl')].filter(
  (f) => !HISTORY.test(f),
);
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function offenders(pattern: RegExp, allowed: readonly string[]): string[] {
  return FILES.filter((f) => !allowed.includes(f) && !(f in NOT_YET) && pattern.test(text(f)));
}

const STATUS = `'(?:${FLAG_STATUS_VOCABULARY.map((s) => s.status).join('|')})'`;

describe('the flag status vocabulary has one home', () => {
  it('is the only place listing statuses (open, finished, all) or testing for the deadline status', () => {
    // Two status literals in a row is a list; the life-cycle transitions name their own
    // from-statuses (flag-permissions.ts), which is the loop itself, not a copy of "open".
    const list = new RegExp(`${STATUS}\\s*,\\s*${STATUS}`);
    // The demo's case outcomes (REQUESTED, OVERDUE, …) are the generator's own plan, not statuses.
    expect(
      offenders(list, [
        HOME,
        'server/graphql/flags/flag-permissions.ts',
        'etl/demo/plan-casework.ts',
      ]),
    ).toEqual([]);
    expect(offenders(/status\s*(?:NOT\s+)?IN\s*\(\s*'/i, [HOME])).toEqual([]);
    expect(offenders(/status\s*=\s*'RECTIFYING'/, [HOME])).toEqual([]);
  });

  it('is the only place with the status labels (the web gets them through GraphQL)', () => {
    const labels = [...FLAG_STATUS_VOCABULARY.map((s) => s.label), '已关闭'];
    for (const label of labels) {
      // As a whole string or a whole element's text: words like 整改中且已过期限 are prose.
      const pattern = new RegExp(`['"\`>]\\s*${label}\\s*['"\`<]`);
      expect(offenders(pattern, [HOME]), label).toEqual([]);
    }
    expect(text('web/src/format/labels.ts')).not.toMatch(/FLAG_STATUS_LABEL/);
  });

  it('lists copies not yet removed only while they are still there', () => {
    for (const [file, copy] of Object.entries(NOT_YET)) expect(text(file), file).toMatch(copy);
  });
});

describe('the remit rule has one home', () => {
  it('is the only place reading inspector assignments as periods', () => {
    const allowed = [
      'server/db/remit.ts',
      // The table's and the view's types, not the rule.
      'server/db/database.ts',
      'server/db/tables/inspectors.table.ts',
    ];
    const server = FILES.filter((f) => f.startsWith('server/'));
    const found = server.filter(
      (f) =>
        !allowed.includes(f) &&
        /inspector_assignment_periods|effective_month|FROM\s+inspector_assignments/.test(text(f)),
    );
    expect(found).toEqual([]);
  });
});

it('scans the tree it means to', () => {
  expect(FILES.length).toBeGreaterThan(100);
  expect(FILES.map((f) => relative(ROOT, join(ROOT, f)))).toContain('web/src/views/FlagsView.vue');
});
