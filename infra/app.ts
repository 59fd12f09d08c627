#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { CrierStack } from './stack.js';

const app = new App();
// The stack name prefixes queue and secret names, so two deployments (say, staging and
// production) can share an account: `cdk deploy -c stackName=CrierStaging`.
const stackName: unknown = app.node.tryGetContext('stackName');
new CrierStack(app, typeof stackName === 'string' && stackName !== '' ? stackName : 'Crier', {
  // Unset without credentials, which keeps `cdk synth` offline and environment-agnostic.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
