import { describe, expect, it } from 'vitest';
import type { UploadFileResult, UploadSummary } from '../../../web/src/api/upload-answer.ts';
import {
  englishMessage,
  failureText,
  flagCountsText,
  loadStatus,
  outcomeHeadline,
  rejectRows,
  statusCountsText,
  uploadTotals,
} from '../../../web/src/upload/summarize-result.ts';

function file(patch: Partial<UploadFileResult>): UploadFileResult {
  return {
    path: '月报.csv',
    kind: 'monthly',
    unchanged: false,
    rowsRead: 0,
    rowsSkipped: 0,
    rowsLoaded: 0,
    rowsRejected: 0,
    unitsLoaded: 0,
    unitsRejected: 0,
    rejects: [],
    ...patch,
  };
}

const monthly = file({
  path: '月报-2025-11.csv',
  rowsRead: 4,
  rowsLoaded: 3,
  rowsRejected: 1,
  unitsLoaded: 3,
  unitsRejected: 1,
  rejects: [
    {
      sheet: '月报-2025-11',
      row: 5,
      column: '参与教师数',
      value: '-3',
      reason: '不能小于0 / must be at least 0',
      reasonZh: '不能小于0',
      reasonEn: 'must be at least 0',
      code: 'BELOW_MIN',
      schoolCode: '1000000004',
      schoolName: '西山九年一贯制学校',
    },
  ],
  flags: { raised: 1, updated: 0, resolved: 0, reopened: 0 },
});
const unknown = file({
  path: '联系人名单.csv',
  kind: null,
  error: '无法识别报表类型：未找到表头 / unknown report kind: no headers found',
});
const registry = file({
  path: '学校名录.xlsx',
  kind: 'registry',
  rowsRead: 2,
  rowsLoaded: 2,
  unitsLoaded: 2,
  rejects: [
    {
      sheet: '名录',
      row: 7,
      column: '学段',
      value: null,
      reason: '不能为空 / required',
      reasonZh: '不能为空',
      reasonEn: 'required',
      code: 'REQUIRED',
    },
  ],
});

describe('loadStatus', () => {
  it('names loaded, unchanged, partly rejected and failed files', () => {
    expect(loadStatus(file({ unitsLoaded: 4 }))).toBe('loaded');
    expect(loadStatus(file({ unchanged: true }))).toBe('unchanged');
    expect(loadStatus(monthly)).toBe('partial');
    expect(loadStatus(unknown)).toBe('failed');
  });

  it('calls a file whose every unit was rejected failed', () => {
    expect(loadStatus(file({ unitsRejected: 2 }))).toBe('failed');
  });

  it('reads a batch of the history (error null) like a file', () => {
    expect(loadStatus({ unchanged: false, unitsLoaded: 3, unitsRejected: 1, error: null })).toBe(
      'partial',
    );
  });
});

describe('failureText', () => {
  it('gives the Chinese half of a file error and null for a file that loaded', () => {
    expect(failureText(unknown)).toBe('无法识别报表类型：未找到表头');
    expect(failureText(monthly)).toBeNull();
  });

  it('explains a file whose every unit was rejected', () => {
    expect(failureText(file({ unitsRejected: 1 }))).toContain('所有数据均未通过校验');
  });
});

describe('englishMessage', () => {
  it('returns the English half of a bilingual message, or null', () => {
    expect(englishMessage('不能小于0 / must be at least 0')).toBe('must be at least 0');
    expect(englishMessage('仅中文')).toBeNull();
  });
});

describe('rejectRows', () => {
  it('flattens the rejects of every file in file order with the file name', () => {
    const summary: UploadSummary = { dryRun: false, files: [monthly, unknown, registry] };
    expect(rejectRows(summary)).toEqual([
      {
        key: '0-0',
        file: '月报-2025-11.csv',
        sheet: '月报-2025-11',
        row: 5,
        column: '参与教师数',
        value: '-3',
        reasonZh: '不能小于0',
        reasonEn: 'must be at least 0',
        school: '1000000004 西山九年一贯制学校',
      },
      {
        key: '2-0',
        file: '学校名录.xlsx',
        sheet: '名录',
        row: 7,
        column: '学段',
        value: null,
        reasonZh: '不能为空',
        reasonEn: 'required',
        school: null,
      },
    ]);
  });
});

