import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * The `crier` CLI as one bundled file, for the end-to-end tests that run it many times. `npx crier`
 * (bin/crier.js) loads the TypeScript sources through tsx, which costs about a second of module
 * loading per run; the suites run it over a hundred times, and the bundle starts in about half
 * that. It is the same source through the same compiler (tsx is esbuild too); cli.test.ts still
 * runs bin/crier.js itself, as users do. Written beside package.json's level (`.test-build/`),
 * because the CLI reads its version from `../package.json`.
 */
export async function bundleCli(): Promise<string> {
  const outdir = join(repoRoot, '.test-build');
  await mkdir(outdir, { recursive: true });
  const outfile = join(outdir, 'crier.mjs');
  await build({
    entryPoints: [join(repoRoot, 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Some dependencies are CommonJS and call require(); an ESM bundle has none of its own.
    banner: { js: "import { createRequire as crierCreateRequire } from 'node:module'; const require = crierCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}
