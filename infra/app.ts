#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { deploymentTarget, DeploymentTargetError } from './deployment-target.js';
import { firewallStackFor } from './firewall-stack.js';
import { CrierStack } from './stack.js';

const app = new App();
// The stack name prefixes queue and secret names, so two deployments (say, staging and
// production) can share an account: `cdk deploy -c stackName=CrierStaging`.
const stackName: unknown = app.node.tryGetContext('stackName');
const name = typeof stackName === 'string' && stackName !== '' ? stackName : 'Crier';
try {
  // Account-agnostic without credentials (so `cdk synth` works offline); an explicit region and
  // alarm destination with them, so a deploy is never silently pinned to us-east-1 or deaf.
  const env = deploymentTarget(app.node, process.env);
  // CloudFront's WAF web ACL, in us-east-1 as AWS requires (`cdk deploy --all` deploys both).
  const firewall = firewallStackFor(app, name, env);
  new CrierStack(app, name, { env, ...(firewall ? { webAclArn: firewall.webAclArn, crossRegionReferences: true } : {}) });
} catch (error) {
  // The operator's to fix, and the message says how: no stack trace.
  if (!(error instanceof DeploymentTargetError)) throw error;
  console.error(error.message);
  process.exit(1);
}
