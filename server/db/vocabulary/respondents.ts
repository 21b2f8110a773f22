/**
 * Survey respondent types (satisfaction per respondent, domain.md §3): the one list with
 * the labels shown for them. The warehouse's CHECK constraint and the survey loader's
 * header values name the same three.
 */
export const RESPONDENTS = [
  { respondent: 'parent', zh: '家长', en: 'parents' },
  { respondent: 'student', zh: '学生', en: 'students' },
  { respondent: 'teacher', zh: '教师', en: 'teachers' },
] as const;

export type Respondent = (typeof RESPONDENTS)[number]['respondent'];

export const RESPONDENT_KEYS: readonly Respondent[] = RESPONDENTS.map((r) => r.respondent);
