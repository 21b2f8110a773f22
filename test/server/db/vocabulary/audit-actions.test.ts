/**
 * The audit vocabulary covers every action the writers put in audit_log, and every family
 * the 审计日志 view promises (sign-ins, uploads, flag steps, visits, evaluations, doubt
 * reviews, user changes) has a writer. Writers are found by what they call (insertAudit,
 * auditRequest or an insert into audit_log); their action literals are read from the source, so a new
 * action without a label fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOUBT_TRANSITIONS } from '../../../../server/db/vocabulary/doubt-statuses.ts';
import {
  AUDIT_ACTIONS,
  AUDIT_CATEGORIES,
  auditAction,
} from '../../../../server/db/vocabulary/audit-actions.ts';

const SERVER = fileURLToPath(new URL('../../../../server/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__generated__' ? [] : sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Dotted literals in writer files that are not actions. */
const NOT_ACTIONS = new Set(['admin.sock']);

/** Every action a writer may store, by writer file (relative to server/). */
function writtenActions(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const path of sources(SERVER)) {
    const text = readFileSync(path, 'utf8');
    const file = relative(SERVER, path);
    if (file === 'graphql/users/users.repository.ts') continue; // insertAudit itself
    if (file === 'http/request-audit.ts') continue; // auditRequest itself
    if (!/insertAudit\(|auditRequest\(|insertInto\('audit_log'\)/u.test(text)) continue;
    const actions = new Set<string>();
    for (const m of text.matchAll(/'([a-z]+\.[a-z_]+)'/gu))
      if (!NOT_ACTIONS.has(m[1]!)) actions.add(m[1]!);
    for (const m of text.matchAll(/action: '([a-z_]+)'/gu)) actions.add(m[1]!);
    // The users CLI audits `users.<command>` for each of its commands.
    const commands = /const COMMANDS[^=]*= \[([^\]]*)\]/u.exec(text);
    if (text.includes('`users.${known}`') && commands)
      for (const c of commands[1]!.matchAll(/'([a-z]+)'/gu)) actions.add(`users.${c[1]}`);
    // Doubt reviews take theirs from the transitions (server/db/vocabulary/doubt-statuses.ts).
    if (text.includes('DOUBT_TRANSITIONS'))
      for (const t of Object.values(DOUBT_TRANSITIONS)) actions.add(t.auditAction);
    out.set(file, [...actions].sort());
  }
  return out;
}

describe('the audit vocabulary', () => {
  const written = writtenActions();

  it('finds the writers and what they write', () => {
    expect(Object.fromEntries(written)).toEqual({
      'auth/cli.ts': ['users.add', 'users.disable', 'users.enable', 'users.passwd'],
      'auth/demo-users.ts': ['users.add', 'users.reset'],
      'auth/sign-in.ts': ['auth.login', 'auth.logout'],
      'graphql/complaints/complaints.service.ts': [
        'complaints.assign',
        'complaints.close',
        'complaints.link_visit',
        'complaints.raise_flag',
        'complaints.record',
      ],
      'graphql/doubts/doubts.service.ts': ['DOUBT_CORRECTION_REQUESTED', 'DOUBT_VERIFIED'],
      'graphql/draws/draws.service.ts': ['draws.draw'],
      'graphql/evaluation/evaluation-publication.service.ts': ['evaluation.publish'],
      'graphql/evidence/evidence.resolvers.ts': ['evidence.delete'],
      'graphql/filings/filings.service.ts': ['filings.file', 'filings.review'],
      'graphql/flags/flag-lifecycle.service.ts': [
        'flags.close',
        'flags.dismiss',
        'flags.record_rectification',
        'flags.request_rectification',
      ],
      'graphql/inspections/record-visit.service.ts': ['visits.record'],
      'graphql/reviews/reviews.service.ts': [
        'reviews.approve',
        'reviews.return',
        'reviews.submit',
        'reviews.unlock',
      ],
      'graphql/users/users.service.ts': [
        'auth.change_password',
        'users.add',
        'users.disable',
        'users.enable',
        'users.passwd',
        'users.update',
      ],
      'http/admin-socket.ts': ['backup'],
      'http/audit-export.ts': ['audit.export'],
      'http/evidence-route.ts': ['evidence.download', 'evidence.upload'],
      'http/originals-download.ts': ['originals.download'],
      'http/upload-audit.ts': ['upload'],
    });
  });

  it('labels every written action and files it in a family', () => {
    const all = [...new Set([...written.values()].flat())];
    const unknown = all.filter((a) => !AUDIT_ACTIONS.some((e) => e.action === a));
    expect(unknown).toEqual([]);
    const families = new Set(all.map((a) => auditAction(a).category));
    // Every family the view offers has a writer (其他: backups, exports of the trail).
    expect(AUDIT_CATEGORIES.filter((c) => !families.has(c))).toEqual([]);
  });

  it('has one entry per action, each label unique', () => {
    const actions = AUDIT_ACTIONS.map((a) => a.action);
    expect(new Set(actions).size).toBe(actions.length);
    const labels = AUDIT_ACTIONS.map((a) => a.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(auditAction('nobody.knows')).toEqual({
      action: 'nobody.knows',
      label: 'nobody.knows',
      category: '其他',
    });
  });
});
