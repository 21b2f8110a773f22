/**
 * `npm run demo [-- --schools N --seed S]`: writes the demo district as report files
 * (data/demo/files) and loads them through the real ETL into the warehouse (KEHOU_DB,
 * default data/kehou.duckdb). The planted messy rows show up as rejects, as they would
 * for a real bureau.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openWarehouse, warehousePathFromEnv } from '../../server/db/connect.ts';
import { exitCode, loadPaths } from '../index.ts';
import { DEFAULT_OUT, generateDemoFiles } from './cli.ts';

const { values } = parseArgs({
  options: {
    schools: { type: 'string', default: '150' },
    seed: { type: 'string' },
    out: { type: 'string', default: DEFAULT_OUT },
  },
});

const nf = new Intl.NumberFormat('zh-CN');
await rm(values.out, { recursive: true, force: true });
const demo = await generateDemoFiles({
  outDir: values.out,
  schools: Number(values.schools),
  ...(values.seed ? { seed: Number(values.seed) } : {}),
});
console.log(
  `演示区县已生成 demo district written: ${demo.schools} 所学校 schools, ${demo.months.length} 个月 months, ${demo.files.length} 个文件 files → ${demo.outDir} (${demo.millis} ms)`,
);

const dbPath = warehousePathFromEnv();
const warehouse = await openWarehouse(dbPath);
try {
  const started = performance.now();
  const summary = await loadPaths(warehouse, [demo.outDir], { user: 'demo' });
  const loaded = summary.files.reduce((n, f) => n + f.rowsLoaded, 0);
  const rejected = summary.files.filter((f) => f.rejects.length > 0);
  const failed = summary.files.filter((f) => f.error !== undefined);
  console.log(
    `已导入数据仓库 loaded into ${dbPath}: ${nf.format(loaded)} 行 rows from ${summary.files.length} 项 results in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const f of rejected) {
    for (const r of f.rejects)
      console.log(
        `  拒绝 reject  ${f.path} [${r.sheet}] 第${r.row}行 ${r.column} = ${JSON.stringify(r.value)}: ${r.reason}`,
      );
  }
  for (const f of failed) console.log(`  失败 failed  ${f.path}: ${f.error}`);
  console.log(
    '（演示文件中故意包含少量错误行，以展示校验与拒绝 / the demo plants a few bad rows on purpose to show validation）',
  );
  console.log(
    '查看数据 inspect: npm run -s etl -- load <文件> --dry-run；仪表盘与API将在后续版本提供 / the API and dashboard arrive with the next issues.',
  );
  if (exitCode(summary) === 1) process.exitCode = 1;
} finally {
  await warehouse.close();
}
