/**
 * The zip container of a workbook, read with yauzl: entries come from the central
 * directory (local headers are not trusted), and yauzl stops a part that inflates to more
 * than the size its header declares. On top of that this module
 * - refuses up front when the declared sizes of the parts to read exceed the limit,
 * - counts the bytes really inflated against the same limit (a second line, should a header
 *   lie in a way yauzl does not catch), and
 * - checks each part's CRC-32 on its first full read, which yauzl leaves to the caller:
 *   a corrupt deflate stream can inflate to plausible garbage.
 */
import { crc32 } from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { errorText, limitError, unreadable, XlsxReadError } from './xlsx-errors.ts';
import type { XlsxLimits } from './xlsx-limits.ts';

const MIB = 1024 * 1024;

export class Zip {
  /** Bytes inflated by first full reads, against limits.maxInflatedMb. */
  private inflated = 0;
  /** Parts whose CRC has been checked: their size is then known exactly. */
  private readonly verified = new Map<string, number>();
  /** Declared sizes of the parts read so far, against the same limit. */
  private declared = 0;
  private readonly declaredParts = new Set<string>();

  private constructor(
    readonly path: string,
    private readonly file: yauzl.ZipFile,
    private readonly entries: ReadonlyMap<string, yauzl.Entry>,
    private readonly lowerCase: ReadonlyMap<string, yauzl.Entry>,
    private readonly limits: XlsxLimits,
  ) {}

  static async open(path: string, limits: XlsxLimits): Promise<Zip> {
    const file = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(
        path,
        { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true },
        (err, zip) => (err ? reject(err) : resolve(zip)),
      ),
    ).catch((err: unknown) => {
      throw unreadable(path, undefined, errorText(err));
    });
    const entries = new Map<string, yauzl.Entry>();
    const lowerCase = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        file.on('entry', (entry: yauzl.Entry) => {
          if (entries.size >= limits.maxZipEntries) {
            reject(limitError('maxZipEntries', limits));
            return;
          }
          // Directories and names yauzl would not decode are of no use to a reader.
          if (!entry.fileName.endsWith('/')) {
            entries.set(entry.fileName, entry);
            lowerCase.set(entry.fileName.toLowerCase(), entry);
          }
          file.readEntry();
        });
        file.on('end', () => resolve());
        file.on('error', (err: unknown) => reject(err));
        file.readEntry();
      });
    } catch (err) {
      file.close();
      if (err instanceof XlsxReadError) throw err;
      throw unreadable(path, undefined, errorText(err));
    }
    return new Zip(path, file, entries, lowerCase, limits);
  }

  /** A part by name; part names are case-insensitive in OPC. */
  find(name: string): yauzl.Entry | undefined {
    const clean = name.replace(/^\/+/, '');
    return this.entries.get(clean) ?? this.lowerCase.get(clean.toLowerCase());
  }

  /** Refuses before inflating anything when the declared sizes add up beyond the limit. */
  checkDeclared(parts: readonly yauzl.Entry[]): void {
    const max = this.limits.maxInflatedMb * MIB;
    let total = 0;
    for (const p of parts) {
      if (p.isEncrypted()) {
        throw unreadable(this.path, '（压缩包内容已加密 / the zip content is encrypted）');
      }
      total += p.uncompressedSize;
      if (total > max) throw limitError('maxInflatedMb', this.limits);
    }
  }

  /**
   * The inflated bytes of a part. The first full read counts against the inflated-size limit
   * and checks the CRC; later reads may stop early (the consumer returns) and may not
   * exceed the size the first read found.
   */
  async *read(entry: yauzl.Entry): AsyncGenerator<Buffer, void, undefined> {
    const known = this.verified.get(entry.fileName);
    const first = known === undefined;
    const max = this.limits.maxInflatedMb * MIB;
    if (!this.declaredParts.has(entry.fileName)) {
      this.declaredParts.add(entry.fileName);
      this.declared += entry.uncompressedSize;
      if (this.declared > max) throw limitError('maxInflatedMb', this.limits);
    }
    if (entry.isEncrypted()) {
      throw unreadable(this.path, '（压缩包内容已加密 / the zip content is encrypted）');
    }
    const stream = await new Promise<Readable>((resolve, reject) =>
      this.file.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))),
    ).catch((err: unknown) => {
      throw unreadable(this.path, undefined, `${entry.fileName}: ${errorText(err)}`);
    });
    let size = 0;
    let crc = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (first) {
          this.inflated += chunk.length;
          if (this.inflated > max) throw limitError('maxInflatedMb', this.limits);
          crc = crc32(chunk, crc);
        } else if (size > known) {
          throw unreadable(this.path, undefined, `${entry.fileName} changed while being read`);
        }
        yield chunk;
      }
    } catch (err) {
      if (err instanceof XlsxReadError) throw err;
      const text = errorText(err);
      if (/too (many|few) bytes/.test(text)) {
        throw unreadable(
          this.path,
          `（压缩包已损坏或被篡改：${entry.fileName} 解压后的大小与声明不符 / the zip is damaged or forged: ${entry.fileName} does not unpack to the size its header declares）`,
        );
      }
      throw unreadable(this.path, undefined, `${entry.fileName}: ${text}`);
    } finally {
      stream.destroy();
    }
    if (first) {
      if (crc >>> 0 !== entry.crc32 >>> 0) {
        throw unreadable(
          this.path,
          `（压缩包已损坏：${entry.fileName} 校验失败 / the zip is damaged: ${entry.fileName} fails its CRC check）`,
        );
      }
      this.verified.set(entry.fileName, size);
    }
  }

  close(): void {
    this.file.close();
  }
}
