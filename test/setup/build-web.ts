/**
 * Vitest global setup: builds the dashboard once into web/dist, so browser tests run the
 * same assets `npm start` serves. KEHOU_SKIP_WEB_BUILD=1 reuses an existing build.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const CONFIG = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));
const DIST_INDEX = fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));

export default async function setup(): Promise<void> {
  if (process.env.KEHOU_SKIP_WEB_BUILD === '1' && existsSync(DIST_INDEX)) return;
  await build({ configFile: CONFIG, logLevel: 'warn' });
}
