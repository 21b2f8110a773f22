/**
 * The demo's casework as ground truth: who visited which school when and what they found,
 * and how far each flag has come in 整改 (requested, rectified, closed, overdue, dismissed)
 * on the demo's "today" (asOf). Pure and seeded like the rest of the district; the demo
 * plays it through the server's visit and flag services (play-casework.ts).
 *
 * Older flags have mostly been closed, the newest are mostly still open or just requested,
 * a few are overdue or waiting to be closed, some turned out unfounded: what a bureau's
 * flag list looks like after two years of work.
 */
import { DEMO_BUREAU_NAME, DEMO_USERNAMES } from '../../server/auth/demo-users.ts';
import { addMonths, UTC_OFFSET } from '../../server/db/calendar.ts';
import type { Rng } from './random.ts';
import type {
  Assignment,
  CaseAccount,
  CaseOutcome,
  CaseStep,
  Casework,
  ChecklistItem,
  FlagCase,
  Inspector,
  PlannedComplaint,
  PlannedVisit,
  RuleBreak,
} from './model.ts';
import {
  CLEAN_FINDINGS,
  closeText,
  dismissText,
  EVIDENCE,
  reportText,
  requestText,
  VISIT_FINDINGS,
} from './casework-texts.ts';

export const OUTCOMES: readonly CaseOutcome[] = [
  'OPEN',
  'REQUESTED',
  'OVERDUE',
  'RECTIFIED',
  'CLOSED',
  'DISMISSED',
];

/** The demo's own sign-ins the casework acts as. */
export const BUREAU_USER: CaseAccount = {
  username: DEMO_USERNAMES.bureau,
  inspector_id: null,
  name: DEMO_BUREAU_NAME,
};
export const FEATURED_USERNAME = DEMO_USERNAMES.inspector;
/** Inspectors besides the featured one who visit schools and work their flags. */
const OTHER_VISITING_INSPECTORS = 3;

const CHECKLIST: readonly ChecklistItem[] = [
  'SERVICE_TIME',
  'CONTENT',
  'SAFETY',
  'FEE_PUBLICITY',
  'ATTENDANCE_RECORDS',
  'HANDOVER_RECORDS',
];

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayOf(date: string): number {
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) /
    DAY_MS
  );
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The same day or the next Monday: the bureau works on weekdays. */
function workday(day: number): number {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday === 6 ? day + 2 : weekday === 0 ? day + 1 : day;
}

