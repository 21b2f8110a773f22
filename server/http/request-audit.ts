/**
 * What the file routes (originals, evidence) share: a JSON refusal, and an audit row for a
 * request written through the data writer. A failed audit write is logged, never turned into
 * a failed download: the bytes were the user's to read either way.
 */
import type { Request, Response } from 'express';
import type { Viewer } from '../auth/viewer.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';

export function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export interface RequestAudit {
  action: string;
  target: string;
  outcome: 'ok' | 'denied' | 'failed';
  detail: object;
}

export async function auditRequest(
  deps: { writer: WarehouseWriter; log: Logger },
  req: Request,
  viewer: Viewer,
  entry: RequestAudit,
): Promise<void> {
  try {
    await deps.writer.write(({ db }) =>
      db
        .insertInto('audit_log')
        .values({
          user_id: viewer.userId,
          username: viewer.username,
          action: entry.action,
          target: entry.target.slice(0, 400),
          outcome: entry.outcome,
          detail: JSON.stringify(entry.detail),
          ip: req.ip ?? null,
        })
        .execute(),
    );
  } catch (error) {
    deps.log.error({ err: error, user: viewer.username, action: entry.action }, 'audit failed');
  }
}
