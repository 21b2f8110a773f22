/**
 * The viewer's unread reminder count, shared by the header's bell and the inbox: the bell
 * refreshes it on each navigation and every minute, the inbox after marking read.
 */
import { ref } from 'vue';
import type { UnreadRemindersQuery } from '../api/__generated__/graphql.ts';
import { request } from '../api/client.ts';
import { UNREAD_REMINDERS } from '../api/queries/reminders.ts';

export const unreadReminders = ref<number | null>(null);

export async function refreshUnreadReminders(): Promise<void> {
  try {
    const data = await request<UnreadRemindersQuery>(UNREAD_REMINDERS);
    unreadReminders.value = data.unreadReminderCount;
  } catch {
    // The bell keeps its last count; the inbox reports errors itself.
  }
}