function instant(day: number, minutes: number): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${dateOf(day)}T${two(Math.floor(minutes / 60))}:${two(minutes % 60)}:00${UTC_OFFSET}`;
}

function nextMonth(month: string): string {
  return addMonths(month, 1);
}

/** The demo's "today": the 25th of the month after the newest month, after its reports were due. */
export function asOfDate(toMonth: string): string {
  return `${nextMonth(toMonth)}-25`;
}

/** The inspector in charge of a school in a month (the assignment version in force then). */
export class Remit {
  private readonly versions: string[];
  private readonly owner = new Map<string, string>();
  constructor(assignments: readonly Assignment[]) {
    this.versions = [...new Set(assignments.map((a) => a.effective_month))].sort();
    for (const a of assignments)
      this.owner.set(`${a.effective_month}|${a.school_code}`, a.inspector_id);
  }
  ownerOf(school: string, month: string): string | null {
    const version = this.versions.filter((v) => v <= month).pop();
    return version === undefined ? null : (this.owner.get(`${version}|${school}`) ?? null);
  }
  /** Schools of the newest version, per inspector. */
  current(): Map<string, string[]> {
    const latest = this.versions[this.versions.length - 1];
    const out = new Map<string, string[]>();
    for (const [key, inspector] of this.owner) {
      const [version, school] = key.split('|') as [string, string];
      if (version === latest) out.set(inspector, [...(out.get(inspector) ?? []), school]);
    }
    return out;
  }
}

/**
 * Inspectors by how many planned rule breaks their current schools have, most first (ties by
 * id): the first is the demo's 责任督学, whose schools show most of what the demo has to show.
 */
export function inspectorsByBreaks(
  assignments: readonly Assignment[],
  breakCount: (school: string) => number,
): string[] {
  const count = new Map<string, number>();
  for (const [inspector, schools] of new Remit(assignments).current())
    count.set(
      inspector,
      schools.reduce((n, s) => n + breakCount(s), 0),
    );
  return [...count.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id]) => id);
}

export interface CaseworkInput {
  toMonth: string;
  months: readonly string[];
  inspectors: readonly Inspector[];
  assignments: readonly Assignment[];
  ruleBreaks: readonly RuleBreak[];
  /** From inspectorsByBreaks: the first is featured. */
  ranking: readonly string[];
}

interface Clock {
  asOf: number;
  rng: Rng;
  /** Username of the school's inspector on a day when they have an account, else null. */
  visitor(school: string, day: number): string | null;
}

/** Office hours, so steps of one day keep their order when sorted by time. */
function at(clock: Clock, day: number, from = 9 * 60, to = 17 * 60): string {
  return instant(day, clock.rng.int(from, to));
}

function step(
  kind: CaseStep['step'],
  when: string,
  by: string,
  text: string,
  extra: Partial<Pick<CaseStep, 'deadline' | 'visit'>> = {},
): CaseStep {
  return {
    step: kind,
    at: when,
    by,
    deadline: extra.deadline ?? null,
    text,
    visit: extra.visit ?? null,
  };
}

/**
 * The steps that bring a flag from OPEN to `outcome`, starting no earlier than `start`
 * (a day number) and ending on or before asOf; null when it cannot fit. A CLOSE at a school
 * with a visiting inspector follows their FOLLOW_UP visit, added to `visits`.
 */
function buildSteps(
  clock: Clock,
  c: Pick<FlagCase, 'school_code' | 'code'>,
  outcome: CaseOutcome,
  start: number,
  newVisit: (school: string, day: number, by: string) => string,
): CaseStep[] | null {
  const { rng, asOf } = clock;
  // The 教育局督导 issues the 整改 notice, receives the school's report and closes or dismisses;
  // the school's 责任督学 goes back to check (the FOLLOW_UP visit a closing cites).
  const who = (_day: number): string => BUREAU_USER.username;
  const request = (day: number, deadline: number): CaseStep =>
    step('REQUEST_RECTIFICATION', at(clock, day), who(day), requestText(c.code, dateOf(deadline)), {
      deadline: dateOf(deadline),
    });
  const rectified = (day: number): CaseStep =>
    step('RECORD_RECTIFICATION', at(clock, day), who(day), reportText(c.code));
  switch (outcome) {
    case 'OPEN':
      return [];
    case 'REQUESTED': {
      const r = workday(Math.max(start, asOf - rng.int(3, 20)));
      if (r > asOf) return null;
      return [request(r, asOf + rng.int(14, 35))];
    }
    case 'OVERDUE': {
      const r = workday(start + rng.int(0, 3));
      const deadline = r + rng.int(14, 21);
      if (deadline >= asOf) return null;
      return [request(r, deadline)];
    }
    case 'RECTIFIED': {
      const r = workday(Math.max(start, asOf - rng.int(12, 30)));
      const rr = workday(r + rng.int(4, 9));
      if (rr > asOf) return null;
      return [request(r, r + rng.int(21, 30)), rectified(rr)];
    }
    case 'CLOSED': {
      const r = workday(start + rng.int(0, 3));
      const deadline = r + rng.int(15, 30);
      const rr = workday(r + rng.int(5, deadline - r - 1));
      const v = workday(rr + rng.int(2, 6));
      const closed = workday(v + rng.int(1, 3));
      if (closed > asOf) return null;
      const closer = who(closed);
      const visiting = clock.visitor(c.school_code, v);
      const visit = visiting !== null ? newVisit(c.school_code, v, visiting) : null;
      return [
        request(r, deadline),
        rectified(rr),
        step('CLOSE', at(clock, closed), closer, closeText(visit !== null), { visit }),
      ];
    }
    case 'DISMISSED': {
      const d = workday(start + rng.int(2, 8));
      if (d > asOf) return null;
      return [
        step(
          'DISMISS',
          at(clock, d),
          BUREAU_USER.username,
          dismissText(c.code, (n) => rng.int(0, n - 1)),
        ),
      ];
    }
  }
}

/** Outcome odds by how long the flag has been known on asOf. */
function odds(room: number): readonly (readonly [CaseOutcome, number])[] {
  if (room < 40)
    return [
      ['OPEN', 0.45],
      ['REQUESTED', 0.4],
      ['RECTIFIED', 0.15],
    ];
  if (room < 90)
    return [
      ['OPEN', 0.1],
      ['REQUESTED', 0.2],
      ['OVERDUE', 0.2],
      ['RECTIFIED', 0.2],
      ['CLOSED', 0.25],
      ['DISMISSED', 0.05],
    ];
  return [
    ['OPEN', 0.1],
    ['OVERDUE', 0.07],
    ['RECTIFIED', 0.05],
    ['CLOSED', 0.66],
    ['DISMISSED', 0.12],
  ];
}

/** When nothing fits, the flag stops at an earlier step. */
const FALLBACK: Record<CaseOutcome, CaseOutcome> = {
  CLOSED: 'RECTIFIED',
  RECTIFIED: 'REQUESTED',
  OVERDUE: 'REQUESTED',
  REQUESTED: 'OPEN',
  DISMISSED: 'OPEN',
  OPEN: 'OPEN',
};

export function planCasework(input: CaseworkInput, rng: Rng): Casework {
  const remit = new Remit(input.assignments);
  const asOfDay = dayOf(asOfDate(input.toMonth));
  const names = new Map(input.inspectors.map((i) => [i.inspector_id, i.inspector_name]));
  const featured = input.ranking[0] ?? input.inspectors[0]?.inspector_id ?? '';
  const visiting = [featured, ...input.ranking.slice(1, 1 + OTHER_VISITING_INSPECTORS)].filter(
    (id) => id !== '',
  );
  const accounts: CaseAccount[] = [
    BUREAU_USER,
    ...visiting.map((id, i) => ({
      username: i === 0 ? FEATURED_USERNAME : id.toLowerCase(),
      inspector_id: id,
      name: names.get(id) ?? id,
    })),
  ];
  const usernameOf = new Map(accounts.map((a) => [a.inspector_id, a.username]));
  const monthOfDay = (day: number): string => dateOf(day).slice(0, 7);
  const clock: Clock = {
    asOf: asOfDay,
    rng,
    visitor: (school, day) => usernameOf.get(remit.ownerOf(school, monthOfDay(day))) ?? null,
  };

  const visits: PlannedVisit[] = [];
  const addVisit = (v: Omit<PlannedVisit, 'ref'>): string => {
    const ref = `V${String(visits.length + 1).padStart(3, '0')}`;
    visits.push({ ref, ...v });
    return ref;
  };
  const followUp = (school: string, day: number, by: string): string =>
    addVisit({
      school_code: school,
      date: dateOf(day),
      kind: 'FOLLOW_UP',
      by,
      at: at(clock, day, 16 * 60, 18 * 60),
      checklist: CHECKLIST.map((item) => ({ item, result: 'OK' as const, note: null })),
      findings: '回访核实：整改措施已落实，问题未再出现。',
      evidence: rng.pick(EVIDENCE),
      flags: [],
    });

  // Routine and unannounced visits by the visiting inspectors to their current schools,
  // in two windows (last term and this one), on school days of service months.
  const serviceMonths = new Set(input.months);
  const raised: { visit: PlannedVisit; finding: (typeof VISIT_FINDINGS)[number] }[] = [];
  const current = remit.current();
  for (const inspector of visiting) {
    const by = usernameOf.get(inspector) ?? BUREAU_USER.username;
    for (const school of current.get(inspector) ?? []) {
      for (const [from, to] of [
        [170, 95],
        [80, 5],
      ] as const) {
        if (!rng.chance(0.75)) continue;
        let day: number | null = null;
        for (let tries = 0; tries < 6 && day === null; tries++) {
          const d = workday(asOfDay - rng.int(to, from));
          const month = monthOfDay(d);
          if (
            d <= asOfDay &&
            serviceMonths.has(month) &&
            remit.ownerOf(school, month) === inspector
          )
            day = d;
        }
        if (day === null) continue;
        const finding = rng.chance(0.2) ? rng.pick(VISIT_FINDINGS) : null;
        const checked = CHECKLIST.filter(() => rng.chance(0.85));
        const items = checked.length > 0 ? checked : CHECKLIST.slice(0, 3);
        const checklist = items.map((item) =>
          finding && item === finding.item
            ? { item, result: 'PROBLEM' as const, note: finding.detail }
            : { item, result: 'OK' as const, note: null },
        );
        if (finding && !items.includes(finding.item))
          checklist.push({ item: finding.item, result: 'PROBLEM', note: finding.detail });
        addVisit({
          school_code: school,
          date: dateOf(day),
          kind: rng.chance(0.35) ? 'UNANNOUNCED' : 'ROUTINE',
          by,
          at: at(clock, day, 16 * 60, 18 * 60),
          checklist,
          findings: finding ? finding.findings : rng.pick(CLEAN_FINDINGS),
          evidence: rng.pick(EVIDENCE),
          flags: finding ? [{ code: finding.code, detail: finding.detail }] : [],
        });
        if (finding) raised.push({ visit: visits[visits.length - 1] as PlannedVisit, finding });
      }
    }
  }
  // A demo without a finding would hide half of the visit form: the featured inspector's
  // first visit raises one when chance gave none.
  if (raised.length === 0) {
    const first = visits.find((v) => v.by === FEATURED_USERNAME) ?? visits[0];
    if (first) {
      const finding = VISIT_FINDINGS[0];
      first.findings = finding.findings;
      first.flags = [{ code: finding.code, detail: finding.detail }];
      first.checklist = first.checklist.filter((c) => c.item !== finding.item);
      first.checklist.push({ item: finding.item, result: 'PROBLEM', note: finding.detail });
      raised.push({ visit: first, finding });
    }
  }

  // One case per flag: the report flags of the ground truth (one per school, month and
  // code) and the visits' findings, each with the day it became known.
  const newest = input.months[input.months.length - 1];
  const seen = new Set<string>();
  const known: { c: Omit<FlagCase, 'outcome' | 'steps'>; start: number; fixed: boolean }[] = [];
  for (const b of input.ruleBreaks) {
    const key = `${b.school_code}|${b.month}|${b.rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    known.push({
      c: {
        school_code: b.school_code,
        month: b.month,
        code: b.rule,
        source: 'report',
        visit: null,
      },
      start: workday(dayOf(`${nextMonth(b.month)}-08`) + rng.int(0, 6)),
      // A missing report is no case for 整改: the newest month's is still open (nobody can
      // have acted yet), an older one turned out to be a month the school was closed.
      fixed: b.rule === 'MISSING_REPORT',
    });
  }
  for (const { visit, finding } of raised)
    known.push({
      c: {
        school_code: visit.school_code,
        month: visit.date.slice(0, 7),
        code: finding.code,
        source: 'inspection',
        visit: visit.ref,
      },
      start: workday(dayOf(visit.date) + rng.int(1, 4)),
      fixed: false,
    });

  const plan = (k: (typeof known)[number], wanted: CaseOutcome): FlagCase => {
    let outcome = wanted;
    for (;;) {
      const steps = buildSteps(clock, k.c, outcome, k.start, followUp);
      if (steps) return { ...k.c, outcome, steps };
      outcome = FALLBACK[outcome];
    }
  };
  const cases = known.map((k) =>
    k.fixed
      ? plan(k, k.c.month === newest ? 'OPEN' : 'DISMISSED')
      : plan(k, rng.weighted(odds(asOfDay - k.start))),
  );
  // Every step of 整改 shows at least once: a missing outcome takes an old flag from the
  // most common one.
  for (const wanted of OUTCOMES) {
    if (cases.some((c) => c.outcome === wanted)) continue;
    const counts = new Map<CaseOutcome, number>();
    for (const c of cases) counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
    for (let i = 0; i < known.length; i++) {
      const k = known[i] as (typeof known)[number];
      const was = cases[i] as FlagCase;
      if (k.fixed || (counts.get(was.outcome) ?? 0) < 2) continue;
      if (was.steps.some((s) => s.visit !== null)) continue;
      const steps = buildSteps(clock, k.c, wanted, k.start, followUp);
      if (!steps) continue;
      cases[i] = { ...k.c, outcome: wanted, steps };
      break;
    }
  }
  visits.sort((a, b) => a.at.localeCompare(b.at) || a.ref.localeCompare(b.ref));
  // A stream of their own: complaints leave the visits and flags above as they were.
  const complaints = planComplaints(
    { ...clock, rng: rng.fork('complaints') },
    visiting.flatMap((id) =>
      (current.get(id) ?? []).map((school) => ({ school, by: usernameOf.get(id) ?? '' })),
    ),
    visits,
  );
  return {
    asOf: instant(asOfDay, 18 * 60),
    featuredInspector: featured,
    accounts,
    visits,
    cases,
    complaints,
  };
}

