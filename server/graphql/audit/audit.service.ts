/**
 * The audit trail for the API and the CSV export: who may read it (bureau inspectors
 * only: it names every user and what they did), the filter arguments checked, and rows
 * labelled from the one vocabulary (server/db/vocabulary/audit-actions.ts).
 */
import type { Viewer } from '../../auth/viewer.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import { auditAction, isAuditCategory } from '../../db/vocabulary/audit-actions.ts';
import type { AuditEvent, AuditOutcome } from '../__generated__/resolvers-types.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { int } from '../metrics/rates.ts';
import type { AuditFilter, AuditOutcomeValue, AuditRow } from './audit.repository.ts';

export const AUDIT_FORBIDDEN = `仅${ROLE_LABEL.BUREAU_INSPECTOR}可以查看审计日志 / only bureau inspectors may see the audit trail`;

/** FORBIDDEN for every role but BUREAU_INSPECTOR. */
export function assertMayReadAudit(viewer: Viewer): void {
  if (viewer.role !== 'BUREAU_INSPECTOR') throw new ForbiddenError(AUDIT_FORBIDDEN);
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/u;
/** Longest free-text or user filter accepted. */
const MAX_TEXT = 100;

export interface AuditArgs {
  from?: string | null;
  to?: string | null;
  username?: string | null;
  category?: string | null;
  outcome?: AuditOutcome | null;
  text?: string | null;
}

const OUTCOME_IN: Record<AuditOutcome, AuditOutcomeValue> = {
  OK: 'ok',
  DENIED: 'denied',
  FAILED: 'failed',
};
const OUTCOME_OUT: Record<AuditOutcomeValue, AuditOutcome> = {
  ok: 'OK',
  denied: 'DENIED',
  failed: 'FAILED',
};

function date(value: string | null | undefined, name: string): string | null {
  if (value == null || value === '') return null;
  if (!DATE.test(value))
    throw new BadUserInputError(`${name} 应为 YYYY-MM-DD 格式 / ${name} must be YYYY-MM-DD`);
  return value;
}

function text(value: string | null | undefined, name: string): string | null {
  const v = value?.trim() ?? '';
  if (v === '') return null;
  if (v.length > MAX_TEXT)
    throw new BadUserInputError(
      `${name} 最多 ${MAX_TEXT} 个字符 / ${name}: at most ${MAX_TEXT} characters`,
    );
  return v;
}

/** The arguments as a repository filter; BAD_USER_INPUT for malformed ones. */
export function auditFilter(args: AuditArgs): AuditFilter {
  const from = date(args.from, 'from');
  const to = date(args.to, 'to');
  if (from !== null && to !== null && from > to)
    throw new BadUserInputError('from 不能晚于 to / from must not be after to');
  const category = text(args.category, 'category');
  if (category !== null && !isAuditCategory(category))
    throw new BadUserInputError('未知的日志类别 / unknown audit category');
  return {
    from,
    to,
    username: text(args.username, 'username'),
    category,
    outcome: args.outcome ? OUTCOME_IN[args.outcome] : null,
    text: text(args.text, 'text'),
  };
}

export function toAuditEvent(row: AuditRow): AuditEvent {
  const entry = auditAction(row.action);
  return {
    id: String(row.audit_id),
    occurredAt: shanghaiIso(int(row.occurred_ms)),
    username: row.username,
    userName: row.user_name,
    action: row.action,
    actionLabel: entry.label,
    category: entry.category,
    target: row.target,
    outcome: OUTCOME_OUT[row.outcome],
    detail: row.detail,
    ip: row.ip,
  };
}
