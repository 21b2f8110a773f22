/**
 * Writes zip files for the reader's tests: hand-made SpreadsheetML parts, streamed through
 * a deflate stream (a 1 GB part takes about a second), with the sizes in the headers
 * either true or forged.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createDeflateRaw, crc32 } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** The content, or pieces of it (written one after another). */
  data: string | Buffer | Iterable<Buffer>;
  /** Uncompressed size written in the headers instead of the true one. */
  declaredSize?: number;
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The parts of a minimal workbook around the given sheet XML bodies (inside <worksheet>). */
export function workbookParts(
  sheets: Array<{ name: string; body: string | Iterable<Buffer>; declaredSize?: number }>,
  sharedStrings?: string[],
): ZipPart[] {
  const parts: ZipPart[] = [
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${RNS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${RNS}"><sheets>${sheets
        .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}">${sheets
        .map(
          (_, i) =>
            `<Relationship Id="rId${i + 1}" Type="${RNS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
        )
        .join(
          '',
        )}<Relationship Id="rIdS" Type="${RNS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
  ];
  if (sharedStrings) {
    parts.push({
      name: 'xl/sharedStrings.xml',
      data: (function* () {
        yield Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">`);
        let piece = '';
        for (const s of sharedStrings) {
          piece += `<si><t>${s}</t></si>`;
          if (piece.length > 1 << 16) {
            yield Buffer.from(piece);
            piece = '';
          }
        }
        yield Buffer.from(`${piece}</sst>`);
      })(),
    });
  }
  sheets.forEach((s, i) => {
    const head = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}">`);
    const tail = Buffer.from('</worksheet>');
    const body = s.body;
    parts.push({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data:
        typeof body === 'string'
          ? `${head.toString()}${body}${tail.toString()}`
          : (function* () {
              yield head;
              yield* body;
              yield tail;
            })(),
      ...(s.declaredSize === undefined ? {} : { declaredSize: s.declaredSize }),
    });
  });
  return parts;
}

/** `<sheetData>` with `rows` rows of `cols` numeric cells, in pieces of about 1 MB. */
export function* sheetRows(rows: number, cols = 2, from = 1): Generator<Buffer> {
  yield Buffer.from('<sheetData>');
  let piece = '';
  for (let r = from; r < from + rows; r++) {
    piece += `<row r="${r}">`;
    for (let c = 0; c < cols; c++)
      piece += `<c r="${String.fromCharCode(65 + c)}${r}"><v>${c + 1}</v></c>`;
    piece += '</row>';
    if (piece.length > 1 << 20) {
      yield Buffer.from(piece);
      piece = '';
    }
  }
  yield Buffer.from(`${piece}</sheetData>`);
}

/** The same 1 MB piece of rows repeated to reach `bytes` (row numbers repeat: a bomb). */
export function* repeatedRows(bytes: number): Generator<Buffer> {
  const piece = Buffer.from(
    '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'.repeat(16_384),
  );
  yield Buffer.from('<sheetData>');
  for (let n = 0; n < bytes; n += piece.length) yield piece;
  yield Buffer.from('</sheetData>');
}

/** Writes a zip (deflate, data descriptors, central directory) of the parts. */
export async function writeZip(path: string, parts: readonly ZipPart[]): Promise<void> {
  const out = createWriteStream(path);
  let offset = 0;
  const write = async (buf: Buffer): Promise<void> => {
    offset += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  const central: Buffer[] = [];
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const start = offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // sizes in a data descriptor, UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(name.length, 26);
    await write(local);
    await write(name);
    const deflate = createDeflateRaw({ level: 1 });
    let packed = 0;
    const chunks: Buffer[] = [];
    deflate.on('data', (c: Buffer) => {
      packed += c.length;
      chunks.push(c);
    });
    let crc = 0;
    let size = 0;
    const pieces =
      typeof part.data === 'string'
        ? [Buffer.from(part.data, 'utf8')]
        : Buffer.isBuffer(part.data)
          ? [part.data]
          : part.data;
    for (const piece of pieces) {
      crc = crc32(piece, crc);
      size += piece.length;
      if (!deflate.write(piece)) await once(deflate, 'drain');
      for (const c of chunks.splice(0)) await write(c);
    }
    deflate.end();
    await once(deflate, 'end');
    for (const c of chunks.splice(0)) await write(c);
    const declared = part.declaredSize ?? size;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(packed, 8);
    descriptor.writeUInt32LE(declared, 12);
    await write(descriptor);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0808, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(packed, 20);
    entry.writeUInt32LE(declared, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(start, 42);
    central.push(entry, name);
  }
  const cd = Buffer.concat(central);
  const cdStart = offset;
  await write(cd);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdStart, 16);
  await write(end);
  out.end();
  await once(out, 'finish');
}
