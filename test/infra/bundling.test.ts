import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { functionDefinition, functionIds } from '../../functions/catalog.js';
import { secretsOf } from '../../functions/catalog-types.js';
import { readDeploymentSettings } from '../../infra/constructs/deployment-settings.js';
import { CrierStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
const outdir = mkdtempSync(join(tmpdir(), 'crier-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('a full synth, as `cdk synth` runs it (the one test that bundles)', () => {
  it('bundles every catalog entry as ESM with a require shim and a source map, the console with its templates and assets, and passes CloudFormation validation', () => {
    // Prepare
    // Asset metadata is what the CLI turns on too; it says where each bundle was staged.
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:enable-asset-metadata': true } });
    const stack = new CrierStack(app, 'Crier');
    const settings = readDeploymentSettings(stack.node);

    // Act
    const assembly = app.synth();

    // Assess
    const resources = assembly.getStackArtifact(stack.artifactId).template.Resources;
    for (const functionId of functionIds) {
      const cfnFunction = stack.functions[functionId].function.node.defaultChild;
      const resource = resources[stack.getLogicalId(cfnFunction as CfnElement)];
      const bundle = join(outdir, resource.Metadata['aws:asset:path'], 'index.mjs');
      expect(existsSync(bundle), `${functionId}: ${functionDefinition(functionId).entry} bundled`).toBe(true);
      expect(readFileSync(bundle, 'utf8')).toMatch(/^import \{ createRequire \} from 'module'; const require = createRequire\(import\.meta\.url\);/);
      expect(existsSync(`${bundle}.map`)).toBe(true);
      // The Twilio SDK adds ~4 MB (cold starts); only functions given Twilio's credentials should carry it.
      if (!secretsOf(functionDefinition(functionId).access, settings).includes('twilio')) {
        expect(readFileSync(bundle, 'utf8'), `${functionId} bundles the Twilio SDK`).not.toContain('twilio-node');
      }
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((plugin: { violations: unknown[] }) => plugin.violations);
    expect(violations).toEqual([]);
    // The console reads templates and assets from files at run time, where console/paths.ts looks.
    const bundleOf = (functionId: 'console' | 'consoleAssets') =>
      join(outdir, resources[stack.getLogicalId(stack.functions[functionId].function.node.defaultChild as CfnElement)].Metadata['aws:asset:path']);
    const consoleBundle = bundleOf('console');
    const manifest = JSON.parse(readFileSync(join(consoleBundle, 'assets', 'manifest.json'), 'utf8'));
    const hashed = Object.entries(manifest).filter(([name]) => name !== '#inputs').map(([, file]) => file as string);
    expect(hashed).toEqual(expect.arrayContaining([expect.stringMatching(/^crier\.[0-9a-f]{12}\.css$/), expect.stringMatching(/^govuk-frontend\.min\.[0-9a-f]{12}\.js$/)]));
    for (const file of hashed) {
      expect(existsSync(join(consoleBundle, 'assets', file)), `console: assets/${file}`).toBe(true);
      expect(existsSync(join(bundleOf('consoleAssets'), 'assets', file)), `consoleAssets: assets/${file}`).toBe(true);
    }
    expect(readdirSync(join(consoleBundle, 'views'))).toEqual(readdirSync(new URL('../../console/views', import.meta.url)));
    expect(existsSync(join(consoleBundle, 'govuk-frontend', 'govuk', 'template.njk'))).toBe(true);
    expect(existsSync(join(consoleBundle, 'govuk-frontend', 'govuk', 'components', 'error-summary', 'macro.njk'))).toBe(true);
    // Nothing but templates from govuk-frontend (its Sass, examples and compiled files stay out).
    expect(filesUnder(join(consoleBundle, 'govuk-frontend')).filter((file) => !file.endsWith('.njk'))).toEqual([]);
    // Only the console carries the console's files.
    expect(existsSync(join(bundleOf('consoleAssets'), 'views'))).toBe(false);
    const health = resources[stack.getLogicalId(stack.functions.health.function.node.defaultChild as CfnElement)].Metadata['aws:asset:path'];
    expect(readdirSync(join(outdir, health)).sort()).toEqual(['index.mjs', 'index.mjs.map']);
  }, 180_000);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
