import type { Generated } from 'kysely';

/** The district's township map (migration 0014); the newest row is the map in force. */
export interface TownshipMapTable {
  map_id: Generated<number>;
  /** The loaded file's name, for listings. */
  file_name: string;
  /** sha256 of the file as loaded: the same file loaded again changes nothing. */
  sha256: string;
  /** The map as served: each feature's geometry with `properties.name` only. */
  geojson: string;
  features: number;
  vertices: number;
  /** The townships the map draws, as a JSON array in feature order. */
  townships: string;
  loaded_by: string;
  loaded_at: Generated<string | Date>;
}
