#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { firewallStackFor } from './firewall-stack.js';
import { CrierStack } from './stack.js';

const app = new App();
// The stack name prefixes queue and secret names, so two deployments (say, staging and
// production) can share an account: `cdk deploy -c stackName=CrierStaging`.
const stackName: unknown = app.node.tryGetContext('stackName');
const name = typeof stackName === 'string' && stackName !== '' ? stackName : 'Crier';
// Unset without credentials, which keeps `cdk synth` offline and environment-agnostic.
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
// CloudFront's WAF web ACL, in us-east-1 as AWS requires (`cdk deploy --all` deploys both).
const firewall = firewallStackFor(app, name, env);
new CrierStack(app, name, { env, ...(firewall ? { webAclArn: firewall.webAclArn, crossRegionReferences: true } : {}) });
