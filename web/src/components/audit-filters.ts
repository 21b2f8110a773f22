/**
 * The 审计日志 filters, kept in the URL (`/audit?from=2025-11-01&to=2025-11-30&category=登录
 * &outcome=FAILED&user=…&q=…`) so a filtered trail can be bookmarked, and the same filters
 * as the CSV export's query string (GET /api/export/audit).
 */
import type { LocationQuery } from 'vue-router';
import type { AuditOutcome } from '../api/__generated__/schema-types.ts';

export interface AuditFilters {
  from: string | null;
  to: string | null;
  username: string | null;
  category: string | null;
  outcome: AuditOutcome | null;
  text: string | null;
}

export const AUDIT_KEYS = ['from', 'to', 'user', 'category', 'outcome', 'q'] as const;

export const OUTCOMES: readonly { value: AuditOutcome; label: string }[] = [
  { value: 'OK', label: '成功' },
  { value: 'DENIED', label: '拒绝' },
  { value: 'FAILED', label: '失败' },
];

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function one(query: LocationQuery, key: string): string | null {
  const value = query[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 && first.length <= 100 ? first : null;
}

/** The filters a route query holds; malformed values are ignored. */
export function parseAuditFilters(query: LocationQuery): AuditFilters {
  const date = (key: string) => {
    const v = one(query, key);
    return v && DATE.test(v) ? v : null;
  };
  const outcome = one(query, 'outcome');
  return {
    from: date('from'),
    to: date('to'),
    username: one(query, 'user'),
    category: one(query, 'category'),
    outcome: OUTCOMES.some((o) => o.value === outcome) ? (outcome as AuditOutcome) : null,
    text: one(query, 'q'),
  };
}

/** The filters as the URL's keys (absent when unset). */
export function auditQuery(f: AuditFilters): Record<(typeof AUDIT_KEYS)[number], string | null> {
  return {
    from: f.from,
    to: f.to,
    user: f.username,
    category: f.category,
    outcome: f.outcome,
    q: f.text,
  };
}

/** GET /api/export/audit with the same filters. */
export function auditExportUrl(f: AuditFilters): string {
  const query = new URLSearchParams();
  if (f.from) query.set('from', f.from);
  if (f.to) query.set('to', f.to);
  if (f.username) query.set('username', f.username);
  if (f.category) query.set('category', f.category);
  if (f.outcome) query.set('outcome', f.outcome);
  if (f.text) query.set('text', f.text);
  const text = query.toString();
  return `/api/export/audit${text ? `?${text}` : ''}`;
}
