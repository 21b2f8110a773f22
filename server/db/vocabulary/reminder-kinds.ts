/**
 * The one home of the reminder kinds (提醒) with their Chinese and English labels. The
 * inbox (schema/reminders.graphql `reminderKinds`) and the push messages take them from here.
 */
import type { ReminderKind } from '../tables/notifications.table.ts';

export const REMINDER_KIND_VOCABULARY = [
  { kind: 'FLAG_RAISED', label: '新问题线索', labelEn: 'New flag on my school' },
  { kind: 'DEADLINE_SOON', label: '整改即将到期', labelEn: 'Rectification due soon' },
  { kind: 'OVERDUE', label: '整改逾期', labelEn: 'Rectification overdue' },
  { kind: 'COMPLAINT_ASSIGNED', label: '投诉交办', labelEn: 'Complaint assigned' },
  { kind: 'REPORT_MISSING', label: '月报未报送', labelEn: 'Monthly report missing' },
] as const satisfies readonly { kind: ReminderKind; label: string; labelEn: string }[];

const LABELS = new Map<string, string>(REMINDER_KIND_VOCABULARY.map((k) => [k.kind, k.label]));

export function reminderKindLabel(kind: ReminderKind): string {
  return LABELS.get(kind) ?? kind;
}
