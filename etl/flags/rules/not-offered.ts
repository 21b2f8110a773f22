import { cat, int, percent } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

const MET = cat(
  percent('participants', 'applicants'),
  `'（申请 '`,
  int('applicants'),
  `' 人，参加 '`,
  int('participants'),
  `' 人）'`,
);

/** NOT_OFFERED: no service on any school day, or applicants turned away ("愿留尽留"). */
export const notOffered: EvidenceRule[] = [
  {
    rule: 'NOT_OFFERED.no_service',
    reads: ['monthly'],
    when: () => `service_month AND school_days > 0 AND service_days = 0`,
    observed: `'开展 0 天'`,
    threshold: `'上学日应开展课后服务'`,
    detail: cat(`'本月上学 '`, int('school_days'), `' 天，未开展课后服务'`),
    batch: 'report_batch',
  },
  {
    rule: 'NOT_OFFERED.turned_away',
    reads: ['monthly', 'participation'],
    when: () => `service_days > 0 AND applicants > 0
      AND participants::DECIMAL(38, 6) < applicants::DECIMAL(38, 6) * min_demand_rate`,
    observed: MET,
    threshold: cat(`'需求满足率 ≥ '`, 'min_demand_text'),
    detail: cat(`'需求满足率 '`, MET, `'，低于规定的 '`, 'min_demand_text'),
    batch: 'part_batch',
  },
];
