import { Stack } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Where providers post; signed by them, so no WAF rule reads these bodies. */
export const webhookPathPrefix = '/webhooks/';

/**
 * Requests one client address may send in five minutes before WAF blocks it for a while.
 * Webhooks: well below their API Gateway limits (200 and 500 a second), so no single address
 * can use up a webhook's whole budget, yet far above what one provider address sends (a 500
 * a second flood of receipts would come from many of Twilio's or Meta's addresses). Everything
 * else (the admin API, the health check): 10 a second, which a council's staff behind one NAT
 * address do not reach with the CLI and the console; raise it if yours do.
 */
export const firewallRateLimits = { webhooks: 50_000, everythingElse: 3_000 } as const;

/**
 * The AWS managed rule groups, on everything but the webhooks. Their body rules look for
 * attacks in free text, and a webhook's body is a resident's text: a false positive there would
 * drop the whole delivery (a STOP with it) and make the provider retry it for days. Webhooks are
 * checked by their signature before anything reads them instead.
 */
export const managedRuleGroups = [
  {
    name: 'AWSManagedRulesCommonRuleSet',
    // Bodies above 8 KB (a subscriber import) are the API's to refuse (413), not WAF's.
    countOnly: ['SizeRestrictions_BODY'],
  },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: [] },
] as const;

const startsWithWebhookPath: CfnWebACL.StatementProperty = {
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: webhookPathPrefix,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
};
const notWebhookPath: CfnWebACL.StatementProperty = { notStatement: { statement: startsWithWebhookPath } };

/**
 * The WAF web ACL in front of crier's CloudFront distribution. A CLOUDFRONT-scoped web ACL must
 * live in us-east-1, so this construct sits in a stack of its own there (CrierFirewallStack).
 */
export class CrierFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const prefix = Stack.of(this).stackName;
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${prefix}-${metricName}`,
    });
    const rules: CfnWebACL.RuleProperty[] = [
      {
        name: 'WebhooksRatePerAddress',
        priority: 0,
        action: { block: {} },
        statement: {
          rateBasedStatement: { limit: firewallRateLimits.webhooks, aggregateKeyType: 'IP', scopeDownStatement: startsWithWebhookPath },
        },
        visibilityConfig: visibility('webhooks-rate'),
      },
      {
        name: 'OthersRatePerAddress',
        priority: 1,
        action: { block: {} },
        statement: {
          rateBasedStatement: { limit: firewallRateLimits.everythingElse, aggregateKeyType: 'IP', scopeDownStatement: notWebhookPath },
        },
        visibilityConfig: visibility('others-rate'),
      },
      ...managedRuleGroups.map(
        (group, index): CfnWebACL.RuleProperty => ({
          name: group.name,
          priority: 2 + index,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: group.name,
              scopeDownStatement: notWebhookPath,
              ...(group.countOnly.length > 0
                ? { ruleActionOverrides: group.countOnly.map((name) => ({ name, actionToUse: { count: {} } })) }
                : {}),
            },
          },
          visibilityConfig: visibility(group.name),
        }),
      ),
    ];
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${prefix}-edge`,
      description: 'crier: rate per client address, AWS managed rules on all but the signed webhooks',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility('edge'),
    });
  }
}
