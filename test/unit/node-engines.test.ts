import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * One truth about the Node.js versions crier runs on: package.json's `engines`, which the README
 * states word for word, which every locked dependency accepts (so `npm ci` prints no EBADENGINE
 * warning on any of them), and which includes the Node this runs on (the machines and CI).
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const supported = packageJson.engines.node;

describe('the Node.js versions crier supports', () => {
  it('are a valid range that includes the Node running the tests', () => {
    // Prepare / Act
    const range = semver.validRange(supported);

    // Assess
    expect(range).not.toBeNull();
    expect(semver.satisfies(process.versions.node, supported)).toBe(true);
  });

  it('are stated in the README as package.json states them', () => {
    // Prepare
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

    // Act
    const stated = /You need Node\.js `([^`]+)`/.exec(readme)?.[1];

    // Assess
    expect(stated).toBe(supported);
  });

  it('are all accepted by every locked dependency', () => {
    // Prepare
    const demands = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return path !== '' && node ? [{ name: `${path.replace(/^.*node_modules\//, '')}@${entry.version}`, node }] : [];
    });

    // Act
    const refusing = demands.filter(({ node }) => !semver.subset(supported, node)).map(({ name, node }) => `${name} wants ${node}`);

    // Assess
    expect(demands.length).toBeGreaterThan(0);
    expect(refusing).toEqual([]);
  });
});
