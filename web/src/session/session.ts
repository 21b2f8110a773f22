/**
 * Who is signed in. The cookie is HttpOnly, so the session is known by asking the server:
 * GET /auth/session answers 200 with `user: null` when signed out (no console error on the
 * sign-in page), and only a signed-in browser then asks the API for its details (`me`).
 * Sign-in and sign-out use the server's /auth routes.
 */
import { ref } from 'vue';
import type { MeQuery, Role } from '../api/__generated__/graphql.ts';
import { ApiError, chineseMessage, request } from '../api/client.ts';
import { ME } from '../api/queries/session.ts';

export type SessionUser = NonNullable<MeQuery['me']>;

export const currentUser = ref<SessionUser | null>(null);
/** The roles' names as the server words them (schema `roles`); filled with the session. */
const roleLabels = ref<Partial<Record<Role, string>>>({});

/** The name people read for a role; empty until the session is loaded. */
export function roleLabel(role: Role): string {
  return roleLabels.value[role] ?? '';
}
let checked = false;

/** Loads the session once (or again with `force`); null when signed out. */
export async function loadSession(force = false): Promise<SessionUser | null> {
  if (checked && !force) return currentUser.value;
  if (!(await hasSession())) {
    currentUser.value = null;
    checked = true;
    return null;
  }
  try {
    const data = await request<MeQuery>(ME);
    currentUser.value = data.me ?? null;
    roleLabels.value = Object.fromEntries(data.roles.map((r) => [r.role, r.label]));
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') throw error;
    currentUser.value = null;
  }
  checked = true;
  return currentUser.value;
}

/** The signed-out probe: true when the server knows this browser's session. */
async function hasSession(): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch('/auth/session', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK');
  }
  if (!response.ok) throw new ApiError(`服务器返回异常（HTTP ${response.status}）`, 'BAD_RESPONSE');
  const body = (await response.json().catch(() => null)) as { user?: unknown } | null;
  return body?.user !== null && body?.user !== undefined;
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

/**
 * The school side's views: a 学校填报员 works on their one school, a 学区审核员 reviews
 * their township's submissions; neither opens a view not listed here.
 */
const SCHOOL_SIDE_VIEWS: Readonly<
  Record<'SCHOOL_REPORTER' | 'TOWNSHIP_REVIEWER', readonly ViewName[]>
> = {
  SCHOOL_REPORTER: ['school-home', 'school', 'flags', 'upload', 'filings', 'account', 'inbox'],
  TOWNSHIP_REVIEWER: ['reviews', 'overview', 'schools', 'school', 'filings', 'account', 'inbox'],
};

/** Views each role may open (the server enforces the same in the data layer). */
export function mayUse(role: Role, view: ViewName): boolean {
  if (role === 'SCHOOL_REPORTER' || role === 'TOWNSHIP_REVIEWER')
    return SCHOOL_SIDE_VIEWS[role].includes(view);
  // Every user changes their own password; only a school's reporter has a school home.
  if (view === 'account') return true;
  if (view === 'school-home') return false;
  // Users are managed by the bureau; the bureau reviews every township's submissions.
  if (view === 'upload' || view === 'audit' || view === 'users' || view === 'reviews')
    return role === 'BUREAU_INSPECTOR';
  // 报送情况 names schools' lapses and leaders read no doubt's detail (the server answers
  // FORBIDDEN): work views of the bureau and 督学, not leadership's.
  if (view === 'submissions' || view === 'doubts') return role !== 'LEADERSHIP';
  // The 督学's month: plans, complaints (with complainants) and draws are inspectors' work;
  // semester filings are read by those who supervise the school.
  if (view === 'plan' || view === 'complaints' || view === 'filings') return role !== 'LEADERSHIP';
  // 四不两直 draws are the bureau's secret until each visit date (督学 see theirs on the plan).
  if (view === 'draws') return role === 'BUREAU_INSPECTOR';
  return true;
}

export type ViewName =
  | 'overview'
  | 'priority'
  | 'schools'
  | 'school'
  | 'satisfaction'
  | 'flags'
  | 'doubts'
  | 'report'
  | 'evaluation'
  | 'evaluation-school'
  | 'upload'
  | 'submissions'
  | 'audit'
  | 'plan'
  | 'draws'
  | 'complaints'
  | 'inbox'
  | 'users'
  | 'reviews'
  | 'filings'
  | 'account'
  | 'school-home';

/**
 * Leaders land on the monthly summary, inspectors on the overview, a school's reporter on
 * their school's month, a township reviewer on the submissions awaiting review.
 */
export function homeOf(role: Role): ViewName {
  switch (role) {
    case 'LEADERSHIP':
      return 'report';
    case 'SCHOOL_REPORTER':
      return 'school-home';
    case 'TOWNSHIP_REVIEWER':
      return 'reviews';
    default:
      return 'overview';
  }
}
