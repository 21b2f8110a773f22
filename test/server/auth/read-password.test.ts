import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { promptHidden, readFirstLine } from '../../../server/auth/read-password.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readFirstLine', () => {
  it('returns the first line without its line ending and ignores the rest', async () => {
    const input = Readable.from(['Shui-Xian-2025!\r\n', 'second line\n']);
    expect(await readFirstLine(input)).toBe('Shui-Xian-2025!');
  });

  it('keeps spaces inside and around the password, and returns null for empty input', async () => {
    expect(await readFirstLine(Readable.from([' two words ']))).toBe(' two words ');
    expect(await readFirstLine(Readable.from([]))).toBeNull();
  });
});

/** A stand-in terminal: a stream with setRawMode that records the mode it was left in. */
function fakeTty() {
  const tty = new PassThrough() as PassThrough & { setRawMode: (on: boolean) => void };
  const modes: boolean[] = [];
  tty.setRawMode = (on) => void modes.push(on);
  return { tty: tty as unknown as NodeJS.ReadStream, modes, type: (s: string) => tty.write(s) };
}

describe('promptHidden', () => {
  it('reads raw keystrokes with echo off, honours backspace, and restores the terminal', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { tty, modes, type } = fakeTty();
    const answer = promptHidden('新密码 new password: ', tty);
    type('密码abcx\u007fd\r');
    expect(await answer).toBe('密码abcd');
    expect(modes).toEqual([true, false]);
    expect(stderr.mock.calls.map((c) => c[0])).toEqual(['新密码 new password: ', '\n']);
  });

  it('is cancelled by Ctrl+C', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { tty, modes, type } = fakeTty();
    const answer = promptHidden('password: ', tty);
    type('abc\u0003');
    await expect(answer).rejects.toThrow('已取消 / cancelled');
    expect(modes).toEqual([true, false]);
  });
});
