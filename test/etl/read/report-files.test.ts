import { describe, expect, it } from 'vitest';
import { isReportFileName } from '../../../etl/read/report-files.ts';

describe('isReportFileName', () => {
  it('takes .xlsx, .xls, .csv and .txt in any case and nothing else', () => {
    expect(
      ['a.xlsx', 'a.CSV', 'a.txt', 'a.XLS', 'a.pdf', 'xlsx', '~$a.xlsx', 'a.xlsx.zip'].map(
        isReportFileName,
      ),
    ).toEqual([true, true, true, true, false, false, false, false]);
  });
});
