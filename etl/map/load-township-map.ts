/**
 * `etl map`: reads a district's township GeoJSON, validates it against the registry and
 * stores it as the map in force (server/db/township-map.ts), in one transaction. The demo
 * loads its generated map through this same function.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Warehouse } from '../../server/db/connect.ts';
import { kyselyOn } from '../../server/db/connect.ts';
import { MAP_LIMITS, storeTownshipMap, TownshipMapError } from '../../server/db/township-map.ts';
import { inTransaction } from '../flags/evaluate.ts';

export interface MapLoadOptions {
  loadedBy: string;
  dryRun?: boolean;
}

export type MapLoadResult =
  | {
      ok: true;
      file: string;
      dryRun: boolean;
      /** False when the same file is already the map in force. */
      stored: boolean;
      sha256: string;
      features: number;
      vertices: number;
      townships: string[];
      /** Registry townships the map does not draw (a warning: the map is stored). */
      missing: string[];
    }
  | { ok: false; file: string; errors: string[] };

/** The file's text, refusing one over the size cap before reading it. */
export async function readMapFile(path: string): Promise<string> {
  const info = await stat(path);
  if (info.size > MAP_LIMITS.maxBytes)
    throw new TownshipMapError([
      `文件过大：${info.size} 字节，上限 ${MAP_LIMITS.maxBytes} 字节（请简化边界）/ the file is too large: ${info.size} bytes, at most ${MAP_LIMITS.maxBytes} (simplify the boundaries)`,
    ]);
  return readFile(path, 'utf8');
}

export async function loadTownshipMap(
  warehouse: Warehouse,
  path: string,
  options: MapLoadOptions,
): Promise<MapLoadResult> {
  let text: string;
  try {
    text = await readMapFile(path);
  } catch (error) {
    if (error instanceof TownshipMapError)
      return { ok: false, file: path, errors: [...error.issues] };
    return {
      ok: false,
      file: path,
      errors: [`无法读取 / cannot read: ${(error as Error).message}`],
    };
  }
  const conn = await warehouse.connect();
  try {
    const dryRun = options.dryRun ?? false;
    const { stored, map } = await inTransaction(conn, dryRun, () =>
      storeTownshipMap(kyselyOn(conn), {
        text,
        fileName: basename(path),
        loadedBy: options.loadedBy,
      }),
    );
    return {
      ok: true,
      file: path,
      dryRun,
      stored,
      sha256: map.sha256,
      features: map.townships.length,
      vertices: map.vertices,
      townships: map.townships,
      missing: map.missing,
    };
  } catch (error) {
    if (error instanceof TownshipMapError)
      return { ok: false, file: path, errors: [...error.issues] };
    throw error;
  } finally {
    conn.closeSync();
  }
}

/** The result for a person: what was stored, the warnings, or every reason it was not. */
export function renderMapLoad(result: MapLoadResult): string {
  if (!result.ok)
    return `乡镇地图无效，未存入 / the township map is invalid and was not stored: ${result.file}\n${result.errors.map((e) => `  ✗ ${e}`).join('\n')}`;
  const head = result.dryRun
    ? `乡镇地图有效（试运行，未存入）/ the township map is valid (dry run, not stored)`
    : result.stored
      ? `乡镇地图已存入 / township map stored`
      : `与现行乡镇地图相同，未改动 / the same map is already in force: nothing changed`;
  const lines = [
    `${head}: ${result.file}`,
    `  ${result.features} 个乡镇（街道）townships, ${result.vertices} 个坐标点 positions, sha256 ${result.sha256.slice(0, 12)}`,
  ];
  if (result.missing.length > 0)
    lines.push(
      `  ⚠ 名录中有 ${result.missing.length} 个乡镇不在地图上（地图上显示为缺失，表格照常）/ ${result.missing.length} registry township(s) not on the map: ${result.missing.join('、')}`,
    );
  return lines.join('\n');
}
