/**
 * `npm run -s warehouse -- channel add|list|disable|enable|test …`: the district's push
 * channels (push.ts). A webhook URL holds the robot's key and the 钉钉 加签 secret is one,
 * so neither is ever an argument (shell history, `ps`): they come from KEHOU_CHANNEL_TARGET
 * and KEHOU_CHANNEL_SECRET, or else from stdin (first line the target, second the
 * secret), and `list` shows a webhook's host and path only.
 *
 *   channel add --kind dingtalk|wecom|email --name <名称> [--kinds FLAG_RAISED,OVERDUE]
 *   channel list [--json]
 *   channel disable|enable|test --name <名称>
 *
 * Like `users`, it needs the warehouse to itself (stop the server first).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { openWarehouse, warehousePathFromEnv } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { describeLockedWarehouse } from '../db/lock-message.ts';
import {
  PUSH_CHANNEL_KINDS,
  REMINDER_KINDS,
  type PushChannelKind,
} from '../db/tables/notifications.table.ts';
import { defaultTransport, PushError, sendPush, type PushChannelRow } from './push.ts';

export const CHANNEL_USAGE = `  npm run -s warehouse -- channel add --kind dingtalk|wecom|email --name <名称> [--kinds FLAG_RAISED,…]
  npm run -s warehouse -- channel list [--json]
  npm run -s warehouse -- channel disable|enable|test --name <名称>
  （地址与加签密钥取自 KEHOU_CHANNEL_TARGET / KEHOU_CHANNEL_SECRET 或标准输入 /
   the URL and secret come from those variables or stdin, never from arguments）`;

export class ChannelCliError extends Error {}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/u;
const MAX_NAME = 60;

/** Checks a channel's target: an https webhook (http on this machine only), or addresses. */
export function checkTarget(kind: PushChannelKind, target: string): string {
  const text = target.trim();
  if (kind === 'EMAIL') {
    const addresses = text.split(',').map((a) => a.trim());
    if (addresses.length === 0 || addresses.length > 50 || !addresses.every((a) => EMAIL.test(a)))
      throw new ChannelCliError('收件地址无效 / bad e-mail addresses (comma-separated)');
    return addresses.join(',');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ChannelCliError('地址不是 URL / the target is not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)))
    throw new ChannelCliError('机器人地址须为 https / a robot webhook must be https');
  return url.toString();
}

/** A webhook shown without its query (the access token / key); addresses as they are. */
export function maskTarget(kind: PushChannelKind, target: string): string {
  if (kind === 'EMAIL') return target;
  try {
    const url = new URL(target);
    return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return '…';
  }
}

async function stdinLines(input: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = [];
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    lines.push(line);
    if (lines.length >= 2) break;
  }
  rl.close();
  return lines;
}

function kindOf(value: string | undefined): PushChannelKind {
  const kind = value?.toUpperCase();
  if (kind === 'WECHAT' || kind === 'WEWORK') return 'WECOM';
  if (!PUSH_CHANNEL_KINDS.includes(kind as PushChannelKind))
    throw new ChannelCliError(`--kind 须为 dingtalk、wecom 或 email / --kind must be one of those`);
  return kind as PushChannelKind;
}

function kindsJson(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const kinds = value.split(',').map((k) => k.trim().toUpperCase());
  const bad = kinds.filter((k) => !(REMINDER_KINDS as readonly string[]).includes(k));
  if (bad.length > 0)
    throw new ChannelCliError(`未知的提醒类型 / unknown reminder kinds: ${bad.join(', ')}`);
  return JSON.stringify(kinds);
}

interface ChannelListRow {
  name: string;
  kind: PushChannelKind;
  target: string;
  signed: boolean;
  kinds: string[] | null;
  enabled: boolean;
  sent: number;
  failed: number;
  pending: number;
}

export async function listChannels(db: Kysely<Database>): Promise<ChannelListRow[]> {
  const result = await sql<{
    name: string;
    kind: PushChannelKind;
    target: string;
    signed: boolean;
    kinds_json: string | null;
    enabled: boolean;
    sent: number;
    failed: number;
    pending: number;
  }>`SELECT c.name, c.kind, c.target, c.secret IS NOT NULL AS signed, c.kinds_json, c.enabled,
      count(d.delivery_id) FILTER (WHERE d.status = 'SENT')::INTEGER AS sent,
      count(d.delivery_id) FILTER (WHERE d.status = 'FAILED')::INTEGER AS failed,
      count(d.delivery_id) FILTER (WHERE d.status = 'PENDING')::INTEGER AS pending
    FROM push_channels c LEFT JOIN push_deliveries d ON d.channel_id = c.channel_id
    GROUP BY ALL ORDER BY c.name`.execute(db);
  return result.rows.map((r) => ({
    name: r.name,
    kind: r.kind,
    target: maskTarget(r.kind, r.target),
    signed: r.signed,
    kinds: r.kinds_json === null ? null : (JSON.parse(r.kinds_json) as string[]),
    enabled: r.enabled,
    sent: r.sent,
    failed: r.failed,
    pending: r.pending,
  }));
}

async function channelByName(db: Kysely<Database>, name: string): Promise<PushChannelRow> {
  const row = await db
    .selectFrom('push_channels')
    .select(['channel_id', 'kind', 'name', 'target', 'secret'])
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw new ChannelCliError(`没有名为 ${name} 的推送渠道 / no channel named ${name}`);
  return { ...row, channel_id: Number(row.channel_id) };
}

export interface ChannelCliIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  out: (text: string) => void;
}

