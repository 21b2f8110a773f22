import { describe, expect, it } from 'vitest';
import {
  auditExportUrl,
  auditQuery,
  parseAuditFilters,
} from '../../../web/src/components/audit-filters.ts';

describe('the 审计日志 filters in the URL', () => {
  it('reads valid values and ignores the rest', () => {
    expect(
      parseAuditFilters({
        from: '2025-11-01',
        to: '2025-13-01',
        user: 'dx01',
        category: '登录',
        outcome: 'MAYBE',
        q: ['wrong', 'second'],
      }),
    ).toEqual({
      from: '2025-11-01',
      to: null,
      username: 'dx01',
      category: '登录',
      outcome: null,
      text: 'wrong',
    });
    expect(parseAuditFilters({ outcome: 'DENIED', q: 'x'.repeat(101) })).toMatchObject({
      outcome: 'DENIED',
      text: null,
    });
  });

  it('writes the URL keys and the export link with the same filters', () => {
    const f = parseAuditFilters({ from: '2025-11-01', category: '登录', q: 'a b', user: 'dx01' });
    expect(auditQuery(f)).toEqual({
      from: '2025-11-01',
      to: null,
      user: 'dx01',
      category: '登录',
      outcome: null,
      q: 'a b',
    });
    expect(auditExportUrl(f)).toBe(
      '/api/export/audit?from=2025-11-01&username=dx01&category=%E7%99%BB%E5%BD%95&text=a+b',
    );
    expect(auditExportUrl(parseAuditFilters({}))).toBe('/api/export/audit');
  });
});
