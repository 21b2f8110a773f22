import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../../server/http/upload-receive.ts';

describe('safeFileName', () => {
  it('keeps an ordinary Chinese file name as it is', () => {
    expect(safeFileName('分年级参与情况-河西乡.csv')).toBe('分年级参与情况-河西乡.csv');
  });

  it('drops directories, leading dots and control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\clerk\\月报.xlsx')).toBe('月报.xlsx');
    expect(safeFileName('..hidden.csv')).toBe('hidden.csv');
    expect(safeFileName('月\u0000报\n.xlsx')).toBe('月报.xlsx');
    expect(safeFileName('..')).toBe('upload');
    expect(safeFileName('')).toBe('upload');
  });

  it('shortens a long name to 200 bytes, keeping its extension', () => {
    const name = safeFileName(`${'学'.repeat(100)}.xlsx`);
    expect(name).toBe(`${'学'.repeat(65)}.xlsx`);
    expect(Buffer.byteLength(name)).toBe(200);
  });
});
