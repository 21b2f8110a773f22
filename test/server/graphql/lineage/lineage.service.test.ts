/**
 * Lineage's history as the service builds it from rows: each replaced version compared with
 * the version of the same row that replaced it (by grade for participation), a dropped row's
 * values going to null, and the labels and texts of values.
 */
import { describe, expect, it } from 'vitest';
import { LINEAGE_COLUMNS } from '../../../../server/graphql/lineage/column-labels.ts';
import type {
  SourceRowRecord,
  VersionRecord,
} from '../../../../server/graphql/lineage/lineage.repository.ts';
import {
  toHistory,
  toSourceRow,
  valueText,
  visibleColumns,
} from '../../../../server/graphql/lineage/lineage.service.ts';
import { VIEWERS } from '../../../helpers/api-fixture.ts';

const COLUMNS = LINEAGE_COLUMNS.PARTICIPATION.filter((c) =>
  ['participants', 'left_behind_participants'].includes(c.column),
);

function record(batch: number, row: number, values: Record<string, unknown>): SourceRowRecord {
  return {
    batch_id: batch,
    file_name: `f${batch}.xlsx`,
    loaded_by: 'clerk',
    loaded_ms: 1_700_000_000_000,
    sha256: 'a'.repeat(64),
    original_bytes: batch === 1 ? null : 100,
    source_sheet: '分年级',
    source_row: row,
    row_json: JSON.stringify(values),
  };
}

function version(
  batch: number,
  row: number,
  values: Record<string, unknown>,
  by: number,
): VersionRecord {
  return {
    ...record(batch, row, values),
    superseded_by: by,
    replaced_by_file: `f${by}.xlsx`,
    replaced_ms: 1_700_000_100_000,
  };
}

describe('lineage history', () => {
  it('compares each version with the next of the same grade, newest first', () => {
    // Batch 1 (grades 1, 2) → batch 2 (grades 1, 2) → batch 3 (grade 1 only: grade 2 dropped).
    const current = [record(3, 2, { grade: 1, participants: 50, left_behind_participants: 5 })].map(
      (r) => toSourceRow('PARTICIPATION', COLUMNS, r),
    );
    const history = toHistory('PARTICIPATION', COLUMNS, current, [
      version(2, 2, { grade: 1, participants: 48, left_behind_participants: 5 }, 3),
      version(2, 3, { grade: 2, participants: 40, left_behind_participants: 4 }, 3),
      version(1, 2, { grade: 1, participants: 45, left_behind_participants: 3 }, 2),
      version(1, 3, { grade: 2, participants: 40, left_behind_participants: 4 }, 2),
    ]);
    expect(history.map((h) => [h.source.grade, h.replacedByBatchId, h.changes])).toEqual([
      [1, '3', [{ column: 'participants', label: '参加人数', old: '48', new: '50' }]],
      [
        2,
        '3',
        [
          { column: 'participants', label: '参加人数', old: '40', new: null },
          { column: 'left_behind_participants', label: '留守儿童参加数', old: '4', new: null },
        ],
      ],
      [
        1,
        '2',
        [
          { column: 'participants', label: '参加人数', old: '45', new: '48' },
          { column: 'left_behind_participants', label: '留守儿童参加数', old: '3', new: '5' },
        ],
      ],
      [2, '2', []],
    ]);
    expect(history[2]!.source.originalAvailable).toBe(false);
    expect(history[0]!.source.originalAvailable).toBe(true);
    expect(history[0]!.replacedByFile).toBe('f3.xlsx');
  });

  it('writes values as text: numbers plain, booleans 是/否, null as null', () => {
    expect([
      valueText(0),
      valueText(12.5),
      valueText(true),
      valueText(false),
      valueText(null),
    ]).toEqual(['0', '12.5', '是', '否', null]);
  });

  it('labels columns with the contract headers; leadership and exports get no priority counts', () => {
    const monthly = LINEAGE_COLUMNS.MONTHLY_REPORTS;
    expect(monthly.find((c) => c.column === 'school_name_reported')?.label).toBe('学校名称');
    expect(monthly.some((c) => c.column === 'school_code' || c.column === 'month')).toBe(false);
    const columns = (ctx: Parameters<typeof visibleColumns>[0]) =>
      visibleColumns(ctx, 'PARTICIPATION').map((c) => c.column);
    const bureau = columns({ viewer: VIEWERS.bureau });
    const leader = columns({ viewer: VIEWERS.leader });
    // A bureau inspector's export is protected like a leader's answer.
    expect(columns({ viewer: VIEWERS.bureau, exportRequest: true })).toEqual(leader);
    expect(bureau.filter((c) => !leader.includes(c)).sort()).toEqual(
      ['disabled', 'left_behind', 'migrant', 'poor']
        .flatMap((g) => [`${g}_enrolled`, `${g}_participants`])
        .sort(),
    );
  });
});
