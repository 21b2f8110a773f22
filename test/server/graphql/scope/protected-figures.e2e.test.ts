/**
 * Small-cell blocks follow the data: a corrected file changes a month's counts, and the
 * next leader answer is protected by blocks of the corrected counts (the block cache is
 * keyed by the month's fingerprint, never served stale). Cells district: 3100000001 has
 * 3 migrant children in 2025-09 (1 in grade 1, 2 in grade 2), a small cell.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, loadPaths } from '../../../../etl/index.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const DISTRICT = fileURLToPath(new URL('../../../fixtures/cells/', import.meta.url));
const HEADER =
  '学校标识码,填报月份,年级,在校生数,申请人数,参加人数,留守儿童数,留守儿童参加数,随迁子女数,随迁子女参加数,残疾儿童数,残疾儿童参加数,困难家庭学生数,困难家庭学生参加数,五天全勤参加人数';

let api: ApiFixture;
let dir: string;

beforeAll(async () => {
  api = await openApiFixture({ district: DISTRICT });
  dir = await mkdtemp(join(tmpdir(), 'kehou-cells-'));
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

interface Group {
  group: string;
  enrolled: number | null;
  participants: number | null;
  suppressed: boolean;
  suppressedBelow: number | null;
}

async function migrant(viewer: (typeof VIEWERS)[keyof typeof VIEWERS]): Promise<Group> {
  const { data, errors } = await api.run(
    viewer,
    `query { school(code: "3100000001", month: "2025-09") { current {
      priorityGroups { group enrolled participants suppressed suppressedBelow } } } }`,
  );
  expect(errors).toBeUndefined();
  const school = data?.school as { current: { priorityGroups: Group[] } };
  return school.current.priorityGroups.find((g) => g.group === 'MIGRANT') as Group;
}

describe('protected figures after a correction', () => {
  it('withholds a small count from a leader, then shows the corrected zero', async () => {
    expect(await migrant(VIEWERS.leader)).toEqual({
      group: 'MIGRANT',
      enrolled: null,
      participants: null,
      suppressed: true,
      suppressedBelow: 10,
    });
    // The bureau's work view keeps the exact count.
    expect(await migrant(VIEWERS.bureau)).toMatchObject({ enrolled: 3, participants: 3 });
    const path = join(dir, '分年级参与情况-更正.csv');
    await writeFile(
      path,
      `${HEADER}\n3100000001,2025-09,1,113,108,104,40,40,0,0,0,0,0,0,94\n3100000001,2025-09,2,156,126,121,1,0,0,0,4,1,40,38,111\n`,
    );
    const summary = await api.writer.exclusive(() =>
      loadPaths(api.warehouse, [path], {
        user: 'test',
        now: new Date('2025-11-21T12:00:00+08:00'),
      }),
    );
    expect(exitCode(summary), JSON.stringify(summary.files.map((f) => f.error))).toBe(0);
    expect(await migrant(VIEWERS.leader)).toEqual({
      group: 'MIGRANT',
      enrolled: 0,
      participants: 0,
      suppressed: false,
      suppressedBelow: null,
    });
  });
});
