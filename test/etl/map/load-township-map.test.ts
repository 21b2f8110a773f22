/**
 * `etl map`'s loader against an in-memory warehouse holding the fixture registry (东城镇,
 * 西山乡): stored once, unchanged on the same file, replaced by another, untouched by an
 * invalid file or a dry run. Figures by hand from test/fixtures/map.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTownshipMap } from '../../../server/db/township-map.ts';
import { loadPaths } from '../../../etl/index.ts';
import { loadTownshipMap, renderMapLoad } from '../../../etl/map/load-township-map.ts';
import { query, withWarehouse } from '../../helpers/with-warehouse.ts';

const map = (name: string) => fileURLToPath(new URL(`../../fixtures/map/${name}`, import.meta.url));
const REGISTRY = fileURLToPath(new URL('../../fixtures/api/学校名录.csv', import.meta.url));

describe('loadTownshipMap', () => {
  it('stores a valid map once, replaces it with another, and keeps it through a reject or a dry run', async () => {
    await withWarehouse(async (warehouse) => {
      await loadPaths(warehouse, [REGISTRY], { user: 'test' });
      const first = await loadTownshipMap(warehouse, map('valid.geojson'), { loadedBy: '张科长' });
      expect(first).toEqual({
        ok: true,
        file: map('valid.geojson'),
        dryRun: false,
        stored: true,
        sha256: '9d67cb58d9dfc3d5383683ba67fdcdc59c88fb1775809f165b0d73c8b7f13817',
        features: 2,
        vertices: 18,
        townships: ['东城镇', '西山乡'],
        missing: [],
      });
      const again = await loadTownshipMap(warehouse, map('valid.geojson'), { loadedBy: '李老师' });
      expect(again.ok && again.stored).toBe(false);
      expect(renderMapLoad(again)).toContain('与现行乡镇地图相同，未改动');
      expect(
        await query(
          warehouse,
          'SELECT map_id, file_name, features, vertices, loaded_by FROM township_map',
        ),
      ).toEqual([
        { map_id: 1, file_name: 'valid.geojson', features: 2, vertices: 18, loaded_by: '张科长' },
      ]);

      const partial = await loadTownshipMap(warehouse, map('partial.geojson'), {
        loadedBy: '张科长',
      });
      expect(partial.ok && partial.missing).toEqual(['西山乡']);
      expect(renderMapLoad(partial)).toContain(
        '⚠ 名录中有 1 个乡镇不在地图上（地图上显示为缺失，表格照常）/ 1 registry township(s) not on the map: 西山乡',
      );
      // The older map is gone in the same transaction: one row, the newest.
      expect(await query(warehouse, 'SELECT map_id, file_name FROM township_map')).toEqual([
        { map_id: 2, file_name: 'partial.geojson' },
      ]);

      const invalid = await loadTownshipMap(warehouse, map('invalid.geojson'), { loadedBy: 'x' });
      expect(invalid.ok).toBe(false);
      expect(!invalid.ok && invalid.errors).toHaveLength(9);
      expect(renderMapLoad(invalid)).toMatch(
        /^乡镇地图无效，未存入 \/ the township map is invalid and was not stored: .*invalid\.geojson\n {2}✗ features\[0\]/,
      );
      const dry = await loadTownshipMap(warehouse, map('valid.geojson'), {
        loadedBy: 'x',
        dryRun: true,
      });
      expect(dry.ok && dry.dryRun).toBe(true);
      const inForce = await readTownshipMap(warehouse.db);
      expect(inForce?.fileName).toBe('partial.geojson');
      expect(inForce?.townships).toEqual(['东城镇']);
      expect(inForce?.loadedBy).toBe('张科长');
    });
  });

  it('refuses a file over 5 MB before reading it, and a file that is not there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kehou-map-'));
    try {
      const big = join(dir, 'big.geojson');
      await writeFile(big, Buffer.alloc(5 * 1024 * 1024 + 1, 0x20));
      await withWarehouse(async (warehouse) => {
        expect(await loadTownshipMap(warehouse, big, { loadedBy: 'x' })).toEqual({
          ok: false,
          file: big,
          errors: [
            '文件过大：5242881 字节，上限 5242880 字节（请简化边界）/ the file is too large: 5242881 bytes, at most 5242880 (simplify the boundaries)',
          ],
        });
        const none = await loadTownshipMap(warehouse, join(dir, 'none.geojson'), { loadedBy: 'x' });
        expect(!none.ok && none.errors[0]).toMatch(/^无法读取 \/ cannot read: ENOENT/);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
