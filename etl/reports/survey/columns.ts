/**
 * Questionnaire exports (问卷星 and similar): fixed identification columns, then one column
 * per question whose cells are the five answer labels.
 */
export const SURVEY_HEADER_KEYS = [
  { key: 'serial', header: '序号', aliases: ['编号', 'ID'] },
  { key: 'submitted_at', header: '提交答卷时间', aliases: ['提交时间', '答题时间', '填写时间'] },
  { key: 'school_code', header: '学校标识码', aliases: ['学校代码', '学校编码'] },
  {
    key: 'school_name',
    header: '学校',
    aliases: ['学校名称', '所在学校', '您所在的学校', '您孩子所在的学校'],
  },
  {
    key: 'respondent',
    header: '身份',
    aliases: ['您的身份', '填写人身份', '答题人身份', '身份类型'],
  },
] as const;

/** Leading export columns that are never items. */
export const SURVEY_IGNORED_HEADERS = [
  '所用时间',
  '来源',
  '来源详情',
  '来自ip',
  '来自IP',
  'IP',
  '总分',
];

export const RESPONDENTS: Readonly<Record<string, 'parent' | 'student' | 'teacher'>> = {
  家长: 'parent',
  学生: 'student',
  教师: 'teacher',
  老师: 'teacher',
  parent: 'parent',
  student: 'student',
  teacher: 'teacher',
};

/** Strips question numbering such as "1.", "Q1、", "第1题" from an item header. */
export function itemText(header: string): string {
  return header
    .trim()
    .replace(/^(第?\s*[0-9０-９]+\s*题?|[Qq]\s*[0-9０-９]+)\s*[.．、:：)）]?\s*/u, '')
    .trim();
}
