import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { join } from 'node:path';
import type { FunctionId } from '../../functions/catalog.js';
import { buildConsoleAssets } from '../../console/build-assets.js';
import { assetsDir, govukFrontendDir, viewsDir } from '../../console/paths.js';

/**
 * What the console reads from files at run time, beside its bundle, under the names
 * console/paths.ts looks for: the Nunjucks templates are read when a page renders (esbuild cannot
 * bundle them), and the assets are served from files named by their content's hash.
 * - `views`: console/views, crier's own templates;
 * - `govuk-frontend`: govuk-frontend's Nunjucks templates and macros (its `.njk` files alone: its
 *   CSS and script reach browsers through `assets`, its Sass and examples are for building);
 * - `assets`: what console/build-assets.ts builds, with its manifest.
 */
export type ConsoleFiles = 'views' | 'govuk-frontend' | 'assets';

/** Which functions carry which of them; every other function is its bundle alone. */
export const consoleBundleFiles: Partial<Record<FunctionId, readonly ConsoleFiles[]>> = {
  console: ['views', 'govuk-frontend', 'assets'],
  consoleOperations: ['views', 'govuk-frontend', 'assets'],
  consoleAssets: ['assets'],
};

/** `'…'` for a POSIX shell: CDK runs these hooks with bash, on the machine that synthesizes. */
function quoted(path: string): string {
  return `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * The commands that copy `files` into the bundle's output folder once esbuild is done. The assets
 * are built here, as the stack is synthesized, into the folder the local stack uses too
 * (console/dist/assets): the build is skipped when its inputs have not changed, and running it in
 * this process (tsx) needs no second TypeScript runtime. Called only when the stack is bundled,
 * so a synth that skips bundling (the infra tests) never compiles Sass.
 */
export function consoleCommandHooks(files: readonly ConsoleFiles[]): ICommandHooks {
  if (files.includes('assets')) buildConsoleAssets();
  const copies = (outputDir: string): string[] =>
    files.map((file) => {
      const target = quoted(join(outputDir, file));
      switch (file) {
        case 'views':
          return `cp -R ${quoted(viewsDir)} ${target}`;
        case 'assets':
          return `cp -R ${quoted(assetsDir())} ${target}`;
        case 'govuk-frontend':
          // The templates alone, keeping their folders (`govuk/components/button/macro.njk`);
          // tar keeps the tree on GNU and BSD systems alike, where `cp --parents` is GNU only.
          return `mkdir -p ${target} && (cd ${quoted(govukFrontendDir())} && find . -name '*.njk' -print | tar -cf - -T -) | tar -xf - -C ${target}`;
      }
    });
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => copies(outputDir),
  };
}