/** What parents call about, by flag catalogue code, with the words of the allegation. */
const ALLEGATIONS: readonly (readonly [string, string])[] = [
  ['ILLEGAL_FEES', '课后服务另收资料费，每生每学期200元'],
  ['ILLEGAL_FEES', '学校要求购买指定的课后托管辅导材料'],
  ['LATE_END', '课后服务经常拖到18:30以后才放学，接孩子困难'],
  ['EXCESS_HOMEWORK', '课后服务时间用来讲新课，回家作业仍然很多'],
  ['FORCED_PARTICIPATION', '班主任要求全班都报名课后服务，不报名要写说明'],
  ['OVERSIZED_GROUP', '托管班人数过多，一间教室六十多人'],
  ['UNAPPROVED_PROVIDER', '课后服务由校外培训机构人员授课并推销课程'],
];
const SOURCES = [
  ['HOTLINE_12345', 5],
  ['ONLINE', 3],
  ['INSPECTOR_PHONE', 2],
  ['LETTER', 1],
] as const;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄'] as const;
const FINDINGS_TRUE = '经核查反映情况属实，已责令学校立即整改并向家长说明。';
const FINDINGS_FALSE = '经走访核查及查阅台账，反映情况与事实不符，已向来电人反馈。';
/** Complaints of the last this many days. */
const COMPLAINT_WINDOW_DAYS = 80;
const COMPLAINT_COUNT = 12;

