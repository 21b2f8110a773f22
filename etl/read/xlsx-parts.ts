/**
 * The small parts of a workbook, parsed with saxes as they inflate: the package and
 * workbook relationships, workbook.xml (sheets in tab order, hidden state, 1904 dates),
 * styles.xml (each cell style's number format) and the shared strings table (bounded).
 * Element and attribute names are matched by local name, so prefixed SpreadsheetML
 * (`<x:sheet>`, written by the Open XML SDK) reads like the default namespace.
 */
import { posix } from 'node:path';
import { TextDecoder } from 'node:util';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { decodeXString, formatCodeOf } from './xlsx-cells.ts';
import { limitError, unreadable } from './xlsx-errors.ts';
import type { XlsxLimits } from './xlsx-limits.ts';
import type { Zip } from './xlsx-zip.ts';

export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** An attribute by local name (`r:id` and `ns0:id` alike). */
export function attr(tag: SaxesTagPlain, name: string): string | undefined {
  const direct = tag.attributes[name];
  if (direct !== undefined) return direct;
  for (const key in tag.attributes) if (localName(key) === name) return tag.attributes[key];
  return undefined;
}

export type XmlParser = SaxesParser<{ xmlns: false; position: false }>;

/**
 * Feeds a part's bytes to a fresh saxes parser set up by `setup`. `after` runs after each
 * chunk (a sink can wait there for room); true from it ends the read (the zip stream is
 * then destroyed).
 */
export async function parseXml(
  chunks: AsyncGenerator<Buffer, void, undefined>,
  setup: (parser: XmlParser) => void,
  after: () => boolean | Promise<boolean> = () => false,
): Promise<void> {
  const parser: XmlParser = new SaxesParser({ xmlns: false, position: false });
  setup(parser);
  let decoder: TextDecoder | undefined;
  for await (const chunk of chunks) {
    // OOXML parts are UTF-8 or, rarely, UTF-16 with a byte order mark.
    decoder ??= new TextDecoder(
      chunk[0] === 0xff && chunk[1] === 0xfe
        ? 'utf-16le'
        : chunk[0] === 0xfe && chunk[1] === 0xff
          ? 'utf-16be'
          : 'utf-8',
    );
    parser.write(decoder.decode(chunk, { stream: true }));
    if (await after()) return;
  }
  if (decoder) parser.write(decoder.decode());
  parser.close();
}

// ---------------------------------------------------------------------------------------------
// Relationships

export interface Relationship {
  type: string;
  /** The target part's name in the zip (resolved against the source part). */
  target: string;
  external: boolean;
}

/** Relationships of a part (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`), by Id. */
export async function readRelationships(
  zip: Zip,
  partName: string,
): Promise<Map<string, Relationship>> {
  const dir = posix.dirname(partName);
  const relsName = posix.join(dir, '_rels', `${posix.basename(partName)}.rels`);
  const entry = zip.find(relsName);
  const rels = new Map<string, Relationship>();
  if (!entry) return rels;
  await parseXml(zip.read(entry), (p) => {
    p.on('opentag', (tag) => {
      if (localName(tag.name) !== 'Relationship') return;
      const id = attr(tag, 'Id');
      const target = attr(tag, 'Target');
      if (id === undefined || target === undefined) return;
      const external = attr(tag, 'TargetMode') === 'External';
      const resolved = target.startsWith('/')
        ? target.slice(1)
        : posix.normalize(posix.join(dir === '.' ? '' : dir, target));
      rels.set(id, { type: attr(tag, 'Type') ?? '', target: resolved, external });
    });
  });
  return rels;
}

const relType = (rel: Relationship, kind: string): boolean =>
  rel.type.endsWith(`/${kind}`) && !rel.external;

// ---------------------------------------------------------------------------------------------
// Workbook

export interface SheetRef {
  name: string;
  hidden: boolean;
  /** The worksheet part in the zip. */
  part: string;
}

export interface WorkbookInfo {
  date1904: boolean;
  sheets: SheetRef[];
  sharedStringsPart?: string;
  stylesPart?: string;
}

const NO_WORKBOOK =
  '（压缩包中找不到Excel工作簿，文件可能已损坏或并非Excel文件 / no workbook part in the zip: the file is damaged or not an Excel file）';

/**
 * Finds and reads the workbook part: the package's officeDocument relationship, else the
 * usual `xl/workbook.xml`. A part whose root is not <workbook> (a renamed .docx) is no
 * workbook.
 */
