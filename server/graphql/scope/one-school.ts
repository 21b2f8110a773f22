/**
 * What a one-school remit (学校填报员, remitOf kind 'school') may not read: anything that
 * compares, ranks or targets schools (the evaluation and its peer medians, the visit plan),
 * and complaints (their complainants and allegations are the bureau's to protect). Every
 * refusal is the same whatever the arguments, so it tells nothing about what exists, and
 * names the role through ROLE_LABEL (server/db/roles.ts).
 */
import type { Viewer } from '../../auth/viewer.ts';
import { remitOf } from '../../db/remit.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import { ForbiddenError } from '../errors.ts';

/** What the refused read is, in both languages. */
export type OneSchoolRefused = 'evaluation' | 'plan' | 'complaints' | 'map';

const WHAT: Readonly<Record<OneSchoolRefused, { zh: string; en: string }>> = {
  evaluation: {
    zh: '不能查看考核评价、排名与同类校比较',
    en: 'may not read evaluations, rankings or peer comparisons',
  },
  plan: { zh: '不能查看走访计划', en: 'may not read visit plans' },
  complaints: { zh: '不能查看投诉举报', en: 'may not read complaints' },
  map: { zh: '不能查看乡镇地图（总览）', en: 'may not read the township map (the overview)' },
};

/** Whether the viewer's remit is one school (a 学校填报员, bound or not). */
export function isOneSchoolViewer(viewer: Viewer): boolean {
  // An unbound reporter's remit is 'none': it is refused the same as a bound one.
  return viewer.role === 'SCHOOL_REPORTER' || remitOf(viewer).kind === 'school';
}

/** FORBIDDEN for a one-school viewer; nothing for any other role. */
export function assertNotOneSchool(viewer: Viewer, what: OneSchoolRefused): void {
  if (!isOneSchoolViewer(viewer)) return;
  const { zh, en } = WHAT[what];
  throw new ForbiddenError(`${ROLE_LABEL.SCHOOL_REPORTER}${zh} / a school reporter ${en}`);
}
