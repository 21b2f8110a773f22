/**
 * The reader's two jobs, run inside the worker thread (xlsx-worker.ts):
 *
 * - `previewWorkbook`: checks the file type, the zip and every limit over the whole workbook
 *   (declared sizes, then one scan of every sheet), and returns each worksheet's name,
 *   visibility and first rows (for header detection and folder ordering).
 * - `streamRows`: reads the rows of the chosen sheets after a given row, handing them to
 *   `send` in batches; `send` resolves when the consumer has room (backpressure).
 *
 * Both read the file afresh, so nothing is kept between them: the worker may be replaced at
 * any time. Both send .xls/.et and .ods files to legacy-workbook.ts (by their bytes).
 */
import { open } from 'node:fs/promises';
import { previewLegacy, streamLegacyRows, type LegacyFormat } from './legacy-workbook.ts';
import { errorText, unreadable, XlsxReadError } from './xlsx-errors.ts';
import type { XlsxLimits } from './xlsx-limits.ts';
import {
  readCellFormats,
  readSharedStrings,
  readWorkbook,
  type WorkbookInfo,
} from './xlsx-parts.ts';
import { parseSheet, scanSheet, type Counter, type Merge, type ParsedRow } from './xlsx-sheet.ts';
import { Zip } from './xlsx-zip.ts';

export interface SheetPreviewData {
  name: string;
  hidden: boolean;
  /** The first rows of the sheet (at most the number asked for). */
  rows: ParsedRow[];
  /** The sheet has no rows beyond these: the loader need not read it again. */
  complete: boolean;
}

export interface RowBatch {
  /** Index of the sheet in the preview's list. */
  sheet: number;
  rows: ParsedRow[];
}

export interface SheetRequest {
  /** Index of the sheet in the preview's list. */
  sheet: number;
  /** Rows up to this Excel row number (the header) are not sent. */
  afterRow: number;
}

// ---------------------------------------------------------------------------------------------
// File type

const OLE_MAGIC = 0xd0cf11e0;
const ZIP_MAGIC = 0x504b0304;
const ENCRYPTED = Buffer.from('EncryptedPackage', 'utf16le');

/** What the file's bytes say it is: the formats the reader takes. */
type FileFormat = 'xlsx' | LegacyFormat;

const ODS_MIMETYPE = Buffer.from('application/vnd.oasis.opendocument.spreadsheet', 'latin1');

/**
 * Which reader a file goes to: an .xlsx (a zip), an OpenDocument spreadsheet (a zip whose
 * first entry is the stored `mimetype`) or an Excel 97-2003 / WPS workbook (an OLE compound
 * file) go to SheetJS (legacy-workbook.ts). Otherwise tells the clerk what the file is: an
 * .xlsx with a password to open (Excel wraps it in the same OLE container with an
 * "EncryptedPackage" stream), an HTML or XML page saved as .xls/.xlsx, or anything else.
 */
async function checkFileType(path: string): Promise<FileFormat> {
  const handle = await open(path, 'r').catch((err: unknown) => {
    throw unreadable(path, undefined, errorText(err));
  });
  try {
    const head = Buffer.alloc(128);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const start = head.subarray(0, bytesRead);
    if (start.length >= 4 && start.readUInt32BE(0) === ZIP_MAGIC) {
      const ods =
        start.subarray(30, 38).toString('latin1') === 'mimetype' &&
        start.subarray(38).includes(ODS_MIMETYPE);
      return ods ? 'ods' : 'xlsx';
    }
    if (start.length >= 4 && start.readUInt32BE(0) === OLE_MAGIC) {
      if (await contains(handle, ENCRYPTED)) {
        throw unreadable(
          path,
          '（工作簿设置了打开密码，请在Excel中取消密码后另存为.xlsx / ' +
            'the workbook is password-protected; remove the password and save it as .xlsx）',
        );
      }
      return 'xls';
    }
    const text = start
      .toString('latin1')
      .replace(/^\xef\xbb\xbf/, '')
      .trimStart();
    throw unreadable(
      path,
      text.startsWith('<')
        ? '（文件实为网页或XML格式，请在Excel中打开后另存为.xlsx / the file is HTML or XML; open it in Excel and save it as .xlsx）'
        : undefined,
    );
  } finally {
    await handle.close();
  }
}

/** Whether the file holds `needle`, read in 1 MiB pieces. */
async function contains(
  handle: Awaited<ReturnType<typeof open>>,
  needle: Buffer,
): Promise<boolean> {
  const piece = Buffer.alloc(1 << 20);
  let position = 0;
  let tail = Buffer.alloc(0);
  for (;;) {
    const { bytesRead } = await handle.read(piece, 0, piece.length, position);
    if (bytesRead === 0) return false;
    position += bytesRead;
    const buf = Buffer.concat([tail, piece.subarray(0, bytesRead)]);
    if (buf.includes(needle)) return true;
    tail = Buffer.from(buf.subarray(Math.max(0, buf.length - needle.length + 1)));
  }
}

// ---------------------------------------------------------------------------------------------
// Jobs

