/**
 * What a valid township map is (server/db/township-map.ts), on the fixtures of
 * test/fixtures/map against the registry townships of test/fixtures/api (东城镇, 西山乡).
 * Every expected figure and message is written out by hand from the fixture files.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MAP_LIMITS,
  TownshipMapError,
  validateTownshipMap,
} from '../../../server/db/township-map.ts';

const REGISTRY = ['东城镇', '西山乡'];
const read = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/map/${name}`, import.meta.url)), 'utf8');

function issuesOf(text: string, registry: readonly string[] = REGISTRY): readonly string[] {
  try {
    validateTownshipMap(text, registry);
  } catch (error) {
    if (error instanceof TownshipMapError) return error.issues;
    throw error;
  }
  throw new Error('expected the map to be rejected');
}

const at = (i: number) => `features[${i}]（第${i + 1}个要素 feature #${i + 1}）`;

describe('validateTownshipMap', () => {
  it('accepts a Polygon and a MultiPolygon with a hole, names read from name and 乡镇', () => {
    const map = validateTownshipMap(read('valid.geojson'), REGISTRY);
    expect(map.townships).toEqual(['东城镇', '西山乡']);
    // 5 positions, then 4 + (5 + 4) in the MultiPolygon.
    expect(map.vertices).toBe(18);
    expect(map.missing).toEqual([]);
    expect(map.sha256).toBe('9d67cb58d9dfc3d5383683ba67fdcdc59c88fb1775809f165b0d73c8b7f13817');
    // Served with the name alone (code and 乡镇 dropped), geometry unchanged.
    const served = JSON.parse(map.geojson) as {
      features: { properties: unknown; geometry: { type: string; coordinates: unknown } }[];
    };
    expect(served.features.map((f) => f.properties)).toEqual([
      { name: '东城镇' },
      { name: '西山乡' },
    ]);
    expect(served.features[0]?.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [115, 37],
          [115.1, 37],
          [115.1, 37.1],
          [115, 37.1],
          [115, 37],
        ],
      ],
    });
  });

  it('warns (does not reject) when a registry township is not on the map', () => {
    const map = validateTownshipMap(read('partial.geojson'), REGISTRY);
    expect(map.townships).toEqual(['东城镇']);
    expect(map.vertices).toBe(4);
    expect(map.missing).toEqual(['西山乡']);
  });

  it('lists every issue, naming the feature, the property or path and the value', () => {
    expect(issuesOf(read('invalid.geojson'))).toEqual([
      `${at(0)} 的 geometry.coordinates[0] 未闭合：首点 [115,37] 与末点 [115,37.1] 不同 / geometry.coordinates[0] is not closed: its first position [115,37] differs from its last [115,37.1]`,
      `${at(1)} 的乡镇名称 "东城镇" 与 ${at(0)} 重复 / the township name "东城镇" repeats features[0]`,
      `${at(2)} 缺少乡镇名称属性（name、township、乡镇）/ has no township name property (name, township, 乡镇)`,
      `${at(2)} 的 geometry.type 应为 Polygon 或 MultiPolygon，实为 "Point" / geometry.type must be Polygon or MultiPolygon, got "Point"`,
      `${at(3)} 的 geometry.coordinates[0] 只有 3 个坐标点，闭合环至少需 4 个 / geometry.coordinates[0] has 3 positions, a closed ring needs at least 4`,
      `${at(3)} 的乡镇名称 "北河镇" 不在学校名录中 / the township "北河镇" is not in the school registry`,
      `${at(4)} 的 geometry.coordinates[0][1] = [37,115] 超出中国范围（经度 73–136，纬度 3–54；应为 WGS84 经纬度）/ geometry.coordinates[0][1] = [37,115] lies outside China (lon 73–136, lat 3–54; WGS84 degrees expected)`,
      `${at(5)} 的属性 name = " " 不是乡镇名称 / property name = " " is not a township name`,
      `${at(5)} 的 geometry.coordinates[0][1] 应为 [经度, 纬度] 两个有限数值，实为 ["115.1",37] / geometry.coordinates[0][1] must be two finite numbers [lon, lat], got ["115.1",37]`,
    ]);
  });

  it('rejects what is not a FeatureCollection, not JSON, too large or too detailed', () => {
    expect(issuesOf('{"type":"Feature"}')).toEqual([
      '顶层 type 应为 "FeatureCollection"，实为 "Feature" / the top-level type must be "FeatureCollection", got "Feature"',
    ]);
    expect(issuesOf('{"type":"FeatureCollection","features":[]}')).toEqual([
      'features 应为非空数组 / features must be a non-empty array',
    ]);
    expect(issuesOf('{"type":')[0]).toMatch(/^不是有效的 JSON \/ not valid JSON: /);
    const big = ' '.repeat(MAP_LIMITS.maxBytes + 1);
    expect(issuesOf(big)).toEqual([
      `文件过大：5242881 字节，上限 5242880 字节（请简化边界）/ the file is too large: 5242881 bytes, at most 5242880 (simplify the boundaries)`,
    ]);
    // 201 rings of 1,000 positions each: 201,000 > 200,000.
    const ring = Array.from({ length: 999 }, (_, k) => [115 + k / 10000, 37 + (k % 2) / 100]);
    ring.push(ring[0]!);
    const polygons = Array.from({ length: 201 }, () => [ring]);
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: '东城镇' },
          geometry: { type: 'MultiPolygon', coordinates: polygons },
        },
      ],
    });
    expect(issuesOf(text)).toEqual([
      '坐标点过多：201000 个，上限 200000（请简化边界）/ too many positions: 201000, at most 200000 (simplify the boundaries)',
    ]);
  });

  it('says the registry must come first when the warehouse has none', () => {
    expect(issuesOf(read('partial.geojson'), [])).toEqual([
      `${at(0)} 的乡镇名称 "东城镇" 无法核对：数据仓库尚无学校名录，请先导入名录 / the township "东城镇" cannot be checked: the warehouse has no school registry yet, load it first`,
    ]);
  });
});
