import { readFile } from 'node:fs/promises';
import { cruise, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rule of .dependency-cruiser.cjs (no circles between files; no import from a lower
 * layer to a higher one), checked over every source folder as `npx depcruise --config
 * .dependency-cruiser.cjs --ignore-known shared functions local cli console bench infra` would.
 * Violations listed in .dependency-cruiser-known-violations.json are the ones not yet fixed: they
 * are tolerated, any other fails, and one fixed must leave the list (so the list only shrinks).
 */
const sourceFolders = ['shared', 'functions', 'local', 'cli', 'console', 'bench', 'infra'];
const KNOWN_VIOLATIONS_FILE = '.dependency-cruiser-known-violations.json';

function described(violation: IViolation): string {
  const via = violation.cycle?.length ? ` (round ${[violation.from, ...violation.cycle.map((step) => step.name)].join(' → ')})` : '';
  return `${violation.rule.name}: ${violation.from} → ${violation.to}${via}`;
}

/** One key per violation, the same whether dependency-cruiser reports it or the baseline file lists it. */
function keyOf(violation: IViolation): string {
  return `${violation.rule.name}: ${violation.from} → ${violation.to}`;
}

describe('the import graph', () => {
  let violations: IViolation[];
  let known: IViolation[];
  let cruised: string[];

  beforeAll(async () => {
    // Prepare
    const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
    known = JSON.parse(await readFile(KNOWN_VIOLATIONS_FILE, 'utf8')) as IViolation[];

    // Act
    const result = await cruise(sourceFolders, options, {}, { tsConfig: extractTSConfig('tsconfig.json') });
    if (typeof result.output === 'string') throw new Error('dependency-cruiser returned a report, not a cruise result');
    violations = result.output.summary.violations;
    cruised = result.output.modules.map((module) => module.source);
  });

  it('reads modules from every source folder, so a rule cannot pass on an empty graph', () => {
    // Assess
    const emptyFolders = sourceFolders.filter((folder) => !cruised.some((source) => source.startsWith(`${folder}/`)));
    expect(emptyFolders).toEqual([]);
  });

  it('has no violation but the known ones', () => {
    // Assess
    const knownKeys = new Set(known.map(keyOf));
    const fresh = violations.filter((violation) => !knownKeys.has(keyOf(violation))).map(described);
    expect(fresh, `Import graph violations (the rule's comment in .dependency-cruiser.cjs says why and what to move):\n${fresh.join('\n')}\n`).toEqual([]);
  });

  it('lists no known violation that is gone', () => {
    // Assess
    const found = new Set(violations.map(keyOf));
    const gone = known.filter((violation) => !found.has(keyOf(violation))).map(keyOf);
    expect(gone, `Fixed: remove these from ${KNOWN_VIOLATIONS_FILE}:\n${gone.join('\n')}\n`).toEqual([]);
  });
});
