/**
 * Which files are report files: what `etl load` takes from a folder and what an upload
 * stores. Workbooks in Excel 97-2003 `.xls`, WPS `.et` and OpenDocument `.ods` are read as
 * well as `.xlsx` (legacy-workbook.ts): many school offices still save them.
 */
import { extname } from 'node:path';

export const REPORT_FILE_EXTENSIONS: readonly string[] = [
  '.xlsx',
  '.xls',
  '.et',
  '.ods',
  '.csv',
  '.txt',
];

/** A report file's name (Excel's "~$" owner files are not reports). */
export function isReportFileName(name: string): boolean {
  return REPORT_FILE_EXTENSIONS.includes(extname(name).toLowerCase()) && !name.startsWith('~$');
}
