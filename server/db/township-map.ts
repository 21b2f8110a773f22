/**
 * The district's township map (乡镇/街道 boundaries): the one place that says what a valid
 * map is, stores it as the map in force and reads it back. The ETL (`etl map`) validates
 * and stores; the server only reads. A map is judged against the school registry: every
 * feature names a registry township once. Registry townships the map lacks are a warning,
 * not a reject (a township newly split or renamed in the registry must not block the map
 * of the others); the dashboard lists them as 地图中无此乡镇.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

export const MAP_LIMITS = {
  /** A county's townships at survey precision fit in well under this. */
  maxBytes: 5 * 1024 * 1024,
  maxFeatures: 500,
  /** All positions of all rings: keeps the served map and the browser's drawing bounded. */
  maxVertices: 200_000,
  /** China with a margin (longitude °E, latitude °N): catches swapped or projected coordinates. */
  lon: [73, 136] as const,
  lat: [3, 54] as const,
} as const;

/** Properties a feature's township name is read from, first present wins. */
export const NAME_PROPERTIES = ['name', 'township', '乡镇'] as const;

/** How many issues a reject lists before it stops (a broken file could yield thousands). */
const MAX_ISSUES = 50;

export class TownshipMapError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(issues.join('\n'));
    this.name = 'TownshipMapError';
  }
}

