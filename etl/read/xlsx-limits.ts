/**
 * The limits of the workbook reader. A workbook beyond any of them is refused with a
 * bilingual message naming the limit, the figure and what to do, long before the reader's
 * worker could run out of memory. Every figure can be changed with its environment variable
 * (read at each load, so a running server picks up a restart-free change only for new loads).
 *
 * | limit                | default       | env                                 |
 * | -------------------- | ------------- | ----------------------------------- |
 * | maxRows              | 1,048,576     | KEHOU_XLSX_MAX_ROWS                 |
 * | maxCells             | 20,000,000    | KEHOU_XLSX_MAX_CELLS                |
 * | maxInflatedMb        | 512 (MiB)     | KEHOU_XLSX_MAX_INFLATED_MB          |
 * | maxSheets            | 64            | KEHOU_XLSX_MAX_SHEETS               |
 * | maxSharedStrings     | 1,048,576     | KEHOU_XLSX_MAX_SHARED_STRINGS       |
 * | maxSharedStringChars | 33,554,432    | KEHOU_XLSX_MAX_SHARED_STRING_CHARS  |
 * | maxColumns           | 256           | KEHOU_XLSX_MAX_COLUMNS              |
 * | maxMergedRanges      | 262,144       | KEHOU_XLSX_MAX_MERGED_RANGES        |
 * | maxZipEntries        | 10,000        | KEHOU_XLSX_MAX_ZIP_ENTRIES          |
 * | workerHeapMb         | 512 (MiB)     | KEHOU_XLSX_WORKER_HEAP_MB           |
 * | timeoutSeconds       | 600           | KEHOU_XLSX_TIMEOUT_SECONDS          |
 *
 * Why these figures: 1,048,576 is Excel's own per-sheet maximum, and the workbook total is
 * held to it (a district's monthly participation file has ~1,500 rows, a province's a few
 * 100,000). Rows and cells are counted as the sheet XML holds them (a styled empty row
 * counts: the reader has to parse it) plus the rows a merged range adds. The inflated size is
 * that of all the parts the reader unpacks (workbook, styles, shared strings, sheets); zip
 * headers are checked first, and the bytes really inflated are counted too. The shared
 * strings table is the one structure the reader must hold whole, hence its own bounds
 * (~64 MiB of UTF-16 text at most). Columns: the staging table gets one column per sheet
 * column; report templates have fewer than 40.
 */

export interface XlsxLimits {
  /** Rows in all sheets of the workbook together. */
  maxRows: number;
  /** Cells in all sheets of the workbook together. */
  maxCells: number;
  /** Unpacked size of the parts read, in MiB. */
  maxInflatedMb: number;
  /** Worksheets in the workbook. */
  maxSheets: number;
  /** Entries of the shared strings table. */
  maxSharedStrings: number;
  /** Characters in the shared strings table. */
  maxSharedStringChars: number;
  /** Columns of a sheet holding a non-blank cell. */
  maxColumns: number;
  /** Merged ranges of a sheet. */
  maxMergedRanges: number;
  /** Files in the zip container. */
  maxZipEntries: number;
  /** Heap of the reader's worker thread (V8 old generation), in MiB. */
  workerHeapMb: number;
  /** Wall-clock time one read of a workbook may take, in seconds. */
  timeoutSeconds: number;
}

export const XLSX_LIMITS: Readonly<XlsxLimits> = Object.freeze({
  maxRows: 1_048_576,
  maxCells: 20_000_000,
  maxInflatedMb: 512,
  maxSheets: 64,
  maxSharedStrings: 1_048_576,
  maxSharedStringChars: 32 * 1024 * 1024,
  maxColumns: 256,
  maxMergedRanges: 262_144,
  maxZipEntries: 10_000,
  workerHeapMb: 512,
  timeoutSeconds: 600,
});

export const XLSX_LIMIT_ENV: Readonly<Record<keyof XlsxLimits, string>> = Object.freeze({
  maxRows: 'KEHOU_XLSX_MAX_ROWS',
  maxCells: 'KEHOU_XLSX_MAX_CELLS',
  maxInflatedMb: 'KEHOU_XLSX_MAX_INFLATED_MB',
  maxSheets: 'KEHOU_XLSX_MAX_SHEETS',
  maxSharedStrings: 'KEHOU_XLSX_MAX_SHARED_STRINGS',
  maxSharedStringChars: 'KEHOU_XLSX_MAX_SHARED_STRING_CHARS',
  maxColumns: 'KEHOU_XLSX_MAX_COLUMNS',
  maxMergedRanges: 'KEHOU_XLSX_MAX_MERGED_RANGES',
  maxZipEntries: 'KEHOU_XLSX_MAX_ZIP_ENTRIES',
  workerHeapMb: 'KEHOU_XLSX_WORKER_HEAP_MB',
  timeoutSeconds: 'KEHOU_XLSX_TIMEOUT_SECONDS',
});