/**
 * The file's format. A zip that is no OOXML package but holds an OpenDocument `content.xml`
 * is an .ods even when its `mimetype` entry is not first (SheetJS writes it so).
 */
async function fileFormat(path: string, limits: XlsxLimits): Promise<FileFormat> {
  try {
    const format = await checkFileType(path);
    if (format !== 'xlsx') return format;
    const zip = await Zip.open(path, limits);
    try {
      const ods = !zip.find('[Content_Types].xml') && zip.find('content.xml') !== undefined;
      return ods ? 'ods' : 'xlsx';
    } finally {
      zip.close();
    }
  } catch (err) {
    throw asReadError(path, err);
  }
}

interface Opened {
  zip: Zip;
  info: WorkbookInfo;
}

async function openZip(path: string, limits: XlsxLimits): Promise<Opened> {
  const zip = await Zip.open(path, limits);
  try {
    const info = await readWorkbook(zip, limits);
    const parts = [info.stylesPart, info.sharedStringsPart, ...info.sheets.map((s) => s.part)]
      .map((p) => (p === undefined ? undefined : zip.find(p)))
      .filter((e) => e !== undefined);
    zip.checkDeclared([...new Set(parts)]);
    return { zip, info };
  } catch (err) {
    zip.close();
    throw err;
  }
}

/** Anything unexpected from a parser (saxes, zlib) means the file is not a sound workbook. */
function asReadError(path: string, err: unknown): XlsxReadError {
  return err instanceof XlsxReadError ? err : unreadable(path, undefined, errorText(err));
}

async function sheetContext(zip: Zip, info: WorkbookInfo, limits: XlsxLimits) {
  const formats = await readCellFormats(zip, info.stylesPart);
  const strings = await readSharedStrings(zip, info.sharedStringsPart, limits);
  return { formats, strings };
}

export async function previewWorkbook(
  path: string,
  limits: XlsxLimits,
  previewRows: number,
): Promise<SheetPreviewData[]> {
  const format = await fileFormat(path, limits);
  if (format !== 'xlsx') return previewLegacy(path, format, limits, previewRows);
  const { zip, info } = await openZip(path, limits).catch((err: unknown) => {
    throw asReadError(path, err);
  });
  try {
    // Every sheet is scanned before anything is parsed, so a workbook over a limit is
    // refused here, before header detection or staging.
    const scanned: Counter = { rows: 0, cells: 0 };
    const merges: Merge[][] = [];
    for (const s of info.sheets) merges.push(await scanSheet(zip, s.part, s.name, limits, scanned));
    const { formats, strings } = await sheetContext(zip, info, limits);
    const out: SheetPreviewData[] = [];
    for (const [i, s] of info.sheets.entries()) {
      const rows: ParsedRow[] = [];
      if (previewRows > 0) {
        await parseSheet(
          {
            zip,
            part: s.part,
            sheet: s.name,
            formats,
            strings,
            date1904: info.date1904,
            merges: merges[i] ?? [],
            limits,
            counter: { rows: 0, cells: 0 },
          },
          // One row more than asked tells whether the preview holds the whole sheet.
          { row: (r) => void rows.push(r), after: () => rows.length > previewRows },
        );
      }
      out.push({
        name: s.name,
        hidden: s.hidden,
        rows: rows.slice(0, previewRows),
        complete: previewRows > 0 && rows.length <= previewRows,
      });
    }
    return out;
  } catch (err) {
    throw asReadError(path, err);
  } finally {
    zip.close();
  }
}

export async function streamRows(
  path: string,
  limits: XlsxLimits,
  sheets: readonly SheetRequest[],
  batchRows: number,
  send: (batch: RowBatch) => Promise<void>,
): Promise<void> {
  const format = await fileFormat(path, limits);
  if (format !== 'xlsx') return streamLegacyRows(path, format, limits, sheets, batchRows, send);
  const { zip, info } = await openZip(path, limits).catch((err: unknown) => {
    throw asReadError(path, err);
  });
  try {
    const chosen = sheets.map((req) => {
      const s = info.sheets[req.sheet];
      if (!s) throw unreadable(path, undefined, `no sheet ${req.sheet}`);
      return { req, sheet: s };
    });
    const scanned: Counter = { rows: 0, cells: 0 };
    const merges: Merge[][] = [];
    for (const { sheet } of chosen) {
      merges.push(await scanSheet(zip, sheet.part, sheet.name, limits, scanned));
    }
    const { formats, strings } = await sheetContext(zip, info, limits);
    const counter: Counter = { rows: 0, cells: 0 };
    for (const [i, { req, sheet }] of chosen.entries()) {
      let batch: ParsedRow[] = [];
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        await send({ sheet: req.sheet, rows });
      };
      await parseSheet(
        {
          zip,
          part: sheet.part,
          sheet: sheet.name,
          formats,
          strings,
          date1904: info.date1904,
          merges: merges[i] ?? [],
          limits,
          counter,
        },
        {
          row: (r) => void batch.push(r),
          after: async () => {
            if (batch.length >= batchRows) await flush();
            return false;
          },
        },
        req.afterRow,
      );
      await flush();
    }
  } catch (err) {
    throw asReadError(path, err);
  } finally {
    zip.close();
  }
}