describe('uploadTotals', () => {
  it('sums the server counts and counts failed files', () => {
    const summary: UploadSummary = { dryRun: false, files: [monthly, unknown, registry] };
    expect(uploadTotals(summary)).toEqual({
      files: 3,
      results: 3,
      byStatus: { loaded: 1, partial: 1, unchanged: 0, failed: 1 },
      failedFiles: 1,
      unchangedFiles: 0,
      rowsLoaded: 5,
      rowsRejected: 1,
      rejects: 2,
      rejectsOmitted: 0,
    });
  });

  it('counts the invalid values the answer does not list', () => {
    const big = { ...monthly, rejectsOmitted: 4_321 };
    const summary: UploadSummary = { dryRun: false, files: [big, registry] };
    expect(uploadTotals(summary)).toMatchObject({ rejects: 2 + 4_321, rejectsOmitted: 4_321 });
  });
});

describe('a multi-file upload: files counted as files, in the words of their cards', () => {
  // Five files chosen: a workbook holding the registry and the assignments (two cards, one
  // file, both unchanged), a monthly CSV partly rejected, an identical re-upload of last
  // month's participation, an unreadable contact list, and a survey whose every row failed.
  const workbookRegistry = file({ path: '名录与挂牌.xlsx', kind: 'registry', unchanged: true });
  const workbookAssignments = file({
    path: '名录与挂牌.xlsx',
    kind: 'assignments',
    unchanged: true,
  });
  const participation = file({
    path: '分年级-2025-10.xlsx',
    kind: 'participation',
    unchanged: true,
  });
  const survey = file({
    path: '问卷.csv',
    kind: 'survey',
    rowsRead: 2,
    rowsRejected: 2,
    unitsRejected: 1,
    rejectsOmitted: 2,
  });
  const summary: UploadSummary = {
    dryRun: false,
    files: [workbookRegistry, workbookAssignments, monthly, participation, unknown, survey],
  };

  it('counts 5 files, 6 cards, 2 of them failed and 2 files unchanged', () => {
    expect(uploadTotals(summary)).toEqual({
      files: 5,
      results: 6,
      byStatus: { loaded: 0, partial: 1, unchanged: 3, failed: 2 },
      failedFiles: 2,
      unchangedFiles: 2,
      rowsLoaded: 3,
      rowsRejected: 3,
      rejects: 3,
      rejectsOmitted: 2,
    });
  });

  it('says the cards’ statuses under the file count, adding up to the cards', () => {
    const totals = uploadTotals(summary);
    expect(statusCountsText(totals)).toBe('6 份报表：部分拒绝 1 · 未变化 3 · 失败 2');
    const onePerFile = uploadTotals({ dryRun: false, files: [monthly, participation, unknown] });
    expect(statusCountsText(onePerFile)).toBe('部分拒绝 1 · 未变化 1 · 失败 1');
  });
});

describe('flagCountsText', () => {
  it('lists the four changes in Chinese', () => {
    expect(flagCountsText({ raised: 3, updated: 1, resolved: 2, reopened: 0 })).toBe(
      '新增 3 · 更新 1 · 自动解除 2 · 重新打开 0',
    );
  });
});

describe('outcomeHeadline', () => {
  it('is good when every file loaded or was unchanged, and says which', () => {
    const files = [file({ unitsLoaded: 1 }), file({ path: '旧.csv', unchanged: true })];
    expect(outcomeHeadline({ dryRun: false, files })).toEqual({
      tone: 'good',
      text: '已通过校验并导入；与已导入相同的文件未作改动',
    });
    expect(outcomeHeadline({ dryRun: false, files: [file({ unitsLoaded: 1 })] }).text).toBe(
      '全部文件已通过校验并导入',
    );
  });

  it('never says “imported” when every file was identical to what is loaded', () => {
    expect(outcomeHeadline({ dryRun: false, files: [file({ unchanged: true })] })).toEqual({
      tone: 'good',
      text: '文件与已导入的完全相同，未作改动',
    });
  });

  it('warns when some data loaded and some did not', () => {
    expect(outcomeHeadline({ dryRun: false, files: [monthly, unknown] }).tone).toBe('warning');
  });

  it('alerts when nothing new loaded, an unchanged file beside a failed one included', () => {
    const files = [file({ unchanged: true }), unknown];
    expect(outcomeHeadline({ dryRun: false, files }).tone).toBe('alert');
  });

  it('alerts when nothing loaded', () => {
    expect(outcomeHeadline({ dryRun: false, files: [unknown] })).toEqual({
      tone: 'alert',
      text: '没有数据被导入，请查看各文件的失败原因',
    });
  });
});