type Position = [number, number];
type Ring = Position[];
type Geometry =
  { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

export interface ValidMap {
  sha256: string;
  /** The map as served: the geometries with `properties.name` only, in the file's order. */
  geojson: string;
  /** Township names in feature order. */
  townships: string[];
  vertices: number;
  /** Registry townships the map does not draw (a warning). */
  missing: string[];
}

export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const where = (i: number) => `features[${i}]（第${i + 1}个要素 feature #${i + 1}）`;
const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}…` : text;
};
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Issues of one ring; `path` names it (geometry.coordinates[0][1]). */
function ringIssues(ring: unknown, at: string, path: string, issues: string[]): Ring | null {
  if (!Array.isArray(ring)) {
    issues.push(
      `${at} 的 ${path} 应为坐标数组，实为 ${show(ring)} / ${path} must be an array of positions`,
    );
    return null;
  }
  if (ring.length < 4) {
    issues.push(
      `${at} 的 ${path} 只有 ${ring.length} 个坐标点，闭合环至少需 4 个 / ${path} has ${ring.length} positions, a closed ring needs at least 4`,
    );
    return null;
  }
  const out: Ring = [];
  for (const [k, p] of ring.entries()) {
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      typeof p[0] !== 'number' ||
      typeof p[1] !== 'number' ||
      !Number.isFinite(p[0]) ||
      !Number.isFinite(p[1])
    ) {
      issues.push(
        `${at} 的 ${path}[${k}] 应为 [经度, 纬度] 两个有限数值，实为 ${show(p)} / ${path}[${k}] must be two finite numbers [lon, lat], got ${show(p)}`,
      );
      return null;
    }
    const [lon, lat] = p as [number, number];
    if (
      lon < MAP_LIMITS.lon[0] ||
      lon > MAP_LIMITS.lon[1] ||
      lat < MAP_LIMITS.lat[0] ||
      lat > MAP_LIMITS.lat[1]
    ) {
      issues.push(
        `${at} 的 ${path}[${k}] = ${show(p)} 超出中国范围（经度 ${MAP_LIMITS.lon[0]}–${MAP_LIMITS.lon[1]}，纬度 ${MAP_LIMITS.lat[0]}–${MAP_LIMITS.lat[1]}；应为 WGS84 经纬度）/ ${path}[${k}] = ${show(p)} lies outside China (lon ${MAP_LIMITS.lon[0]}–${MAP_LIMITS.lon[1]}, lat ${MAP_LIMITS.lat[0]}–${MAP_LIMITS.lat[1]}; WGS84 degrees expected)`,
      );
      return null;
    }
    out.push([lon, lat]);
  }
  const first = out[0]!;
  const last = out[out.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    issues.push(
      `${at} 的 ${path} 未闭合：首点 ${show(first)} 与末点 ${show(last)} 不同 / ${path} is not closed: its first position ${show(first)} differs from its last ${show(last)}`,
    );
    return null;
  }
  return out;
}

function polygonIssues(rings: unknown, at: string, path: string, issues: string[]): Ring[] | null {
  if (!Array.isArray(rings) || rings.length === 0) {
    issues.push(
      `${at} 的 ${path} 应为至少一个环的数组 / ${path} must be an array of at least one ring`,
    );
    return null;
  }
  const out: Ring[] = [];
  for (const [r, ring] of rings.entries()) {
    const checked = ringIssues(ring, at, `${path}[${r}]`, issues);
    if (!checked) return null;
    out.push(checked);
  }
  return out;
}

function geometryOf(
  feature: Record<string, unknown>,
  at: string,
  issues: string[],
): Geometry | null {
  const geometry = feature.geometry;
  if (!isObject(geometry)) {
    issues.push(`${at} 缺少 geometry / has no geometry`);
    return null;
  }
  if (geometry.type === 'Polygon') {
    const rings = polygonIssues(geometry.coordinates, at, 'geometry.coordinates', issues);
    return rings ? { type: 'Polygon', coordinates: rings } : null;
  }
  if (geometry.type === 'MultiPolygon') {
    const polygons = geometry.coordinates;
    if (!Array.isArray(polygons) || polygons.length === 0) {
      issues.push(
        `${at} 的 geometry.coordinates 应为至少一个多边形的数组 / geometry.coordinates must be an array of at least one polygon`,
      );
      return null;
    }
    const out: Ring[][] = [];
    for (const [k, polygon] of polygons.entries()) {
      const rings = polygonIssues(polygon, at, `geometry.coordinates[${k}]`, issues);
      if (!rings) return null;
      out.push(rings);
    }
    return { type: 'MultiPolygon', coordinates: out };
  }
  issues.push(
    `${at} 的 geometry.type 应为 Polygon 或 MultiPolygon，实为 ${show(geometry.type)} / geometry.type must be Polygon or MultiPolygon, got ${show(geometry.type)}`,
  );
  return null;
}

function nameOf(feature: Record<string, unknown>, at: string, issues: string[]): string | null {
  const properties = isObject(feature.properties) ? feature.properties : {};
  const key = NAME_PROPERTIES.find((k) => properties[k] !== undefined && properties[k] !== null);
  const list = NAME_PROPERTIES.join('、');
  if (key === undefined) {
    issues.push(
      `${at} 缺少乡镇名称属性（${list}）/ has no township name property (${NAME_PROPERTIES.join(', ')})`,
    );
    return null;
  }
  const value = properties[key];
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') {
    issues.push(
      `${at} 的属性 ${key} = ${show(value)} 不是乡镇名称 / property ${key} = ${show(value)} is not a township name`,
    );
    return null;
  }
  return name;
}

const vertexCount = (g: Geometry): number =>
  g.type === 'Polygon'
    ? g.coordinates.reduce((n, r) => n + r.length, 0)
    : g.coordinates.reduce((n, p) => n + p.reduce((m, r) => m + r.length, 0), 0);

/**
 * Validates a map file's text against the registry's townships. Throws TownshipMapError
 * with every issue found (up to 50), each in 中文 / English naming the feature, the
 * property or path and the value.
 */
export function validateTownshipMap(text: string, registry: readonly string[]): ValidMap {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAP_LIMITS.maxBytes)
    throw new TownshipMapError([
      `文件过大：${bytes} 字节，上限 ${MAP_LIMITS.maxBytes} 字节（请简化边界）/ the file is too large: ${bytes} bytes, at most ${MAP_LIMITS.maxBytes} (simplify the boundaries)`,
    ]);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new TownshipMapError([`不是有效的 JSON / not valid JSON: ${(error as Error).message}`]);
  }
  if (!isObject(data) || data.type !== 'FeatureCollection')
    throw new TownshipMapError([
      `顶层 type 应为 "FeatureCollection"，实为 ${show(isObject(data) ? data.type : data)} / the top-level type must be "FeatureCollection", got ${show(isObject(data) ? data.type : data)}`,
    ]);
  const features = data.features;
  if (!Array.isArray(features) || features.length === 0)
    throw new TownshipMapError([`features 应为非空数组 / features must be a non-empty array`]);
  if (features.length > MAP_LIMITS.maxFeatures)
    throw new TownshipMapError([
      `要素过多：${features.length} 个，上限 ${MAP_LIMITS.maxFeatures} / too many features: ${features.length}, at most ${MAP_LIMITS.maxFeatures}`,
    ]);

  const issues: string[] = [];
  const known = new Set(registry);
  const firstIndex = new Map<string, number>();
  const out: Array<{ name: string; geometry: Geometry }> = [];
  let vertices = 0;
  for (const [i, feature] of features.entries()) {
    if (issues.length >= MAX_ISSUES) break;
    const at = where(i);
    if (!isObject(feature) || feature.type !== 'Feature') {
      issues.push(
        `${at} 的 type 应为 "Feature"，实为 ${show(isObject(feature) ? feature.type : feature)} / type must be "Feature"`,
      );
      continue;
    }
    const name = nameOf(feature, at, issues);
    const geometry = geometryOf(feature, at, issues);
    if (name !== null) {
      const seen = firstIndex.get(name);
      if (seen !== undefined)
        issues.push(
          `${at} 的乡镇名称 ${show(name)} 与 ${where(seen)} 重复 / the township name ${show(name)} repeats features[${seen}]`,
        );
      else firstIndex.set(name, i);
      if (!known.has(name))
        issues.push(
          known.size === 0
            ? `${at} 的乡镇名称 ${show(name)} 无法核对：数据仓库尚无学校名录，请先导入名录 / the township ${show(name)} cannot be checked: the warehouse has no school registry yet, load it first`
            : `${at} 的乡镇名称 ${show(name)} 不在学校名录中 / the township ${show(name)} is not in the school registry`,
        );
    }
    if (geometry) vertices += vertexCount(geometry);
    if (name !== null && geometry) out.push({ name, geometry });
  }
  if (vertices > MAP_LIMITS.maxVertices)
    issues.push(
      `坐标点过多：${vertices} 个，上限 ${MAP_LIMITS.maxVertices}（请简化边界）/ too many positions: ${vertices}, at most ${MAP_LIMITS.maxVertices} (simplify the boundaries)`,
    );
  if (issues.length > 0) throw new TownshipMapError(issues.slice(0, MAX_ISSUES));

  const townships = out.map((f) => f.name);
  const drawn = new Set(townships);
  return {
    sha256: sha256Of(text),
    geojson: JSON.stringify({
      type: 'FeatureCollection',
      features: out.map((f) => ({
        type: 'Feature',
        properties: { name: f.name },
        geometry: f.geometry,
      })),
    }),
    townships,
    vertices,
    missing: [...known].filter((t) => !drawn.has(t)).sort((a, b) => a.localeCompare(b, 'zh-CN')),
  };
}

/** Every township the registry names (any school, open or closed), sorted. */
export async function registryTownships(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('schools')
    .select('township')
    .distinct()
    .orderBy('township')
    .execute();
  return rows.map((r) => r.township);
}

export interface StoredMap {
  mapId: number;
  fileName: string;
  sha256: string;
  geojson: string;
  features: number;
  vertices: number;
  townships: string[];
  loadedBy: string;
  loadedAt: Date;
}

/** The map in force, or null when none was loaded. */
export async function readTownshipMap(db: Kysely<Database>): Promise<StoredMap | null> {
  const row = await db
    .selectFrom('township_map')
    .selectAll()
    .orderBy('map_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    mapId: Number(row.map_id),
    fileName: row.file_name,
    sha256: row.sha256,
    geojson: row.geojson,
    features: Number(row.features),
    vertices: Number(row.vertices),
    townships: JSON.parse(row.townships) as string[],
    loadedBy: row.loaded_by,
    loadedAt: new Date(row.loaded_at),
  };
}

export interface MapFileInput {
  text: string;
  fileName: string;
  loadedBy: string;
}

export interface StoreMapResult {
  /** False when the file's sha256 equals the map in force (nothing written). */
  stored: boolean;
  map: ValidMap;
}

/**
 * Validates `input` against the registry and makes it the map in force, replacing the
 * previous one. Run it inside the caller's transaction: the insert and the delete of the
 * older rows commit together. Throws TownshipMapError when the file is invalid.
 */
export async function storeTownshipMap(
  db: Kysely<Database>,
  input: MapFileInput,
): Promise<StoreMapResult> {
  const map = validateTownshipMap(input.text, await registryTownships(db));
  const current = await readTownshipMap(db);
  if (current && current.sha256 === map.sha256) return { stored: false, map };
  const row = await db
    .insertInto('township_map')
    .values({
      file_name: input.fileName,
      sha256: map.sha256,
      geojson: map.geojson,
      features: map.townships.length,
      vertices: map.vertices,
      townships: JSON.stringify(map.townships),
      loaded_by: input.loadedBy,
    })
    .returning('map_id')
    .executeTakeFirstOrThrow();
  await db.deleteFrom('township_map').where('map_id', '<', Number(row.map_id)).execute();
  return { stored: true, map };
}
