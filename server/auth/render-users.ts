/**
 * The `users list` output: an aligned table for people, or one JSON document for scripts.
 */
import { ROLE_LABEL } from '../db/roles.ts';
import type { User } from '../db/tables/users.table.ts';

/** One user as `users list --json` prints it (never the hash). */
export interface ListedUser {
  username: string;
  name: string;
  role: User['role'];
  inspectorId: string | null;
  disabled: boolean;
}

export function listedUser(user: User): ListedUser {
  return {
    username: user.username,
    name: user.display_name,
    role: user.role,
    inspectorId: user.inspector_id,
    disabled: user.disabled,
  };
}

/** Terminal columns of `text`: CJK and full-width characters take two. */
function width(text: string): number {
  const wide =
    /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
  return [...text].reduce((n, ch) => n + (wide.test(ch) ? 2 : 1), 0);
}

function pad(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - width(text)));
}

/** `{"users":[…]}` with `json`, else a table with a bilingual header. */
export function renderUsers(users: readonly User[], json: boolean): string {
  const listed = users.map(listedUser);
  if (json) return JSON.stringify({ users: listed });
  if (listed.length === 0) return '还没有用户 / No users yet';
  const header = [
    '用户名 username',
    '姓名 name',
    '角色 role',
    '督学编号 inspector',
    '停用 disabled',
  ];
  const rows = listed.map((u) => [
    u.username,
    u.name,
    // The name people know the role by, then the value `users add --role` takes.
    `${ROLE_LABEL[u.role]} ${u.role}`,
    u.inspectorId ?? '-',
    u.disabled ? 'yes' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
