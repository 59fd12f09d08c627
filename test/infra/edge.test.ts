import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionDefinition, functionIds, httpRoutes, type FunctionId } from '../../functions/catalog.js';
import { firewallRateLimits, webhookPathPrefix } from '../../infra/constructs/crier-firewall.js';
import { accessLogFields, adminThrottle } from '../../infra/constructs/crier-http-api.js';
import { firewallStackFor } from '../../infra/firewall-stack.js';
import { CrierStack } from '../../infra/stack.js';

/** The edge in AWS: CloudFront and WAF, per-route limits, reserved concurrency, access logs. */

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

function synthesize(context: Record<string, unknown> = {}) {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new CrierStack(app, 'Crier');
  return { stack, template: Template.fromStack(stack) };
}

const { stack, template } = synthesize();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }>;
const functionLogicalId = (id: FunctionId) => stack.getLogicalId(stack.functions[id].function.node.defaultChild as CfnElement);
const stageResource = () => Object.values(resources).find((resource) => resource.Type === 'AWS::ApiGatewayV2::Stage')!;
const webhookRoutes = httpRoutes().filter(({ routeKey }) => routeKey.split(' ')[1]!.startsWith('/webhooks/'));
const otherRoutes = httpRoutes().filter(({ routeKey }) => !webhookRoutes.some((webhook) => webhook.routeKey === routeKey));

describe('throttling at API Gateway', () => {
  it('gives every webhook route a limit in the catalog, and every other route none', () => {
    // Prepare
    const webhookKeys = webhookRoutes.map(({ routeKey }) => routeKey);

    // Act
    const throttled = httpRoutes().filter((route) => route.throttle !== undefined).map(({ routeKey }) => routeKey);

    // Assess
    expect(webhookKeys).toEqual(['POST /webhooks/twilio/inbound', 'POST /webhooks/twilio/status', 'GET /webhooks/whatsapp', 'POST /webhooks/whatsapp']);
    expect(throttled).toEqual(webhookKeys);
  });

  it.each(webhookRoutes)('$routeKey has its own stage route setting, above the admin default', ({ routeKey, throttle }) => {
    // Prepare
    const expected = { ThrottlingRateLimit: throttle!.ratePerSecond, ThrottlingBurstLimit: throttle!.burst };

    // Act
    const setting = stageResource().Properties.RouteSettings?.[routeKey];

    // Assess
    expect(setting).toEqual(expected);
    expect(throttle!.ratePerSecond).toBeGreaterThan(adminThrottle.rateLimit!);
  });

  it.each(webhookRoutes)('the stage waits for $routeKey, so API Gateway knows the route key its setting names', ({ routeKey }) => {
    // Prepare
    const routeId = Object.entries(resources).find(
      ([, resource]) => resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties.RouteKey === routeKey,
    )?.[0];

    // Act
    const dependsOn = stageResource().DependsOn ?? [];

    // Assess
    expect(dependsOn).toContain(routeId);
  });

  it.each(otherRoutes)('$routeKey takes the stage default, the admin API limit', ({ routeKey }) => {
    // Prepare
    const stage = stageResource().Properties;

    // Act
    const own = stage.RouteSettings?.[routeKey];

    // Assess
    expect(own).toBeUndefined();
    expect(stage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: adminThrottle.rateLimit, ThrottlingBurstLimit: adminThrottle.burstLimit });
  });
});

describe('reserved concurrency', () => {
  it.each(functionIds)('%s reserves what its catalog entry says (the webhooks), or nothing', (functionId) => {
    // Prepare
    const expected = functionDefinition(functionId).reservedConcurrency;
    const isWebhook = webhookRoutes.some((route) => route.functionId === functionId);

    // Act
    const reserved = resources[functionLogicalId(functionId)]!.Properties.ReservedConcurrentExecutions;

    // Assess
    expect(reserved).toBe(expected);
    expect(reserved !== undefined).toBe(isWebhook);
  });

  it('reserves 250 in all, leaving 750 of a 1,000 account limit to the rest (Lambda keeps 100 unreserved)', () => {
    // Prepare
    const accountLimit = 1_000;

    // Act
    const total = functionIds.reduce((sum, id) => sum + (resources[functionLogicalId(id)]!.Properties.ReservedConcurrentExecutions ?? 0), 0);

    // Assess
    expect(total).toBe(250);
    expect(accountLimit - total).toBeGreaterThanOrEqual(100);
  });

  it('reserves nothing with -c reservedConcurrency=off, for an account whose limit is too small', () => {
    // Prepare
    const { template: small } = synthesize({ reservedConcurrency: 'off' });

    // Act
    const reserved = Object.values(small.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.ReservedConcurrentExecutions !== undefined,
    );

    // Assess
    expect(reserved).toEqual([]);
  });
});

