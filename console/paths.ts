import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the console's files are. Run from the repository (the local stack, tests) they are beside
 * this file and in node_modules; in a Lambda bundle, the build copies them beside the bundle
 * (infra/constructs/console-bundling.ts) under the same names: `views/`, `govuk-frontend/`,
 * `assets/`. Nunjucks templates are read at run time, so they must be files.
 */
const here = dirname(fileURLToPath(import.meta.url));

export const viewsDir = join(here, 'views');

/** govuk-frontend's `dist` folder: its Nunjucks macros (`govuk/components/…`) and compiled files. */
export function govukFrontendDir(): string {
  const bundled = join(here, 'govuk-frontend');
  if (existsSync(bundled)) return bundled;
  return join(dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist');
}

/** The built assets (content-hashed files and their manifest): console/build-assets.ts writes them. */
export function assetsDir(): string {
  const bundled = join(here, 'assets');
  if (existsSync(join(bundled, 'manifest.json'))) return bundled;
  return join(here, 'dist', 'assets');
}
