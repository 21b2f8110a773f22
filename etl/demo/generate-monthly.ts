/**
 * The monthly report line of one school, from its habits plus this month's planned
 * misbehaviour. Each planned break also yields the ground-truth RuleBreak that a
 * correct flagger should raise for this school-month.
 */
import { clamp, type Rng } from './random.ts';
import type { MonthlyReport, ParticipationRow, RuleBreak } from './model.ts';
import type { SchoolPlan } from './school-plan.ts';
import type { PlannedBreak } from './rule-breaks.ts';

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);

function sum(rows: readonly ParticipationRow[], key: keyof ParticipationRow): number {
  return rows.reduce((s, r) => s + (r[key] as number), 0);
}

export function monthlyRow(
  plan: SchoolPlan,
  month: string,
  schoolDays: number,
  grades: readonly ParticipationRow[],
  breaks: readonly PlannedBreak[],
  rng: Rng,
): { report: MonthlyReport; found: RuleBreak[] } {
  const s = plan.school;
  const participants = sum(grades, 'participants');
  const poorServed = sum(grades, 'poor_participants');
  const r: MonthlyReport = {
    school_code: s.school_code,
    school_name: s.school_name,
    month,
    school_days: schoolDays,
    service_days: schoolDays,
    daily_minutes: plan.dailyMinutes,
    latest_end_time: hhmm(plan.classEnd + plan.dailyMinutes),
    homework_periods: plan.homework,
    written_homework_g12: '否',
    fee_per_period: plan.fee,
    fee_waived: plan.fee > 0 ? poorServed : 0,
    waived_but_charged: 0,
    fees_published: '是',
    teachers_serving: clamp(
      Math.round(s.teachers_total * (plan.serveShare + rng.normal(0, 0.02))),
      1,
      s.teachers_total,
    ),
    teacher_pay_per_period: plan.teacherPay,
    external_staff: Math.max(0, plan.external + rng.int(-1, 1)),
    providers: plan.providers,
    providers_unapproved: 0,
    largest_group: Math.min(45, plan.group + rng.int(-2, 1), Math.max(participants, 1)),
    incidents: 0,
    complaints: rng.chance(0.03) ? 1 : 0,
  };
  const found: RuleBreak[] = [];
  const has = (v: PlannedBreak['variant']): boolean => breaks.some((b) => b.variant === v);
  const note = (b: PlannedBreak, detail: string): void => {
    found.push({ school_code: s.school_code, month, rule: b.rule, detail });
    if (rng.chance(0.35)) r.complaints++;
  };

  for (const b of breaks) {
    switch (b.variant) {
      case 'late':
        r.latest_end_time = rng.pick(['18:40', '18:45']);
        // A school also short of minutes that month starts late rather than runs long.
        if (!has('short_minutes'))
          r.daily_minutes = Number(r.latest_end_time.slice(3)) + 18 * 60 - plan.classEnd;
        note(b, `latest_end_time ${r.latest_end_time} > 18:00 (${s.stage})`);
        break;
      case 'short_days':
        r.service_days = schoolDays - rng.int(3, 6);
        note(b, `service_days ${r.service_days} < school_days ${schoolDays}`);
        break;
      case 'short_minutes':
        r.daily_minutes = rng.pick([90, 100, 105]);
        if (!has('late')) r.latest_end_time = hhmm(plan.classEnd + r.daily_minutes);
        note(b, `daily_minutes ${r.daily_minutes} < 120`);
        break;
      case 'fee_over_cap':
        r.fee_per_period = rng.pick([3, 3.5, 4]);
        r.fee_waived = poorServed;
        note(b, `fee_per_period ${r.fee_per_period} > 2.3`);
        break;
      case 'charged_waived':
        r.waived_but_charged = clamp(rng.int(2, 6), 1, Math.max(1, r.fee_waived));
        r.fee_waived = Math.max(r.fee_waived, r.waived_but_charged);
        note(b, `waived_but_charged ${r.waived_but_charged} > 0`);
        break;
      case 'unpublished':
        r.fees_published = '否';
        note(b, `fees_published 否 with fee_per_period ${r.fee_per_period}`);
        break;
      case 'unapproved':
        r.providers = Math.max(r.providers, 1) + rng.int(0, 1);
        r.providers_unapproved = rng.int(1, r.providers);
        r.external_staff += 2 * r.providers_unapproved;
        note(b, `providers_unapproved ${r.providers_unapproved} of ${r.providers}`);
        break;
      case 'homework_periods':
        r.homework_periods = rng.pick([1.5, 2]);
        note(b, `homework_periods ${r.homework_periods} > 1`);
        break;
      case 'written_g12':
        r.written_homework_g12 = '是';
        note(b, 'written_homework_g12 是');
        break;
      case 'oversized':
        r.largest_group = rng.int(48, 62);
        note(b, `largest_group ${r.largest_group} > 45`);
        break;
      case 'incident':
        r.incidents = 1;
        note(b, 'incidents 1');
        break;
      case 'forced':
        note(b, `participants ${participants} > applicants ${sum(grades, 'applicants')}`);
        break;
      case 'gap_migrant':
      case 'gap_left_behind': {
        const g = b.variant === 'gap_migrant' ? 'migrant' : 'left_behind';
        const rate = pct(sum(grades, `${g}_participants`), sum(grades, `${g}_enrolled`));
        note(
          b,
          `${g} participation ${rate} vs school ${pct(participants, sum(grades, 'enrolled'))}`,
        );
        break;
      }
      case 'none':
        Object.assign(r, {
          service_days: 0,
          daily_minutes: 0,
          latest_end_time: null,
          homework_periods: 0,
          fee_waived: 0,
          teachers_serving: 0,
          external_staff: 0,
          providers: 0,
          largest_group: 0,
        });
        note(b, `service_days 0 (applicants ${sum(grades, 'applicants')} not served)`);
        break;
      case 'missing':
        break;
    }
  }
  return { report: r, found };
}
