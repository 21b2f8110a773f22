/** 乡镇地图: the map in force, for the choropleths (geometry only; figures come from overviewByTownship). */
import { readTownshipMap, registryTownships } from '../../db/township-map.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { assertNotOneSchool } from '../scope/one-school.ts';

export const mapResolvers: Resolvers = {
  Query: {
    async townshipMap(_parent, _args, ctx) {
      assertNotOneSchool(ctx.viewer, 'map');
      const map = await readTownshipMap(ctx.db);
      if (!map) return null;
      // Against today's registry, not the one at load time: schools are loaded after maps too.
      const drawn = new Set(map.townships);
      const missing = (await registryTownships(ctx.db)).filter((t) => !drawn.has(t));
      return {
        geojson: map.geojson,
        sha256: map.sha256,
        fileName: map.fileName,
        loadedAt: map.loadedAt.toISOString(),
        townships: map.townships,
        missingTownships: missing,
      };
    },
  },
};
