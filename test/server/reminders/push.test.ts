/**
 * Pushes against local receivers: a node:http server playing the 钉钉 robot (it checks
 * the 加签 signature and the markdown message's shape) and the 企业微信 robot, and a local
 * smtp-server receiving the mail (with SMTP AUTH from KEHOU_SMTP_URL). Each event reaches
 * each channel once; a refused delivery is tried MAX_ATTEMPTS times, then FAILED.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { runReminders } from '../../../server/jobs/reminders.ts';
import { MAX_ATTEMPTS, smtpSenderFromEnv } from '../../../server/reminders/push.ts';
import { NOW, seedDistrict } from '../../helpers/seed-reminders.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const SECRET = 'SECtest-secret';

interface Received {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

let http: Server;
let smtp: SMTPServer;
let httpBase = '';
let smtpPort = 0;
const robots: Received[] = [];
const mails: { to: string[]; raw: string }[] = [];

beforeEach(async () => {
  robots.length = 0;
  mails.length = 0;
  http = createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      robots.push({ path: url.pathname, query: url.searchParams, body: JSON.parse(data) });
      let errcode = 0;
      if (url.pathname === '/robot/send') {
        // 钉钉: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
        const ts = url.searchParams.get('timestamp') ?? '';
        const want = createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');
        if (url.searchParams.get('sign') !== want) errcode = 310000;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errcode, errmsg: errcode === 0 ? 'ok' : 'sign not match' }));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (auth.username === 'kehou' && auth.password === 'p@ss word') cb(null, { user: 'kehou' });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterEach(async () => {
  await new Promise((r) => http.close(r));
  await new Promise((r) => smtp.close(() => r(null)));
});

describe('push deliveries', () => {
  const warehouse = useWarehouse();

  it('sends each event once per channel, signed and shaped as the robots expect', async () => {
    await seedDistrict(warehouse());
    const conn = await warehouse().connect();
    try {
      await conn.run(`INSERT INTO push_channels (kind, name, target, secret, kinds_json) VALUES
        ('DINGTALK', '钉钉群', '${httpBase}/robot/send?access_token=T1', '${SECRET}', NULL),
        ('WECOM', '企业微信群', '${httpBase}/cgi-bin/webhook/send?key=K1', NULL, '["OVERDUE"]'),
        ('EMAIL', '邮件', 'a@example.org, b@example.org', NULL, '["REPORT_MISSING"]'),
        ('DINGTALK', '签名错', '${httpBase}/robot/send?access_token=T2', 'wrong', '["OVERDUE"]')`);
    } finally {
      conn.closeSync();
    }
    const writer = await WarehouseWriter.open(warehouse());
    const env = {
      KEHOU_SMTP_URL: `smtp://kehou:${encodeURIComponent('p@ss word')}@127.0.0.1:${smtpPort}`,
      KEHOU_SMTP_FROM: 'kehou@example.org',
    };
    const transport = {
      fetch: globalThis.fetch.bind(globalThis),
      sendMail: smtpSenderFromEnv(env),
    };
    const run = () => runReminders({ warehouse: warehouse(), writer, now: () => NOW, transport });
    try {
      // 8 events (fire-reminders.test.ts): 钉钉 all 8, 企业微信 1 OVERDUE, mail 2
      // REPORT_MISSING, the badly signed 钉钉 1 OVERDUE (refused).
      expect(await run()).toEqual({ fired: 8, queued: 12, sent: 11, failed: 1 });
      const ding = robots.filter((r) => r.query.get('access_token') === 'T1');
      expect(ding).toHaveLength(8);
      expect(ding[0]?.query.get('timestamp')).toBe(String(NOW.getTime()));
      type Ding = { msgtype: string; markdown: { title: string; text: string } };
      const first = ding
        .map((r) => r.body as unknown as Ding)
        .find((b) => b.markdown.title.startsWith('新问题线索')) as Ding;
      expect(first.msgtype).toBe('markdown');
      expect(first.markdown.title).toBe('新问题线索：第一小学');
      expect(first.markdown.text).toMatch(/^#### 新问题线索：第一小学\n\n2025-10 /u);
      const wecom = robots.filter((r) => r.path === '/cgi-bin/webhook/send');
      expect(wecom).toHaveLength(1);
      expect(wecom[0]?.query.get('key')).toBe('K1');
      expect(wecom[0]?.body).toEqual({
        msgtype: 'markdown',
        markdown: { content: expect.stringMatching(/^#### 整改逾期：第三小学\n\n/u) as unknown },
      });
      expect(mails).toHaveLength(2);
      expect(mails[0]?.to).toEqual(['a@example.org', 'b@example.org']);
      const everything = JSON.stringify(robots.map((r) => r.body)) + mails.map((m) => m.raw).join();
      expect(everything).not.toMatch(/张某|13800000000|家长反映/u);

      // Nothing new: nothing sent again; the refused one is tried until MAX_ATTEMPTS.
      expect(await run()).toEqual({ fired: 0, queued: 0, sent: 0, failed: 1 });
      expect(await run()).toEqual({ fired: 0, queued: 0, sent: 0, failed: 1 });
      expect(await run()).toEqual({ fired: 0, queued: 0, sent: 0, failed: 0 });
      expect(robots.filter((r) => r.query.get('access_token') === 'T2')).toHaveLength(MAX_ATTEMPTS);
      expect(
        await query(
          warehouse(),
          `SELECT status, count(*) AS n, max(attempts) AS attempts, max(last_error) AS error
           FROM push_deliveries GROUP BY status ORDER BY status`,
        ),
      ).toEqual([
        { status: 'FAILED', n: 1, attempts: 3, error: 'errcode 310000: sign not match' },
        { status: 'SENT', n: 11, attempts: 1, error: null },
      ]);
    } finally {
      await writer.close();
    }
  });
});
