/**
 * The township map in force (乡镇边界) for the choropleths of 总览 and 优先群体: what it
 * draws (small, asked by every panel) and its shapes (up to 5 MB, asked once per map
 * version: the app registers them with ECharts and keeps them for the session).
 */
export const TOWNSHIP_MAP = /* GraphQL */ `
  query TownshipMap {
    townshipMap {
      sha256
      fileName
      loadedAt
      townships
      missingTownships
    }
  }
`;

export const TOWNSHIP_MAP_SHAPES = /* GraphQL */ `
  query TownshipMapShapes {
    townshipMap {
      sha256
      geojson
    }
  }
`;
