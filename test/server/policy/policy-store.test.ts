/**
 * The policy in the warehouse: the newest policy_files row is in force; a warehouse
 * without one stores the default file first; the same file twice is stored once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PolicyError } from '../../../server/policy/policy.ts';
import {
  readStoredPolicy,
  readStoredPolicyOn,
  storePolicyFile,
  storePolicyFileOn,
} from '../../../server/policy/policy-store.ts';
import { query, withWarehouse } from '../../helpers/with-warehouse.ts';

const text = (district: string, pay: number) =>
  stringify({
    district,
    versions: [
      {
        version: '1',
        effective_from: '2025-09',
        source: '测试',
        teacher_pay: { max_per_period: pay },
      },
    ],
  });

describe('readStoredPolicy', () => {
  it('stores the default file once, loaded_by default, and reads it back', async () => {
    await withWarehouse(async (w) => {
      const first = await readStoredPolicy(w.db);
      expect(first.policy.district).toBe('默认区县 (national defaults)');
      expect([first.fileName, first.loadedBy]).toEqual(['district-policy.yaml', 'default']);
      await readStoredPolicy(w.db);
      expect(await query(w, `SELECT file_name, loaded_by, versions FROM policy_files`)).toEqual([
        { file_name: 'district-policy.yaml', loaded_by: 'default', versions: '2021.1' },
      ]);
    });
  });

  it('reads the default without storing it when asked (a dry run)', async () => {
    await withWarehouse(async (w) => {
      const conn = await w.connect();
      try {
        const read = await readStoredPolicyOn(conn, { storeDefault: false });
        expect(read.policyId).toBeNull();
      } finally {
        conn.closeSync();
      }
      expect(await query(w, `SELECT count(*)::INTEGER AS n FROM policy_files`)).toEqual([{ n: 0 }]);
    });
  });

  it('uses KEHOU_POLICY as the default file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kehou-policy-'));
    try {
      const path = join(dir, '本区政策.yaml');
      await writeFile(path, text('环境区', 70));
      await withWarehouse(async (w) => {
        const read = await readStoredPolicy(w.db, { env: { KEHOU_POLICY: path } });
        expect([read.policy.district, read.fileName]).toEqual(['环境区', '本区政策.yaml']);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('storePolicyFile', () => {
  it('makes the newest file the policy in force and skips a file identical to it', async () => {
    await withWarehouse(async (w) => {
      const a = await storePolicyFile(w.db, {
        text: text('甲区', 60),
        fileName: 'a.yaml',
        loadedBy: 'x',
      });
      const b = await storePolicyFile(w.db, {
        text: text('乙区', 85),
        fileName: 'b.yaml',
        loadedBy: 'y',
      });
      expect([a.stored, b.stored]).toEqual([true, true]);
      expect((await readStoredPolicy(w.db)).policy.district).toBe('乙区');
      const conn = await w.connect();
      try {
        const again = await storePolicyFileOn(conn, {
          text: text('乙区', 85),
          fileName: 'b-copy.yaml',
          loadedBy: 'z',
        });
        expect([again.stored, again.current.fileName]).toEqual([false, 'b.yaml']);
        // Back to an older file: stored again, since it is not the one in force.
        const back = await storePolicyFileOn(conn, {
          text: text('甲区', 60),
          fileName: 'a.yaml',
          loadedBy: 'x',
        });
        expect(back.stored).toBe(true);
      } finally {
        conn.closeSync();
      }
      expect((await readStoredPolicy(w.db)).policy.district).toBe('甲区');
      expect(await query(w, `SELECT file_name FROM policy_files ORDER BY policy_id`)).toEqual([
        { file_name: 'a.yaml' },
        { file_name: 'b.yaml' },
        { file_name: 'a.yaml' },
      ]);
    });
  });

  it('stores nothing from an invalid file', async () => {
    await withWarehouse(async (w) => {
      await expect(
        storePolicyFile(w.db, {
          text: 'district: 坏\nversions: []\n',
          fileName: 'bad.yaml',
          loadedBy: 'x',
        }),
      ).rejects.toBeInstanceOf(PolicyError);
      expect(await query(w, `SELECT count(*)::INTEGER AS n FROM policy_files`)).toEqual([{ n: 0 }]);
    });
  });
});
