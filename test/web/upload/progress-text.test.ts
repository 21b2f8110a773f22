/**
 * What the upload page says while an upload runs, and how it reads the server's progress
 * answers and makes upload ids.
 */
import { describe, expect, it } from 'vitest';
import { isUploadId } from '../../../server/http/upload-progress.ts';
import {
  newUploadId,
  readProgressAnswer,
  UPLOAD_ID_HEADER,
  type ServerUploadProgress,
} from '../../../web/src/api/upload-progress.ts';
import { UPLOAD_ID_HEADER as SERVER_HEADER } from '../../../server/http/upload-progress.ts';
import {
  barFraction,
  bytesText,
  currentStep,
  elapsedText,
  filesText,
  rowsText,
  stageSentence,
  UPLOAD_STEPS,
  uploadStage,
} from '../../../web/src/upload/progress-text.ts';

const server = (over: Partial<ServerUploadProgress> = {}): ServerUploadProgress => ({
  phase: 'validating',
  filesDone: 120,
  filesTotal: 282,
  rowsRead: 24_310,
  elapsedMs: 6_200,
  ...over,
});

describe('upload ids', () => {
  it('makes 22-character URL-safe ids the server takes, each new', () => {
    const ids = Array.from({ length: 50 }, () => newUploadId());
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(isUploadId(id)).toBe(true);
    }
    expect(new Set(ids).size).toBe(50);
    // Bytes that base64 turns into + and / come out URL-safe.
    expect(newUploadId((b) => b.fill(0xfb))).toBe('-_v7-_v7-_v7-_v7-_v7-w');
    expect(UPLOAD_ID_HEADER).toBe(SERVER_HEADER);
  });
});

describe('readProgressAnswer', () => {
  it('reads the progress of a 200 answer', () => {
    expect(readProgressAnswer(200, JSON.stringify(server({ receivedBytes: 10 })))).toEqual(
      server({ receivedBytes: 10 }),
    );
    expect(readProgressAnswer(200, JSON.stringify(server()))).toEqual(server());
  });

  it('gives null for a 404, an error page or a body of another shape', () => {
    const notFound = JSON.stringify({ error: { code: 'NOT_FOUND', message: 'x' } });
    expect(readProgressAnswer(404, notFound)).toBeNull();
    expect(readProgressAnswer(200, '<html>')).toBeNull();
    expect(readProgressAnswer(200, 'null')).toBeNull();
    expect(readProgressAnswer(200, JSON.stringify({ ...server(), phase: 'dancing' }))).toBeNull();
    expect(readProgressAnswer(200, JSON.stringify({ ...server(), rowsRead: '12' }))).toBeNull();
    expect(readProgressAnswer(200, JSON.stringify({ ...server(), filesDone: -1 }))).toBeNull();
  });
});

describe('progress text', () => {
  it('lists the steps in Chinese', () => {
    expect(UPLOAD_STEPS.map((s) => s.label)).toEqual([
      '上传文件',
      '接收文件',
      '读取',
      '校验',
      '写入',
      '判定违规预警',
      '缺报检查',
    ]);
  });

  it('is sending while the browser sends, then follows the server', () => {
    expect(uploadStage(true, server())).toBe('sending');
    expect(uploadStage(false, null)).toBeNull();
    expect(uploadStage(false, server({ phase: 'judging' }))).toBe('judging');
    expect(stageSentence(null)).toBe('上传完成，等待服务器处理');
    expect(stageSentence('validating')).toBe('正在校验数据');
    expect(stageSentence('queued')).toBe('排队等待：另一批文件正在导入');
    expect(stageSentence('sweeping')).toBe('正在进行缺报检查');
    expect(
      [null, 'sending', 'queued', 'writing', 'done', 'failed'].map((s) => currentStep(s as never)),
    ).toEqual(['receiving', 'sending', 'receiving', 'writing', null, null]);
  });

  it('formats time, bytes, files and rows as zh-CN', () => {
    expect([0, 6_240, 65_000].map(elapsedText)).toEqual(['0.0 秒', '6.2 秒', '1 分 05 秒']);
    expect(bytesText(12.3 * 1048576, 27 * 1048576)).toBe('12.3 MB / 27.0 MB（45%）');
    expect(bytesText(0, 0)).toBe('0 B / 0 B（0%）');
    expect(filesText(server())).toBe('120 / 282 个');
    expect(filesText(server({ filesTotal: 0 }))).toBe('—');
    expect(filesText(null)).toBe('—');
    expect(rowsText(server({ rowsRead: 1_048_576 }))).toBe('1,048,576 行');
    expect(rowsText(null)).toBe('—');
  });

  it('fills the bar with bytes while sending, files while loading, and moves it otherwise', () => {
    expect(barFraction('sending', 50, 200, null)).toBe(0.25);
    expect(barFraction('validating', 0, 0, server({ filesDone: 141 }))).toBe(0.5);
    expect(barFraction('done', 0, 0, server())).toBe(1);
    expect(barFraction('queued', 0, 0, server())).toBeNull();
    expect(barFraction(null, 0, 0, null)).toBeNull();
    expect(barFraction('reading', 0, 0, server({ filesTotal: 0 }))).toBeNull();
  });
});
