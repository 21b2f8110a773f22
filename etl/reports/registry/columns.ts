import type { KindSpec } from '../report-kind.ts';
import { schoolCodeColumn, schoolNameColumn } from '../common-columns.ts';

const STAGES = {
  小学: 'primary',
  初中: 'junior',
  初级中学: 'junior',
  九年一贯制: 'nine_year',
  九年一贯制学校: 'nine_year',
  完全中学: 'complete',
  primary: 'primary',
  junior: 'junior',
  nine_year: 'nine_year',
  complete: 'complete',
} as const;

const LOCALITIES = {
  城区: 'urban',
  镇区: 'town',
  乡村: 'rural',
  农村: 'rural',
  urban: 'urban',
  town: 'town',
  rural: 'rural',
} as const;

const OWNERSHIP = {
  公办: 'public',
  民办: 'private',
  public: 'public',
  private: 'private',
} as const;

/** 学校名录: one row per school; the unit is the school. */
export const registrySpec: KindSpec = {
  kind: 'registry',
  columns: [
    schoolCodeColumn,
    schoolNameColumn,
    {
      key: 'township',
      header: '所属乡镇（街道）',
      aliases: ['乡镇', '所属乡镇', '乡镇（街道）', '街道'],
      type: { kind: 'text' },
    },
    {
      key: 'stage',
      header: '学段',
      aliases: ['学校类型', '办学类型'],
      type: { kind: 'enum', values: STAGES },
    },
    {
      key: 'locality',
      header: '城乡类型',
      aliases: ['城乡分类', '城乡'],
      type: { kind: 'enum', values: LOCALITIES },
    },
    {
      key: 'ownership',
      header: '办学性质',
      aliases: ['性质', '公办民办'],
      type: { kind: 'enum', values: OWNERSHIP },
    },
    {
      key: 'remote',
      header: '是否偏远',
      aliases: ['偏远地区', '是否偏远地区'],
      type: { kind: 'yesno' },
    },
    {
      key: 'teachers_total',
      header: '教师总数',
      aliases: ['教职工数', '专任教师数', '教师数'],
      type: { kind: 'int', min: 0, max: 100000 },
    },
    {
      key: 'valid_from',
      header: '开办日期',
      aliases: ['启用日期', '成立日期', '设立日期'],
      type: { kind: 'date' },
      optional: true,
      blankAllowed: true,
    },
    {
      key: 'valid_to',
      header: '撤销日期',
      aliases: ['停办日期', '撤并日期', '合并日期', '停用日期'],
      type: { kind: 'date' },
      optional: true,
      blankAllowed: true,
    },
    {
      key: 'merged_into',
      header: '并入学校标识码',
      aliases: ['并入学校', '合并至'],
      type: { kind: 'code10' },
      optional: true,
      blankAllowed: true,
    },
  ],
  signature: ['school_code', 'school_name', 'stage'],
  excludes: ['month', 'inspector_id'],
  unitKeys: ['school_code'],
  rowKeys: ['school_code'],
  rules: [
    {
      column: 'valid_to',
      code: 'NOT_ABOVE',
      when: 'v_valid_to <= v_valid_from',
      p1: `'开办日期 / valid_from ' || CAST(v_valid_from AS VARCHAR)`,
    },
  ],
};
