/**
 * Runs one of the project's TypeScript entry points as an operator would (`node --import
 * tsx <script>`, from the repository root) and collects what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ScriptExit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunningScript {
  child: ChildProcess;
  exited: Promise<ScriptExit>;
  /** What it has printed on stdout so far. */
  output(): string;
}

export interface ScriptOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; stdin is closed at once without it. */
  stdin?: string;
  /** Leave NODE_ENV unset, as `npm start` runs (Apollo, for one, behaves differently under test). */
  unsetNodeEnv?: boolean;
}

export function spawnScript(
  script: string,
  args: readonly string[],
  options: ScriptOptions = {},
): RunningScript {
  const started = Date.now();
  const inherited: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  if (options.unsetNodeEnv) delete inherited.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...inherited, FORCE_COLOR: '0', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin?.end(options.stdin ?? '');
  const exited = new Promise<ScriptExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
  return { child, exited, output: () => stdout };
}

export function runScript(
  script: string,
  args: readonly string[],
  options: ScriptOptions = {},
): Promise<ScriptExit> {
  return spawnScript(script, args, options).exited;
}
