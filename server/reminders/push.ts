/**
 * 推送: the district's channels (push_channels) get each reminder event once. A run of
 * fireReminders queues one push_deliveries row per (enabled channel, event key) — the
 * UNIQUE(channel_id, dedupe_key) makes that once however many users the event reached —
 * and the sender works the queue in bounded batches: at most MAX_SENDS_PER_RUN messages a
 * run (a 钉钉 robot accepts about 20 a minute), at most MAX_ATTEMPTS tries a delivery,
 * then FAILED. Messages are the reminder's title and body: a school and a rule, never
 * pupils' data or a complainant (fire-reminders.ts writes them so).
 *
 * 钉钉 group robot: POST JSON {msgtype: 'markdown', markdown: {title, text}} to the webhook;
 * with 加签 the URL gets `&timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(secret,
 * "<ms>\n<secret>")))>`. 企业微信 group robot: POST {msgtype: 'markdown', markdown:
 * {content}} to the webhook (its key is in the URL, no signature). Both answer
 * {errcode: 0} when accepted. E-mail: nodemailer over KEHOU_SMTP_URL (the password lives
 * in that environment variable, never on a command line), from KEHOU_SMTP_FROM, to the
 * channel's comma-separated addresses.
 */
import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Database } from '../db/database.ts';
import type { PushChannelKind, ReminderKind } from '../db/tables/notifications.table.ts';

export const MAX_ATTEMPTS = 3;
export const MAX_SENDS_PER_RUN = 20;
/** A webhook or SMTP exchange taking longer than this fails (and is retried next run). */
export const SEND_TIMEOUT_MS = 10_000;
/** Longest text pushed; a longer body is cut (bounded sends). */
const MAX_TEXT = 1000;

export interface PushMessage {
  kind: ReminderKind;
  title: string;
  body: string;
}

export interface PushChannelRow {
  channel_id: number;
  kind: PushChannelKind;
  name: string;
  target: string;
  secret: string | null;
}

/** How messages leave: fetch for webhooks, a mail transport; tests pass local ones. */
export interface PushTransport {
  fetch: typeof fetch;
  /** Sends one e-mail; default nodemailer over KEHOU_SMTP_URL. */
  sendMail(mail: { to: string[]; subject: string; text: string }): Promise<void>;
}

export class PushError extends Error {}

const cut = (text: string): string =>
  text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;

/** The 钉钉 加签 query suffix for `timestampMs` (see the module comment). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
  return `timestamp=${timestampMs}&sign=${encodeURIComponent(sign)}`;
}

const markdown = (m: PushMessage): string => `#### ${cut(m.title)}\n\n${cut(m.body)}`;

/** The JSON body a robot of `kind` receives. */
export function robotPayload(kind: 'DINGTALK' | 'WECOM', m: PushMessage): unknown {
  return kind === 'DINGTALK'
    ? { msgtype: 'markdown', markdown: { title: cut(m.title), text: markdown(m) } }
    : { msgtype: 'markdown', markdown: { content: markdown(m) } };
}

async function postRobot(
  transport: PushTransport,
  channel: PushChannelRow,
  m: PushMessage,
  now: Date,
): Promise<void> {
  if (channel.kind !== 'DINGTALK' && channel.kind !== 'WECOM') return;
  let url = channel.target;
  if (channel.kind === 'DINGTALK' && channel.secret)
    url += `${url.includes('?') ? '&' : '?'}${dingtalkSign(channel.secret, now.getTime())}`;
  let response: Response;
  try {
    response = await transport.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(robotPayload(channel.kind, m)),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (error) {
    // The URL holds the robot's key: name the failure, never the address.
    throw new PushError(`request failed: ${(error as Error).name}`);
  }
  const text = (await response.text()).slice(0, 2000);
  if (!response.ok) throw new PushError(`HTTP ${response.status}`);
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new PushError('answer is not JSON');
  }
  if (answer.errcode !== 0)
    throw new PushError(
      `errcode ${String(answer.errcode)}: ${String(answer.errmsg).slice(0, 200)}`,
    );
}

/** Sends `m` on `channel` now; throws PushError (no secrets in it) when not accepted. */
export async function sendPush(
  transport: PushTransport,
  channel: PushChannelRow,
  m: PushMessage,
  now: Date = new Date(),
): Promise<void> {
  if (channel.kind === 'EMAIL') {
    const to = channel.target
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    if (to.length === 0) throw new PushError('no recipients');
    try {
      await transport.sendMail({ to, subject: cut(m.title), text: cut(m.body) });
    } catch (error) {
      throw new PushError(`mail failed: ${(error as Error).message.slice(0, 200)}`);
    }
    return;
  }
  await postRobot(transport, channel, m, now);
}

