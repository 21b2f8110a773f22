import { cat, int } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

const GRADE_NAME = `CASE x.grade WHEN 1 THEN '一年级' WHEN 2 THEN '二年级' WHEN 3 THEN '三年级'
  WHEN 4 THEN '四年级' WHEN 5 THEN '五年级' WHEN 6 THEN '六年级' WHEN 7 THEN '七年级'
  WHEN 8 THEN '八年级' WHEN 9 THEN '九年级' ELSE CAST(x.grade AS VARCHAR) || '年级' END`;

/** The grades with more participants than applicants, named, e.g. '一年级、二年级'. */
const FORCED_GRADES = `LEFT JOIN (
    SELECT x.school_code, x.month, string_agg(${GRADE_NAME}, '、' ORDER BY x.grade) AS forced_grades
    FROM participation x JOIN flag_scope sc ON sc.school_code = x.school_code AND sc.month = x.month
    WHERE x.participants > x.applicants
    GROUP BY x.school_code, x.month) fg ON fg.school_code = b.school_code AND fg.month = b.month`;

/**
 * FORCED_PARTICIPATION.over_applicants: a grade with more participants than applicants
 * (flag_base sums the excess over such grades; the texts name them).
 */
export const forcedParticipation: EvidenceRule[] = [
  {
    rule: 'FORCED_PARTICIPATION.over_applicants',
    reads: ['participation'],
    when: () => `forced_excess > 0`,
    observed: cat(`'超出 '`, int('forced_excess'), `' 人（'`, 'forced_grades', `'）'`),
    threshold: `'参加人数 ≤ 申请人数'`,
    detail: cat('forced_grades', `'参加人数超过申请人数，共超出 '`, int('forced_excess'), `' 人'`),
    batch: 'part_batch',
    extra: { select: 'fg.forced_grades', join: FORCED_GRADES },
  },
];
