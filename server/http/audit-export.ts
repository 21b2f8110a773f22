/**
 * `GET /api/export/audit?from=&to=&username=&category=&outcome=&text=`: the audit trail as
 * CSV, with the filters of the 审计日志 view (auditEvents), newest first. Bureau inspectors
 * only. Bounded: a selection of more than MAX_AUDIT_EXPORT_ROWS events is refused rather
 * than cut, so a file never silently misses events. The export is itself audited.
 */
import type { Request } from 'express';
import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import { shanghaiIso } from '../db/calendar.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import type { AuditOutcome } from '../graphql/__generated__/resolvers-types.ts';
import { auditRows, type AuditFilter } from '../graphql/audit/audit.repository.ts';
import {
  AUDIT_FORBIDDEN,
  auditFilter,
  toAuditEvent,
  type AuditArgs,
} from '../graphql/audit/audit.service.ts';
import { insertAudit } from '../graphql/users/users.repository.ts';
import type { Logger } from '../log.ts';
import { fail } from './request-audit.ts';
import { writeCsv, type ExportColumn } from './scoped-export.ts';

/** Most events one file holds. */
export const MAX_AUDIT_EXPORT_ROWS = 50_000;

export interface AuditExportDeps {
  db: Kysely<Database>;
  writer: WarehouseWriter;
  log: Logger;
  now?: () => Date;
  /** Tests: a smaller bound than MAX_AUDIT_EXPORT_ROWS. */
  maxRows?: number;
}

type Event = ReturnType<typeof toAuditEvent>;

const OUTCOME_LABEL: Record<AuditOutcome, string> = { OK: '成功', DENIED: '拒绝', FAILED: '失败' };

const text = (value: (e: Event) => string | null): ExportColumn<Event> => ({
  header: '',
  kind: 'text',
  value,
});

const AUDIT_COLUMNS: ExportColumn<Event>[] = [
  { ...text((e) => e.occurredAt.slice(0, 19).replace('T', ' ')), header: '时间（北京时间）' },
  { ...text((e) => e.username), header: '用户名' },
  { ...text((e) => e.userName), header: '姓名' },
  { ...text((e) => e.category), header: '类别' },
  { ...text((e) => e.actionLabel), header: '操作' },
  { ...text((e) => e.action), header: '操作代码' },
  { ...text((e) => e.target), header: '对象' },
  { ...text((e) => OUTCOME_LABEL[e.outcome]), header: '结果' },
  { ...text((e) => e.detail), header: '说明' },
  { ...text((e) => e.ip), header: 'IP' },
];

const OUTCOMES: Record<string, AuditOutcome> = { OK: 'OK', DENIED: 'DENIED', FAILED: 'FAILED' };

function argsOf(req: Request): AuditArgs {
  const get = (name: string): string | null => {
    const v = req.query[name];
    if (v === undefined || v === '') return null;
    // auditFilter bounds the lengths; a repeated parameter is not a filter.
    if (typeof v !== 'string') throw new Error(`参数 ${name} 无效 / bad ${name}`);
    return v;
  };
  const outcome = get('outcome');
  if (outcome !== null && !OUTCOMES[outcome]) throw new Error('结果无效 / bad outcome');
  return {
    from: get('from'),
    to: get('to'),
    username: get('username'),
    category: get('category'),
    outcome: outcome === null ? null : OUTCOMES[outcome],
    text: get('text'),
  };
}

/** The filter as the file's second line states it. */
function filterText(f: AuditFilter): string {
  const parts = [
    f.from || f.to ? `日期 ${f.from ?? '…'} 至 ${f.to ?? '…'}` : '全部日期',
    f.username ? `用户 ${f.username}` : null,
    f.category ? `类别 ${f.category}` : null,
    f.outcome ? `结果 ${OUTCOME_LABEL[f.outcome.toUpperCase() as AuditOutcome]}` : null,
    f.text ? `包含“${f.text}”` : null,
  ];
  return parts.filter((p) => p !== null).join('；');
}

/** The router, mounted at /api/export/audit after the session middleware. */
export function auditExportRouter(deps: AuditExportDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const maxRows = deps.maxRows ?? MAX_AUDIT_EXPORT_ROWS;
  router.get('/', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const viewer = res.locals.viewer as GraphQLContext['viewer'] | undefined;
    if (!viewer) return fail(res, 401, 'UNAUTHENTICATED', '请先登录 / Sign in first');
    if (viewer.role !== 'BUREAU_INSPECTOR') return fail(res, 403, 'FORBIDDEN', AUDIT_FORBIDDEN);
    let filter: AuditFilter;
    try {
      filter = auditFilter(argsOf(req));
    } catch (error) {
      return fail(res, 400, 'BAD_REQUEST', (error as Error).message);
    }
    const rows = await auditRows(deps.db, filter, maxRows);
    if (rows.length > maxRows)
      return fail(
        res,
        413,
        'EXPORT_TOO_LARGE',
        `超过单次导出上限${maxRows}条，请缩小日期范围或类别 / more than ${maxRows} events: narrow the filter`,
      );
    const at = now();
    await deps.writer.write(({ db }) =>
      insertAudit(db, {
        at,
        userId: viewer.userId,
        username: viewer.username,
        action: 'audit.export',
        target: null,
        outcome: 'ok',
        detail: JSON.stringify({ rows: rows.length, ...filter }),
        ip: req.ip ?? null,
      }),
    );
    const events = rows.map(toAuditEvent);
    const madeAt = shanghaiIso(at.getTime()).slice(0, 16).replace('T', ' ');
    const notes = [
      `审计日志（共${events.length}条）`,
      `筛选条件：${filterText(filter)}`,
      `导出时间：${madeAt}（北京时间）`,
    ];
    res.attachment(`审计日志_${shanghaiIso(at.getTime()).slice(0, 10)}.csv`);
    try {
      await writeCsv(res, notes, AUDIT_COLUMNS, events);
    } catch (error) {
      deps.log.warn({ err: error }, 'audit export interrupted');
      if (!res.headersSent) fail(res, 500, 'INTERNAL_SERVER_ERROR', '导出失败 / export failed');
      else res.destroy();
    }
  });
  return router;
}
