import type { ColumnSpec, KindSpec, RowRule } from '../report-kind.ts';
import {
  countColumn,
  monthColumn,
  notAbove,
  schoolCodeColumn,
  schoolExistsRules,
  schoolLookups,
  schoolNameColumn,
} from '../common-columns.ts';

/** The four priority groups: key prefix and the contract's headers. */
export const PRIORITY_GROUPS = [
  { prefix: 'left_behind', name: '留守儿童' },
  { prefix: 'migrant', name: '随迁子女' },
  { prefix: 'disabled', name: '残疾儿童' },
  { prefix: 'poor', name: '困难家庭学生' },
] as const;

function groupColumns(prefix: string, name: string): ColumnSpec[] {
  return [
    countColumn(`${prefix}_enrolled`, `${name}数`, [
      `${name}人数`,
      `${name}在校数`,
      `${name}在校生数`,
    ]),
    countColumn(`${prefix}_participants`, `${name}参加数`, [
      `${name}参加人数`,
      `${name}参与数`,
      `${name}参与人数`,
    ]),
  ];
}

function groupRules(prefix: string, name: string): RowRule[] {
  return [
    notAbove(`${prefix}_participants`, `${prefix}_enrolled`, `${name}数`),
    notAbove(`${prefix}_enrolled`, 'enrolled', '在校生数'),
  ];
}

const STAGE_GRADES = `CASE reg_stage WHEN 'primary' THEN v_grade BETWEEN 1 AND 6
  WHEN 'junior' THEN v_grade BETWEEN 7 AND 9 WHEN 'complete' THEN v_grade BETWEEN 7 AND 9 ELSE TRUE END`;

/** 分年级参与情况: one row per school, month and grade; the unit is the school-month. */
export const participationSpec: KindSpec = {
  kind: 'participation',
  columns: [
    schoolCodeColumn,
    { ...schoolNameColumn, optional: true, blankAllowed: true },
    monthColumn,
    { key: 'grade', header: '年级', aliases: ['年级名称'], type: { kind: 'grade' } },
    countColumn('enrolled', '在校生数', ['在校学生数', '学生数', '在校人数']),
    countColumn('applicants', '申请人数', ['报名人数', '申请参加人数']),
    countColumn('participants', '参加人数', ['参与人数', '参加学生数']),
    ...PRIORITY_GROUPS.flatMap((g) => groupColumns(g.prefix, g.name)),
    {
      ...countColumn('five_day_participants', '五天全勤参加人数', [
        '五天参加人数',
        '5天参加人数',
        '五天全勤人数',
      ]),
      optional: true,
    },
  ],
  signature: ['school_code', 'month', 'grade', 'enrolled'],
  unitKeys: ['school_code', 'month'],
  rowKeys: ['school_code', 'month', 'grade'],
  lookups: schoolLookups,
  rules: [
    ...schoolExistsRules,
    {
      column: 'grade',
      code: 'GRADE_NOT_IN_STAGE',
      when: `reg_known AND v_grade IS NOT NULL AND NOT (${STAGE_GRADES})`,
      p1: `CASE reg_stage WHEN 'primary' THEN '小学' WHEN 'junior' THEN '初中' WHEN 'complete' THEN '完全中学' ELSE reg_stage END`,
      p2: 'reg_stage',
    },
    notAbove('applicants', 'enrolled', '在校生数'),
    notAbove('participants', 'enrolled', '在校生数'),
    ...PRIORITY_GROUPS.flatMap((g) => groupRules(g.prefix, g.name)),
    notAbove('five_day_participants', 'participants', '参加人数'),
  ],
};
