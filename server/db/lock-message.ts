/**
 * What to tell a user whose command found the warehouse locked. DuckDB lets one process
 * write a file, so while the server runs, `etl` and `users` cannot open it; instead of
 * DuckDB's "Could not set lock", they say which server holds it and what to do. The
 * running server leaves a marker `<dbPath>.server.json` beside the warehouse to be named.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ROLE_LABEL } from './roles.ts';

/** Written by the server at start, removed at shutdown. */
export interface ServerMarker {
  pid: number;
  /** Base URL the server listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  /** ISO timestamp. */
  startedAt: string;
  /** The server's local admin socket (backups while it holds the warehouse). */
  adminSocket?: string;
}

/** The command that found the warehouse locked: each has its own remedy. */
export type LockedCommand = 'etl' | 'users' | 'server';

export const markerPath = (dbPath: string): string => `${dbPath}.server.json`;

export function writeServerMarker(dbPath: string, info: ServerMarker): void {
  writeFileSync(markerPath(dbPath), `${JSON.stringify(info)}\n`, { mode: 0o644 });
}

/** Removes the marker if it is `pid`'s, so a stale or foreign marker is never touched. */
export function removeServerMarker(dbPath: string, pid: number = process.pid): void {
  if (readServerMarker(dbPath)?.pid === pid) rmSync(markerPath(dbPath), { force: true });
}

/**
 * Called by whoever just took the warehouse's file lock: a marker of another process is
 * then stale (its server was killed), and would name a server that is gone.
 */
export function removeStaleServerMarker(dbPath: string, pid: number = process.pid): void {
  const marker = readServerMarker(dbPath);
  if (marker && marker.pid !== pid) rmSync(markerPath(dbPath), { force: true });
}

export function readServerMarker(dbPath: string): ServerMarker | null {
  try {
    const raw = JSON.parse(readFileSync(markerPath(dbPath), 'utf8')) as Partial<ServerMarker>;
    if (typeof raw.pid !== 'number' || typeof raw.url !== 'string') return null;
    return {
      pid: raw.pid,
      url: raw.url,
      startedAt: String(raw.startedAt ?? ''),
      ...(typeof raw.adminSocket === 'string' ? { adminSocket: raw.adminSocket } : {}),
    };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const LOCK_ERROR = /Could not set lock on file|Conflicting lock is held/u;

/** DuckDB names the holder: "Conflicting lock is held in /usr/bin/node (PID 123)". */
function holderPid(message: string): number | null {
  const match = /\(PID (\d+)\)/u.exec(message);
  return match ? Number(match[1]) : null;
}

function remedy(command: LockedCommand, url: string, pid: number): string {
  const stop = `停止服务器（在其终端按 Ctrl+C，或 kill ${pid}）/ stop the server (Ctrl+C in its terminal, or kill ${pid})`;
  switch (command) {
    case 'etl':
      return [
        `请任选其一 / Either:`,
        `  1. 在仪表盘“数据上传”中上传文件，或通过接口上传（${ROLE_LABEL.BUREAU_INSPECTOR}账号）/ upload the files in the dashboard, or through the API (bureau inspector account):`,
        `       curl -c cookies.txt -H 'Content-Type: application/json' -d @- ${url}/auth/login`,
        `         （输入 type {"username":"…","password":"…"}，再按 then Ctrl+D）`,
        `       curl -b cookies.txt -F files=@月报.xlsx -F files=@学校名录.xlsx ${url}/api/uploads`,
        `  2. ${stop}，再运行本命令 / and run this command again.`,
      ].join('\n');
    case 'users':
      return `请先${stop}，运行本命令，再启动服务器（npm start）/ then run this command and start the server again (npm start).`;
    case 'server':
      return `服务器已在运行，请直接打开上面的地址；或先${stop} / a server is already running: open the address above, or stop it first.`;
    default: {
      const never: never = command;
      throw new Error(`unknown command ${String(never)}`);
    }
  }
}

/**
 * A bilingual explanation when `error` is DuckDB's file-lock conflict on `dbPath`, naming
 * the running server (from its marker) and the remedy for `command`; null for any other
 * error, which the caller reports as it is.
 */
export function describeLockedWarehouse(
  dbPath: string,
  error: unknown,
  command: LockedCommand = 'etl',
): string | null {
  const message = error instanceof Error ? error.message : String(error);
  if (!LOCK_ERROR.test(message)) return null;
  const holder = holderPid(message);
  const marker = readServerMarker(dbPath);
  const server =
    marker && isAlive(marker.pid) && (holder === null || holder === marker.pid) ? marker : null;
  if (server) {
    return [
      `数据仓库 ${dbPath} 正被运行中的服务器占用（进程 ${server.pid}，地址 ${server.url}）。`,
      `The warehouse ${dbPath} is held by the running server (pid ${server.pid}, ${server.url}).`,
      remedy(command, server.url, server.pid),
    ].join('\n');
  }
  const who = holder === null ? '' : `（进程 PID ${holder}）`;
  const whoEn = holder === null ? '' : ` (pid ${holder})`;
  return [
    `数据仓库 ${dbPath} 正被另一个进程占用${who}，可能是服务器（npm start / npm run demo）或另一次导入。`,
    `The warehouse ${dbPath} is held by another process${whoEn}: a server (npm start / npm run demo) or another load.`,
    `请等待其结束或停止它，再运行本命令。/ Wait for it to finish or stop it, then run this command again.`,
    ...(command === 'etl'
      ? [
          `若是服务器，也可在仪表盘“数据上传”中上传（POST /api/uploads）。/ If it is the server, you can also upload through the dashboard (POST /api/uploads).`,
        ]
      : []),
  ].join('\n');
}
