/**
 * Reads a password for the `users` command from stdin, never from the command line (argv
 * shows in `ps` and shell history). At a terminal it prompts twice without echo; from a
 * pipe it takes the first line, so scripts can run `printf '%s\n' "$PW" | npm run users …`.
 */
import { createInterface } from 'node:readline';

/** The first line of a piped stream (without its line ending), or null when it is empty. */
export async function readFirstLine(input: NodeJS.ReadableStream): Promise<string | null> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    return null;
  } finally {
    lines.close();
  }
}

/** Prompts on stderr and reads one line from a TTY with echo off; Ctrl+C cancels. */
export function promptHidden(
  prompt: string,
  tty: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  process.stderr.write(prompt);
  tty.setRawMode(true);
  tty.setEncoding('utf8');
  tty.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error: Error | null) => {
      tty.off('data', onData);
      tty.setRawMode(false);
      tty.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    function onData(chunk: string): void {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003' || ch === '\u0004') return finish(new Error('已取消 / cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    }
    tty.on('data', onData);
  });
}

/** The new password: typed twice at a terminal, else the first line of stdin. */
export async function readNewPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden('新密码 new password: ');
    const second = await promptHidden('再次输入 repeat it: ');
    if (first !== second) throw new Error('两次输入的密码不一致 / The two passwords differ');
    return first;
  }
  const line = await readFirstLine(process.stdin);
  if (line === null || line === '') {
    throw new Error('标准输入中没有密码 / No password on stdin (send it as the first line)');
  }
  return line;
}
