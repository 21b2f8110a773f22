/**
 * Policy files as a district writes them: every problem is reported with its path in
 * Chinese and English (not only the first), and a version inherits what it does not change.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { parsePolicy, PolicyError, policyFor } from '../../../server/policy/policy.ts';

function file(...versions: Array<Record<string, unknown>>): string {
  return stringify({ district: '测试区', versions });
}

const v = (version: string, from: string, changes: Record<string, unknown> = {}) => ({
  version,
  effective_from: from,
  source: `测试区文件 ${version}`,
  ...changes,
});

function issuesOf(text: string): readonly string[] {
  try {
    parsePolicy(text, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).issues;
  }
  throw new Error('expected a PolicyError');
}

describe('parsePolicy', () => {
  it('rejects a time that is not HH:MM, naming its path, in both languages', () => {
    const issues = issuesOf(file(v('1', '2025-09', { end_time: { latest: { primary: '6pm' } } })));
    expect(issues).toEqual([
      'versions[1].end_time.latest.primary: 时间格式应为 HH:MM（如 18:00） / expected HH:MM, e.g. 18:00',
    ]);
  });

  it('rejects a month in two seasons', () => {
    const issues = issuesOf(
      file(
        v('1', '2025-09', {
          end_time: {
            seasons: [
              { name: '夏秋季', months: [5, 6, 9, 10], latest: { primary: '18:00' } },
              { name: '春冬季', months: [10, 11, 12, 1, 2, 3, 4], latest: { primary: '17:30' } },
            ],
          },
        }),
      ),
    );
    expect(issues).toEqual([
      'versions[1].end_time.seasons: 10 月同时属于"夏秋季"和"春冬季" / month 10 is in two seasons',
    ]);
  });

  it('rejects an unknown key and lists every issue of the file, not only the first', () => {
    const issues = issuesOf(
      file(
        v('1', '2025-09', { service: { days_per_weak: 4 } }),
        v('2', '2026-02', { fees: { caps: { per_period: -1 } } }),
      ),
    );
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^versions\[1\]\.service: .*days_per_weak/u);
    expect(issues[1]).toMatch(/^versions\[2\]\.fees\.caps\.per_period: /u);
  });

  it('rejects a duplicate version and two versions starting in the same month', () => {
    expect(issuesOf(file(v('2025.1', '2025-09'), v('2025.1', '2026-02')))).toEqual([
      'versions[2025.1]: 版本号重复 / duplicate version',
    ]);
    expect(issuesOf(file(v('a', '2025-09'), v('b', '2025-09')))).toEqual([
      'versions[b]: 生效月份 2025-09 重复 / two versions start in the same month',
    ]);
  });

  it('rejects a cap before the floor and a file without versions', () => {
    expect(issuesOf(file(v('1', '2025-09', { end_time: { earliest: '18:10' } })))).toEqual([
      'versions[1].end_time: primary 最晚结束时间 18:00 早于最早结束时间 18:10 / cap before floor',
    ]);
    expect(issuesOf(stringify({ district: '测试区', versions: [] }))).toEqual([
      'versions: 至少需要一个版本 / at least one version',
    ]);
  });

  it('builds each version on the one before it, and the first on the national defaults', () => {
    const policy = parsePolicy(
      file(
        v('1', '2024-09', {
          fees: { caps: { per_period: 2.3 } },
          teacher_pay: { max_per_period: 60 },
        }),
        v('2', '2025-09', { teacher_pay: { max_per_period: 85 } }),
        v('3', '2026-02', { end_time: { latest: { primary: '17:30' } } }),
      ),
    );
    const [first, second, third] = policy.versions;
    expect(first?.service.min_daily_minutes).toBe(120); // national default
    expect(second?.fees.caps.per_period).toBe(2.3); // inherited from 1
    expect(second?.teacher_pay.max_per_period).toBe(85);
    expect(third?.teacher_pay.max_per_period).toBe(85); // inherited from 2
    expect(third?.end_time.latest).toEqual({ primary: '17:30', junior: '18:30' });
    expect(policyFor(policy, '2025-08').version).toBe('1');
    expect(policyFor(policy, '2025-09').version).toBe('2');
    expect(policyFor(policy, '2023-01').version).toBe('1'); // before the first: the first
  });
});

describe('district_code (行政区划代码, for the national export)', () => {
  const withCode = (code: unknown) =>
    stringify({ district: '测试区', district_code: code, versions: [v('1', '2024-09')] });

  it('is optional, and a county-level code is kept', () => {
    expect(parsePolicy(file(v('1', '2024-09'))).district_code).toBeUndefined();
    expect(parsePolicy(withCode('130534')).district_code).toBe('130534');
  });

  it("is the demo's 清河县", () => {
    const demo = readFileSync(new URL('../../../etl/demo/qinghe-policy.yaml', import.meta.url));
    expect(parsePolicy(demo.toString('utf8')).district_code).toBe('130534');
  });

  it.each([
    ['13053', /6 位行政区划代码.*6-digit/u],
    [130534, /district_code/u],
    ['990101', /省级代码.*province code/u],
    ['130500', /区县级代码.*county-level/u],
  ])('rejects %s, in Chinese and English', (code, message) => {
    const issues = issuesOf(withCode(code));
    expect(issues.join('\n')).toMatch(/district_code/u);
    expect(issues.join('\n')).toMatch(message);
  });
});
