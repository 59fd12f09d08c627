import { cruise, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rule of .dependency-cruiser.cjs (no circles between files; no import from a lower
 * layer to a higher one), checked over every source folder as `npx depcruise --config
 * .dependency-cruiser.cjs shared functions local cli console bench infra` would. A violation fails
 * the test with the rule's name and the import (and, for a circle, the way round).
 */
const sourceFolders = ['shared', 'functions', 'local', 'cli', 'console', 'bench', 'infra'];

function described(violation: IViolation): string {
  const via = violation.cycle?.length ? ` (round ${[violation.from, ...violation.cycle.map((step) => step.name)].join(' → ')})` : '';
  return `${violation.rule.name}: ${violation.from} → ${violation.to}${via}`;
}

describe('the import graph', () => {
  let violations: IViolation[];
  let cruised: string[];

  beforeAll(async () => {
    // Prepare
    const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');

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

  it('has no circle between files and no import from a lower layer to a higher one', () => {
    // Assess
    const found = violations.map(described);
    expect(found, `Import graph violations (the rule's comment in .dependency-cruiser.cjs says why and what to move):\n${found.join('\n')}\n`).toEqual([]);
  });
});
