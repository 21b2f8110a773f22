/**
 * The district's township map (乡镇/街道 boundaries, issue 18): one GeoJSON a district
 * supplies, validated by server/db/township-map.ts and served to the dashboard's choropleth.
 * The newest row is the map in force; a load inserts its row and deletes the older ones in
 * one transaction (a delete and re-insert of one key in a transaction is what DuckDB's
 * index checks refuse, hence a sequence rather than a fixed key).
 */
import type { Migration } from '../migrate.ts';

export const townshipMap: Migration = {
  version: 14,
  name: 'township map (乡镇边界 GeoJSON)',
  statements: [
    `CREATE SEQUENCE township_map_seq START 1`,
    `CREATE TABLE township_map (
      map_id INTEGER PRIMARY KEY DEFAULT nextval('township_map_seq'),
      file_name VARCHAR NOT NULL,
      sha256 VARCHAR NOT NULL,
      geojson VARCHAR NOT NULL,
      features INTEGER NOT NULL,
      vertices INTEGER NOT NULL,
      townships VARCHAR NOT NULL,
      loaded_by VARCHAR NOT NULL,
      loaded_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
  ],
};