/**
 * The limits in force: defaults, then the environment, then explicit overrides (tests).
 * A malformed environment value is an error rather than silently the default, so a
 * mistyped override cannot go unnoticed.
 */
export function xlsxLimits(
  overrides: Partial<XlsxLimits> = {},
  env: NodeJS.ProcessEnv = process.env,
): XlsxLimits {
  const limits: XlsxLimits = { ...XLSX_LIMITS };
  for (const key of Object.keys(XLSX_LIMIT_ENV) as (keyof XlsxLimits)[]) {
    const name = XLSX_LIMIT_ENV[key];
    const raw = env[name]?.trim();
    if (raw) {
      const value = Number(raw.replace(/[_,]/g, ''));
      if (!Number.isFinite(value) || value <= 0) {
        throw new Error(
          `环境变量 ${name} 应为正数，实为“${raw}” / ${name} must be a positive number, not "${raw}"`,
        );
      }
      limits[key] = value;
    }
    const override = overrides[key];
    if (override !== undefined) limits[key] = override;
  }
  return limits;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

const ADVICE_ZH = '请拆分文件，或在Excel中另存为CSV后载入';
const ADVICE_EN = 'split the file, or save it as CSV in Excel and load that';

/** Texts of a limit's reject: which limit, the figure, and what to do. */
export function limitTexts(
  limit: keyof XlsxLimits,
  limits: XlsxLimits,
  sheet?: string,
): { zh: string; en: string } {
  const n = limits[limit];
  const [zh, en] = ((): [string, string] => {
    switch (limit) {
      case 'maxRows':
        return [
          `工作簿过大：超过 ${fmt(n)} 行的上限`,
          `workbook too large: more than ${fmt(n)} rows`,
        ];
      case 'maxCells':
        return [
          `工作簿过大：超过 ${fmt(n)} 个单元格的上限`,
          `workbook too large: more than ${fmt(n)} cells`,
        ];
      case 'maxInflatedMb':
        return [
          `工作簿过大：解压后超过 ${fmt(n)} MB 的上限`,
          `workbook too large: it unpacks to more than ${fmt(n)} MB`,
        ];
      case 'maxSheets':
        return [
          `工作簿过大：超过 ${fmt(n)} 个工作表的上限`,
          `workbook too large: more than ${fmt(n)} sheets`,
        ];
      case 'maxSharedStrings':
        return [
          `工作簿过大：不同的文本超过 ${fmt(n)} 条的上限`,
          `workbook too large: more than ${fmt(n)} distinct texts`,
        ];
      case 'maxSharedStringChars':
        return [
          `工作簿过大：文本超过 ${fmt(n)} 个字符的上限`,
          `workbook too large: its texts hold more than ${fmt(n)} characters`,
        ];
      case 'maxColumns':
        return [
          `工作表“${sheet ?? ''}”过宽：超过 ${fmt(n)} 列的上限`,
          `sheet "${sheet ?? ''}" too wide: more than ${fmt(n)} columns`,
        ];
      case 'maxMergedRanges':
        return [
          `工作表“${sheet ?? ''}”的合并单元格超过 ${fmt(n)} 个区域的上限`,
          `sheet "${sheet ?? ''}" has more than ${fmt(n)} merged ranges`,
        ];
      case 'maxZipEntries':
        return [
          `工作簿过大：压缩包内超过 ${fmt(n)} 个文件的上限`,
          `workbook too large: more than ${fmt(n)} parts in its zip`,
        ];
      case 'workerHeapMb':
        return [
          `工作簿过大：读取所需内存超过 ${fmt(n)} MB 的上限，已中止`,
          `workbook too large: reading it needs more than ${fmt(n)} MB of memory; stopped`,
        ];
      case 'timeoutSeconds':
        return [
          `读取工作簿超过 ${fmt(n)} 秒的时限，已中止`,
          `reading the workbook took more than ${fmt(n)} seconds; stopped`,
        ];
    }
  })();
  return { zh: `${zh}，${ADVICE_ZH}`, en: `${en}; ${ADVICE_EN}` };
}
