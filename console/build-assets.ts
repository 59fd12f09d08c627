import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodePackageImporter, compile } from 'sass';
import { assetsDir, govukFrontendDir } from './paths.js';

/** Logical name (`crier.css`) → the content-hashed file it is served as (`crier.1a2b3c4d.css`). */
export type AssetManifest = Record<string, string>;

const consoleDir = fileURLToPath(new URL('.', import.meta.url));
const stylesheet = join(consoleDir, 'styles', 'crier.scss');
const scriptsDir = join(consoleDir, 'scripts');

/** The files that go in, in a fixed order: what decides whether a build is still current. */
function sources(): { name: string; path: string }[] {
  const govuk = join(govukFrontendDir(), 'govuk');
  return [
    { name: 'govuk-frontend.min.js', path: join(govuk, 'govuk-frontend.min.js') },
    { name: 'favicon.svg', path: join(consoleDir, 'styles', 'favicon.svg') },
    ...(existsSync(scriptsDir) ? readdirSync(scriptsDir) : [])
      .filter((file) => file.endsWith('.js'))
      .sort()
      .map((file) => ({ name: file, path: join(scriptsDir, file) })),
  ];
}

function hashOf(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 12);
}

function hashedName(name: string, content: string | Buffer): string {
  const extension = extname(name);
  return `${basename(name, extension)}.${hashOf(content)}${extension}`;
}

/**
 * Builds the console's assets into `outDir`: the stylesheet compiled from Sass (Arial, no GDS
 * Transport), govuk-frontend's script and crier's own, each named by its content's hash so it
 * can be cached for a year, and `manifest.json` mapping names to files. Skips the work when the
 * inputs have not changed since the last build there (compiling the Sass takes seconds).
 */
export function buildConsoleAssets(outDir = assetsDir()): AssetManifest {
  const inputs = sources();
  const govukVersion = JSON.parse(readFileSync(join(govukFrontendDir(), '..', 'package.json'), 'utf8')).version as string;
  const inputHash = hashOf(
    [govukVersion, readFileSync(stylesheet, 'utf8'), ...inputs.map(({ name, path }) => `${name}\n${readFileSync(path, 'utf8')}`)].join('\n'),
  );
  const manifestFile = join(outDir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const previous = JSON.parse(readFileSync(manifestFile, 'utf8')) as AssetManifest & { '#inputs'?: string };
    if (previous['#inputs'] === inputHash) return withoutInputs(previous);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const manifest: AssetManifest = {};
  const emit = (name: string, content: string | Buffer) => {
    const file = hashedName(name, content);
    writeFileSync(join(outDir, file), content);
    manifest[name] = file;
  };
  const css = compile(stylesheet, { style: 'compressed', importers: [new NodePackageImporter()], quietDeps: true, silenceDeprecations: ['import'] }).css;
  emit('crier.css', css);
  for (const { name, path } of inputs) emit(name, readFileSync(path));
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, '#inputs': inputHash }, null, 2));
  return manifest;
}

function withoutInputs(manifest: AssetManifest & { '#inputs'?: string }): AssetManifest {
  const { '#inputs': _inputs, ...files } = manifest;
  return files;
}

/** The manifest of the built assets, read once per process. */
let loaded: AssetManifest | undefined;
export function assetManifest(): AssetManifest {
  loaded ??= withoutInputs(JSON.parse(readFileSync(join(assetsDir(), 'manifest.json'), 'utf8')) as AssetManifest);
  return loaded;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = buildConsoleAssets(process.argv[2]);
  console.log(`console assets: ${Object.values(manifest).join(', ')}`);
}
