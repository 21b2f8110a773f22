/**
 * `npm start`: serves the API and the dashboard on the warehouse KEHOU_DB (created empty
 * if missing) at HOST:PORT until SIGTERM or SIGINT, then shuts down gracefully. Metrics
 * are judged by the warehouse's policy in force (`etl policy` replaces it).
 */
import { serverConfigFromEnv, type ServerConfig } from './config.ts';
import { describeLockedWarehouse } from './db/lock-message.ts';
import { evaluationEngine } from './graphql/evaluation/evaluation-engine.ts';
import { closeOnSignals, startServer, type RunningServer } from './http/serve.ts';
import { createServerLogger } from './log.ts';

const log = createServerLogger();

function whyNotStarted(error: unknown, config: ServerConfig): string {
  const locked = describeLockedWarehouse(config.dbPath, error, 'server');
  if (locked) return locked;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return `端口 ${config.port} 已被占用，请设置 PORT 换一个端口 / port ${config.port} on ${config.host} is in use: set PORT to another one`;
  return `服务器无法启动 / the server could not start: ${error instanceof Error ? error.message : String(error)}`;
}

async function main(): Promise<void> {
  const config = serverConfigFromEnv();
  let server: RunningServer;
  let schemes: string;
  try {
    // A broken evaluation scheme (KEHOU_EVALUATION_SCHEME) stops the start, not a query later.
    schemes = evaluationEngine()
      .schemes()
      .map((s) => s.version)
      .join('、');
    server = await startServer({ config, log, deadlineSweep: true });
  } catch (error) {
    log.error({ err: error }, 'server did not start');
    process.stderr.write(`${whyNotStarted(error, config)}\n`);
    process.exit(1);
  }
  closeOnSignals(server, log);
  const { district, versions } = server.policy;
  process.stdout.write(
    `课后督导已启动 Kehou is serving ${server.url}  （数据仓库 warehouse: ${server.config.dbPath}；政策 policy: ${district} ${versions.map((v) => v.version).join('、')}；考核方案 evaluation scheme: ${schemes}；按 Ctrl+C 停止 / Ctrl+C stops it）\n`,
  );
}

await main();
