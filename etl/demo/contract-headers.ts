/**
 * Header texts exactly as /work/shared/report-formats.md writes them. The ETL matches
 * headers by these strings (after stripping units), so they are spelled once, here.
 */

export const REGISTRY_HEADERS = [
  '学校标识码',
  '学校名称',
  '所属乡镇（街道）',
  '学段',
  '城乡类型',
  '办学性质',
  '是否偏远',
  '教师总数',
] as const;

/** The contract's three columns plus 生效月份, which versions the list. */
export const ASSIGNMENT_HEADERS = ['督学编号', '督学姓名', '学校标识码', '生效月份'] as const;

export const MONTHLY_HEADERS = [
  '学校标识码',
  '学校名称',
  '填报月份',
  '上学天数',
  '开展天数',
  '日均服务时长（分钟）',
  '最晚结束时间',
  '每日作业辅导课时',
  '一二年级布置书面作业',
  '收费标准（元/课时）',
  '收费减免人数',
  '减免对象仍收费人数',
  '收费公示',
  '参与教师数',
  '教师课时补助（元/课时）',
  '校外人员数',
  '第三方机构数',
  '其中未经审核机构数',
  '最大班额',
  '安全事故数',
  '投诉数',
] as const;

/** Participation headers; 五天全勤参加人数 is optional and some townships leave it out. */
export function participationHeaders(withFiveDay: boolean): string[] {
  return [
    '学校标识码',
    '填报月份',
    '年级',
    '在校生数',
    '申请人数',
    '参加人数',
    ...(withFiveDay ? ['五天全勤参加人数'] : []),
    '留守儿童数',
    '留守儿童参加数',
    '随迁子女数',
    '随迁子女参加数',
    '残疾儿童数',
    '残疾儿童参加数',
    '困难家庭学生数',
    '困难家庭学生参加数',
  ];
}

/** Leading columns of a 问卷星 export, before the school and role columns. */
export const SURVEY_LEADING_HEADERS = [
  '序号',
  '提交答卷时间',
  '所用时间',
  '来源',
  '来源详情',
  '来自IP',
] as const;

export const ANSWER_LABELS: Record<number, string> = {
  5: '非常满意',
  4: '满意',
  3: '一般',
  2: '不满意',
  1: '非常不满意',
};