export async function readWorkbook(zip: Zip, limits: XlsxLimits): Promise<WorkbookInfo> {
  const pkg = await readRelationships(zip, '');
  const office = [...pkg.values()].find((r) => relType(r, 'officeDocument'));
  const candidates = [office?.target, 'xl/workbook.xml'].filter(
    (n): n is string => n !== undefined && zip.find(n) !== undefined,
  );
  const partName = candidates[0];
  if (partName === undefined) throw unreadable(zip.path, NO_WORKBOOK);
  const entry = zip.find(partName)!;
  const refs: Array<{ name: string; hidden: boolean; rid: string | undefined }> = [];
  let date1904 = false;
  let root: string | undefined;
  await parseXml(zip.read(entry), (p) => {
    p.on('opentag', (tag) => {
      const name = localName(tag.name);
      root ??= name;
      if (name === 'sheet') {
        const state = attr(tag, 'state');
        refs.push({
          name: attr(tag, 'name') ?? '',
          hidden: state === 'hidden' || state === 'veryHidden',
          rid: attr(tag, 'id'),
        });
      } else if (name === 'workbookPr') {
        const v = attr(tag, 'date1904');
        date1904 = v === '1' || v === 'true';
      }
    });
  });
  if (root !== 'workbook') throw unreadable(zip.path, NO_WORKBOOK);
  const rels = await readRelationships(zip, entry.fileName);
  const sheets: SheetRef[] = [];
  for (const ref of refs) {
    const rel = ref.rid === undefined ? undefined : rels.get(ref.rid);
    // Chartsheets and dialog sheets hold no cells; a sheet whose part is missing is skipped
    // as exceljs skipped it.
    if (!rel || !relType(rel, 'worksheet') || zip.find(rel.target) === undefined) continue;
    sheets.push({ name: ref.name, hidden: ref.hidden, part: rel.target });
  }
  if (sheets.length > limits.maxSheets) throw limitError('maxSheets', limits);
  const find = (kind: string, usual: string): string | undefined => {
    const rel = [...rels.values()].find((r) => relType(r, kind) && zip.find(r.target));
    return rel?.target ?? (zip.find(usual) ? usual : undefined);
  };
  return {
    date1904,
    sheets,
    sharedStringsPart: find('sharedStrings', 'xl/sharedStrings.xml'),
    stylesPart: find('styles', 'xl/styles.xml'),
  };
}

// ---------------------------------------------------------------------------------------------
// Styles

/** The number format code of each cell style (`<c s="…">` indexes cellXfs). */
export async function readCellFormats(
  zip: Zip,
  part: string | undefined,
): Promise<(string | undefined)[]> {
  const entry = part === undefined ? undefined : zip.find(part);
  if (!entry) return [];
  const custom = new Map<number, string>();
  const xfIds: number[] = [];
  let inCellXfs = false;
  await parseXml(zip.read(entry), (p) => {
    p.on('opentag', (tag) => {
      const name = localName(tag.name);
      if (name === 'numFmt') {
        const id = Number(attr(tag, 'numFmtId'));
        const code = attr(tag, 'formatCode');
        if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
      } else if (name === 'cellXfs') {
        inCellXfs = !tag.isSelfClosing;
      } else if (name === 'xf' && inCellXfs) {
        xfIds.push(parseInt(attr(tag, 'numFmtId') ?? '0', 10) || 0);
      }
    });
    p.on('closetag', (tag) => {
      if (localName(tag.name) === 'cellXfs') inCellXfs = false;
    });
  });
  return xfIds.map((id) => formatCodeOf(id, custom));
}

// ---------------------------------------------------------------------------------------------
// Shared strings

/**
 * The shared strings table: plain and rich text (runs concatenated), phonetic guides
 * (<rPh>) left out, _xHHHH_ escapes decoded. Bounded in entries and characters.
 */
export async function readSharedStrings(
  zip: Zip,
  part: string | undefined,
  limits: XlsxLimits,
): Promise<string[]> {
  const entry = part === undefined ? undefined : zip.find(part);
  if (!entry) return [];
  const strings: string[] = [];
  let chars = 0;
  let inSi = false;
  let phonetic = 0;
  let inT = false;
  let text = '';
  let piece = '';
  const onText = (t: string): void => {
    if (inT) piece += t;
  };
  await parseXml(zip.read(entry), (p) => {
    p.on('opentag', (tag) => {
      const name = localName(tag.name);
      if (name === 'si') {
        inSi = true;
        text = '';
      } else if (name === 'rPh') {
        phonetic++;
      } else if (name === 't' && inSi && phonetic === 0) {
        inT = !tag.isSelfClosing;
        piece = '';
      }
    });
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', (tag) => {
      const name = localName(tag.name);
      if (name === 't' && inT) {
        inT = false;
        text += decodeXString(piece);
      } else if (name === 'rPh') {
        phonetic--;
      } else if (name === 'si') {
        inSi = false;
        chars += text.length;
        if (strings.length >= limits.maxSharedStrings) throw limitError('maxSharedStrings', limits);
        if (chars > limits.maxSharedStringChars) throw limitError('maxSharedStringChars', limits);
        strings.push(text);
      }
    });
  });
  return strings;
}