/**
 * The demo's complaints: a dozen over the last months about the visiting inspectors'
 * schools. The bureau records hotline, online and letter complaints and assigns them to the
 * school's 督学 a day or two later; a call to a 督学's phone is theirs from the start. Older
 * ones are closed (about half borne out), linked to a visit made after they came in when
 * there is one; the newest are still being handled, so some are overdue.
 */
function planComplaints(
  clock: Clock,
  schools: readonly { school: string; by: string }[],
  visits: readonly PlannedVisit[],
): PlannedComplaint[] {
  const { rng } = clock;
  const out: PlannedComplaint[] = [];
  if (schools.length === 0) return out;
  for (let n = 0; n < COMPLAINT_COUNT; n++) {
    const { school, by: inspector } = rng.pick(schools);
    const day = workday(clock.asOf - rng.int(1, COMPLAINT_WINDOW_DAYS));
    if (day > clock.asOf) continue;
    const source = rng.weighted(SOURCES);
    const [category, allegation] = rng.pick(ALLEGATIONS);
    const received = dateOf(day);
    const own = source === 'INSPECTOR_PHONE';
    const complaint: PlannedComplaint = {
      school_code: school,
      source,
      category,
      received_on: received,
      allegation,
      complainant_name: rng.chance(0.6) ? `${rng.pick(SURNAMES)}女士` : null,
      by: own ? inspector : BUREAU_USER.username,
      at: at(clock, day),
      steps: [],
    };
    let handledFrom = day;
    if (!own) {
      const assignDay = workday(day + rng.int(1, 2));
      if (assignDay <= clock.asOf && rng.chance(0.85)) {
        complaint.steps.push({
          step: 'ASSIGN',
          at: at(clock, assignDay),
          by: BUREAU_USER.username,
          handler: inspector,
        });
        handledFrom = assignDay;
      } else {
        out.push(complaint);
        continue;
      }
    }
    const visit = visits.find(
      (v) => v.school_code === school && v.date >= received && v.by === inspector,
    );
    const closeDay = workday(handledFrom + rng.int(5, 20));
    if (visit) {
      const linkDay = Math.max(dayOf(visit.date), handledFrom);
      if (linkDay <= clock.asOf)
        complaint.steps.push({
          step: 'LINK_VISIT',
          at: at(clock, linkDay, 17 * 60 + 30, 19 * 60),
          by: inspector,
          visit: visit.ref,
        });
    }
    if (closeDay < clock.asOf && rng.chance(0.75)) {
      const borneOut = rng.chance(0.5);
      const lastStep = complaint.steps.at(-1)?.at ?? complaint.at;
      const closeAt = at(clock, closeDay, 19 * 60, 20 * 60);
      complaint.steps.push({
        step: 'CLOSE',
        at: closeAt > lastStep ? closeAt : lastStep,
        by: inspector,
        finding: borneOut ? FINDINGS_TRUE : FINDINGS_FALSE,
        substantiated: borneOut,
      });
    }
    out.push(complaint);
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
