/**
 * The stderr progress of `etl load` and the demo: zh-CN figures, the bar, terminal widths,
 * and when lines are drawn, on a clock the test moves by hand.
 */
import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../etl/index.ts';
import {
  displayWidth,
  fitWidth,
  formatBar,
  formatCount,
  formatElapsed,
  formatProgress,
  LoadProgressDisplay,
  progressMode,
  type ProgressMode,
} from '../../etl/progress-line.ts';

const at = (over: Partial<LoadProgress> = {}): LoadProgress => ({
  filesDone: 120,
  filesTotal: 282,
  rowsRead: 24_310,
  elapsedMs: 6_200,
  phase: 'validating',
  ...over,
});

describe('formatting', () => {
  it('groups counts as zh-CN does', () => {
    expect([0, 999, 24_310, 1_048_576].map(formatCount)).toEqual([
      '0',
      '999',
      '24,310',
      '1,048,576',
    ]);
  });

  it('shows seconds with one decimal, then minutes', () => {
    expect([0, 6_240, 59_900, 59_960, 65_000, 3_725_000].map(formatElapsed)).toEqual([
      '0.0 s',
      '6.2 s',
      '59.9 s',
      '1 min 00 s',
      '1 min 05 s',
      '62 min 05 s',
    ]);
  });

  it('draws the bar for files done of total, empty while the total is unknown', () => {
    expect(formatBar(0, 282, 10)).toBe('[----------]');
    expect(formatBar(141, 282, 10)).toBe('[=====-----]');
    expect(formatBar(282, 282, 10)).toBe('[==========]');
    expect(formatBar(0, 0, 4)).toBe('[----]');
  });

  it('says files, rows, elapsed and phase, then the file being read', () => {
    expect(formatProgress(at(), 6_240)).toBe(
      '120/282 文件 files · 24,310 行 rows · 6.2 s · 校验 validating',
    );
    expect(formatProgress(at({ phase: 'reading' }), 1_500, '月报-2025-11.xlsx')).toBe(
      '120/282 文件 files · 24,310 行 rows · 1.5 s · 读取 reading · 月报-2025-11.xlsx',
    );
    expect(formatProgress(at({ phase: 'done', filesDone: 282 }), 65_000, 'x.csv')).toBe(
      '282/282 文件 files · 24,310 行 rows · 1 min 05 s · 完成 done',
    );
    expect(formatProgress(undefined, 1_200)).toBe('1.2 s · 准备 preparing');
  });

  it('counts CJK characters as two terminal columns and cuts lines to fit', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('载入 loading')).toBe(12);
    expect(fitWidth('载入 loading', 12)).toBe('载入 loading');
    expect(fitWidth('载入 loading', 8)).toBe('载入 lo…');
    expect(displayWidth(fitWidth('学校名录学校名录', 7))).toBeLessThanOrEqual(7);
  });
});

describe('progressMode', () => {
  it('draws on a terminal, writes plain lines elsewhere, and keeps quiet for --json off a terminal', () => {
    expect(progressMode({ isTTY: true }, { json: false })).toBe('tty');
    expect(progressMode({ isTTY: true }, { json: true })).toBe('tty');
    expect(progressMode({ isTTY: false }, { json: false })).toBe('plain');
    expect(progressMode({}, { json: true })).toBe('off');
  });
});

/** A display on a hand-moved clock, writing into `written`. */
function display(mode: ProgressMode, columns = 200) {
  let clock = 10_000;
  const written: string[] = [];
  const d = new LoadProgressDisplay({
    output: { write: (text: string) => written.push(text), columns },
    mode,
    now: () => clock,
    refreshMs: 0,
    fileSize: (path) => (path.endsWith('big.xlsx') ? 40 * 1048576 : 100),
  });
  return {
    d,
    written,
    advance(ms: number) {
      clock += ms;
    },
  };
}

