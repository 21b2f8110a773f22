/** Every rule the engine judges, one file per catalogue code. */
import { missingReport } from '../missing-reports.ts';
import type { EvidenceRule } from './evidence-rule.ts';
import { excessDuration } from './excess-duration.ts';
import { excessHomework } from './excess-homework.ts';
import { forcedParticipation } from './forced-participation.ts';
import { illegalAllowances } from './illegal-allowances.ts';
import { illegalFees } from './illegal-fees.ts';
import { lateEnd } from './late-end.ts';
import { notOffered } from './not-offered.ts';
import { oversizedGroup } from './oversized-group.ts';
import { priorityGap } from './priority-gap.ts';
import { safetyIncident } from './safety-incident.ts';
import { shortService } from './short-service.ts';
import { unapprovedProvider } from './unapproved-provider.ts';

export const ALL_RULES: readonly EvidenceRule[] = [
  ...lateEnd,
  ...shortService,
  ...excessDuration,
  ...notOffered,
  ...forcedParticipation,
  ...excessHomework,
  ...illegalFees,
  ...illegalAllowances,
  ...unapprovedProvider,
  ...oversizedGroup,
  ...safetyIncident,
  ...priorityGap,
  missingReport,
];
