/**
 * Human output of a load: a result table per file, then every reject with its position
 * and its Chinese and English reason.
 */
import type { FileResult, LoadSummary } from './load/load-report.ts';

const KIND_NAMES: Record<string, string> = {
  registry: '学校名录',
  assignments: '督学挂牌',
  monthly: '月报',
  participation: '分年级',
  survey: '满意度问卷',
};

const nf = new Intl.NumberFormat('zh-CN');

function fileBlock(f: FileResult): string[] {
  const kind = f.kind ? `${KIND_NAMES[f.kind]} (${f.kind})` : '未知 (unknown)';
  const lines = [`■ ${f.path}  —  ${kind}`];
  if (f.error) {
    lines.push(`  ✗ ${f.error}`);
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
  for (const w of f.warnings ?? []) lines.push(`  ! ${w}`);
  const shown = f.rejects.slice(0, 200);
  for (const r of shown) {
    const where = `${r.sheet ? `工作表“${r.sheet}” ` : ''}第${r.row ?? '?'}行 ${r.column}`;
    lines.push(`  ✗ ${where} = ${JSON.stringify(r.value ?? '')}: ${r.reasonZh}`);
    lines.push(`      sheet "${r.sheet}" row ${r.row ?? '?'} column ${r.column}: ${r.reasonEn}`);
  }
  if (f.rejects.length > shown.length) {
    lines.push(
      `  … 另有 ${nf.format(f.rejects.length - shown.length)} 条错误（用 --json 查看全部） / ${f.rejects.length - shown.length} more (see --json)`,
    );
  }
  return lines;
}

export function renderSummary(summary: LoadSummary): string {
  const lines = summary.files.flatMap((f) => [...fileBlock(f), '']);
  const loaded = summary.files.reduce((n, f) => n + f.rowsLoaded, 0);
  const rejected = summary.files.reduce((n, f) => n + f.rowsRejected, 0);
  lines.push(
    `${summary.dryRun ? '【试运行 dry run，未写入】 ' : ''}共 ${summary.files.length} 项，导入 ${nf.format(loaded)} 行，拒绝 ${nf.format(rejected)} 行 / ${summary.files.length} results, ${loaded} rows loaded, ${rejected} rows rejected`,
  );
  return lines.join('\n');
}
