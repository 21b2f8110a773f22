/**
 * townshipMap over the fixture district (registry: 东城镇, 西山乡): null before a map is
 * loaded, the stored map after `etl map`'s loader, the registry's townships the map lacks,
 * and refused to a 学校填报员.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTownshipMap } from '../../../../etl/map/load-township-map.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const QUERY = `{ townshipMap { geojson sha256 fileName loadedAt townships missingTownships } }`;
const map = (name: string) =>
  fileURLToPath(new URL(`../../../fixtures/map/${name}`, import.meta.url));

let fixture: ApiFixture;
beforeAll(async () => {
  fixture = await openApiFixture();
}, 60_000);
afterAll(async () => {
  await fixture?.close();
});

describe('townshipMap', () => {
  it('is null until a map is loaded, then the map in force with the townships it lacks', async () => {
    expect((await fixture.run(VIEWERS.bureau, QUERY)).data).toEqual({ townshipMap: null });
    const loaded = await loadTownshipMap(fixture.warehouse, map('partial.geojson'), {
      loadedBy: 'test',
    });
    expect(loaded.ok).toBe(true);
    for (const viewer of [VIEWERS.bureau, VIEWERS.leader, VIEWERS.dx01, VIEWERS.township]) {
      const r = await fixture.run(viewer, QUERY);
      expect(r.errors, viewer.username).toBeUndefined();
      const answer = r.data?.townshipMap as Record<string, unknown>;
      expect(answer.fileName).toBe('partial.geojson');
      expect(answer.sha256).toBe(
        '83003fc23783a546ce55c33a17cf8d80aa74fc7c557e10bce76d1f1b300b4a2b',
      );
      expect(answer.townships).toEqual(['东城镇']);
      expect(answer.missingTownships).toEqual(['西山乡']);
      expect(JSON.parse(answer.geojson as string)).toEqual({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: '东城镇' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [115, 37],
                  [115.1, 37],
                  [115.1, 37.1],
                  [115, 37],
                ],
              ],
            },
          },
        ],
      });
      expect(Number.isNaN(Date.parse(answer.loadedAt as string))).toBe(false);
    }
  });

  it('is refused to a school reporter (FORBIDDEN, bilingual)', async () => {
    const r = await fixture.run(VIEWERS.school, QUERY);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(r.errors?.[0]?.message).toBe(
      '学校填报员不能查看乡镇地图（总览） / a school reporter may not read the township map (the overview)',
    );
    expect(r.data?.townshipMap ?? null).toBeNull();
  });
});
