/**
 * The words people read, one per thing. One name per role (domain.md §2), written once:
 * server/db/roles.ts; any other copy of a role's name in what people read (server messages,
 * CLI, ETL, web app, schema, README) or a variant of it (局督学, 督导科督学, …) fails here.
 * One word for a flag, 违规预警: never 预警, 问题标记 or 违规标记 alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLE_LABEL } from '../../server/db/roles.ts';

const ROOT = join(import.meta.dirname, '../..');
const HOME = 'server/db/roles.ts';

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === '__generated__' || name === 'node_modules' || name === 'dist') return [];
    if (statSync(join(ROOT, path)).isDirectory()) return files(path);
    return /\.(ts|vue|graphql|yaml)$/u.test(name) ? [path] : [];
  });
}

const SOURCES = [...files('server'), ...files('etl'), ...files('web/src'), ...files('schema')];

/**
 * Lines people read: comments (why, in English, may mention a role), the schema's
 * descriptions and the file readers' header aliases (the words schools' files use) are skipped.
 */
function codeLines(path: string): { line: number; text: string }[] {
  return readFileSync(join(ROOT, path), 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.replace(/\s\/\/ .*$/u, '') }))
    .filter(({ text }) => !/^\s*(\/\/|\*|\/\*\*?|#|<!--|")|^\s*aliases:/u.test(text));
}

/** Other names the roles went by: never shown again. */
const VARIANTS = /局督学|督导科|基教科|督学科/u;
/**
 * A role's name standing alone. 责任督学挂牌 (the assignments file's title, report-formats.md)
 * and the assignments file's header aliases (责任督学编号 / 责任督学姓名) are file vocabulary.
 */
const NAMES = new RegExp(`(${Object.values(ROLE_LABEL).join('|')})(?!挂牌|编号|姓名)`, 'u');

function offenders(pattern: RegExp, paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    codeLines(path)
      .filter(({ text }) => pattern.test(text))
      .map(({ line, text }) => `${path}:${line}: ${text.trim()}`),
  );
}

describe('role names', () => {
  it('are the domain guide’s names', () => {
    expect(ROLE_LABEL).toEqual({
      BUREAU_INSPECTOR: '教育局督导',
      SUPERVISING_INSPECTOR: '责任督学',
      LEADERSHIP: '局领导',
      // The school side (issue 17): the titles real platforms give these accounts.
      SCHOOL_REPORTER: '学校填报员',
      TOWNSHIP_REVIEWER: '学区审核员',
    });
  });

  it('appear in code only in their one home', () => {
    const scanned = SOURCES.filter((p) => p !== HOME && !p.endsWith('.yaml'));
    expect(scanned.length).toBeGreaterThan(100);
    expect(offenders(NAMES, scanned)).toEqual([]);
  });

  it('have no variants anywhere people read, README included', () => {
    expect(offenders(VARIANTS, [...SOURCES, 'README.md'])).toEqual([]);
  });

  it('catches a stray copy (the check itself works)', () => {
    expect(NAMES.test("label: '责任督学',")).toBe(true);
    expect(NAMES.test('`仅局领导可以`')).toBe(true);
    expect(NAMES.test("emptyTable('责任督学挂牌', HEADERS)")).toBe(false);
    expect(VARIANTS.test("BUREAU_INSPECTOR: '督导科督学',")).toBe(true);
  });
});

/** 预警 alone (预警线, the priority gap's alert line, is another thing), or older words. */
const FLAG_WORDS = /(?<!违规)预警(?!线)|问题标记|违规标记|问题代码|问题不存在/u;

describe('the word for a flag', () => {
  it('is 违规预警 in every message, label and view', () => {
    const scanned = SOURCES.filter((p) => !p.endsWith('.graphql'));
    expect(offenders(FLAG_WORDS, [...scanned, 'README.md'])).toEqual([]);
  });

  it('catches 预警 alone but not 违规预警 or 预警线 (the check itself works)', () => {
    expect(FLAG_WORDS.test("label: '未办结预警',")).toBe(true);
    expect(FLAG_WORDS.test("label: '未办结违规预警',")).toBe(false);
    expect(FLAG_WORDS.test("alert: '超出预警线',")).toBe(false);
    expect(FLAG_WORDS.test('`  问题标记 flags: ${n}`')).toBe(true);
  });
});
