/**
 * The files a clerk has chosen before uploading: only the report types the server takes
 * (.xlsx, Excel 97-2003 .xls, WPS .et, OpenDocument .ods, .csv and .txt; Excel's
 * "~$" lock files are not reports), each file once. The list mirrors the server's
 * etl/read/report-files.ts, which the web app may not import; a test keeps them equal.
 */

export const REPORT_FILE_EXTENSIONS: readonly string[] = [
  '.xlsx',
  '.xls',
  '.et',
  '.ods',
  '.csv',
  '.txt',
];

/** The `accept` attribute of the file input. */
export const ACCEPTED_TYPES = REPORT_FILE_EXTENSIONS.join(',');

/** The minimum a chosen file needs (a browser File has all of it). */
export interface ChosenFile {
  name: string;
  size: number;
  lastModified: number;
}

export function isReportFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return REPORT_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext)) && !name.startsWith('~$');
}

const identity = (f: ChosenFile): string => `${f.name}\u0000${f.size}\u0000${f.lastModified}`;

/**
 * `chosen` with the report files of `added` appended (a file already chosen is not added
 * twice); `ignored` names the files of another type.
 */
export function addChosen<F extends ChosenFile>(
  chosen: readonly F[],
  added: readonly F[],
): { files: F[]; ignored: string[] } {
  const seen = new Set(chosen.map(identity));
  const files = [...chosen];
  const ignored: string[] = [];
  for (const file of added) {
    if (!isReportFileName(file.name)) ignored.push(file.name);
    else if (!seen.has(identity(file))) {
      seen.add(identity(file));
      files.push(file);
    }
  }
  return { files, ignored };
}

/** 512 → "512 B", 2048 → "2.0 KB", 3.5 MiB → "3.5 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
