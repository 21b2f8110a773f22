/**
 * Plays the demo's casework (plan-casework.ts) through the server's own services, after
 * the ETL load: each visit through recordVisit, then each 整改 step through takeStep, then
 * each complaint through the complaints service (record, assign, link, close), as
 * the user the plan names and on the day it names (the services' clock is the plan's). The
 * same guards, history rows and audit rows as a person working in the dashboard; nothing
 * is written around them. A few cases are worked side by side so the server's reads
 * overlap; each case's steps keep their order.
 *
 * Plays once per warehouse: a warehouse that already has visits or steps taken by people
 * (an earlier demo run, or someone working in it) is left alone.
 */
import { sql } from 'kysely';
import type { Viewer } from '../../server/auth/viewer.ts';
import type { Warehouse } from '../../server/db/connect.ts';
import type { WarehouseWriter } from '../../server/db/writer.ts';
import type { GraphQLContext } from '../../server/graphql/context.ts';
import {
  assignComplaint,
  closeComplaint,
  linkComplaintVisit,
  recordComplaint,
} from '../../server/graphql/complaints/complaints.service.ts';
import { takeStep, type StepRequest } from '../../server/graphql/flags/flag-lifecycle.service.ts';
import { recordVisit } from '../../server/graphql/inspections/record-visit.service.ts';
import type { Logger } from '../../server/log.ts';
import { fireReminders } from '../../server/reminders/fire-reminders.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import type { CaseStep, Casework, FlagCase, PlannedComplaint } from './model.ts';

export interface PlayResult {
  /** false when the warehouse had casework already. */
  played: boolean;
  visits: number;
  steps: number;
  /** Planned flags the load did not raise (a planted bad row rejected their evidence). */
  missing: string[];
  /** Complaints recorded (and handled as planned). */
  complaints: number;
}

export interface Handles {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  policy: DistrictPolicy;
  log: Logger;
}

async function alreadyWorked(warehouse: Warehouse): Promise<boolean> {
  const row = await sql<{ n: number }>`
    SELECT (SELECT count(*) FROM visits) + (SELECT count(*) FROM flag_events
      WHERE user_id IS NOT NULL) AS n`.execute(warehouse.db);
  return Number(row.rows[0]?.n ?? 0) > 0;
}

/**
 * A request context as `username` at `at` ("now" for the service is that instant), for
 * replaying the demo's work through the server's services; `what` names the replay in errors.
 */
export function demoContext(
  handles: Handles,
  users: ReadonlyMap<string, Viewer>,
  what: string,
): (username: string, at: string) => GraphQLContext {
  return (username, at) => {
    const viewer = users.get(username);
    if (!viewer) throw new Error(`${what}: no user ${username}`);
    return {
      viewer,
      db: handles.warehouse.db,
      writer: handles.writer,
      log: handles.log,
      policy: handles.policy,
      now: () => new Date(at),
    };
  };
}

/** The demo users named, as the server would see them signed in. */
export async function viewers(
  warehouse: Warehouse,
  usernames: string[],
): Promise<Map<string, Viewer>> {
  const rows = await warehouse.db
    .selectFrom('users')
    .select(['user_id', 'username', 'display_name', 'role', 'inspector_id'])
    .select(['school_code', 'township'])
    .where('username', 'in', usernames)
    .execute();
  return new Map(
    rows.map((u) => [
      u.username,
      {
        userId: u.user_id,
        username: u.username,
        name: u.display_name,
        role: u.role,
        inspectorId: u.inspector_id,
        schoolCode: u.school_code,
        township: u.township,
        sessionHash: '',
      },
    ]),
  );
}

