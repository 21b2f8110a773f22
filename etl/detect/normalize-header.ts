/**
 * Header texts are compared after folding full-width forms (NFKC), dropping units in
 * brackets（元/课时）, spaces and case, so "收费标准（元/课时）", "收费标准(元/课时)" and
 * "收费标准" are one header.
 */
export function normalizeHeader(text: string | null | undefined): string {
  if (text == null) return '';
  let norm = seen.get(text);
  if (norm === undefined) {
    norm = text
      .normalize('NFKC')
      .replace(/[(【[][^)\]】]*[)\]】]/gu, '')
      .replace(/[\s\u00a0*※]/gu, '')
      .replace(/[:：]$/u, '')
      .toLowerCase();
    // Header search normalises every cell of a sheet's first rows in several ways, and a
    // folder's files repeat the same texts: remembered, within a bound.
    if (seen.size >= SEEN_MAX) seen.clear();
    seen.set(text, norm);
  }
  return norm;
}

const SEEN_MAX = 20_000;
const seen = new Map<string, string>();
