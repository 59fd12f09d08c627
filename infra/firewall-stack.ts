import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CrierFirewall } from './constructs/crier-firewall.js';

/**
 * The WAF web ACL of crier's CloudFront distribution. AWS accepts a CLOUDFRONT-scoped web ACL
 * in us-east-1 only, so it is a small stack of its own there, deployed with the main stack
 * (`cdk deploy --all`), which reads its ARN through CDK's cross-region references.
 */
export class CrierFirewallStack extends Stack {
  readonly firewall: CrierFirewall;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'crier: the WAF web ACL in front of its CloudFront distribution', ...props });
    this.firewall = new CrierFirewall(this, 'Firewall');
  }

  get webAclArn(): string {
    return this.firewall.webAcl.attrArn;
  }
}

/**
 * The firewall stack for a main stack in `env`, or undefined when there is nothing to build it
 * for: an operator's own web ACL is given (`-c webAclArn`), or no region is known (an offline
 * `cdk synth`; cross-region references need both regions, and CloudFront then warns it has no
 * web ACL).
 */
export function firewallStackFor(
  scope: Construct,
  mainStackName: string,
  env: { account?: string | undefined; region?: string | undefined },
): CrierFirewallStack | undefined {
  if (scope.node.tryGetContext('webAclArn') || !env.region) return undefined;
  return new CrierFirewallStack(scope, `${mainStackName}Firewall`, {
    env: { account: env.account, region: 'us-east-1' },
    crossRegionReferences: true,
  });
}
