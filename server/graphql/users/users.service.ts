/**
 * User management (用户管理) for the bureau, and every user's own password. The binding rule
 * is server/auth/user-binding.ts's, shared with the `users` CLI. Every change is audited
 * in the same write as the change; a password never reaches a log, an audit row or an error.
 */
import type { Kysely } from 'kysely';
import { DEFAULT_AUTH_CONFIG } from '../../auth/auth-config.ts';
import { LoginThrottle } from '../../auth/login-throttle.ts';
import { hashPassword, passwordPolicyViolation, verifyPassword } from '../../auth/password.ts';
import { revokeAllForUser, revokeOthersForUser } from '../../auth/sessions.ts';
import {
  BindingError,
  bindingDetail,
  checkBinding,
  checkBindingInRegistry,
  type Binding,
  type BindingRequest,
} from '../../auth/user-binding.ts';
import type { Database } from '../../db/database.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import type { Role } from '../../db/tables/users.table.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import {
  accountPage,
  findById,
  findByUsername,
  insertAudit,
  insertUser,
  setDisabled,
  setPassword,
  updateAccount,
  USERNAME_PATTERN,
  type AccountRow,
} from './users.repository.ts';

/** Largest page of accounts. */
const MAX_ACCOUNTS = 200;
const MAX_NAME = 60;
const MAX_QUERY = 100;

/** One refusal for every role but the bureau: it does not depend on the user asked about. */
const NOT_BUREAU = `只有${ROLE_LABEL.BUREAU_INSPECTOR}可以管理用户 / Only a bureau inspector manages users`;

/**
 * Wrong current password and throttled attempts of changeMyPassword. Keyed on the user
 * (the caller holds a session, so the address adds nothing): someone who took over an
 * unlocked browser cannot try passwords faster than sign-in allows. In memory for the
 * reasons of login-throttle.ts; one per server process.
 */
const passwordThrottle = new LoginThrottle(DEFAULT_AUTH_CONFIG);

