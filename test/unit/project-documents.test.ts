import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpRoutes } from '../../functions/catalog.js';
import { localEnvSchema } from '../../local/environment.js';

/**
 * crier carries its own documents (the README and docs/): no file of the project sends a reader
 * to a document outside the repository, and docs/contract.md keeps up with the code it describes.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
// Built from parts, so that this file does not name them itself.
const outsideDocuments = ['CONTRACT', 'DESIGN', 'TOOLCHAIN'].map((name) => `${name}.md`);
const outsidePaths = ['/work/' + 'shared'];

/** The project's files: tracked, and new ones not ignored, so a file is caught before its commit. */
function projectFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  return listed.split('\0').filter((path) => path !== '' && !path.endsWith('package-lock.json'));
}

describe("the project's own documents", () => {
  it('are the only ones its files refer to: no document outside the repository is named', () => {
    // Prepare
    const files = projectFiles();

    // Act
    const mentions = files.flatMap((path) => {
      let text: string;
      try {
        text = readFileSync(join(repoRoot, path), 'utf8');
      } catch {
        return []; // listed, but deleted in the working tree
      }
      return [...outsideDocuments, ...outsidePaths].filter((name) => text.includes(name)).map((name) => `${path} names ${name}`);
    });

    // Assess
    expect(files.length).toBeGreaterThan(100);
    expect(mentions).toEqual([]);
  });

  it('include a contract that lists every HTTP route of the function catalog', () => {
    // Prepare
    const contract = readFileSync(join(repoRoot, 'docs', 'contract.md'), 'utf8');

    // Act
    const missing = httpRoutes().map(({ routeKey }) => routeKey).filter((routeKey) => !contract.includes(`\`${routeKey}\``));

    // Assess
    expect(missing).toEqual([]);
  });

  it('include a contract whose local environment variables are all ones the local stack reads', () => {
    // Prepare
    const contract = readFileSync(join(repoRoot, 'docs', 'contract.md'), 'utf8');
    const localSection = contract.slice(contract.indexOf('### The local stack'), contract.indexOf('### The CLI'));
    const read = new Set(Object.keys(localEnvSchema.shape));

    // Act
    const firstCells = localSection.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|')[1] ?? '');
    const named = firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]!));
    const unknown = named.filter((name) => !read.has(name));

    // Assess
    expect(named.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });
});
