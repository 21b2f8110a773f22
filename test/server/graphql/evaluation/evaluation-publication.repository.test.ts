/**
 * The publication store on its own: a DistrictEvaluation written as a version reads back
 * exactly (numbers, JSON, order, previous results), versions append, an unknown version is
 * a user error, and the keys refuse a second row for a version.
 */
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { WarehouseWriter } from '../../../../server/db/writer.ts';
import {
  forgetPublishedReads,
  listPublications,
  publishEvaluation,
  readPublishedEvaluation,
} from '../../../../server/graphql/evaluation/evaluation-publication.repository.ts';
import type {
  DistrictEvaluation,
  ScoredSchool,
} from '../../../../server/graphql/evaluation/evaluation.types.ts';
import { query, useWarehouse } from '../../../helpers/with-warehouse.ts';

const bureau: Viewer = {
  userId: 7,
  username: 'ju01',
  name: '王督学',
  role: 'BUREAU_INSPECTOR',
  inspectorId: null,
  schoolCode: null,
  township: null,
  sessionHash: 'x',
};

function school(code: string, score: number, extra: Partial<ScoredSchool> = {}): ScoredSchool {
  return {
    schoolCode: code,
    schoolName: `学校${code}`,
    township: '城关镇',
    stage: 'primary',
    locality: 'rural',
    score,
    grade: score >= 90 ? 'EXCELLENT' : score >= 60 ? 'PASS' : 'FAIL',
    vetoed: false,
    vetoReason: null,
    incomplete: false,
    excellentCapped: false,
    tooLittleData: false,
    earnedPoints: score * 0.7,
    measuredMaxPoints: 80,
    deductedPoints: 2.5,
    indicators: [
      {
        key: 'participation',
        name: '参与率',
        measure: 'participation',
        points: score / 3,
        maxPoints: 100 / 3,
        value: 0.1 + 0.2,
        unit: 'RATE',
        evidence: '参与 1,451 / 在校 2,328',
        insufficientData: false,
      },
      {
        key: 'satisfaction',
        name: '家长满意度',
        measure: 'satisfaction',
        points: 0,
        maxPoints: 20,
        value: null,
        unit: 'SCORE',
        evidence: null,
        insufficientData: true,
      },
    ],
    deductions: [{ key: 'safety', name: '安全隐患', points: 2.5, evidence: '“引号” \\ 和\n换行' }],
    ...extra,
  };
}

function evaluation(schools: ScoredSchool[]): DistrictEvaluation {
  return {
    period: '2024-2025',
    scheme: {
      version: '2024.1',
      name: '课后服务年度考核方案',
      source: '区教育局〔2024〕12号',
      effectiveFrom: '2024-09',
      maxScore: 100,
    },
    schools,
    previous: new Map([['S2', { score: 71.25, grade: 'PASS' }]]),
    publication: null,
  };
}

const AT = new Date('2025-09-10T02:03:04.567Z');

