import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionDefinition, functionIds, httpRoutes, type FunctionId } from '../../functions/catalog.js';
import { accessLogFields, adminThrottle } from '../../infra/constructs/crier-http-api.js';
import { CrierStack } from '../../infra/stack.js';

/** The edge in AWS: per-route limits, reserved concurrency, access logs. */

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
