/**
 * What a school's own side (学校填报员) reads of a flag raised from a complaint (投诉举报).
 * The complainant is often a parent of the school; telling the school which inspector
 * turned which complaint (#id) into the flag, and when, is a step toward naming them. So
 * for such a flag the school reads that the bureau raised it, and the history's raising
 * step carries neither the person nor the complaint's number. The flag itself (what is
 * wrong, what to rectify) is the school's to read and answer.
 */
import type { Viewer } from '../../auth/viewer.ts';
import type { FlagEvent } from '../__generated__/resolvers-types.ts';
import type { FlagParent } from './flags.types.ts';

/** The rule suffix raiseComplaintFlag gives a complaint's flag (complaints.service.ts). */
const COMPLAINT_RULE_SUFFIX = '.complaint';

/** Who the school reads as having raised a complaint's flag. */
export const RAISED_BY_BUREAU = '教育局';

function hidesOrigin(viewer: Viewer, flag: Pick<FlagParent, 'rule'>): boolean {
  return viewer.role === 'SCHOOL_REPORTER' && flag.rule.endsWith(COMPLAINT_RULE_SUFFIX);
}

/** Flag.raisedBy as the viewer may read it. */
export function raisedByFor(viewer: Viewer, flag: Pick<FlagParent, 'rule' | 'raisedBy'>): string {
  return hidesOrigin(viewer, flag) ? RAISED_BY_BUREAU : flag.raisedBy;
}

/** Flag.history as the viewer may read it: the raising step anonymous for the school. */
export function historyFor(
  viewer: Viewer,
  flag: Pick<FlagParent, 'rule'>,
  events: readonly FlagEvent[],
): FlagEvent[] {
  if (!hidesOrigin(viewer, flag)) return [...events];
  return events.map((e) =>
    e.action === 'RAISED'
      ? { ...e, userName: RAISED_BY_BUREAU, username: '', note: null, visitId: null }
      : e,
  );
}
