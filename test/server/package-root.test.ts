/**
 * The package root from the sources: the folder holding package.json, whatever the module's
 * depth (the compiled dist/server/package-root.js, one folder deeper, is covered by
 * test/server/build/build-dist.test.ts, which serves the schema and dashboard from there).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromPackageRoot, PACKAGE_ROOT } from '../../server/package-root.ts';
import { SCHEMA_DIR } from '../../server/graphql/schema.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('server/package-root.ts', () => {
  it('is the folder of package.json, and paths under it keep a trailing slash', () => {
    expect(`${PACKAGE_ROOT}/`).toBe(ROOT);
    expect(fromPackageRoot('web/dist/')).toBe(`${ROOT}web/dist/`);
    expect(SCHEMA_DIR).toBe(`${ROOT}schema/`);
    expect(existsSync(`${SCHEMA_DIR}common.graphql`)).toBe(true);
  });
});
