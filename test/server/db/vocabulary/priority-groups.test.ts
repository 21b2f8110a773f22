/**
 * The priority groups live once (server/db/vocabulary/priority-groups.ts): the GraphQL enum
 * names the same groups with the same labels, and no other source file lists them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PRIORITY_GROUPS } from '../../../../server/db/vocabulary/priority-groups.ts';
import { RESPONDENT_KEYS } from '../../../../server/db/vocabulary/respondents.ts';
import { loadTypeDefs } from '../../../../server/graphql/schema.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const HOME = 'server/db/vocabulary/priority-groups.ts';

/**
 * Copies in areas other helpers of issue 13 are changing (report, flag rules, ETL loaders,
 * demo generator): each is to import the home instead, then leave this list.
 */
const PENDING = [
  'server/graphql/report/finding-text.ts',
  'server/graphql/report/report-rules.ts',
  'etl/flags/rules/priority-gap.ts',
  'etl/reports/participation/columns.ts',
  'etl/demo/contract-headers.ts',
];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === '__generated__' || name === 'migrations' || name === 'node_modules') return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.(ts|vue)$/.test(name) ? [path] : [];
  });
}

/** A file lists the groups when it names three or more of them in one of the three spellings. */
function listsGroups(text: string): boolean {
  const named = (words: readonly string[]) => words.filter((w) => text.includes(w)).length >= 3;
  return (
    named(PRIORITY_GROUPS.map((g) => g.zh)) ||
    named(PRIORITY_GROUPS.map((g) => `'${g.group}'`)) ||
    named(PRIORITY_GROUPS.map((g) => `${g.group}:`)) ||
    named(PRIORITY_GROUPS.map((g) => `'${g.column}'`))
  );
}

describe('priority groups vocabulary', () => {
  it('is the GraphQL enum PriorityGroup, in order, each value described by its label', () => {
    const schema = buildSchema(loadTypeDefs().join('\n'));
    const values = (schema.getType('PriorityGroup') as GraphQLEnumType).getValues();
    expect(values.map((v) => [v.name, v.description])).toEqual(
      PRIORITY_GROUPS.map((g) => [g.group, g.zh]),
    );
    expect(PRIORITY_GROUPS.map((g) => g.column)).toEqual(
      PRIORITY_GROUPS.map((g) => g.group.toLowerCase()),
    );
  });

  it('has no copy elsewhere in server/, etl/ or web/src/', () => {
    const copies = ['server', 'etl', 'web/src']
      .flatMap(sources)
      .map((p) => relative(ROOT, join(ROOT, p)))
      .filter((p) => p !== HOME && listsGroups(readFileSync(join(ROOT, p), 'utf8')));
    expect(copies.filter((p) => !PENDING.includes(p))).toEqual([]);
    // A pending copy that was removed leaves the list too.
    expect(PENDING.filter((p) => !copies.includes(p))).toEqual([]);
  });

  it('names the respondents the warehouse accepts', () => {
    expect(RESPONDENT_KEYS).toEqual(['parent', 'student', 'teacher']);
  });
});
