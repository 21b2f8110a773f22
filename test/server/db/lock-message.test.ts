/**
 * The lock message against DuckDB's real lock error: a child process holds a warehouse
 * file, this process fails to open it, and the message names the holder and the remedy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../../server/db/connect.ts';
import {
  describeLockedWarehouse,
  markerPath,
  readServerMarker,
  removeServerMarker,
  writeServerMarker,
} from '../../../server/db/lock-message.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;
let db: string;
let holder: ChildProcess;
let lockError: unknown;

/** A process that opens `path` with DuckDB, says "ready" and keeps it open. */
function holdWarehouse(path: string): Promise<ChildProcess> {
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
    await DuckDBInstance.create(${JSON.stringify(path)});
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('ready')) resolve(child);
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-lock-'));
  db = join(dir, 'kehou.duckdb');
  holder = await holdWarehouse(db);
  lockError = await openWarehouse(db).then(
    async (w) => {
      await w.close();
      return null;
    },
    (error: unknown) => error,
  );
});

afterAll(async () => {
  holder?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('describeLockedWarehouse', () => {
  it('returns null for errors other than a lock conflict', () => {
    expect(describeLockedWarehouse(db, new Error('IO Error: disk full'))).toBeNull();
    expect(describeLockedWarehouse(db, 'Catalog Error: no table x')).toBeNull();
  });

  it('names the running server and shows how to upload through it for etl', () => {
    writeServerMarker(db, { pid: holder.pid!, url: 'http://127.0.0.1:4123', startedAt: 'x' });
    try {
      const message = describeLockedWarehouse(db, lockError, 'etl');
      expect(message?.split('\n')).toEqual([
        `数据仓库 ${db} 正被运行中的服务器占用（进程 ${holder.pid}，地址 http://127.0.0.1:4123）。`,
        `The warehouse ${db} is held by the running server (pid ${holder.pid}, http://127.0.0.1:4123).`,
        '请任选其一 / Either:',
        '  1. 在仪表盘“数据上传”中上传文件，或通过接口上传（教育局督导账号）/ upload the files in the dashboard, or through the API (bureau inspector account):',
        `       curl -c cookies.txt -H 'Content-Type: application/json' -d @- http://127.0.0.1:4123/auth/login`,
        '         （输入 type {"username":"…","password":"…"}，再按 then Ctrl+D）',
        '       curl -b cookies.txt -F files=@月报.xlsx -F files=@学校名录.xlsx http://127.0.0.1:4123/api/uploads',
        `  2. 停止服务器（在其终端按 Ctrl+C，或 kill ${holder.pid}）/ stop the server (Ctrl+C in its terminal, or kill ${holder.pid})，再运行本命令 / and run this command again.`,
      ]);
    } finally {
      removeServerMarker(db, holder.pid);
    }
  });

  it('tells users to stop the server, run the command and start it again', () => {
    writeServerMarker(db, { pid: holder.pid!, url: 'http://127.0.0.1:4123', startedAt: 'x' });
    try {
      const message = describeLockedWarehouse(db, lockError, 'users') ?? '';
      expect(message).toContain(`(pid ${holder.pid}, http://127.0.0.1:4123)`);
      expect(message.split('\n')[2]).toBe(
        `请先停止服务器（在其终端按 Ctrl+C，或 kill ${holder.pid}）/ stop the server (Ctrl+C in its terminal, or kill ${holder.pid})，运行本命令，再启动服务器（npm start）/ then run this command and start the server again (npm start).`,
      );
      expect(message).not.toContain('/api/uploads');
    } finally {
      removeServerMarker(db, holder.pid);
    }
  });

  it('ignores a stale marker whose process is gone and names DuckDB’s holder instead', () => {
    writeServerMarker(db, { pid: 2 ** 22 + 12345, url: 'http://127.0.0.1:9', startedAt: 'x' });
    try {
      const message = describeLockedWarehouse(db, lockError, 'etl') ?? '';
      expect(message.split('\n').slice(0, 2)).toEqual([
        `数据仓库 ${db} 正被另一个进程占用（进程 PID ${holder.pid}），可能是服务器（npm start / npm run demo）或另一次导入。`,
        `The warehouse ${db} is held by another process (pid ${holder.pid}): a server (npm start / npm run demo) or another load.`,
      ]);
      expect(message).not.toContain('http://127.0.0.1:9');
    } finally {
      removeServerMarker(db, 2 ** 22 + 12345);
    }
  });
});

describe('writeServerMarker / removeServerMarker', () => {
  it('writes {pid, url, startedAt} beside the warehouse and removes only its own marker', async () => {
    const info = {
      pid: process.pid,
      url: 'http://127.0.0.1:1',
      startedAt: '2025-01-01T00:00:00.000Z',
    };
    writeServerMarker(db, info);
    expect(markerPath(db)).toBe(`${db}.server.json`);
    expect(JSON.parse(await readFile(`${db}.server.json`, 'utf8'))).toEqual(info);
    expect(readServerMarker(db)).toEqual(info);
    removeServerMarker(db, process.pid + 1);
    expect(existsSync(`${db}.server.json`)).toBe(true);
    removeServerMarker(db);
    expect(existsSync(`${db}.server.json`)).toBe(false);
    expect(readServerMarker(db)).toBeNull();
  });
});
