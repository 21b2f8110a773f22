/**
 * The running server's local admin channel: a Unix socket beside the warehouse (mode 0600,
 * in a work folder of mode 0700), so commands run on the same machine by whoever may read
 * the warehouse file can ask the server for what needs the file while the server holds it
 * — today a consistent backup (`npm run -s warehouse -- backup <dir>`). It is never
 * reachable over the network and needs no password: the file system's permissions are
 * the check, exactly as for the warehouse file itself.
 */
import { createHash } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { BackupError, deliverBackup, stageBackup, type BackupManifest } from '../db/backup.ts';
import type { Warehouse } from '../db/connect.ts';
import { shortMessage } from '../db/engine-errors.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';

/** Unix socket paths are limited to about 107 bytes. */
const MAX_SOCKET_PATH = 100;

export function adminSocketPath(warehouse: Warehouse): string {
  const beside = join(warehouse.workDir, 'admin.sock');
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) return beside;
  const id = createHash('sha256').update(resolve(warehouse.workDir)).digest('hex').slice(0, 16);
  return join(tmpdir(), `kehou-admin-${id}.sock`);
}

export interface AdminSocket {
  path: string;
  close(): Promise<void>;
}

interface BackupRequest {
  target: string;
  /** The operating-system user who asked, for the audit log. */
  user: string;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolveBody, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 16_384) req.destroy(new Error('request too large'));
    });
    req.on('end', () => {
      try {
        resolveBody(JSON.parse(body));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

export async function startAdminSocket(deps: {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  log: Logger;
}): Promise<AdminSocket> {
  const { warehouse, writer, log } = deps;
  const path = adminSocketPath(warehouse);
  // This process holds the warehouse's lock, so a socket file left here is a dead server's.
  rmSync(path, { force: true });

  async function backup(input: BackupRequest): Promise<BackupManifest> {
    // The data writer's turn: a backup never lands between two files of an upload.
    const staged = await writer.exclusive(() => stageBackup(warehouse));
    const manifest = await deliverBackup(staged, input.target);
    await writer.write(({ db }) =>
      db
        .insertInto('audit_log')
        .values({
          username: input.user,
          action: 'backup',
          target: input.target,
          outcome: 'ok',
          detail: JSON.stringify({ bytes: manifest.bytes, sha256: manifest.sha256 }),
        })
        .execute(),
    );
    log.info({ target: input.target, bytes: manifest.bytes, user: input.user }, 'backup written');
    return manifest;
  }

  const server: Server = createServer((req, res) => {
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/backup')
      return answer(404, { error: 'unknown admin request' });
    readJson(req)
      .then(async (body) => {
        const input = body as Partial<BackupRequest>;
        if (typeof input.target !== 'string' || !isAbsolute(input.target))
          return answer(400, {
            error: '备份目录须为绝对路径 / the backup folder must be an absolute path',
          });
        const manifest = await backup({
          target: input.target,
          user: String(input.user ?? 'unknown'),
        });
        answer(200, { manifest });
      })
      .catch((error: unknown) => {
        log.error({ err: { message: shortMessage(error, 300) } }, 'backup failed');
        answer(error instanceof BackupError ? 409 : 500, {
          error:
            error instanceof BackupError
              ? error.message
              : `备份失败 / the backup failed: ${shortMessage(error, 300)}`,
        });
      });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolveListen());
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolveClose) =>
        server.close(() => {
          rmSync(path, { force: true });
          resolveClose();
        }),
      ),
  };
}

/** A client's side: asks the server at `socket` for a backup into `target`. */
export function requestBackup(
  socket: string,
  input: BackupRequest,
): Promise<{ status: number; body: { manifest?: BackupManifest; error?: string } }> {
  return new Promise((resolveAnswer, reject) => {
    const req = request(
      {
        socketPath: socket,
        path: '/backup',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolveAnswer({
              status: res.statusCode ?? 0,
              body: JSON.parse(text) as { manifest?: BackupManifest; error?: string },
            });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}