/** The report flags of each (school, month, code): one per rule that fired. */
async function reportFlags(warehouse: Warehouse): Promise<Map<string, string[]>> {
  const rows = await warehouse.db
    .selectFrom('flags')
    .select(['flag_id', 'school_code', 'month', 'code'])
    .where('source', '=', 'report')
    .orderBy('flag_id')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.school_code}|${r.month}|${r.code}`;
    out.set(key, [...(out.get(key) ?? []), String(r.flag_id)]);
  }
  return out;
}

function request(step: CaseStep, flagId: string, visitId: string | null): StepRequest {
  switch (step.step) {
    case 'REQUEST_RECTIFICATION':
      return { step: step.step, flagId, deadline: step.deadline ?? '', request: step.text };
    case 'RECORD_RECTIFICATION':
      return { step: step.step, flagId, report: step.text };
    case 'CLOSE':
      return { step: step.step, flagId, note: step.text, visitId };
    case 'DISMISS':
      return { step: step.step, flagId, reason: step.text };
  }
}

/** Cases worked side by side: each case's steps stay in order, the writer takes one at a time. */
const PARALLEL_CASES = 4;

export async function playCasework(handles: Handles, casework: Casework): Promise<PlayResult> {
  const { warehouse } = handles;
  if (await alreadyWorked(warehouse))
    return { played: false, visits: 0, steps: 0, missing: [], complaints: 0 };
  const users = await viewers(
    warehouse,
    casework.accounts.map((a) => a.username),
  );
  const context = demoContext(handles, users, 'demo casework');
  const flagIds = await reportFlags(warehouse);
  const visitIds = new Map<string, string>();
  // Visits first, in the order they were typed in: their dates all precede the steps that
  // cite them (plan-casework.ts), and a visit's finding is a flag its case works on.
  for (const v of [...casework.visits].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const id = await recordVisit(context(v.by, v.at), {
      schoolCode: v.school_code,
      date: v.date,
      kind: v.kind,
      checklist: v.checklist,
      findings: v.findings,
      evidence: v.evidence,
      flags: v.flags,
    });
    visitIds.set(v.ref, String(id));
    if (v.flags.length === 0) continue;
    const raised = await warehouse.db
      .selectFrom('flags')
      .select(['flag_id', 'code'])
      .where('visit_id', '=', id)
      .execute();
    for (const f of raised) flagIds.set(`visit:${v.ref}|${f.code}`, [String(f.flag_id)]);
  }

  let steps = 0;
  const missing: string[] = [];
  const work = async (flag: FlagCase): Promise<void> => {
    const key =
      flag.visit === null
        ? `${flag.school_code}|${flag.month}|${flag.code}`
        : `visit:${flag.visit}|${flag.code}`;
    const ids = flagIds.get(key);
    if (!ids) {
      if (flag.steps.length > 0) missing.push(key);
      return;
    }
    for (const step of flag.steps) {
      const visitId = step.visit === null ? null : (visitIds.get(step.visit) ?? null);
      for (const flagId of ids) {
        await takeStep(context(step.by, step.at), request(step, flagId, visitId));
        steps++;
      }
    }
  };
  const queue = casework.cases.filter((c) => c.steps.length > 0);
  await Promise.all(
    Array.from({ length: PARALLEL_CASES }, async () => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) await work(c);
    }),
  );
  const complaints = await playComplaints(casework.complaints, context, visitIds, users);
  return { played: true, visits: visitIds.size, steps, missing, complaints };
}

/** Each complaint through the complaints service, as its user on its day. */
async function playComplaints(
  planned: readonly PlannedComplaint[],
  context: (username: string, at: string) => GraphQLContext,
  visitIds: ReadonlyMap<string, string>,
  users: ReadonlyMap<string, Viewer>,
): Promise<number> {
  let played = 0;
  for (const c of planned) {
    const recorded = await recordComplaint(context(c.by, c.at), {
      schoolCode: c.school_code,
      source: c.source,
      category: c.category,
      receivedOn: c.received_on,
      allegation: c.allegation,
      complainantName: c.complainant_name,
    });
    const id = String(recorded.id);
    for (const s of c.steps) {
      const ctx = context(s.by, s.at);
      switch (s.step) {
        case 'ASSIGN':
          await assignComplaint(ctx, id, String(users.get(s.handler ?? '')?.userId ?? ''));
          break;
        case 'LINK_VISIT':
          await linkComplaintVisit(ctx, id, visitIds.get(s.visit ?? '') ?? '');
          break;
        case 'CLOSE':
          await closeComplaint(ctx, id, s.finding ?? '', s.substantiated ?? false);
          break;
      }
    }
    played++;
  }
  return played;
}

/**
 * The reminders of the snapshot's day in every inbox: the demo serves a snapshot, so no
 * server job judges it against today's date; this is the one run it would have made.
 */
export async function fillInboxes(
  handles: Pick<Handles, 'writer' | 'policy'>,
  casework: Casework,
): Promise<number> {
  const result = await handles.writer.write(({ db }) =>
    fireReminders(db, handles.policy, new Date(casework.asOf)),
  );
  return result.fired.length;
}
