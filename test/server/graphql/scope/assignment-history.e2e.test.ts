/**
 * An assignments file without 生效月份: a school's first assignment covers the school's
 * whole history (its new 责任督学 sees its past), a later one holds from the month it was
 * loaded — the new inspector gets none of the months before, the old one keeps them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, loadPaths } from '../../../../etl/index.ts';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { query } from '../../../helpers/with-warehouse.ts';

const DX03: Viewer = { ...VIEWERS.dx02, userId: 6, username: 'dx03', inspectorId: 'DX03' };

const MONTHLY_HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';
const report = (month: string) =>
  `1000000005,北岭小学,${month},20,20,120,17:50,1,否,0,0,0,是,10,60,0,0,0,40,0,0`;

let api: ApiFixture;
let dir: string;

async function load(name: string, text: string, now: string): Promise<void> {
  const path = join(dir, name);
  await writeFile(path, text);
  const summary = await api.writer.exclusive(() =>
    loadPaths(api.warehouse, [path], { user: 'test', now: new Date(now) }),
  );
  expect(exitCode(summary), JSON.stringify(summary.files.map((f) => f.error))).toBe(0);
}

/** The codes of the schools `viewer` may see in `month`. */
async function schools(viewer: Viewer, month: string): Promise<string[]> {
  const { data, errors } = await api.run(
    viewer,
    `query ($month: String!) { schools(month: $month) { items { school { code } } } }`,
    { month },
  );
  expect(errors).toBeUndefined();
  const list = data?.schools as { items: { school: { code: string } }[] };
  return list.items.map((i) => i.school.code).sort();
}

beforeAll(async () => {
  api = await openApiFixture({ now: new Date('2025-11-10T04:00:00Z') });
  dir = await mkdtemp(join(tmpdir(), 'kehou-assign-'));
  // A school the district starts supervising now: reports since 2024-10, no 责任督学 yet.
  await load(
    '学校名录-北岭.csv',
    '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,办学性质,是否偏远,教师总数\n1000000005,北岭小学,东城镇,小学,乡村,公办,否,15\n',
    '2025-09-20T12:00:00+08:00',
  );
  await load(
    '月报-北岭.csv',
    [MONTHLY_HEADER, report('2024-10'), report('2025-09'), report('2025-10')].join('\n') + '\n',
    '2025-11-20T12:00:00+08:00',
  );
});
afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an assignments file without 生效月份', () => {
  it('gives a school’s first inspector its whole history, and a reassignment holds from the month it is loaded', async () => {
    // Loaded in 2025-09: the school's first assignment.
    await load(
      '督学挂牌-北岭.csv',
      '督学编号,督学姓名,学校标识码,学校名称\nDX03,王督学,1000000005,北岭小学\n',
      '2025-09-20T12:00:00+08:00',
    );
    expect(await schools(DX03, '2024-10')).toEqual(['1000000005']);
    expect(await schools(DX03, '2025-09')).toEqual(['1000000005']);
    expect(await schools(DX03, '2025-10')).toEqual(['1000000005']);

    // Loaded in 2025-10: DX01 takes the school over from 2025-10.
    await load(
      '督学挂牌-北岭-调整.csv',
      '督学编号,督学姓名,学校标识码,学校名称\nDX01,张督学,1000000005,北岭小学\n',
      '2025-10-15T12:00:00+08:00',
    );
    expect(await schools(DX03, '2024-10')).toEqual(['1000000005']);
    expect(await schools(DX03, '2025-09')).toEqual(['1000000005']);
    expect(await schools(DX03, '2025-10')).toEqual([]);
    expect(await schools(VIEWERS.dx01, '2024-10')).toEqual([]);
    expect(await schools(VIEWERS.dx01, '2025-09')).toEqual(['1000000001', '1000000003']);
    expect(await schools(VIEWERS.dx01, '2025-10')).toEqual(['1000000001', '1000000005']);
    expect(
      await query(
        api.warehouse,
        `SELECT inspector_id, effective_month FROM inspector_assignments
         WHERE school_code = '1000000005' ORDER BY effective_month`,
      ),
    ).toEqual([
      { inspector_id: 'DX03', effective_month: '1900-01' },
      { inspector_id: 'DX01', effective_month: '2025-10' },
    ]);
  });
});