describe('access logs', () => {
  const settings = () => stageResource().Properties.AccessLogSettings;

  it('writes one JSON object per request to a log group kept 30 days', () => {
    // Prepare
    const logGroupId = settings().DestinationArn['Fn::GetAtt'][0];

    // Act
    const format = JSON.parse(settings().Format);

    // Assess
    expect(format).toEqual(accessLogFields);
    expect(resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
  });

  it.each([
    ['requestId', '$context.requestId'],
    ['ip', '$context.identity.sourceIp'],
    ['routeKey', '$context.routeKey'],
    ['status', '$context.status'],
    ['latencyMs', '$context.responseLatency'],
    ['keyId', '$context.authorizer.keyId'],
    ['authorizerError', '$context.authorizer.error'],
  ])('logs %s', (field, variable) => {
    // Prepare / Act
    const format = JSON.parse(settings().Format);

    // Assess
    expect(format[field]).toBe(variable);
  });

  it('logs no header (so never the Authorization header) and no path (which may hold a phone number)', () => {
    // Prepare / Act
    const format: string = settings().Format;

    // Assess
    expect(format.toLowerCase()).not.toContain('authorization');
    expect(format).not.toContain('$context.path');
    expect(format).not.toContain('$request.');
  });
});

/** As app.ts builds a deployment with a region: the firewall in us-east-1, its ARN read across regions. */
function synthesizeDeployment(context: Record<string, unknown> = {}) {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const env = { account: '123456789012', region: 'eu-west-2' };
  const firewall = firewallStackFor(app, 'Crier', env);
  const main = new CrierStack(app, 'Crier', { env, ...(firewall ? { webAclArn: firewall.webAclArn, crossRegionReferences: true } : {}) });
  return { firewall, main, mainTemplate: Template.fromStack(main), firewallTemplate: firewall && Template.fromStack(firewall) };
}

const deployment = synthesizeDeployment();
const webAcl = () => Object.values(deployment.firewallTemplate!.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
const rule = (name: string) => webAcl().Rules.find((candidate: { Name: string }) => candidate.Name === name);
const notWebhooks = {
  NotStatement: {
    Statement: {
      ByteMatchStatement: {
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'STARTS_WITH',
        SearchString: '/webhooks/',
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      },
    },
  },
};

describe('the WAF web ACL', () => {
  it('is CLOUDFRONT-scoped, in a stack of its own in us-east-1, and allows what no rule blocks', () => {
    // Prepare / Act
    const acl = webAcl();

    // Assess
    expect(deployment.firewall?.region).toBe('us-east-1');
    expect(acl).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  it('blocks a client address above its rate on the webhooks, a higher rate than elsewhere', () => {
    // Prepare / Act
    const webhooks = rule('WebhooksRatePerAddress');
    const others = rule('OthersRatePerAddress');

    // Assess
    expect(webhooks).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          Limit: firewallRateLimits.webhooks,
          AggregateKeyType: 'IP',
          ScopeDownStatement: notWebhooks.NotStatement.Statement,
        },
      },
    });
    expect(others).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: firewallRateLimits.everythingElse, AggregateKeyType: 'IP', ScopeDownStatement: notWebhooks } },
    });
    expect(firewallRateLimits.webhooks).toBeGreaterThan(firewallRateLimits.everythingElse);
  });

  it.each([
    { group: 'AWSManagedRulesCommonRuleSet', overrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] },
    { group: 'AWSManagedRulesKnownBadInputsRuleSet', overrides: undefined },
  ])('applies $group to all but the webhooks', ({ group, overrides }) => {
    // Prepare / Act
    const managed = rule(group);

    // Assess
    expect(managed).toMatchObject({
      OverrideAction: { None: {} },
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: group, ScopeDownStatement: notWebhooks } },
    });
    expect(managed.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual(overrides);
  });

  it.each(webhookRoutes)('no managed rule reads $routeKey: its path is outside every managed group\'s scope', ({ routeKey }) => {
    // Prepare
    const path = routeKey.split(' ')[1]!;
    const managed = webAcl().Rules.filter((candidate: { Statement: object }) => 'ManagedRuleGroupStatement' in candidate.Statement);

    // Act
    const scopes = managed.map((candidate: { Statement: { ManagedRuleGroupStatement: { ScopeDownStatement: unknown } } }) => candidate.Statement.ManagedRuleGroupStatement.ScopeDownStatement);

    // Assess
    expect(path.startsWith(webhookPathPrefix)).toBe(true);
    expect(scopes).toEqual(managed.map(() => notWebhooks));
  });

  const consoleRoutes = httpRoutes().filter(({ functionId }) => functionId === 'console' || functionId === 'consoleAssets');

  it.each(consoleRoutes)('applies every managed rule group and the per-address rate to $routeKey: the console is no webhook', ({ routeKey }) => {
    // Prepare
    const path = routeKey.split(' ')[1]!.replace('{proxy+}', 'broadcasts/new').replace('{file}', 'crier.0123456789ab.css');
    const managed = webAcl().Rules.filter((candidate: { Statement: object }) => 'ManagedRuleGroupStatement' in candidate.Statement);

    // Act
    const inScope = [
      ...managed.map((candidate: any) => candidate.Statement.ManagedRuleGroupStatement.ScopeDownStatement),
      rule('OthersRatePerAddress').Statement.RateBasedStatement.ScopeDownStatement,
    ].map((statement) => matchesScope(statement, path));

    // Assess
    expect(managed).toHaveLength(2);
    expect(inScope).toEqual([true, true, true]);
  });

  it('reports every rule to CloudWatch with sampled requests', () => {
    // Prepare / Act
    const configs = [webAcl().VisibilityConfig, ...webAcl().Rules.map((candidate: { VisibilityConfig: unknown }) => candidate.VisibilityConfig)];

    // Assess
    expect(configs).toHaveLength(5);
    for (const config of configs) expect(config).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
  });
});