/** The account as GraphQL's UserAccount. */
export interface Account {
  id: string;
  username: string;
  name: string;
  role: Role;
  roleLabel: string;
  inspectorId: string | null;
  inspectorName: string | null;
  schoolCode: string | null;
  schoolName: string | null;
  township: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function toAccount(row: AccountRow): Account {
  return {
    id: String(row.user_id),
    username: row.username,
    name: row.display_name,
    role: row.role,
    roleLabel: ROLE_LABEL[row.role],
    inspectorId: row.inspector_id,
    inspectorName: row.inspector_name,
    schoolCode: row.school_code,
    schoolName: row.school_name,
    township: row.township,
    disabled: row.disabled,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function audit(
  db: Kysely<Database>,
  ctx: GraphQLContext,
  entry: { action: string; target: string | null; outcome: 'ok' | 'denied' | 'failed' },
  detail: string | null,
): Promise<void> {
  return insertAudit(db, {
    at: ctx.now(),
    userId: ctx.viewer.userId,
    username: ctx.viewer.username,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    detail,
    ip: null,
  });
}

/** Refuses every role but the bureau; a refused change is audited as denied. */
async function assertBureau(ctx: GraphQLContext, action: string | null): Promise<void> {
  if (ctx.viewer.role === 'BUREAU_INSPECTOR') return;
  if (action !== null) {
    await ctx.writer.write(({ db }) =>
      audit(db, ctx, { action, target: null, outcome: 'denied' }, `role=${ctx.viewer.role}`),
    );
  }
  throw new ForbiddenError(NOT_BUREAU);
}

async function validBinding(db: Kysely<Database>, request: BindingRequest) {
  try {
    const binding = checkBinding(request);
    return { binding, match: await checkBindingInRegistry(db, binding) };
  } catch (error) {
    if (error instanceof BindingError) throw new BadUserInputError(error.message);
    throw error;
  }
}

function validName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() || null;
  if (trimmed !== null && [...trimmed].length > MAX_NAME)
    throw new BadUserInputError(
      `姓名最多 ${MAX_NAME} 个字符 / A name has at most ${MAX_NAME} characters`,
    );
  return trimmed;
}

function validPassword(password: string): void {
  const violation = passwordPolicyViolation(password);
  if (violation) throw new BadUserInputError(violation);
}

function userIdOf(id: string): number | null {
  return /^\d{1,9}$/u.test(id) ? Number(id) : null;
}

const NO_USER = '没有这个用户 / No such user';

/** The account `id` names, or NOT_FOUND. */
async function accountOf(db: Kysely<Database>, id: string): Promise<AccountRow> {
  const userId = userIdOf(id);
  const row =
    userId === null ? undefined : (await accountPage(db, { userId }, { limit: 1, offset: 0 }))[0];
  if (!row) throw new NotFoundError(NO_USER);
  return row;
}

export async function listAccounts(
  ctx: GraphQLContext,
  args: { first?: number | null; after?: string | null; role?: Role | null; query?: string | null },
) {
  await assertBureau(ctx, null);
  const limit = pageSize(args.first, 50, MAX_ACCOUNTS);
  const offset = decodeCursor(args.after);
  if (args.query && [...args.query].length > MAX_QUERY)
    throw new BadUserInputError(`搜索词过长 / The search text is too long (max ${MAX_QUERY})`);
  const rows = await accountPage(ctx.db, { role: args.role, query: args.query }, { limit, offset });
  const total = rows[0]?.total ?? 0;
  return {
    total,
    items: rows.map(toAccount),
    endCursor: nextCursor(offset, rows.length, total),
  };
}

export interface AddAccountInput {
  username: string;
  name?: string | null;
  binding: BindingRequest;
  password: string;
}

export async function addAccount(ctx: GraphQLContext, input: AddAccountInput): Promise<Account> {
  await assertBureau(ctx, 'users.add');
  const username = input.username.trim();
  if (!USERNAME_PATTERN.test(username))
    throw new BadUserInputError(
      '用户名须为 2–40 个字母、数字或 . _ - / The username must be 2–40 letters, digits or . _ -',
    );
  const name = validName(input.name);
  const { binding, match } = await validBinding(ctx.db, input.binding);
  validPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const userId = await ctx.writer.write(async ({ db }) => {
    // Checked under the writer: two bureau users adding the same name at once.
    if (await findByUsername(db, username))
      throw new BadUserInputError(
        `用户名 ${username} 已存在 / The username ${username} is already taken`,
      );
    const id = await insertUser(db, {
      username,
      displayName: name ?? match.knownName ?? username,
      role: binding.role,
      inspectorId: binding.inspectorId,
      schoolCode: binding.schoolCode,
      township: binding.township,
      passwordHash,
    });
    await audit(
      db,
      ctx,
      { action: 'users.add', target: username, outcome: 'ok' },
      bindingDetail(binding),
    );
    return id;
  });
  ctx.log.info({ event: 'users.add', userId, by: ctx.viewer.userId }, 'user added');
  return toAccount(await accountOf(ctx.db, String(userId)));
}

export interface UpdateAccountInput {
  name?: string | null;
  binding?: BindingRequest | null;
}

export async function updateAccountOf(
  ctx: GraphQLContext,
  id: string,
  input: UpdateAccountInput,
): Promise<Account> {
  await assertBureau(ctx, 'users.update');
  const current = await accountOf(ctx.db, id);
  const name = validName(input.name);
  const checked = input.binding ? await validBinding(ctx.db, input.binding) : null;
  if (checked && current.user_id === ctx.viewer.userId && checked.binding.role !== current.role)
    throw new BadUserInputError(
      '不能更改自己的角色（以免无人能管理用户） / You cannot change your own role (someone must be left to manage users)',
    );
  const binding: Binding = checked?.binding ?? {
    role: current.role,
    inspectorId: current.inspector_id,
    schoolCode: current.school_code,
    township: current.township,
  };
  const rebound =
    binding.role !== current.role ||
    binding.inspectorId !== current.inspector_id ||
    binding.schoolCode !== current.school_code ||
    binding.township !== current.township;
  await ctx.writer.write(async ({ db }) => {
    await updateAccount(db, current.user_id, {
      displayName: name ?? current.display_name,
      role: binding.role,
      inspectorId: binding.inspectorId,
      schoolCode: binding.schoolCode,
      township: binding.township,
    });
    // Sessions carry the role and binding they were opened with only through the users
    // row, but a page open on another remit should not keep acting: sign in again.
    if (rebound) await revokeAllForUser(db, current.user_id);
    const detail = [
      rebound ? bindingDetail(binding) : null,
      name !== null && name !== current.display_name ? 'name' : null,
    ]
      .filter((part) => part !== null)
      .join('; ');
    await audit(
      db,
      ctx,
      { action: 'users.update', target: current.username, outcome: 'ok' },
      detail || null,
    );
  });
  return toAccount(await accountOf(ctx.db, id));
}

export async function setAccountDisabled(
  ctx: GraphQLContext,
  id: string,
  disabled: boolean,
): Promise<Account> {
  const action = disabled ? 'users.disable' : 'users.enable';
  await assertBureau(ctx, action);
  const current = await accountOf(ctx.db, id);
  if (disabled && current.user_id === ctx.viewer.userId)
    throw new BadUserInputError('不能停用自己的账号 / You cannot disable your own account');
  await ctx.writer.write(async ({ db }) => {
    await setDisabled(db, current.user_id, disabled);
    if (disabled) await revokeAllForUser(db, current.user_id);
    await audit(db, ctx, { action, target: current.username, outcome: 'ok' }, null);
  });
  return toAccount(await accountOf(ctx.db, id));
}

export async function resetAccountPassword(
  ctx: GraphQLContext,
  id: string,
  password: string,
): Promise<Account> {
  await assertBureau(ctx, 'users.passwd');
  const current = await accountOf(ctx.db, id);
  validPassword(password);
  const passwordHash = await hashPassword(password);
  await ctx.writer.write(async ({ db }) => {
    await setPassword(db, current.user_id, passwordHash);
    // Whoever held the old password (or a session opened with it) is out.
    await revokeAllForUser(db, current.user_id);
    await audit(db, ctx, { action: 'users.passwd', target: current.username, outcome: 'ok' }, null);
  });
  return toAccount(await accountOf(ctx.db, id));
}

const WRONG_CURRENT = '当前密码不正确 / The current password is wrong';

/**
 * Changes the viewer's own password. The current one is checked through a throttle like
 * sign-in's; on success every other session of the user ends, this one stays.
 */
export async function changeOwnPassword(
  ctx: GraphQLContext,
  current: string,
  next: string,
  throttle: LoginThrottle = passwordThrottle,
): Promise<boolean> {
  const { viewer } = ctx;
  const now = ctx.now();
  const admission = throttle.admit(viewer.username, null, now);
  const refuse = async (detail: string, message: string): Promise<never> => {
    await ctx.writer.write(({ db }) =>
      audit(
        db,
        ctx,
        { action: 'auth.change_password', target: viewer.username, outcome: 'failed' },
        detail,
      ),
    );
    ctx.log.info(
      { event: 'auth.change_password', reason: detail, userId: viewer.userId },
      'password change refused',
    );
    throw new BadUserInputError(message);
  };
  if (!admission.admitted) {
    const seconds = Math.max(1, admission.retryAfterSeconds);
    return refuse(
      'throttled',
      `尝试次数过多，请 ${seconds} 秒后再试 / Too many attempts: try again in ${seconds} s`,
    );
  }
  const user = await findById(ctx.db, viewer.userId);
  if (!user || user.disabled) throw new ForbiddenError(NO_USER);
  if (!(await verifyPassword(user.password_hash, current)))
    return refuse('wrong_password', WRONG_CURRENT);
  throttle.success(viewer.username, null);
  validPassword(next);
  if (next === current)
    throw new BadUserInputError(
      '新密码不能与当前密码相同 / The new password must differ from the current one',
    );
  const passwordHash = await hashPassword(next);
  await ctx.writer.write(async ({ db }) => {
    await setPassword(db, viewer.userId, passwordHash);
    await revokeOthersForUser(db, viewer.userId, viewer.sessionHash);
    await audit(
      db,
      ctx,
      { action: 'auth.change_password', target: viewer.username, outcome: 'ok' },
      null,
    );
  });
  ctx.log.info({ event: 'auth.change_password', userId: viewer.userId }, 'password changed');
  return true;
}
