/**
 * Human output of a load: a result table per file (with the flags it raised or resolved),
 * then every reject with its position and its Chinese and English reason; and the output
 * of `etl policy` / `etl flags`.
 */
import { flagCode } from '../server/policy/flag-catalogue.ts';
import type { FlagCounts } from './flags/flag-counts.ts';
import { REJECTS_LISTED } from './load/group-rejects.ts';
import type { FileResult, LoadSummary } from './load/load-report.ts';
import type { LoadChanges } from './load/unit-changes.ts';

const KIND_NAMES: Record<string, string> = {
  registry: '学校名录',
  assignments: '督学挂牌',
  monthly: '月报',
  participation: '分年级',
  survey: '满意度问卷',
};

const nf = new Intl.NumberFormat('zh-CN');

function flagLine(c: FlagCounts): string {
  return `新增 raised ${nf.format(c.raised)} | 更新 updated ${nf.format(c.updated)} | 自动解除 resolved ${nf.format(c.resolved)} | 重新打开 reopened ${nf.format(c.reopened)}`;
}

function unitName(u: { schoolCode: string | null; month: string | null }): string {
  return [u.schoolCode, u.month].filter((x) => x !== null).join(' ') || '（整份问卷 whole export）';
}

/** The units a load replaced (the correction's point) and the flags it opened or closed. */
function changeLines(c: LoadChanges): string[] {
  const lines = [
    `  新增单元 new units ${nf.format(c.unitsNew)} | 替换单元 replaced units ${nf.format(c.unitsReplaced)} | 打开违规预警 flags opened ${nf.format(c.flagsOpened)} | 关闭违规预警 flags closed ${nf.format(c.flagsClosed)}`,
  ];
  const replaced = c.units.filter((u) => u.previousFile !== null).slice(0, 20);
  for (const u of replaced)
    lines.push(
      `    替换 replaced ${unitName(u)}（原 was ${u.previousFile}，${u.previousLoadedAt}）`,
    );
  for (const g of c.flags.slice(0, 20))
    lines.push(
      `    ${g.change === 'opened' ? '打开 opened' : '关闭 closed'} ${g.schoolCode} ${g.month ?? ''} ${g.label}`,
    );
  return lines;
}

function fileBlock(f: FileResult): string[] {
  const kind = f.kind ? `${KIND_NAMES[f.kind]} (${f.kind})` : '未知 (unknown)';
  const lines = [`■ ${f.path}  —  ${kind}`];
  if (f.error) {
    lines.push(`  ✗ ${f.error}`);
    for (const u of f.conflict?.sample.slice(0, 20) ?? [])
      lines.push(`    ${unitName(u)} ← ${u.newerFile}`);
    return lines;
  }
  if (f.unchanged) {
    lines.push(
      '  = 文件与已导入的版本完全相同，未作改动 / identical to a file already loaded, nothing changed',
    );
    return lines;
  }
  lines.push(
    `  读取行 rows read ${nf.format(f.rowsRead)} | 跳过 skipped ${nf.format(f.rowsSkipped)} | 导入 loaded ${nf.format(f.rowsLoaded)} | 拒绝 rejected ${nf.format(f.rowsRejected)}`,
    `  导入单元 units loaded ${nf.format(f.unitsLoaded)} | 拒绝单元 units rejected ${nf.format(f.unitsRejected)}`,
  );
  if (f.flags) lines.push(`  违规预警 flags: ${flagLine(f.flags)}`);
  if (f.changes) lines.push(...changeLines(f.changes));
  for (const w of f.warnings ?? []) lines.push(`  ! ${w}`);
  const shown = f.rejects.slice(0, 200);
  for (const r of shown) {
    const where = `${r.sheet ? `工作表“${r.sheet}” ` : ''}第${r.row ?? '?'}行 ${r.column}`;
    const school = [r.schoolCode, r.schoolName].filter((x) => x !== null).join(' ');
    const of = school ? `（${school}）` : '';
    lines.push(`  ✗ ${where} = ${JSON.stringify(r.value ?? '')}${of}: ${r.reasonZh}`);
    lines.push(
      `      sheet "${r.sheet}" row ${r.row ?? '?'} column ${r.column}${school ? ` (${school})` : ''}: ${r.reasonEn}`,
    );
  }
  const more = f.rejects.length - shown.length + (f.rejectsOmitted ?? 0);
  if (more > 0 && f.rejectCounts) {
    // Too many to read one by one: what is wrong where, most frequent first.
    lines.push('  错误分布 by column and reason:');
    for (const c of f.rejectCounts.slice(0, 10)) {
      lines.push(`    ${c.column}: ${c.reasonZh} × ${nf.format(c.count)}`);
      lines.push(`      ${c.column}: ${c.reasonEn} × ${c.count}`);
    }
  }
  if (more > 0) {
    lines.push(
      f.rejectsOmitted
        ? `  … 另有 ${nf.format(more)} 条错误（--json 列出本次导入的前 ${nf.format(REJECTS_LISTED)} 条；全部见导入记录，或用 --rejects <文件> 导出） / ${more} more (--json lists the load's first ${REJECTS_LISTED}; all are in the load history, or export them with --rejects <file>)`
        : `  … 另有 ${nf.format(more)} 条错误（用 --json 查看全部） / ${more} more (see --json)`,
    );
  }
  return lines;
}

export function renderSummary(summary: LoadSummary): string {
  const lines = summary.files.flatMap((f) => [...fileBlock(f), '']);
  const loaded = summary.files.reduce((n, f) => n + f.rowsLoaded, 0);
  const rejected = summary.files.reduce((n, f) => n + f.rowsRejected, 0);
  if (summary.missingReports)
    lines.push(`缺报检查 missing reports: ${flagLine(summary.missingReports)}`);
  if (summary.flagsError) lines.push(`✗ ${summary.flagsError}`);
  lines.push(
    `${summary.dryRun ? '【试运行 dry run，未写入】 ' : ''}共 ${summary.files.length} 项，导入 ${nf.format(loaded)} 行，拒绝 ${nf.format(rejected)} 行 / ${summary.files.length} results, ${loaded} rows loaded, ${rejected} rows rejected`,
  );
  return lines.join('\n');
}

/** What `etl policy` and `etl flags` print (and, with --json, their one JSON document). */
export interface RejudgeReport {
  dryRun: boolean;
  policy: {
    file: string;
    district: string;
    sha256: string;
    versions: Array<{ version: string; effectiveFrom: string; source: string }>;
  };
  /** A new policy row was written (false: identical to the policy in force, or `etl flags`). */
  stored: boolean;
  total: FlagCounts;
  byCode: Record<string, FlagCounts>;
}

export function renderRejudge(report: RejudgeReport): string {
  const p = report.policy;
  const lines = [
    `政策 policy: ${p.district}（${p.file}）${report.stored ? ' — 已存为现行政策 / stored as the policy in force' : ''}`,
    ...p.versions.map(
      (v) => `  版本 ${v.version}，自 ${v.effectiveFrom} 起 / from ${v.effectiveFrom}: ${v.source}`,
    ),
    `重新判定 re-judged: ${flagLine(report.total)}`,
  ];
  for (const [code, c] of Object.entries(report.byCode).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`  ${code} ${flagCode(code)?.zh ?? ''}: ${flagLine(c)}`);
  if (report.dryRun) lines.push('【试运行 dry run，未写入】 nothing was written');
  return lines.join('\n');
}
