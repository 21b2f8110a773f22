/**
 * The township maps registered with ECharts this session, by version (sha256): a map's
 * GeoJSON is fetched, parsed and registered once, whichever view draws it first.
 */
import { echarts } from '../echarts.ts';

const registered = new Set<string>();

/** The name ECharts knows a map version by. */
export const mapNameOf = (sha256: string): string => `kehou-townships-${sha256.slice(0, 16)}`;

export function isRegistered(sha256: string): boolean {
  return registered.has(sha256);
}

/** Registers the version's GeoJSON (once) and returns its name. */
export function registerTownshipMap(sha256: string, geojson: string): string {
  if (!registered.has(sha256)) {
    echarts.registerMap(
      mapNameOf(sha256),
      JSON.parse(geojson) as Parameters<typeof echarts.registerMap>[1],
    );
    registered.add(sha256);
  }
  return mapNameOf(sha256);
}
