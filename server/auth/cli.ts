/**
 * `npm run -s users -- add|list|disable|enable|passwd …` — manages dashboard sign-ins.
 * Passwords come from stdin only (see read-password.ts). Exit status 0 ok, 1 error.
 * DuckDB lets one process hold the warehouse file: while the server runs this command
 * stops at once and says so.
 */
import { parseArgs } from 'node:util';
import { osUser } from '../os-user.ts';
import type { Kysely } from 'kysely';
import { openWarehouse, warehousePathFromEnv, type Warehouse } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import type { User } from '../db/tables/users.table.ts';
import { describeLockedWarehouse } from '../db/lock-message.ts';
import { WarehouseWriter } from '../db/writer.ts';
import * as users from '../graphql/users/users.repository.ts';
import { hashPassword, passwordPolicyViolation } from './password.ts';
import { readNewPassword } from './read-password.ts';
import { revokeAllForUser } from './sessions.ts';
import { renderUsers } from './render-users.ts';
import { ROLE_LABEL, ROLES } from '../db/roles.ts';
import {
  BindingError,
  bindingDetail,
  checkBinding,
  checkBindingInRegistry,
  type Binding,
} from './user-binding.ts';

const USAGE = `用法 usage:
  npm run -s users -- add <用户名 username> --role ${ROLES.join('|')} [--name <姓名 display name>]
      [--inspector <督学编号>] [--school <学校标识码 school code>] [--township <乡镇（街道） township>]
  npm run -s users -- list [--json]
  npm run -s users -- disable|enable|passwd <用户名 username>
角色 roles: ${ROLES.map((r) => `${r}（${ROLE_LABEL[r]}）`).join(', ')}
${ROLE_LABEL.SUPERVISING_INSPECTOR}须 --inspector，${ROLE_LABEL.SCHOOL_REPORTER}须 --school（学校名录中的学校），${ROLE_LABEL.TOWNSHIP_REVIEWER}须 --township（学校名录中的乡镇）
/ a SUPERVISING_INSPECTOR needs --inspector, a SCHOOL_REPORTER --school (in the registry), a TOWNSHIP_REVIEWER --township (one the registry knows).
密码从标准输入读取 / the password is read from stdin.`;

/** An expected failure: its message is printed as is, exit status 1. */
class CliError extends Error {}

async function open(): Promise<Warehouse> {
  const path = warehousePathFromEnv();
  try {
    return await openWarehouse(path);
  } catch (error) {
    throw new CliError(
      describeLockedWarehouse(path, error, 'users') ??
        `无法打开数据仓库 / Cannot open the warehouse ${path}: ${String((error as Error).message)}`,
    );
  }
}

async function requireUser(warehouse: Warehouse, username: string): Promise<User> {
  const user = await users.findByUsername(warehouse.db, username);
  if (!user) throw new CliError(`没有用户 ${username} / No user named ${username}`);
  return user;
}

async function newPasswordHash(): Promise<string> {
  const password = await readNewPassword();
  const violation = passwordPolicyViolation(password);
  if (violation) throw new CliError(violation);
  return hashPassword(password);
}

interface Options {
  role?: string | undefined;
  name?: string | undefined;
  inspector?: string | undefined;
  school?: string | undefined;
  township?: string | undefined;
  json: boolean;
}

function checkAdd(username: string, options: Options): Binding {
  if (!users.USERNAME_PATTERN.test(username)) {
    throw new CliError(
      `用户名须为 2–40 个字母、数字或 . _ - / The username must be 2–40 letters, digits or . _ - (got "${username}")`,
    );
  }
  const role = ROLES.find((r) => r === options.role);
  if (!role)
    throw new CliError(
      `--role 必须是 must be one of: ${ROLES.map((r) => `${r}（${ROLE_LABEL[r]}）`).join(', ')}`,
    );
  try {
    return checkBinding({
      role,
      inspectorId: options.inspector,
      schoolCode: options.school,
      township: options.township,
    });
  } catch (error) {
    if (error instanceof BindingError) throw new CliError(error.message);
    throw error;
  }
}

type Command = 'add' | 'disable' | 'enable' | 'passwd';
const COMMANDS: readonly Command[] = ['add', 'disable', 'enable', 'passwd'];

interface CommandContext {
  warehouse: Warehouse;
  writer: WarehouseWriter;
  /** Audits `command` on `username` by the OS user running it, in the write's transaction. */
  audit(db: Kysely<Database>, detail: string | null): Promise<void>;
}

async function addUser(s: CommandContext, username: string, options: Options): Promise<string> {
  const binding = checkAdd(username, options);
  if (await users.findByUsername(s.warehouse.db, username)) {
    throw new CliError(`用户名 ${username} 已存在 / The username ${username} is already taken`);
  }
  let match;
  try {
    match = await checkBindingInRegistry(s.warehouse.db, binding);
  } catch (error) {
    if (error instanceof BindingError) throw new CliError(error.message);
    throw error;
  }
  if (match.unknownInspector) {
    process.stderr.write(
      `注意：已载入的挂牌文件中还没有督学编号 ${binding.inspectorId} / Note: ${binding.inspectorId} is not in the loaded assignments (yet)\n`,
    );
  }
  const displayName = options.name?.trim() || match.knownName || username;
  const passwordHash = await newPasswordHash();
  await s.writer.write(async ({ db }) => {
    await users.insertUser(db, { username, displayName, ...binding, passwordHash });
    await s.audit(db, bindingDetail(binding));
  });
  return `已添加用户 added user ${username} (${binding.role})`;
}

async function changeUser(s: CommandContext, command: Exclude<Command, 'add'>, username: string) {
  const user = await requireUser(s.warehouse, username);
  const passwordHash = command === 'passwd' ? await newPasswordHash() : null;
  await s.writer.write(async ({ db }) => {
    if (passwordHash) await users.setPassword(db, user.user_id, passwordHash);
    else await users.setDisabled(db, user.user_id, command === 'disable');
    // A changed password or a disabled account must not leave old sessions alive.
    if (command !== 'enable') await revokeAllForUser(db, user.user_id);
    await s.audit(db, null);
  });
  return `已完成 done: ${command} ${username}`;
}

async function run(command: string, username: string | undefined, options: Options) {
  if (command === 'list') {
    const warehouse = await open();
    try {
      return renderUsers(await users.listUsers(warehouse.db), options.json);
    } finally {
      await warehouse.close();
    }
  }
  const known = COMMANDS.find((c) => c === command);
  if (!known || !username) throw new CliError(USAGE);
  if (known === 'add') checkAdd(username, options); // before touching the warehouse
  const warehouse = await open();
  const writer = await WarehouseWriter.open(warehouse);
  const actor = osUser();
  const audit = (db: Kysely<Database>, detail: string | null) =>
    users.insertAudit(db, {
      at: new Date(),
      userId: null,
      username: actor,
      action: `users.${known}`,
      target: username,
      outcome: 'ok',
      detail,
      ip: null,
    });
  const ctx: CommandContext = { warehouse, writer, audit };
  try {
    return known === 'add'
      ? await addUser(ctx, username, options)
      : await changeUser(ctx, known, username);
  } finally {
    await writer.close();
    await warehouse.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      inspector: { type: 'string' },
      school: { type: 'string' },
      township: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, username, ...extra] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!command || extra.length > 0) throw new CliError(USAGE);
  console.log(await run(command, username, values));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof CliError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(
      known
        ? (error as Error).message
        : `失败 / failed: ${String((error as Error)?.message ?? error)}`,
    );
    process.exitCode = 1;
  },
);
