import type { KindSpec } from '../report-kind.ts';
import { schoolCodeColumn, schoolLookups } from '../common-columns.ts';

/**
 * 责任督学挂牌: one row per inspector–school pair. The unit is a school's assignment set
 * from an effective month (生效月份, optional), so a new file changes who supervises a school
 * from that month on and keeps the history. Without it a school's first assignment covers
 * its whole history and a later one holds from the month of loading (assignments/load.ts).
 */
export const assignmentsSpec: KindSpec = {
  kind: 'assignments',
  columns: [
    {
      key: 'inspector_id',
      header: '督学编号',
      aliases: ['责任督学编号', '督学代码'],
      type: { kind: 'text' },
    },
    {
      key: 'inspector_name',
      header: '督学姓名',
      aliases: ['责任督学', '责任督学姓名', '姓名'],
      type: { kind: 'text' },
    },
    schoolCodeColumn,
    {
      key: 'school_name',
      header: '学校名称',
      aliases: ['学校'],
      type: { kind: 'text' },
      optional: true,
      blankAllowed: true,
    },
    {
      key: 'effective_month',
      header: '生效月份',
      aliases: ['起始月份', '挂牌月份', '生效日期'],
      type: { kind: 'month' },
      optional: true,
    },
  ],
  signature: ['inspector_id', 'school_code'],
  unitKeys: ['school_code', 'effective_month'],
  rowKeys: ['school_code', 'effective_month', 'inspector_id'],
  lookups: schoolLookups,
  rules: [
    {
      column: 'school_code',
      code: 'UNKNOWN_SCHOOL',
      when: `v_school_code IS NOT NULL AND NOT reg_known`,
    },
  ],
};
