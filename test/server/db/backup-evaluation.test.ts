/**
 * A backup holds the published evaluations (migration 0007) and a restore brings them
 * back exactly, keys included: after the restore the next publish is version 2, and a
 * second version 1 is refused.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../server/auth/viewer.ts';
import { backupWarehouse, restoreWarehouse } from '../../../server/db/backup.ts';
import { openWarehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import {
  forgetPublishedReads,
  listPublications,
  publishEvaluation,
  readPublishedEvaluation,
} from '../../../server/graphql/evaluation/evaluation-publication.repository.ts';
import type { DistrictEvaluation } from '../../../server/graphql/evaluation/evaluation.types.ts';

const bureau: Viewer = {
  userId: 1,
  username: 'ju01',
  name: '李督学',
  role: 'BUREAU_INSPECTOR',
  inspectorId: null,
  schoolCode: null,
  township: null,
  sessionHash: 'x',
};

const evaluation: DistrictEvaluation = {
  period: '2024-2025',
  scheme: {
    version: '2024.1',
    name: '方案',
    source: '文件',
    effectiveFrom: '2024-09',
    maxScore: 100,
  },
  schools: [
    {
      schoolCode: '3101010001',
      schoolName: '城关小学',
      township: '城关镇',
      stage: 'primary',
      locality: 'urban',
      score: 83.33333333333333,
      grade: 'GOOD',
      vetoed: false,
      vetoReason: null,
      incomplete: false,
      excellentCapped: true,
      tooLittleData: false,
      indicators: [],
      deductions: [{ key: 'late', name: '超时', points: 1.5, evidence: '2 条' }],
    },
  ],
  previous: new Map([['3101010001', { score: 90.1, grade: 'EXCELLENT' }]]),
  publication: null,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-backup-eval-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backup and restore of published evaluations', { timeout: 60_000 }, () => {
  it('restores every version exactly, and the keys still hold', async () => {
    const db = join(dir, 'kehou.duckdb');
    const w = await openWarehouse(db);
    let published: DistrictEvaluation | null;
    try {
      const writer = await WarehouseWriter.open(w);
      await writer.write((ctx) =>
        publishEvaluation(ctx, bureau, evaluation, '年度考核', new Date('2025-09-10T02:00:00Z')),
      );
      await writer.close();
      published = await readPublishedEvaluation(w.db, '2024-2025');
      const manifest = await backupWarehouse(w, join(dir, 'backup'));
      expect(manifest.tables).toMatchObject({ evaluation_publications: 1, evaluation_results: 1 });
    } finally {
      await w.close();
    }
    const restoredPath = join(dir, 'restored.duckdb');
    await restoreWarehouse(join(dir, 'backup'), restoredPath);
    const r = await openWarehouse(restoredPath);
    try {
      forgetPublishedReads(); // read the restored rows, not the copy in memory
      expect(await readPublishedEvaluation(r.db, '2024-2025')).toStrictEqual(published);
      const writer = await WarehouseWriter.open(r);
      try {
        const next = await writer.write((ctx) =>
          publishEvaluation(ctx, bureau, evaluation, null, new Date('2025-09-11T02:00:00Z')),
        );
        expect(next.version).toBe(2);
        await expect(
          writer.write(({ conn }) =>
            conn.run(
              `INSERT INTO evaluation_publications SELECT * FROM evaluation_publications WHERE version = 1`,
            ),
          ),
        ).rejects.toThrow(/constraint/i);
      } finally {
        await writer.close();
      }
      expect((await listPublications(r.db, '2024-2025')).map((p) => p.version)).toEqual([2, 1]);
    } finally {
      await r.close();
    }
  });
});