describe('LoadProgressDisplay', () => {
  it('shows nothing for a load that ends within a second', () => {
    for (const mode of ['tty', 'plain'] as const) {
      const { d, written, advance } = display(mode);
      d.onProgress(at({ filesDone: 0, phase: 'reading' }));
      advance(500);
      d.onProgress(at({ filesDone: 1 }));
      d.tick();
      advance(400);
      d.onProgress(at({ phase: 'done' }));
      d.finish();
      expect(written).toEqual([]);
    }
  });

  it('writes a plain line after a second, then at most every 5 s, then a final one', () => {
    const { d, written, advance } = display('plain');
    d.onProgress(at({ filesDone: 0, rowsRead: 0, phase: 'reading', file: '/d/学校名录.xlsx' }));
    advance(1_000);
    d.onProgress(at({ filesDone: 1, rowsRead: 150, phase: 'reading', file: '/d/big.xlsx' }));
    // Many reports within the next 5 s: no line.
    for (let i = 0; i < 40; i += 1) {
      advance(100);
      d.onProgress(at({ filesDone: 1, rowsRead: 150 + i * 5000, phase: 'reading' }));
    }
    advance(900);
    d.tick(); // 4.9 s after the first line
    advance(100);
    d.tick(); // 5.0 s: due, though the loader said nothing new
    advance(2_000);
    d.onProgress(at({ filesDone: 282, filesTotal: 282, rowsRead: 36_829, phase: 'done' }));
    d.finish();
    d.finish();
    expect(written).toEqual([
      '载入 loading 1/282 文件 files · 150 行 rows · 1.0 s · 读取 reading · big.xlsx (40 MB)\n',
      '载入 loading 1/282 文件 files · 195,150 行 rows · 6.0 s · 读取 reading\n',
      '载入 loading 282/282 文件 files · 36,829 行 rows · 8.0 s · 完成 done\n',
    ]);
  });

  it('says it is preparing while the loader has not reported yet', () => {
    const { d, written, advance } = display('plain');
    advance(1_200);
    d.tick();
    expect(written).toEqual(['载入 loading 1.2 s · 准备 preparing\n']);
  });

  it('redraws one terminal line in place at most every 100 ms and ends it with a newline', () => {
    const { d, written, advance } = display('tty');
    advance(1_000);
    d.onProgress(at({ filesDone: 0, filesTotal: 4, rowsRead: 0, phase: 'reading' }));
    advance(50);
    d.onProgress(at({ filesDone: 1, filesTotal: 4, rowsRead: 10, phase: 'validating' }));
    advance(50);
    d.onProgress(at({ filesDone: 2, filesTotal: 4, rowsRead: 20, phase: 'writing' }));
    advance(1_000);
    d.onProgress(at({ filesDone: 4, filesTotal: 4, rowsRead: 40, phase: 'done' }));
    d.finish();
    expect(written).toEqual([
      `\r载入 loading [------------------------] 0/4 文件 files · 0 行 rows · 1.0 s · 读取 reading\x1b[K`,
      `\r载入 loading [============------------] 2/4 文件 files · 20 行 rows · 1.1 s · 写入 writing\x1b[K`,
      `\r载入 loading [========================] 4/4 文件 files · 40 行 rows · 2.1 s · 完成 done\x1b[K`,
      '\n',
    ]);
  });

  it('keeps the terminal line within the terminal width', () => {
    const { d, written, advance } = display('tty', 60);
    advance(1_000);
    d.onProgress(
      at({ phase: 'reading', file: '/d/一个名字很长很长的学校月报文件-2025年11月.xlsx' }),
    );
    const line = written[0]!.replace('\r', '').replace('\x1b[K', '');
    expect(displayWidth(line)).toBeLessThanOrEqual(59);
    expect(line.endsWith('…')).toBe(true);
  });

  it('clears the terminal line for a log line and redraws it afterwards', () => {
    const { d, written, advance } = display('tty');
    advance(1_000);
    d.onProgress(at({ phase: 'reading' }));
    const logged = d.interrupt(() => {
      written.push('{"msg":"file processed"}\n');
      return 7;
    });
    expect(logged).toBe(7);
    d.onProgress(at({ phase: 'validating' })); // too soon: the log line may still be on its way
    advance(100);
    d.tick();
    expect(written.slice(1, 3)).toEqual(['\r\x1b[K', '{"msg":"file processed"}\n']);
    expect(written.slice(3)).toHaveLength(1);
    expect(written[3]).toContain('校验 validating');
  });

  it('writes nothing when off, nor does it stat files', () => {
    const written: string[] = [];
    let clock = 0;
    const d = new LoadProgressDisplay({
      output: { write: (t: string) => written.push(t) },
      mode: 'off',
      now: () => clock,
      fileSize: () => {
        throw new Error('no stat when off');
      },
    });
    clock = 10_000;
    d.onProgress(at({ file: '/d/a.csv' }));
    d.tick();
    d.finish();
    expect(written).toEqual([]);
  });

  it('writes a final line for a load that failed after a second', () => {
    const { d, written, advance } = display('plain');
    d.onProgress(at({ filesDone: 3, filesTotal: 9, phase: 'writing' }));
    advance(1_500);
    d.finish();
    expect(written).toEqual([
      '载入 loading 3/9 文件 files · 24,310 行 rows · 1.5 s · 写入 writing\n',
    ]);
  });
});
