/**
 * Instants as the API writes them for people in the district: ISO 8601 in China Standard
 * Time (Asia/Shanghai is UTC+8 all year, no daylight saving since 1991), to the second.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** 1763611200000 → "2025-11-20T12:00:00+08:00". */
export function shanghaiIso(epochMs: number): string {
  return `${new Date(epochMs + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** The calendar date "YYYY-MM-DD" of an instant in Asia/Shanghai. */
export function shanghaiDate(epochMs: number): string {
  return shanghaiIso(epochMs).slice(0, 10);
}
