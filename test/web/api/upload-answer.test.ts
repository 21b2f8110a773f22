import { describe, expect, it } from 'vitest';
import { readUploadAnswer } from '../../../web/src/api/upload-answer.ts';

const summary = {
  dryRun: false,
  files: [],
  missingReports: { raised: 1, updated: 0, resolved: 0, reopened: 0 },
};

describe('readUploadAnswer', () => {
  it('returns the summary of a 200 or 422 answer', () => {
    expect(readUploadAnswer(200, JSON.stringify(summary))).toEqual({
      ok: true,
      status: 200,
      summary,
    });
    expect(readUploadAnswer(422, JSON.stringify(summary))).toEqual({
      ok: true,
      status: 422,
      summary,
    });
  });

  it('gives the Chinese half of a JSON error with its code', () => {
    const body = {
      error: {
        code: 'FORBIDDEN',
        message: '仅教育局督导可以上传数据 / only bureau inspectors may upload',
      },
    };
    expect(readUploadAnswer(403, JSON.stringify(body))).toEqual({
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
      message: '仅教育局督导可以上传数据',
    });
  });

  it('describes an answer that is not JSON by its status, and no answer as a network failure', () => {
    expect(readUploadAnswer(502, '<html>Bad Gateway</html>')).toEqual({
      ok: false,
      status: 502,
      code: 'BAD_RESPONSE',
      message: '服务器返回异常（HTTP 502）',
    });
    expect(readUploadAnswer(0, '')).toMatchObject({ ok: false, code: 'NETWORK' });
  });
});
