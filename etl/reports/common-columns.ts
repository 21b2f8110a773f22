import type { ColumnSpec, RowRule } from './report-kind.ts';

export const schoolCodeColumn: ColumnSpec = {
  key: 'school_code',
  header: '学校标识码',
  aliases: ['学校代码', '学校编码', '标识码', '学校识别码'],
  type: { kind: 'code10' },
};

export const schoolNameColumn: ColumnSpec = {
  key: 'school_name',
  header: '学校名称',
  aliases: ['学校', '校名', '单位名称'],
  type: { kind: 'text' },
};

export const monthColumn: ColumnSpec = {
  key: 'month',
  header: '填报月份',
  aliases: ['月份', '统计月份', '报送月份', '年月'],
  type: { kind: 'month' },
};

/** Registry columns joined to every report that cites a school code. */
export const schoolLookups = `
  s.school_code IS NOT NULL AS reg_known,
  s.teachers_total AS reg_teachers_total,
  s.stage AS reg_stage,
  s.valid_from AS reg_valid_from,
  s.valid_to AS reg_valid_to`;

const monthStart = `CAST(v_month || '-01' AS DATE)`;

/** A school must be in the registry and exist in the month reported. */
export const schoolExistsRules: readonly RowRule[] = [
  {
    column: 'school_code',
    code: 'UNKNOWN_SCHOOL',
    when: `v_school_code IS NOT NULL AND NOT reg_known`,
  },
  {
    column: 'month',
    code: 'SCHOOL_NOT_OPEN',
    when: `reg_known AND v_month IS NOT NULL AND (
      (reg_valid_from IS NOT NULL AND last_day(${monthStart}) < reg_valid_from) OR
      (reg_valid_to IS NOT NULL AND ${monthStart} >= reg_valid_to))`,
    p1: `coalesce(CAST(reg_valid_from AS VARCHAR), '') || ' ~ ' || coalesce(CAST(reg_valid_to AS VARCHAR), '')`,
  },
];

/** Count columns: whole numbers from 0. */
export function countColumn(
  key: string,
  header: string,
  aliases: readonly string[] = [],
): ColumnSpec {
  return { key, header, aliases, type: { kind: 'int', min: 0 } };
}

/** `small` must not exceed `big`; the clerk is told which column and what value. */
export function notAbove(small: string, big: string, bigHeader: string): RowRule {
  return {
    column: small,
    code: 'EXCEEDS',
    when: `v_${small} > v_${big}`,
    p1: `'${bigHeader}'`,
    p2: `CAST(v_${big} AS VARCHAR)`,
  };
}