/** Runs `channel …` (argv after "channel"); throws ChannelCliError for a refusal. */
export async function runChannelCommand(argv: string[], io: ChannelCliIo): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      name: { type: 'string' },
      kinds: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, ...extra] = positionals;
  if (command === undefined || extra.length > 0)
    throw new ChannelCliError(`用法 usage:\n${CHANNEL_USAGE}`);
  const name = values.name?.trim() ?? '';
  if (command !== 'list' && (name === '' || name.length > MAX_NAME))
    throw new ChannelCliError(`请用 --name 指定渠道名称 / --name is required (≤ ${MAX_NAME})`);

  const path = warehousePathFromEnv(io.env);
  let warehouse;
  try {
    warehouse = await openWarehouse(path);
  } catch (error) {
    throw new ChannelCliError(describeLockedWarehouse(path, error, 'users') ?? String(error));
  }
  try {
    const db = warehouse.db;
    switch (command) {
      case 'add': {
        const kind = kindOf(values.kind);
        const kinds = kindsJson(values.kinds);
        let target = io.env.KEHOU_CHANNEL_TARGET;
        let secret = io.env.KEHOU_CHANNEL_SECRET;
        if (target === undefined) [target, secret] = await stdinLines(io.stdin);
        if (!target) throw new ChannelCliError('未读到地址 / no target on stdin');
        const checked = checkTarget(kind, target);
        const signature = kind === 'DINGTALK' && secret?.trim() ? secret.trim() : null;
        const taken = await db
          .selectFrom('push_channels')
          .select('channel_id')
          .where('name', '=', name)
          .executeTakeFirst();
        if (taken) throw new ChannelCliError(`渠道 ${name} 已存在 / channel ${name} exists`);
        await db
          .insertInto('push_channels')
          .values({ kind, name, target: checked, secret: signature, kinds_json: kinds })
          .execute();
        io.out(
          `已添加推送渠道 ${name}（${kind}，${maskTarget(kind, checked)}${signature ? '，加签' : ''}）/ channel added\n`,
        );
        return;
      }
      case 'list': {
        const rows = await listChannels(db);
        if (values.json) io.out(`${JSON.stringify(rows)}\n`);
        else
          for (const r of rows)
            io.out(
              `${r.name}\t${r.kind}\t${r.target}${r.signed ? '\t加签' : ''}\t${r.enabled ? '启用' : '停用'}\t${r.kinds?.join(',') ?? '全部'}\t已发 ${r.sent} 失败 ${r.failed} 待发 ${r.pending}\n`,
            );
        return;
      }
      case 'disable':
      case 'enable': {
        await channelByName(db, name);
        await sql`UPDATE push_channels SET enabled = ${command === 'enable'},
          updated_at = current_timestamp WHERE name = ${name}`.execute(db);
        io.out(`${command === 'enable' ? '已启用' : '已停用'} ${name}\n`);
        return;
      }
      case 'test': {
        const channel = await channelByName(db, name);
        try {
          await sendPush(defaultTransport(), channel, {
            kind: 'FLAG_RAISED',
            title: '课后督导推送测试',
            body: '这是一条测试消息。',
          });
        } catch (error) {
          throw new ChannelCliError(
            `测试消息未送达 / the test message failed: ${error instanceof PushError ? error.message : 'send failed'}`,
          );
        }
        io.out(`测试消息已送达 ${name} / test message sent\n`);
        return;
      }
      default:
        throw new ChannelCliError(`用法 usage:\n${CHANNEL_USAGE}`);
    }
  } finally {
    await warehouse.close();
  }
}
