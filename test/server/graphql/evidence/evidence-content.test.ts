/**
 * The content rules of evidence files, byte by byte: which JPEG segments and PNG chunks
 * go, which PDFs count as active, and the pixel bound checked before any decoding.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  evidenceMime,
  pdfIsActive,
  prepareEvidence,
  stripJpeg,
} from '../../../../server/graphql/evidence/evidence-content.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/evidence/', import.meta.url));
const fixture = (name: string) => readFile(`${FIXTURES}${name}`);

function segment(marker: number, body: string): Buffer {
  const data = Buffer.from(body, 'latin1');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

describe('stripJpeg', () => {
  it('drops APP1, APP13 and comments before the first scan and keeps the rest in order', () => {
    const app0 = segment(0xe0, 'JFIF\0\x01\x01\0\0\x01\0\x01\0\0');
    const dqt = segment(0xdb, 'Q'.repeat(10));
    const scan = Buffer.from([0xff, 0xda, 0, 2, 1, 2, 3, 0xff, 0xd9]);
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      app0,
      segment(0xe1, 'Exif\0\0GPS...'),
      segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>'),
      segment(0xed, 'Photoshop 3.0\0'),
      segment(0xfe, '拍摄于某地'),
      dqt,
      scan,
    ]);
    const { bytes, removed } = stripJpeg(jpeg);
    expect([...removed]).toEqual(['EXIF', 'XMP', 'IPTC', '注释']);
    expect(bytes.equals(Buffer.concat([Buffer.from([0xff, 0xd8]), app0, dqt, scan]))).toBe(true);
  });
});

describe('pdfIsActive', () => {
  it('finds actions in plain objects, behind #xx escapes and in compressed streams', async () => {
    expect(pdfIsActive(await fixture('notice.pdf'))).toBe(false);
    expect(pdfIsActive(await fixture('script.pdf'))).toBe(true);
    expect(pdfIsActive(await fixture('hidden-script.pdf'))).toBe(true);
    expect(pdfIsActive(Buffer.from('%PDF-1.4\n1 0 obj << /#41A << >> >> endobj'))).toBe(true);
    // A name that merely starts like one (/JSON is not /JS).
    expect(pdfIsActive(Buffer.from('%PDF-1.4\n1 0 obj << /JSON 1 >> endobj'))).toBe(false);
  });
});

describe('prepareEvidence', () => {
  it('judges by content: an HTML page named .jpg is no image', async () => {
    expect(await evidenceMime(await fixture('not-a-photo.jpg'))).toBeNull();
    expect(await evidenceMime(await fixture('gps-notice.png'))).toBe('image/png');
  });

  it('refuses an image claiming more than 50 megapixels before decoding it', async () => {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(10_000, 0); // 10,000 × 10,000 = 100 megapixels
    ihdr.writeUInt32BE(10_000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', Buffer.alloc(0)),
      pngChunk('IEND', Buffer.alloc(0)),
    ]);
    await expect(prepareEvidence(png)).rejects.toMatchObject({ code: 'TOO_MANY_PIXELS' });
  });
});
