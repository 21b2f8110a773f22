/**
 * Time limits that keep a slow or runaway request from holding the server: a request
 * body must arrive in time (a client trickling bytes holds a socket and a parser), and a
 * GraphQL request's warehouse work is interrupted at its deadline (query-scope.ts).
 */
import type { Request, RequestHandler } from 'express';
import { QueryScope, runInQueryScope } from '../db/query-scope.ts';
import type { Logger } from '../log.ts';

/** An upload that moves less than this in a whole `bodyMs` window is stalled. */
const MIN_UPLOAD_PROGRESS_BYTES = 16 * 1024;

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const seconds = (ms: number): number => Math.round(ms / 1000);

/**
 * Cuts a request whose body has not arrived `bodyMs` after it began (408, connection
 * closed). Uploads may take longer on a slow county line: they are cut when they stall
 * (under 16 KiB in `bodyMs`) or pass `uploadMs` in all.
 */
export function bodyDeadline(bodyMs: number, { uploads }: { uploads: number }): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    const upload = req.path.startsWith('/api/uploads');
    const started = Date.now();
    let progressBytes = req.socket.bytesRead;
    let progressAt = started;
    const cut = (limitMs: number): void => {
      stop();
      if (!res.headersSent) {
        res.set('Connection', 'close');
        res.status(408).json({
          error: {
            code: 'REQUEST_TIMEOUT',
            message: `请求数据在 ${seconds(limitMs)} 秒内未传完，连接已断开 / the request body did not arrive within ${seconds(limitMs)} s; the connection was closed`,
          },
        });
      }
      // The parser waiting for the rest of the body gives up when the socket goes.
      res.once('finish', () => req.socket.destroy());
      if (res.writableFinished) req.socket.destroy();
    };
    const timer = setInterval(
      () => {
        if (req.complete) return stop();
        const now = Date.now();
        if (!upload) {
          if (now - started >= bodyMs) cut(bodyMs);
          return;
        }
        const bytes = req.socket.bytesRead;
        if (bytes - progressBytes >= MIN_UPLOAD_PROGRESS_BYTES) {
          progressBytes = bytes;
          progressAt = now;
        }
        if (now - progressAt >= bodyMs) cut(bodyMs);
        else if (now - started >= uploads) cut(uploads);
      },
      Math.max(50, Math.min(1000, bodyMs / 4)),
    );
    timer.unref();
    function stop(): void {
      clearInterval(timer);
    }
    req.once('end', stop);
    res.once('close', stop);
    next();
  };
}

/** Runs the rest of the request in a query scope that interrupts its statements after `ms`. */
export function queryDeadline(ms: number, log: Logger): RequestHandler {
  return (_req, res, next) => {
    const scope = new QueryScope();
    scope.arm(ms, () => log.warn({ timeoutMs: ms }, 'query deadline passed: interrupting'));
    res.once('close', () => scope.disarm());
    runInQueryScope(scope, () => next());
  };
}
