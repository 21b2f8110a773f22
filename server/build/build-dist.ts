/**
 * `npm run build:server`: compiles server/ and etl/ into dist/ (tsc with tsconfig.build.json:
 * JavaScript with source maps, `.ts` imports rewritten to `.js`, no type check, which
 * `npm run typecheck` does) and copies beside the modules the data files they read at run
 * time through `new URL('./…', import.meta.url)`, so dist/ runs under plain node. The
 * dashboard is built separately (`npm run build:web`, into web/dist).
 *
 * dist/ is emptied first: a module deleted from the sources must not live on there.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';

/** The compiled trees: the sources tsconfig.build.json includes. */
const TREES = ['server', 'etl'];
/**
 * What modules read beside themselves at run time (policy, catalogue and scheme files, the
 * demo's policy, the common-password list, the national aggregates' SQL). Not the tsx boot of the workbook reader
 * (xlsx-worker-boot.mjs): compiled, the host starts xlsx-worker.js directly.
 */
const ASSETS = new Set(['.yaml', '.txt', '.sql']);
const OUT = join(PACKAGE_ROOT, 'dist');

function* assets(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* assets(path);
    else if (ASSETS.has(extname(entry.name))) yield path;
  }
}

rmSync(OUT, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(
  process.execPath,
  [tsc, '-p', join(PACKAGE_ROOT, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);
if (compiled.status !== 0) {
  process.stderr.write('编译失败 / the compile failed (tsc, see above)\n');
  process.exit(1);
}
let copied = 0;
for (const tree of TREES) {
  for (const file of assets(join(PACKAGE_ROOT, tree))) {
    cpSync(file, join(OUT, relative(PACKAGE_ROOT, file)));
    copied++;
  }
}
process.stdout.write(
  `已编译到 dist/ / compiled into dist/ (${copied} data files copied beside the modules)\n`,
);
