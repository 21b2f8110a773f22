import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import {
  assertMayReadLoads,
  parseBatchId,
  toLoadBatch,
} from '../../../../server/graphql/loads/loads.service.ts';

const viewer = (role: Viewer['role']): Viewer => ({
  userId: 1,
  username: 'u',
  name: 'u',
  role,
  inspectorId: null,
  schoolCode: null,
  township: null,
  sessionHash: 's',
});

describe('assertMayReadLoads', () => {
  it('lets bureau inspectors through and forbids the other roles', () => {
    expect(() => assertMayReadLoads(viewer('BUREAU_INSPECTOR'))).not.toThrow();
    for (const role of ['LEADERSHIP', 'SUPERVISING_INSPECTOR'] as const)
      expect(() => assertMayReadLoads(viewer(role))).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
      );
  });
});

describe('parseBatchId', () => {
  it('accepts positive INTEGER IDs only', () => {
    expect(parseBatchId('7')).toBe(7);
    expect(parseBatchId('2147483647')).toBe(2147483647);
    for (const id of ['0', '07', '-1', '1.5', 'seven', '2147483648', '99999999999'])
      expect(parseBatchId(id)).toBeNull();
  });
});

const ROW = {
  batch_id: 3,
  file_name: '分年级参与情况.xlsx',
  kind: 'participation',
  sheets: '一年级,二年级' as string | null,
  status: 'loaded' as const,
  loaded_by: '张三',
  loaded_ms: BigInt(Date.parse('2025-11-20T04:00:00Z')),
  rows_read: 10,
  rows_skipped: 1,
  rows_loaded: 8,
  rows_rejected: 1,
  units_loaded: 2,
  units_rejected: 1,
};

describe('toLoadBatch', () => {
  it('splits the sheets and writes loaded_at in +08:00', () => {
    expect(toLoadBatch(ROW)).toMatchObject({
      id: '3',
      sheets: ['一年级', '二年级'],
      loadedAt: '2025-11-20T12:00:00+08:00',
      rowsLoaded: 8,
    });
  });

  it('gives no sheets for a batch recorded as unchanged', () => {
    expect(toLoadBatch({ ...ROW, sheets: null }).sheets).toEqual([]);
  });
});