/** nodemailer over KEHOU_SMTP_URL (e.g. smtps://user:pass@host:465), from KEHOU_SMTP_FROM. */
export function smtpSenderFromEnv(env: NodeJS.ProcessEnv = process.env): PushTransport['sendMail'] {
  return async (mail) => {
    const url = env.KEHOU_SMTP_URL;
    if (!url) throw new Error('KEHOU_SMTP_URL is not set');
    const transporter = nodemailer.createTransport({
      url,
      connectionTimeout: SEND_TIMEOUT_MS,
      greetingTimeout: SEND_TIMEOUT_MS,
      socketTimeout: SEND_TIMEOUT_MS,
    });
    try {
      await transporter.sendMail({
        from: env.KEHOU_SMTP_FROM ?? 'kehou@localhost',
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
    } finally {
      transporter.close();
    }
  };
}

export function defaultTransport(): PushTransport {
  return { fetch: globalThis.fetch.bind(globalThis), sendMail: smtpSenderFromEnv() };
}

/**
 * Queues a delivery per enabled channel (of the kinds it takes) for each event among
 * `notificationIds`; an event already queued for a channel is not queued again.
 */
export async function queueDeliveries(
  db: Kysely<Database>,
  notificationIds: readonly number[],
): Promise<number> {
  if (notificationIds.length === 0) return 0;
  const result = await sql<{ delivery_id: number }>`INSERT INTO push_deliveries
      (channel_id, dedupe_key, status, payload_json)
    SELECT DISTINCT ON (c.channel_id, n.dedupe_key) c.channel_id, n.dedupe_key, 'PENDING',
      json_object('kind', n.kind, 'title', n.title, 'body', n.body)::VARCHAR
    FROM notifications n
    JOIN push_channels c ON c.enabled
      AND (c.kinds_json IS NULL OR list_contains(from_json(c.kinds_json, '["VARCHAR"]'), n.kind))
    WHERE n.notification_id IN (${sql.join(notificationIds.map((id) => sql`${id}`))})
    ON CONFLICT (channel_id, dedupe_key) DO NOTHING
    RETURNING delivery_id`.execute(db);
  return result.rows.length;
}

export interface PendingDelivery extends PushChannelRow {
  delivery_id: number;
  attempts: number;
  payload_json: string;
}

/** The oldest pending deliveries of enabled channels, at most `limit`. */
export async function pendingDeliveries(
  db: Kysely<Database>,
  limit = MAX_SENDS_PER_RUN,
): Promise<PendingDelivery[]> {
  const result = await sql<PendingDelivery>`SELECT d.delivery_id, d.attempts, d.payload_json,
      c.channel_id, c.kind, c.name, c.target, c.secret
    FROM push_deliveries d JOIN push_channels c ON c.channel_id = d.channel_id AND c.enabled
    WHERE d.status = 'PENDING' ORDER BY d.delivery_id LIMIT ${limit}`.execute(db);
  return result.rows.map((r) => ({
    ...r,
    delivery_id: Number(r.delivery_id),
    channel_id: Number(r.channel_id),
    attempts: Number(r.attempts),
  }));
}

export interface DeliveryOutcome {
  deliveryId: number;
  /** null when sent. */
  error: string | null;
}

/** Sends each delivery (one after another: a robot limits its rate); never throws. */
export async function sendDeliveries(
  transport: PushTransport,
  deliveries: readonly PendingDelivery[],
  now: () => Date = () => new Date(),
): Promise<DeliveryOutcome[]> {
  const out: DeliveryOutcome[] = [];
  for (const d of deliveries) {
    try {
      await sendPush(transport, d, JSON.parse(d.payload_json) as PushMessage, now());
      out.push({ deliveryId: d.delivery_id, error: null });
    } catch (error) {
      const message = error instanceof PushError ? error.message : 'send failed';
      out.push({ deliveryId: d.delivery_id, error: message });
    }
  }
  return out;
}

/** Records the outcomes: SENT, or one more attempt (FAILED after MAX_ATTEMPTS). */
export async function recordOutcomes(
  db: Kysely<Database>,
  outcomes: readonly DeliveryOutcome[],
  now: Date,
): Promise<void> {
  for (const o of outcomes) {
    await sql`UPDATE push_deliveries SET attempts = attempts + 1,
        status = CASE WHEN ${o.error === null} THEN 'SENT'
          WHEN attempts + 1 >= ${MAX_ATTEMPTS} THEN 'FAILED' ELSE 'PENDING' END,
        last_error = ${o.error},
        sent_at = CASE WHEN ${o.error === null} THEN ${now.toISOString()}::TIMESTAMPTZ END
      WHERE delivery_id = ${o.deliveryId} AND status = 'PENDING'`.execute(db);
  }
}
