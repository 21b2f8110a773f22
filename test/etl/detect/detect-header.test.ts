import { describe, expect, it } from 'vitest';
import { detectHeader } from '../../../etl/detect/detect-header.ts';
import type { RawRow } from '../../../etl/read/raw-row.ts';

function rows(...cells: Array<Array<string | null>>): RawRow[] {
  return cells.map((c, i) => ({ sheet: 'S', row: i + 1, cells: c }));
}

const MONTHLY = [
  '学校标识码',
  '学校名称',
  '填报月份',
  '上学天数',
  '开展天数',
  '日均服务时长（分钟）',
  '最晚结束时间',
];

describe('detectHeader', () => {
  it('finds a registry header below a title row and a blank-free note', () => {
    const m = detectHeader(
      rows(
        ['XX区义务教育学校名录（2024年秋季学期）', 'XX区义务教育学校名录（2024年秋季学期）'],
        ['说明：请勿修改表头'],
        [
          '学校标识码',
          '学校名称',
          '所属乡镇（街道）',
          '学段',
          '城乡类型',
          '办学性质',
          '是否偏远',
          '教师总数',
        ],
        ['3101010001', '城关第一小学', '城关镇', '小学', '城区', '公办', '否', '60'],
      ),
    );
    expect(m).not.toBeNull();
    expect([m?.kind, m?.headerIndex, m?.headerRow, m?.upperIndex, m?.missing]).toEqual([
      'registry',
      2,
      3,
      null,
      [],
    ]);
    expect(Object.fromEntries(m?.columns ?? [])).toEqual({
      school_code: 0,
      school_name: 1,
      township: 2,
      stage: 3,
      locality: 4,
      ownership: 5,
      remote: 6,
      teachers_total: 7,
    });
  });

  it('tells a monthly report from a participation report by the 年级 column', () => {
    expect(detectHeader(rows(MONTHLY))?.kind).toBe('monthly');
    const participation = detectHeader(
      rows([
        '学校标识码',
        '填报月份',
        '年级',
        '在校生数',
        '申请人数',
        '参加人数',
        '留守儿童数',
        '留守儿童参加数',
      ]),
    );
    expect(participation?.kind).toBe('participation');
    expect(participation?.missing).toEqual([
      'migrant_enrolled',
      'migrant_participants',
      'disabled_enrolled',
      'disabled_participants',
      'poor_enrolled',
      'poor_participants',
    ]);
  });

  it('lists the required monthly columns a header lacks and keeps the header texts as written', () => {
    const m = detectHeader(rows(MONTHLY));
    expect(m?.missing).toEqual([
      'homework_periods',
      'written_homework_g12',
      'fee_per_period',
      'fee_waived',
      'waived_but_charged',
      'fees_published',
      'teachers_serving',
      'teacher_pay_per_period',
      'external_staff',
      'providers',
      'providers_unapproved',
      'largest_group',
      'incidents',
      'complaints',
    ]);
    expect(m?.headerTexts).toEqual(MONTHLY);
    expect(m?.columns.get('daily_minutes')).toBe(5);
  });

  it('matches headers with half-width brackets, full-width letters, spaces and English keys', () => {
    const m = detectHeader(
      rows([
        'school_code',
        ' 填报月份 ',
        'SCHOOL_DAYS',
        '开展天数',
        '收费标准(元/课时)',
        '最晚结束时间：',
      ]),
    );
    expect(m?.kind).toBe('monthly');
    expect(Object.fromEntries(m?.columns ?? [])).toEqual({
      school_code: 0,
      month: 1,
      school_days: 2,
      service_days: 3,
      fee_per_period: 4,
      latest_end_time: 5,
    });
  });

  it('combines a merged group label with the 人数/参加人数 sub-headers of a two-row header', () => {
    const upper = [
      '学校标识码',
      '学校名称',
      '填报月份',
      '年级',
      '在校生数',
      '申请人数',
      '参加人数',
      '留守儿童',
      '留守儿童',
      '随迁子女',
      '随迁子女',
      '残疾儿童',
      '残疾儿童',
      '困难家庭学生',
      '困难家庭学生',
    ];
    const lower = [
      '学校标识码',
      '学校名称',
      '填报月份',
      '年级',
      '在校生数',
      '申请人数',
      '参加人数',
      '人数',
      '参加人数',
      '人数',
      '参加人数',
      '人数',
      '参加人数',
      '人数',
      '参加人数',
    ];
    const m = detectHeader(
      rows(['2024年9月分年级参与情况'], upper, lower, [
        '3101010001',
        '城关第一小学',
        '2024-09',
        '1',
        '100',
      ]),
    );
    expect([m?.kind, m?.headerIndex, m?.headerRow, m?.upperIndex, m?.missing]).toEqual([
      'participation',
      2,
      3,
      1,
      [],
    ]);
    expect(Object.fromEntries(m?.columns ?? [])).toMatchObject({
      participants: 6,
      left_behind_enrolled: 7,
      left_behind_participants: 8,
      migrant_enrolled: 9,
      migrant_participants: 10,
      disabled_enrolled: 11,
      disabled_participants: 12,
      poor_enrolled: 13,
      poor_participants: 14,
    });
  });

  it('reads a 问卷星 export as a survey by its 学校 and 身份 columns', () => {
    const m = detectHeader(
      rows([
        '序号',
        '提交答卷时间',
        '所用时间',
        '来源',
        '学校',
        '身份',
        '1.您对学校课后服务总体是否满意？',
      ]),
    );
    expect(m?.kind).toBe('survey');
    expect(Object.fromEntries(m?.columns ?? [])).toEqual({
      serial: 0,
      submitted_at: 1,
      school_name: 4,
      respondent: 5,
    });
    expect(m?.headerTexts[6]).toBe('1.您对学校课后服务总体是否满意？');
  });

  it('finds an assignments header by 督学编号 and 学校标识码', () => {
    const m = detectHeader(rows(['督学编号', '督学姓名', '学校标识码', '学校名称', '生效月份']));
    expect(m?.kind).toBe('assignments');
    expect(m?.missing).toEqual([]);
    expect(m?.columns.get('effective_month')).toBe(4);
  });

  it('returns null when no kind’s headers are present', () => {
    expect(detectHeader(rows(['姓名', '电话', '备注'], ['张三', '13800000000', null]))).toBeNull();
    expect(detectHeader([])).toBeNull();
  });
});
