/**
 * What a 学校填报员's pages offer and say: the report kinds a school sends (the registry and
 * the 督学 assignments are the bureau's, and the server refuses them from a school), their
 * templates' addresses, and the words for a school-month's review state.
 */
import type { ReportKind } from '../api/upload-answer.ts';
import type { ReviewStatus, SchoolUnit } from '../api/unit-reviews.ts';

/**
 * The kinds a school uploads, in the order people fill them (the server refuses the
 * registry, the assignments and survey exports from a school: server/http/school-upload.ts).
 */
export const SCHOOL_REPORT_KINDS: readonly ReportKind[] = ['monthly', 'participation'];

/** The template of a kind (GET /api/templates/<kind>.xlsx, pre-filled with the school). */
export function templateUrl(kind: ReportKind): string {
  return `/api/templates/${kind}.xlsx`;
}

/** Badge class of a review status: locked is good, returned needs the school's attention. */
export const REVIEW_BADGE: Readonly<Record<ReviewStatus, string>> = {
  DRAFT: 'badge-neutral',
  SUBMITTED: 'badge-warning',
  APPROVED: 'badge-good',
  RETURNED: 'badge-alert',
};

/** What the school should do next about a month, in one short line. */
export function nextStepText(unit: Pick<SchoolUnit, 'status' | 'hasData'>): string {
  switch (unit.status) {
    case 'DRAFT':
      return unit.hasData ? '数据已导入，核对无误后提交审核' : '尚未导入本月月报，请先上传';
    case 'RETURNED':
      return '已退回：按退回原因更正后重新上传并提交';
    case 'SUBMITTED':
      return '已提交，等待审核';
    case 'APPROVED':
      return '已审核锁定；如需更正请联系教育局解锁';
    default: {
      const unknown: never = unit.status;
      return String(unknown);
    }
  }
}

/** Whether the school may submit the month now: the server's word, and data to submit. */
export function maySubmit(unit: Pick<SchoolUnit, 'allowedActions' | 'hasData'>): boolean {
  return unit.hasData && unit.allowedActions.includes('SUBMIT');
}
