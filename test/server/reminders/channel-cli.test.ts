/**
 * The push channels' CLI: targets checked (https robots, addresses), the webhook URL and
 * secret read from stdin or the environment and never shown by `list`, disable/enable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ChannelCliError,
  checkTarget,
  maskTarget,
  runChannelCommand,
} from '../../../server/reminders/channel-cli.ts';
import { openWarehouse } from '../../../server/db/connect.ts';

describe('checkTarget / maskTarget', () => {
  it('takes https robots and e-mail lists, refuses the rest', () => {
    expect(checkTarget('WECOM', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K',
    );
    expect(checkTarget('DINGTALK', 'http://127.0.0.1:9/robot/send')).toBe(
      'http://127.0.0.1:9/robot/send',
    );
    expect(() => checkTarget('DINGTALK', 'http://robot.example/send')).toThrow(ChannelCliError);
    expect(() => checkTarget('WECOM', 'not a url')).toThrow(ChannelCliError);
    expect(checkTarget('EMAIL', ' a@example.org , b@example.org ')).toBe(
      'a@example.org,b@example.org',
    );
    expect(() => checkTarget('EMAIL', 'a@example.org, nobody')).toThrow(ChannelCliError);
    expect(maskTarget('DINGTALK', 'https://oapi.dingtalk.com/robot/send?access_token=SECRET')).toBe(
      'https://oapi.dingtalk.com/robot/send?…',
    );
  });
});

describe('runChannelCommand', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehou-channels-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds from stdin, lists without the token or secret, disables', async () => {
    const env = { KEHOU_DB: join(dir, 'kehou.duckdb') };
    const out: string[] = [];
    const io = (stdin: string, extra: NodeJS.ProcessEnv = {}) => ({
      env: { ...env, ...extra },
      stdin: Readable.from([stdin]),
      out: (text: string) => out.push(text),
    });
    await runChannelCommand(
      ['add', '--kind', 'dingtalk', '--name', '督导群', '--kinds', 'overdue,DEADLINE_SOON'],
      io('https://oapi.dingtalk.com/robot/send?access_token=TOKEN123\nSECabc\n'),
    );
    await runChannelCommand(
      ['add', '--kind', 'email', '--name', '邮件提醒'],
      io('', { KEHOU_CHANNEL_TARGET: 'a@example.org' }),
    );
    await expect(
      runChannelCommand(['add', '--kind', 'wecom', '--name', '督导群'], io('https://x.example/')),
    ).rejects.toThrow('已存在');
    await expect(
      runChannelCommand(['add', '--kind', 'fax', '--name', 'f'], io('https://x.example/')),
    ).rejects.toThrow('--kind');
    await runChannelCommand(['disable', '--name', '邮件提醒'], io(''));
    out.length = 0;
    await runChannelCommand(['list', '--json'], io(''));
    const listed = out.join('');
    expect(listed).not.toMatch(/TOKEN123|SECabc/u);
    expect(JSON.parse(listed)).toEqual([
      {
        name: '督导群',
        kind: 'DINGTALK',
        target: 'https://oapi.dingtalk.com/robot/send?…',
        signed: true,
        kinds: ['OVERDUE', 'DEADLINE_SOON'],
        enabled: true,
        sent: 0,
        failed: 0,
        pending: 0,
      },
      {
        name: '邮件提醒',
        kind: 'EMAIL',
        target: 'a@example.org',
        signed: false,
        kinds: null,
        enabled: false,
        sent: 0,
        failed: 0,
        pending: 0,
      },
    ]);
    // The secret is stored for signing, the token in the stored URL.
    const stored = await withStored(env.KEHOU_DB);
    expect(stored).toEqual([
      { name: '督导群', secret: 'SECabc', token: true },
      { name: '邮件提醒', secret: null, token: false },
    ]);
  });
});

async function withStored(path: string) {
  const warehouse = await openWarehouse(path);
  try {
    const rows = await warehouse.db
      .selectFrom('push_channels')
      .select(['name', 'secret', 'target'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      secret: r.secret,
      token: r.target.includes('TOKEN123'),
    }));
  } finally {
    await warehouse.close();
  }
}
