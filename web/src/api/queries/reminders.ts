/**
 * 提醒: the header bell's unread count, the inbox (/inbox) with its kinds, and marking
 * reminders read. Every role asks; each reads its own inbox.
 */

export const UNREAD_REMINDERS = /* GraphQL */ `
  query UnreadReminders {
    unreadReminderCount
  }
`;

export const REMINDERS_INBOX = /* GraphQL */ `
  query RemindersInbox($unreadOnly: Boolean, $first: Int, $after: String) {
    reminders(unreadOnly: $unreadOnly, first: $first, after: $after) {
      total
      unread
      endCursor
      items {
        id
        kind
        kindLabel
        title
        body
        schoolCode
        month
        link
        createdAt
        read
      }
    }
  }
`;

export const MARK_REMINDERS_READ = /* GraphQL */ `
  mutation MarkRemindersRead($ids: [ID!], $all: Boolean) {
    markRemindersRead(ids: $ids, all: $all)
  }
`;
