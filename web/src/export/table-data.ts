/** A table as the exporters see it: headers and rows of plain values. */
export type Cell = string | number | null;

/** How an exported number is shown in Excel. */
export type NumberFormat = 'percent' | 'integer' | 'decimal';

export interface ExportColumn {
  header: string;
  /** Column width in characters (XLSX). */
  width?: number;
  numberFormat?: NumberFormat;
}

export interface TableData {
  /** Sheet name and file-name stem, e.g. "学校列表". */
  title: string;
  /** Lines written above the table: filters and data date. */
  notes: string[];
  columns: ExportColumn[];
  rows: Cell[][];
}

/** "课后服务_学校列表_2025年9月" from the title and the month label; safe for every OS. */
export function exportFileName(title: string, extension: 'xlsx' | 'csv' | 'png'): string {
  const safe = title.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `课后服务_${safe}.${extension}`;
}