/** Whether a WAF scope-down statement of the shapes crier uses (a negated path prefix, a path prefix) matches a path. */
function matchesScope(statement: any, path: string): boolean {
  if (statement.NotStatement) return !matchesScope(statement.NotStatement.Statement, path);
  const match = statement.ByteMatchStatement;
  if (match?.FieldToMatch?.UriPath && match.PositionalConstraint === 'STARTS_WITH') return path.startsWith(match.SearchString);
  throw new Error(`a scope-down statement this test cannot evaluate: ${JSON.stringify(statement)}`);
}

/**
 * The behavior CloudFront picks for a path: the first whose pattern matches (`*` any characters,
 * `?` one, case-sensitive, as CloudFront matches), else the default.
 */
function behaviorFor(config: any, path: string): any {
  const matches = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`).test(path);
  return config.CacheBehaviors.find((behavior: any) => matches(behavior.PathPattern)) ?? config.DefaultCacheBehavior;
}

describe('CloudFront in front of the HTTP API', () => {
  const distribution = () => Object.values(deployment.mainTemplate.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
  const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
  const allViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

  it('sends everything to API Gateway over HTTPS', () => {
    // Prepare
    const api = deployment.main.getLogicalId(deployment.main.httpApi.api.node.defaultChild as CfnElement);

    // Act
    const [origin] = distribution().Origins;

    // Assess
    expect(distribution().Origins).toHaveLength(1);
    expect(origin).toMatchObject({
      DomainName: { 'Fn::Join': ['', [{ Ref: api }, '.execute-api.eu-west-2.', { Ref: 'AWS::URLSuffix' }]] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only' },
    });
  });

  it.each([
    { behavior: 'the default (webhooks, health)', pick: (config: any) => config.DefaultCacheBehavior },
    { behavior: '/v1/* (the admin API)', pick: (config: any) => config.CacheBehaviors.find((candidate: any) => candidate.PathPattern === '/v1/*') },
  ])('$behavior: every method, never cached, every header but Host (so Authorization), every query string, the body', ({ pick }) => {
    // Prepare / Act
    const behavior = pick(distribution());

    // Assess
    expect(behavior).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: cachingDisabled,
      OriginRequestPolicyId: allViewerExceptHostHeader,
      ViewerProtocolPolicy: 'https-only',
    });
  });

  it('checks the API key of /v1/* at the edge, and nothing else', () => {
    // Prepare
    const config = distribution();

    // Act
    const associations = [config.DefaultCacheBehavior, ...config.CacheBehaviors].map((behavior: any) => behavior.FunctionAssociations ?? []);

    // Assess
    expect(config.CacheBehaviors.map((behavior: any) => behavior.PathPattern)).toEqual(['/console/assets/*', '/v1/*']);
    expect(associations).toEqual([[], [], [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } }]]);
    deployment.mainTemplate.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
      FunctionCode: Match.stringLikeRegexp('var openPaths = \\["/v1/openapi.json"\\];'),
    });
  });

  it.each([
    ['the root, which sends people to the console', '/'],
    ['the console', '/console'],
    ['a console page', '/console/broadcasts/new'],
    ['the sign-in callback, with its code and state in the query string', '/console/auth/callback'],
    ['a path that merely starts like the assets', '/console/assets'],
  ])('%s (%s) reaches API Gateway without the key check, with its cookies and query string, never cached', (_case, path) => {
    // Prepare
    const config = distribution();

    // Act
    const behavior = behaviorFor(config, path);

    // Assess
    expect(behavior).toBe(config.DefaultCacheBehavior);
    expect(behavior).toMatchObject({
      // Forms post back to the console.
      AllowedMethods: expect.arrayContaining(['GET', 'POST']),
      CachePolicyId: cachingDisabled,
      // Every cookie and query string goes to the origin (the session cookie, the sign-in's code and state).
      OriginRequestPolicyId: allViewerExceptHostHeader,
    });
    expect(behavior.FunctionAssociations).toBeUndefined();
  });

  it("caches the console's assets (content-hashed), with no cookie, header or query string in the cache key or sent on, compressed", () => {
    // Prepare
    const cachingOptimized = '658327ea-f89d-4fab-a63d-7e88639e58f6';

    // Act
    const behavior = behaviorFor(distribution(), '/console/assets/crier.0123456789ab.css');

    // Assess
    expect(behavior).toMatchObject({
      PathPattern: '/console/assets/*',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: cachingOptimized,
      Compress: true,
      ViewerProtocolPolicy: 'https-only',
    });
    expect(behavior.OriginRequestPolicyId).toBeUndefined();
    expect(behavior.FunctionAssociations).toBeUndefined();
  });

  it('is guarded by the web ACL of the us-east-1 stack', () => {
    // Prepare / Act
    const webAclId = JSON.stringify(distribution().WebACLId);

    // Assess
    expect(webAclId).toContain('FirewallWebAcl');
  });

  it('takes an operator\'s own web ACL from -c webAclArn, and builds no firewall stack then', () => {
    // Prepare
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/council-edge/473e64fd-f30b-4765-81a0-62ad96dd167a';

    // Act
    const own = synthesizeDeployment({ webAclArn: arn });

    // Assess
    expect(own.firewall).toBeUndefined();
    own.mainTemplate.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: { WebACLId: arn } });
  });

  it('warns when it has no web ACL (no region to build one in)', () => {
    // Prepare / Act
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('CloudFront has no WAF web ACL'));

    // Assess
    expect(warnings).toHaveLength(1);
  });

  it.each(['twilioInbound', 'twilioStatus', 'whatsappWebhook'] as const)('%s checks signatures against the CloudFront address, or -c publicBaseUrl', (functionId) => {
    // Prepare
    const { stack: custom, template: customTemplate } = synthesize({ publicBaseUrl: 'https://sms.council.example' });
    const distributionId = stack.getLogicalId(stack.edge.distribution.node.defaultChild as CfnElement);

    // Act
    const variables = resources[functionLogicalId(functionId)]!.Properties.Environment.Variables;
    const customVariables = customTemplate.toJSON().Resources[custom.getLogicalId(custom.functions[functionId].function.node.defaultChild as CfnElement)].Properties.Environment.Variables;

    // Assess
    expect(variables.PUBLIC_BASE_URL).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] });
    expect(customVariables.PUBLIC_BASE_URL).toBe('https://sms.council.example');
  });
});
