import { cat, int, percent, tenths } from '../sql-format.ts';
import type { EvidenceRule } from './evidence-rule.ts';

const GROUPS = [
  ['left_behind', '留守儿童'],
  ['migrant', '随迁子女'],
  ['disabled', '残疾儿童'],
  ['poor', '困难家庭学生'],
] as const;

/**
 * PRIORITY_GAP.<group>: the group's rate (rollup counts) is below the school's by MORE
 * than max_gap_points percentage points, compared exactly in integers:
 * 100·(P·ge − gp·E) > points·E·ge — exactly 10 points below is not flagged.
 */
function gapRule(group: string, name: string): EvidenceRule {
  const ge = `${group}_enrolled`;
  const gp = `${group}_participants`;
  const diff = `(participants * ${ge} - ${gp} * enrolled)`;
  const gapTenths = `((2000 * ${diff} + enrolled * ${ge}) // (2 * enrolled * ${ge}))`;
  return {
    rule: `PRIORITY_GAP.${group}`,
    reads: ['participation'],
    when: () => `enrolled > 0 AND ${ge} >= min_group_enrolled
      AND (100 * ${diff})::DECIMAL(38, 6) > max_gap_points * (enrolled * ${ge})`,
    observed: cat(percent(gp, ge), `'（全校 '`, percent('participants', 'enrolled'), `'）'`),
    threshold: cat(`'低于全校不超过 '`, 'max_gap_text', `' 个百分点'`),
    detail: cat(
      `'${name}参与率 '`,
      percent(gp, ge),
      `'（'`,
      int(ge),
      `' 人中 '`,
      int(gp),
      `' 人），低于全校 '`,
      percent('participants', 'enrolled'),
      `' 达 '`,
      tenths(gapTenths),
      `' 个百分点，超过规定的 '`,
      'max_gap_text',
      `' 个百分点'`,
    ),
    batch: 'part_batch',
  };
}

export const priorityGap: EvidenceRule[] = GROUPS.map(([group, name]) => gapRule(group, name));
