/**
 * Header texts are compared after folding full-width forms (NFKC), dropping units in
 * brackets（元/课时）, spaces and case, so "收费标准（元/课时）", "收费标准(元/课时)" and
 * "收费标准" are one header.
 */
export function normalizeHeader(text: string | null | undefined): string {
  if (text == null) return '';
  return text
    .normalize('NFKC')
    .replace(/[(【[][^)\]】]*[)\]】]/gu, '')
    .replace(/[\s\u00a0*※]/gu, '')
    .replace(/[:：]$/u, '')
    .toLowerCase();
}
