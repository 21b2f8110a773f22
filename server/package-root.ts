/**
 * The package's root folder (the one holding package.json), whether this module runs from
 * its source (server/package-root.ts under tsx or Vitest) or compiled (dist/server/
 * package-root.js): files read at run time that live outside server/ (schema/*.graphql,
 * the built dashboard in web/dist) are found from here, so neither layout hard-codes how
 * many folders up the root is.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new Error(
        `找不到 package.json（从 ${from} 向上查找）/ no package.json above ${from}: run Kehou from its package folder`,
      );
    dir = up;
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path under the package root; a trailing '/' in `relative` is kept. */
export function fromPackageRoot(relative: string): string {
  return join(PACKAGE_ROOT, relative);
}