describe('evaluation publications (repository)', () => {
  const warehouse = useWarehouse();

  it('reads a version back exactly as published, in its order', async () => {
    const writer = await WarehouseWriter.open(warehouse());
    try {
      const published = evaluation([
        school('S2', 83.33333333333333, {
          vetoed: true,
          vetoReason: '严重安全事故',
          grade: 'FAIL',
          excellentCapped: false,
        }),
        school('S1', 91.7, { incomplete: true, excellentCapped: true, grade: 'GOOD' }),
      ]);
      expect(await readPublishedEvaluation(warehouse().db, '2024-2025')).toBeNull();
      const publication = await writer.write((ctx) =>
        publishEvaluation(ctx, bureau, published, '初次发布', AT),
      );
      expect(publication).toEqual({
        version: 1,
        publishedAt: '2025-09-10T10:03:04+08:00',
        publishedBy: '王督学',
        note: '初次发布',
      });
      const remembered = await readPublishedEvaluation(warehouse().db, '2024-2025');
      forgetPublishedReads(); // from the stored rows now
      const read = await readPublishedEvaluation(warehouse().db, '2024-2025');
      expect(remembered).toStrictEqual({ ...published, publication });
      expect(read).toStrictEqual({ ...published, publication });
      // Byte for byte: the numbers and texts survive the JSON and DOUBLE round trip.
      expect(JSON.stringify(read?.schools)).toBe(JSON.stringify(published.schools));
      expect([...(read?.previous ?? [])]).toEqual([['S2', { score: 71.25, grade: 'PASS' }]]);
    } finally {
      await writer.close();
    }
  });

  it('appends versions; older ones stay readable; an unknown version is a user error', async () => {
    const writer = await WarehouseWriter.open(warehouse());
    try {
      const first = evaluation([school('S1', 80)]);
      const second = evaluation([school('S1', 85), school('S2', 50)]);
      await writer.write((ctx) => publishEvaluation(ctx, bureau, first, null, AT));
      const v2 = await writer.write((ctx) =>
        publishEvaluation(ctx, bureau, second, '更正后重新发布', new Date(AT.getTime() + 60_000)),
      );
      expect(v2.version).toBe(2);
      forgetPublishedReads();
      const db = warehouse().db;
      expect((await readPublishedEvaluation(db, '2024-2025'))?.schools.map((s) => s.score)).toEqual(
        [85, 50],
      );
      expect(
        (await readPublishedEvaluation(db, '2024-2025', 1))?.schools.map((s) => s.score),
      ).toEqual([80]);
      await expect(readPublishedEvaluation(db, '2024-2025', 3)).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      await expect(readPublishedEvaluation(db, '2025-2026', 1)).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(await listPublications(db, '2024-2025')).toEqual([
        {
          period: '2024-2025',
          version: 2,
          schemeVersion: '2024.1',
          publishedAt: '2025-09-10T10:04:04+08:00',
          publishedBy: '王督学',
          note: '更正后重新发布',
          schools: 2,
          current: true,
        },
        {
          period: '2024-2025',
          version: 1,
          schemeVersion: '2024.1',
          publishedAt: '2025-09-10T10:03:04+08:00',
          publishedBy: '王督学',
          note: null,
          schools: 1,
          current: false,
        },
      ]);
      expect(await listPublications(db, '2025-2026')).toEqual([]);
    } finally {
      await writer.close();
    }
  });

  it('refuses a second row for a published version or school', async () => {
    const writer = await WarehouseWriter.open(warehouse());
    try {
      await writer.write((ctx) =>
        publishEvaluation(ctx, bureau, evaluation([school('S1', 80)]), null, AT),
      );
      await expect(
        writer.write(({ conn }) =>
          conn.run(`INSERT INTO evaluation_results SELECT * FROM evaluation_results`),
        ),
      ).rejects.toThrow(/constraint/i);
      await expect(
        writer.write(({ conn }) =>
          conn.run(`INSERT INTO evaluation_publications SELECT * FROM evaluation_publications`),
        ),
      ).rejects.toThrow(/constraint/i);
      // A publish that fails half-way (the same school twice) leaves no trace of version 2.
      await expect(
        writer.write((ctx) =>
          publishEvaluation(
            ctx,
            bureau,
            evaluation([school('S1', 80), school('S1', 81)]),
            null,
            AT,
          ),
        ),
      ).rejects.toThrow(/constraint/i);
      expect(
        await query(
          warehouse(),
          `SELECT (SELECT count(*) FROM evaluation_results) AS results,
             (SELECT max(version) FROM evaluation_publications) AS version`,
        ),
      ).toEqual([{ results: 1, version: 1 }]);
    } finally {
      await writer.close();
    }
  });

  it('writes 10,000 schools in one append and reads them back', async () => {
    const writer = await WarehouseWriter.open(warehouse());
    try {
      const many = evaluation(
        Array.from({ length: 10_000 }, (_, i) => school(`S${String(i).padStart(5, '0')}`, i / 100)),
      );
      const started = performance.now();
      await writer.write((ctx) => publishEvaluation(ctx, bureau, many, null, AT));
      const writeMs = performance.now() - started;
      forgetPublishedReads(); // time the read from the stored rows
      const readStarted = performance.now();
      const read = await readPublishedEvaluation(warehouse().db, '2024-2025');
      const readMs = performance.now() - readStarted;
      const againStarted = performance.now();
      const again = await readPublishedEvaluation(warehouse().db, '2024-2025');
      const againMs = performance.now() - againStarted;
      console.log(
        `publish 10,000 schools: write ${writeMs.toFixed(0)} ms, first read ${readMs.toFixed(0)} ms, read again ${againMs.toFixed(0)} ms`,
      );
      expect(read?.schools).toEqual(many.schools);
      // The second read comes from memory: the same content in new containers.
      expect(again?.schools).toEqual(many.schools);
      expect(again?.schools).not.toBe(read?.schools);
    } finally {
      await writer.close();
    }
  });
});
