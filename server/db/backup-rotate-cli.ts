/**
 * `warehouse backup-rotate <root> [--keep-daily 7] [--keep-weekly 4] [--keep-monthly 12] [--json]`:
 * the arguments and the report of a scheduled backup (backup-rotate.ts). The backup itself
 * is the warehouse CLI's, passed in, so it goes through the running server when there is one.
 */
import { parseArgs } from 'node:util';
import type { BackupManifest } from './backup.ts';
import { checkRetentionRule, DEFAULT_RETENTION, type RetentionRule } from './backup-retention.ts';
import { rotateBackups, type RotateResult } from './backup-rotate.ts';

export const ROTATE_USAGE = `  npm run -s warehouse -- backup-rotate <备份根目录 root> [--keep-daily ${DEFAULT_RETENTION.daily}] [--keep-weekly ${DEFAULT_RETENTION.weekly}] [--keep-monthly ${DEFAULT_RETENTION.monthly}] [--json]`;

export class RotateUsageError extends Error {}

export function parseRotateArgs(argv: readonly string[]): {
  root: string;
  rule: RetentionRule;
  json: boolean;
} {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'keep-daily': { type: 'string' },
        'keep-weekly': { type: 'string' },
        'keep-monthly': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new RotateUsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1 || !positionals[0])
    throw new RotateUsageError('须指定一个备份根目录 / name one backup root folder');
  const count = (text: string | undefined, fallback: number): number =>
    text === undefined ? fallback : /^\d+$/u.test(text) ? Number(text) : Number.NaN;
  const rule: RetentionRule = {
    daily: count(values['keep-daily'], DEFAULT_RETENTION.daily),
    weekly: count(values['keep-weekly'], DEFAULT_RETENTION.weekly),
    monthly: count(values['keep-monthly'], DEFAULT_RETENTION.monthly),
  };
  const bad = checkRetentionRule(rule);
  if (bad) throw new RotateUsageError(bad);
  return { root: positionals[0], rule, json: values.json };
}

/** The human summary: the new folder, then what was kept and removed. */
export function describeRotation(result: RotateResult): string {
  const lines = [
    `已备份到 backed up to ${result.created.dir}`,
    `保留 kept ${result.kept.length}，删除 removed ${result.removed.length} 个旧备份 old backups under ${result.root}`,
    ...result.removed.map((r) => `  删除 removed ${r.dir}`),
  ];
  if (result.ignored.length > 0)
    lines.push(
      `未动 left alone ${result.ignored.length}: ${result.ignored.map((i) => `${i.name} (${i.why})`).join('; ')}`,
    );
  return `${lines.join('\n')}\n`;
}

export async function runBackupRotate(
  argv: readonly string[],
  makeBackup: (target: string) => Promise<BackupManifest>,
): Promise<{ result: RotateResult; json: boolean }> {
  const { root, rule, json } = parseRotateArgs(argv);
  return { result: await rotateBackups({ root, rule, makeBackup }), json };
}
