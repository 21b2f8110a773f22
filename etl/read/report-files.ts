/**
 * Which files are report files: what `etl load` takes from a folder and what an upload
 * stores. Old Excel 97-2003 `.xls` files are taken too, so that the clerk hears why they
 * cannot be read and what to do (save as .xlsx), instead of their being ignored.
 */
import { extname } from 'node:path';

export const REPORT_FILE_EXTENSIONS: readonly string[] = ['.xlsx', '.xls', '.csv', '.txt'];

/** A report file's name (Excel's "~$" owner files are not reports). */
export function isReportFileName(name: string): boolean {
  return REPORT_FILE_EXTENSIONS.includes(extname(name).toLowerCase()) && !name.startsWith('~$');
}
