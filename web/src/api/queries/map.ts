/** The township map in force (乡镇边界) for the choropleths of 总览 and 优先群体; null when none is loaded. */
export const TOWNSHIP_MAP = /* GraphQL */ `
  query TownshipMap {
    townshipMap {
      geojson
      sha256
      fileName
      loadedAt
      townships
      missingTownships
    }
  }
`;
