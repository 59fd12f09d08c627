import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as environment from '../../shared/config/env.js';

/**
 * The environment schemas live in small modules by job (shared/config/env/), and
 * shared/config/env.ts is the one module functions, the stack and the local stack import them
 * from: a schema added to a part and not handed on there would be out of everyone's reach.
 */

const repositoryRoot = join(import.meta.dirname, '..', '..');
const configFolder = join(repositoryRoot, 'shared', 'config');
const partsFolder = join(configFolder, 'env');
const maximumLines = 300;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const parts = readdirSync(partsFolder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('the environment modules', () => {
  it(`keeps every module of shared/config within ${maximumLines} lines`, () => {
    // Prepare
    const files = sourceFiles(configFolder);

    // Act
    const long = files
      .map((path) => ({ path: relative(repositoryRoot, path), lines: readFileSync(path, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > maximumLines)
      .map(({ path, lines }) => `${path}: ${lines} lines`);

    // Assess
    expect(files.length).toBeGreaterThan(1);
    expect(long).toEqual([]);
  });

  it.each(parts)('hands on every schema, shape and default of env/%s from shared/config/env.ts', async (part) => {
    // Prepare
    const module = (await import(join(partsFolder, part))) as Record<string, unknown>;
    const handedOn = Object.keys(module).filter((name) => /(EnvSchema|EnvShape|Shape|Text|Names)$|^DEFAULT_|^defaultOf$/.test(name));

    // Act
    const missing = handedOn.filter((name) => (environment as Record<string, unknown>)[name] !== module[name]);

    // Assess
    expect(handedOn.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
