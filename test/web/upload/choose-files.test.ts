import { describe, expect, it } from 'vitest';
import { REPORT_FILE_EXTENSIONS as SERVER_EXTENSIONS } from '../../../etl/read/report-files.ts';
import {
  addChosen,
  fileSize,
  isReportFileName,
  REPORT_FILE_EXTENSIONS,
} from '../../../web/src/upload/choose-files.ts';

const f = (name: string, size = 10, lastModified = 1) => ({ name, size, lastModified });

describe('isReportFileName', () => {
  it('accepts .xlsx, .xls, .csv and .txt in any case and refuses Excel lock files', () => {
    expect(['月报.xlsx', 'a.CSV', 'b.txt', '旧.XLS'].map(isReportFileName)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['说明.docx', 'a.xlsxx', '~$月报.xlsx', 'csv'].map(isReportFileName)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('takes exactly the files the server takes', () => {
    expect(REPORT_FILE_EXTENSIONS).toEqual(SERVER_EXTENSIONS);
  });
});

describe('addChosen', () => {
  it('appends new report files once and names the ignored ones', () => {
    const first = addChosen([], [f('月报.csv'), f('说明.docx')]);
    expect(first.files.map((x) => x.name)).toEqual(['月报.csv']);
    expect(first.ignored).toEqual(['说明.docx']);
    const second = addChosen(first.files, [f('月报.csv'), f('月报.csv', 11), f('名录.xlsx')]);
    expect(second.files.map((x) => [x.name, x.size])).toEqual([
      ['月报.csv', 10],
      ['月报.csv', 11],
      ['名录.xlsx', 10],
    ]);
    expect(second.ignored).toEqual([]);
  });
});

describe('fileSize', () => {
  it('shows bytes, KB and MB with one decimal', () => {
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(2048)).toBe('2.0 KB');
    expect(fileSize(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });
});
