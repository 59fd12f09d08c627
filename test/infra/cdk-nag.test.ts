import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { nagAcknowledgements } from '../../infra/nag-suppressions.js';
import { CrierFirewallStack } from '../../infra/firewall-stack.js';
import { CrierStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
const outdir = mkdtempSync(join(tmpdir(), 'crier-nag-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
}

/**
 * One synth with the AwsSolutions pack (about 20 s here), bundling skipped. The optional parts are
 * on, so they are checked too: AWS SMS sending (its IAM grant), the backup plan, the WAF web ACL,
 * the first operator and federated sign-in.
 */
function synthesizeWithAwsSolutions(): Violation[] {
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext,
      'aws:cdk:bundling-stacks': [],
      smsProviders: 'twilio,aws-sms',
      awsSmsOriginationIdentity: 'pool-0123456789abcdef0123456789abcdef',
      awsSmsConfigurationSet: 'council-receipts',
      backup: 'daily',
      // The console's sign-in with its optional parts: the first operator and both federations.
      operatorEmail: 'it.ops@council.example',
      oidcFederation: 'EntraID,https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0,client,crier/entra',
      googleFederation: '1234-abc.apps.googleusercontent.com,crier/google',
      // As a deployment has it: the firewall stack's web ACL (app.ts) or the operator's own.
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/crier/0123abcd-0123-4567-89ab-0123456789ab',
    },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  new CrierStack(app, 'Crier');
  // The web ACL itself, checked by the same pack.
  new CrierFirewallStack(app, 'CrierFirewall', { env: { region: 'us-east-1' } });
  try {
    app.synth();
  } catch (error) {
    // Synth fails on violations; the report says which.
    if ((error as Error).name !== 'ValidationFailed' && !/Validation failed/.test((error as Error).message)) throw error;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((plugin: { violations: Violation[] }) => plugin.violations);
}

describe('cdk-nag, AwsSolutions pack', () => {
  it('finds nothing that infra/nag-suppressions.ts does not acknowledge with a reason', () => {
    // Prepare
    const reasons = nagAcknowledgements.map(({ reason }) => reason);

    // Act
    const violations = synthesizeWithAwsSolutions();

    // Assess
    const unacknowledged = violations.flatMap(({ ruleName, violatingConstructs }) => violatingConstructs.map(({ constructPath }) => `${ruleName} ${constructPath}`));
    expect(unacknowledged).toEqual([]);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(40);
  }, 120_000);
});
