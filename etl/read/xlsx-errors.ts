/**
 * Errors of the workbook reader. They cross the worker boundary as plain data
 * (`XlsxErrorData`) and become an `XlsxReadError` again on the main thread.
 */
import { limitTexts, type XlsxLimits } from './xlsx-limits.ts';

export type XlsxErrorCode = 'limit' | 'unreadable' | 'worker';

export interface XlsxErrorData {
  code: XlsxErrorCode;
  zh: string;
  en: string;
  /** The whole message; for unreadable files the text the loader always gave. */
  message: string;
  limit?: keyof XlsxLimits;
}

export class XlsxReadError extends Error {
  readonly code: XlsxErrorCode;
  readonly zh: string;
  readonly en: string;
  readonly limit?: keyof XlsxLimits;

  constructor(data: XlsxErrorData) {
    super(data.message);
    this.name = 'XlsxReadError';
    this.code = data.code;
    this.zh = data.zh;
    this.en = data.en;
    if (data.limit !== undefined) this.limit = data.limit;
  }

  toData(): XlsxErrorData {
    return {
      code: this.code,
      zh: this.zh,
      en: this.en,
      message: this.message,
      ...(this.limit === undefined ? {} : { limit: this.limit }),
    };
  }
}

export const NOT_XLSX_ZH = '无法读取Excel文件（不是有效的.xlsx）';
export const NOT_XLSX_EN = 'not a readable .xlsx workbook';
export const NOT_XLSX = `${NOT_XLSX_ZH} / ${NOT_XLSX_EN}`;

/**
 * A file that is no readable workbook. `hint` is a bilingual explanation in full-width
 * parentheses; `cause` a technical detail in ASCII ones (as the exceljs reader gave them).
 */
export function unreadable(path: string, hint?: string, cause?: string): XlsxReadError {
  const detail = hint ?? (cause === undefined ? '' : ` (${cause})`);
  return new XlsxReadError({
    code: 'unreadable',
    zh: NOT_XLSX_ZH,
    en: NOT_XLSX_EN,
    message: `${NOT_XLSX}: ${path}${detail}`,
  });
}

export function limitError(
  limit: keyof XlsxLimits,
  limits: XlsxLimits,
  sheet?: string,
): XlsxReadError {
  const { zh, en } = limitTexts(limit, limits, sheet);
  return new XlsxReadError({ code: 'limit', zh, en, message: `${zh} / ${en}`, limit });
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
