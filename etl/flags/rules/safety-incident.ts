import { cat, int } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** SAFETY_INCIDENT.incidents: any incident reported. */
export const safetyIncident: EvidenceRule[] = [
  {
    rule: 'SAFETY_INCIDENT.incidents',
    reads: ['monthly'],
    when: () => `incidents > 0`,
    observed: cat(int('incidents'), `' 起'`),
    threshold: `'无安全事故'`,
    detail: cat(`'本月报告安全事故 '`, int('incidents'), `' 起'`),
    batch: 'report_batch',
  },
];
