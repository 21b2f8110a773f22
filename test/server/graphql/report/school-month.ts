/** SchoolMonth objects for the report's pure tests, built from counts as toSchoolMonth does. */
import type {
  PriorityGroup,
  PriorityGroupStat,
  SchoolMonth,
} from '../../../../server/graphql/__generated__/resolvers-types.ts';
import { PRIORITY_GROUPS } from '../../../../server/db/vocabulary/priority-groups.ts';
import { difference, rate } from '../../../../server/graphql/metrics/rates.ts';

export interface Counts {
  enrolled?: number | null;
  participants?: number | null;
  applicants?: number | null;
  reported?: boolean;
  serviceDays?: number | null;
  /** [enrolled, participants] per group; absent groups have 0 and 0. */
  groups?: Partial<Record<PriorityGroup, [number, number]>>;
}

export function schoolMonth(code: string, c: Counts = {}): SchoolMonth {
  const enrolled = c.enrolled === undefined ? 100 : c.enrolled;
  const participants = c.participants === undefined ? 80 : c.participants;
  const applicants = c.applicants === undefined ? 80 : c.applicants;
  const serviceDays = c.serviceDays === undefined ? 20 : c.serviceDays;
  const reported = c.reported ?? true;
  const overall = rate(participants, enrolled);
  const priorityGroups: PriorityGroupStat[] = PRIORITY_GROUPS.map(({ group, zh }) => {
    const [ge, gp] = c.groups?.[group] ?? [0, 0];
    const groupRate = enrolled === null ? null : rate(gp, ge);
    return {
      group,
      label: zh,
      enrolled: enrolled === null ? null : ge,
      participants: enrolled === null ? null : gp,
      rate: groupRate,
      suppressed: false,
      suppressedBelow: null,
      gap: difference(groupRate, overall),
    };
  });
  return {
    school: {
      code,
      name: `学校${code}`,
      township: '东城镇',
      stage: 'PRIMARY',
      locality: 'URBAN',
      ownership: 'public',
      remote: false,
      teachersTotal: 10,
    },
    month: '2025-10',
    reported,
    offering: reported && (serviceDays ?? 0) > 0,
    schoolDays: reported ? 20 : null,
    serviceDays: reported ? serviceDays : null,
    dailyMinutes: null,
    latestEndTime: null,
    feePerPeriod: null,
    teachersServing: null,
    teacherParticipationRate: null,
    enrolled,
    applicants,
    participants,
    participationRate: overall,
    demandMetRate: rate(participants, applicants),
    fiveDayShare: null,
    priorityGroups,
    priorityGap: null,
    priorityShortfall: null,
    priorityShortfallGroup: null,
    satisfactionScore: null,
    satisfactionResponses: 0,
    openFlags: 0,
    externalStaff: null,
    providersUnapproved: null,
    incidents: null,
    complaints: null,
  };
}
