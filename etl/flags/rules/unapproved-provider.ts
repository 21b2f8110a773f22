import { cat, int } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

/** UNAPPROVED_PROVIDER: unreviewed providers where allowed; any provider where forbidden. */
export const unapprovedProvider: EvidenceRule[] = [
  {
    rule: 'UNAPPROVED_PROVIDER.unapproved',
    reads: ['monthly'],
    when: () => `third_party_allowed AND providers_unapproved > 0`,
    observed: cat(int('providers_unapproved'), `' 家未经审核（共 '`, int('providers'), `' 家）'`),
    threshold: `'第三方机构须经审核'`,
    detail: cat(
      `'第三方机构 '`,
      int('providers'),
      `' 家，其中 '`,
      int('providers_unapproved'),
      `' 家未经审核'`,
    ),
    batch: 'report_batch',
  },
  {
    rule: 'UNAPPROVED_PROVIDER.not_allowed',
    reads: ['monthly'],
    when: () => `NOT third_party_allowed AND providers > 0`,
    observed: cat(int('providers'), `' 家'`),
    threshold: `'不允许第三方机构进校'`,
    detail: cat(`'有 '`, int('providers'), `' 家第三方机构进校，本区不允许第三方机构提供课后服务'`),
    batch: 'report_batch',
  },
];
