/**
 * `npm run demo [-- --schools N --seed S --no-serve]`: writes the demo district as report
 * files (data/demo/files), loads them through the real ETL into the warehouse (KEHOU_DB,
 * default data/kehou.duckdb), creates the demo users and serves the dashboard at HOST:PORT
 * (default 127.0.0.1:4000) until Ctrl+C. The planted messy rows show up as rejects, as
 * they would for a real bureau. After the load the generator's casework (visits by several
 * 责任督学, flags at every step of 整改) is played through the server's services
 * (play-casework.ts). `--no-serve` loads, creates the users, plays the casework and exits.
 *
 * The district is a snapshot as of the generator's "today" (casework.asOf): the load judges
 * report deadlines by it, and the server runs without the deadline sweep, which would judge
 * by the wall clock and call every month after the demo's last one missing.
 *
 * The one etl/ file that imports the server (eslint.config.js allows exactly this): the
 * contract's `npm run demo` ends with a running dashboard.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { demoPassword, ensureDemoUsers } from '../../server/auth/demo-users.ts';
import { openWarehouse, warehousePathFromEnv, type Warehouse } from '../../server/db/connect.ts';
import { describeLockedWarehouse } from '../../server/db/lock-message.ts';
import { WarehouseWriter } from '../../server/db/writer.ts';
import { closeOnSignals, startServer } from '../../server/http/serve.ts';
import { createServerLogger } from '../../server/log.ts';
import { exitCode, loadPaths } from '../index.ts';
import { LoadProgressDisplay, progressMode } from '../progress-line.ts';
import { loadTownshipMap, renderMapLoad } from '../map/load-township-map.ts';
import { DEFAULT_OUT, generateDemoFiles } from './cli.ts';
import { storeDemoPolicy, useDemoEvaluationScheme } from './demo-policy.ts';
import { bilingualRole } from '../../server/db/roles.ts';
import { FEATURED_USERNAME } from './plan-casework.ts';
import { fillInboxes, playCasework } from './play-casework.ts';
import { publishDemoEvaluation } from './publish-evaluation.ts';
import { stampArrivals } from './stamp-arrivals.ts';
import { judgeDemoDoubts } from './planted-doubts.ts';
import { playReviews } from './play-reviews.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { ensureInspectorAccounts } from '../../server/auth/demo-users.ts';

const { values } = parseArgs({
  options: {
    schools: { type: 'string', default: '150' },
    seed: { type: 'string' },
    out: { type: 'string', default: DEFAULT_OUT },
    'no-serve': { type: 'boolean', default: false },
  },
});

/** KEHOU_DEMO_PASSWORD or a random one; checked before a minute of loading, not after. */
function chooseDemoPassword(): string {
  try {
    return demoPassword();
  } catch (error) {
    console.error(`演示失败 / the demo failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
const password = chooseDemoPassword();

/**
 * The dashboard is built (vite) while the district is generated and loaded: on a fresh
 * clone the two together take about as long as the build alone. Resolves to the build's
 * failure, if any; `--no-serve` needs no dashboard.
 */
function buildDashboard(): Promise<string | null> {
  if (values['no-serve']) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', 'build:web'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // The load, which prints progress, goes first on a small machine; the build (vite and
    // its children inherit the niceness) takes what the load leaves.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        // Not permitted on this system: both run at the same priority.
      }
    }
    child.on('error', (error) => resolve(error.message));
    child.on('exit', (code) => resolve(code === 0 ? null : `npm run build exited with ${code}`));
  });
}
const built = buildDashboard();

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
let warehouse: Warehouse;
try {
  warehouse = await openWarehouse(dbPath);
} catch (error) {
  console.error(
    describeLockedWarehouse(dbPath, error, 'server') ??
      `无法打开数据仓库 / cannot open the warehouse: ${String((error as Error).message)}`,
  );
  process.exit(1);
}
let served = false;
try {
  const { current } = await storeDemoPolicy(warehouse);
  console.log(
    `政策 policy: ${current.policy.district}（${current.fileName}，版本 ${current.policy.versions.map((v) => v.version).join('、')}）`,
  );
  const evaluation = useDemoEvaluationScheme();
  console.log(
    `考核方案 evaluation scheme: ${evaluation.scheme.name}（${basename(evaluation.path)}，版本 ${evaluation.scheme.versions.map((v) => v.version).join('、')}）`,
  );
  const started = performance.now();
  // A minute of loading: files done / total, rows and elapsed on stderr meanwhile.
  const progress = new LoadProgressDisplay({
    output: process.stderr,
    mode: progressMode(process.stderr, { json: false }),
  });
  const summary = await loadPaths(warehouse, [demo.outDir], {
    user: 'demo',
    now: new Date(demo.casework.asOf),
    onProgress: progress.onProgress,
  }).finally(() => progress.finish());
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
  // The county's township map goes through `etl map`'s own loader, after the registry it is checked against.
  const mapLoad = await loadTownshipMap(warehouse, demo.mapFile, { loadedBy: 'demo' });
  console.log(renderMapLoad(mapLoad));
  if (!mapLoad.ok) process.exitCode = 1;
  const arrivals = await stampArrivals(warehouse, current.policy);
  console.log(
    `报送时间 arrivals (演示模拟 simulated): ${nf.format(arrivals.onTime)} 份按时 on time，${nf.format(arrivals.late)} 份逾期 late`,
  );
  const doubts = await judgeDemoDoubts(warehouse, current.policy);
  console.log(
    `数据疑点 data doubts: ${nf.format(doubts.raised)} 个（其中演示埋设 planted ${nf.format(demo.plantedDoubts.length)}）`,
  );
  if (exitCode(summary) === 1) process.exitCode = 1;
  else served = await createUsersAndServe(warehouse, current.policy);
} catch (error) {
  console.error(`演示失败 / the demo failed: ${String((error as Error).message ?? error)}`);
  process.exitCode = 1;
} finally {
  if (!served) await warehouse.close();
}

async function flagsByStatus(w: Warehouse): Promise<Array<{ status: string; n: number }>> {
  const rows = await w.db
    .selectFrom('flags')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

/** The generator's visits and 整改 steps, as the users it names, after the users exist. */
async function workTheFlags(
  warehouse: Warehouse,
  writer: WarehouseWriter,
  policy: DistrictPolicy,
): Promise<void> {
  const started = performance.now();
  const { casework } = demo;
  await ensureInspectorAccounts(
    writer,
    casework.accounts
      .filter((a) => a.inspector_id !== null && a.username !== FEATURED_USERNAME)
      .map((a) => ({ username: a.username, name: a.name, inspectorId: a.inspector_id as string })),
  );
  const result = await playCasework(
    { warehouse, writer, policy, log: createServerLogger('demo') },
    casework,
  );
  // The demo serves a snapshot (no server jobs judge it against today's date): the inboxes
  // are filled once, as the reminders job would have left them on the snapshot's day.
  const reminders = result.played ? await fillInboxes({ writer, policy }, casework) : 0;
  const statuses = await flagsByStatus(warehouse);
  console.log(
    result.played
      ? `督导工作 casework: ${result.visits} 次访视 visits, ${result.steps} 步整改 steps, ${result.complaints} 件投诉 complaints, ${reminders} 条提醒 reminders (${casework.asOf.slice(0, 10)} 前 as of) in ${((performance.now() - started) / 1000).toFixed(1)} s`
      : '督导工作 casework: 数据仓库已有访视或整改记录，未重复写入 / the warehouse has visits or steps already: left as it is',
  );
  if (result.missing.length > 0)
    console.log(`  未找到的违规预警 flags not raised: ${result.missing.join('，')}`);
  console.log(
    `违规预警 flags by status: ${statuses.map((s) => `${s.status} ${s.n}`).join('，') || '无 none'}`,
  );
}

/** The school-months' review (草稿 → 已提交 → 已审核 / 退回), as the demo users. */
async function reviewTheMonths(
  warehouse: Warehouse,
  writer: WarehouseWriter,
  policy: DistrictPolicy,
): Promise<void> {
  const started = performance.now();
  const log = createServerLogger('demo').child({}, { level: 'warn' });
  const result = await playReviews({ warehouse, writer, policy, log }, demo.casework.asOf);
  console.log(
    result.played
      ? `报表审核 reviews: ${result.approved} 个校·月已审核 approved; ${result.newestMonth}: ${result.submitted} 已提交 submitted, ${result.returned} 退回 returned, ${result.drafts} 草稿 drafts in ${((performance.now() - started) / 1000).toFixed(1)} s`
      : '报表审核 reviews: 数据仓库已有审核记录，未重复写入 / the warehouse has reviews already: left as it is',
  );
}

/** The newest complete school year's evaluation, published as the demo bureau user. */
async function publishTheEvaluation(
  warehouse: Warehouse,
  writer: WarehouseWriter,
  policy: DistrictPolicy,
): Promise<void> {
  const started = performance.now();
  // The line above says what was published; the service's info log line would repeat it.
  const log = createServerLogger('demo').child({}, { level: 'warn' });
  const result = await publishDemoEvaluation(
    { warehouse, writer, policy, log },
    demo.casework.asOf,
    demo.months,
  );
  if (result === null) return;
  const { period, published } = result;
  console.log(
    published
      ? `考核发布 evaluation published: ${period.label} 第 ${published.version} 版 version, ${published.schools} 所学校 schools, 方案 scheme ${published.schemeVersion} in ${((performance.now() - started) / 1000).toFixed(1)} s`
      : `考核发布 evaluation: ${period.label} 已发布，未重复发布 / published already: left as it is`,
  );
}

/** True when the server runs (and owns the warehouse from then on). */
async function createUsersAndServe(warehouse: Warehouse, policy: DistrictPolicy): Promise<boolean> {
  const writer = await WarehouseWriter.open(warehouse);
  let serving = false;
  try {
    const users = await ensureDemoUsers(
      writer,
      warehouse.db,
      password,
      demo.casework.featuredInspector,
    );
    await workTheFlags(warehouse, writer, policy);
    await reviewTheMonths(warehouse, writer, policy);
    await publishTheEvaluation(warehouse, writer, policy);
    let url: string | null = null;
    if (!values['no-serve']) {
      const buildError = await built;
      if (buildError) throw new Error(`仪表盘构建失败 / the dashboard build failed: ${buildError}`);
      const log = createServerLogger('demo');
      const server = await startServer({ warehouse, writer, log }).catch((error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE') throw error;
        throw new Error(
          `端口已被占用，请设置 PORT 换一个端口 / the port is in use: set PORT to another one`,
        );
      });
      serving = true;
      closeOnSignals(server, log);
      url = server.url;
    }
    console.log(url ? `\n仪表盘 dashboard: ${url}` : '');
    console.log('演示账号 demo sign-ins:');
    // The role goes last: padEnd counts characters, and Chinese ones are twice as wide.
    for (const u of users)
      console.log(
        `  ${u.username.padEnd(16)} 密码 password: ${password}   ${bilingualRole(u.role)}`,
      );
    if (url) console.log('按 Ctrl+C 停止 / press Ctrl+C to stop');
    return serving;
  } finally {
    if (!serving) await writer.close();
  }
}
