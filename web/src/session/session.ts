/**
 * Who is signed in. The cookie is HttpOnly, so the session is known by asking the API
 * (`me`); sign-in and sign-out use the server's /auth routes.
 */
import { ref } from 'vue';
import type { MeQuery, Role } from '../api/__generated__/graphql.ts';
import { ApiError, chineseMessage, request } from '../api/client.ts';
import { ME } from '../api/queries/session.ts';

export type SessionUser = NonNullable<MeQuery['me']>;

export const currentUser = ref<SessionUser | null>(null);
let checked = false;

/** Loads the session once (or again with `force`); null when signed out. */
export async function loadSession(force = false): Promise<SessionUser | null> {
  if (checked && !force) return currentUser.value;
  try {
    const data = await request<MeQuery>(ME);
    currentUser.value = data.me ?? null;
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') throw error;
    currentUser.value = null;
  }
  checked = true;
  return currentUser.value;
}

export function forgetSession(): void {
  currentUser.value = null;
  checked = true;
}

/** Signs in; resolves with the user or rejects with a Chinese message fit to show. */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  let response: Response;
  try {
    response = await fetch('/auth/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new Error('无法连接服务器，请检查网络后重试');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { message?: string };
    } | null;
    throw new Error(chineseMessage(body?.error?.message ?? `登录失败（HTTP ${response.status}）`));
  }
  const user = await loadSession(true);
  if (!user) throw new Error('登录未生效，请重试');
  return user;
}

export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => {});
  forgetSession();
}

/** Views each role may open (the server enforces the same in the data layer). */
export function mayUse(role: Role, view: ViewName): boolean {
  return view === 'upload' ? role === 'BUREAU_INSPECTOR' : true;
}

export type ViewName =
  'overview' | 'priority' | 'schools' | 'school' | 'satisfaction' | 'flags' | 'report' | 'upload';

/** Leaders land on the monthly summary; inspectors on the overview. */
export function homeOf(role: Role): ViewName {
  return role === 'LEADERSHIP' ? 'report' : 'overview';
}
