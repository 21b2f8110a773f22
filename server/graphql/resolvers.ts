/** Every area's resolvers, merged. Areas own their SDL file in schema/<area>.graphql. */
import type { Resolvers } from './__generated__/resolvers-types.ts';
import { auditResolvers } from './audit/audit.resolvers.ts';
import { complaintsResolvers } from './complaints/complaints.resolvers.ts';
import { doubtsResolvers } from './doubts/doubts.resolvers.ts';
import { drawsResolvers } from './draws/draws.resolvers.ts';
import { evaluationPublicationResolvers } from './evaluation/evaluation-publication.resolvers.ts';
import { evaluationResolvers } from './evaluation/evaluation.resolvers.ts';
import { evidenceResolvers } from './evidence/evidence.resolvers.ts';
import { filingsResolvers } from './filings/filings.resolvers.ts';
import { flagLifecycleResolvers } from './flags/flag-lifecycle.resolvers.ts';
import { flagsResolvers } from './flags/flags.resolvers.ts';
import { inspectionsResolvers } from './inspections/inspections.resolvers.ts';
import { lineageResolvers } from './lineage/lineage.resolvers.ts';
import { loadsResolvers } from './loads/loads.resolvers.ts';
import { mapResolvers } from './map/map.resolvers.ts';
import { overviewResolvers } from './overview/overview.resolvers.ts';
import { planResolvers } from './plan/plan.resolvers.ts';
import { remindersResolvers } from './reminders/reminders.resolvers.ts';
import { reportResolvers } from './report/report.resolvers.ts';
import { reviewsResolvers } from './reviews/reviews.resolvers.ts';
import { satisfactionResolvers } from './satisfaction/satisfaction.resolvers.ts';
import { schoolsResolvers } from './schools/schools.resolvers.ts';
import { submissionsResolvers } from './submissions/submissions.resolvers.ts';
import { triangulationResolvers } from './triangulation/triangulation.resolvers.ts';
import { usersResolvers } from './users/users.resolvers.ts';

const areas: Resolvers[] = [
  usersResolvers,
  overviewResolvers,
  schoolsResolvers,
  satisfactionResolvers,
  flagsResolvers,
  flagLifecycleResolvers,
  inspectionsResolvers,
  reportResolvers,
  loadsResolvers,
  evaluationResolvers,
  evaluationPublicationResolvers,
  submissionsResolvers,
  auditResolvers,
  doubtsResolvers,
  lineageResolvers,
  planResolvers,
  triangulationResolvers,
  complaintsResolvers,
  evidenceResolvers,
  remindersResolvers,
  drawsResolvers,
  reviewsResolvers,
  filingsResolvers,
  mapResolvers,
];

export const resolvers: Resolvers = areas.reduce<Resolvers>((merged, area) => {
  for (const [type, fields] of Object.entries(area)) {
    const key = type as keyof Resolvers;
    merged[key] = { ...(merged[key] as object), ...(fields as object) } as never;
  }
  return merged;
}, {});
