import { readFileSync } from 'node:fs';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  consumerOf,
  functionDefinition,
  functionIds,
  functionUrlFunctions,
  httpRoutes,
  deadLetterAfterReceives,
  queueDefinitions,
  scheduledFunctions,
  type FunctionId,
} from '../../functions/catalog.js';
import { concurrencyOf, type QueueId } from '../../functions/catalog-types.js';
import { readDeploymentSettings } from '../../infra/constructs/deployment-settings.js';
import { tableDefinition } from '../../shared/adapters/dynamo/table-definition.js';
import { CrierStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

/** The stack as `cdk synth` builds it, minus the slow parts that bundling.test.ts covers. */
function synthesize(context: Record<string, unknown> = {}): { stack: CrierStack; template: Template } {
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stack = new CrierStack(app, 'Crier');
  return { stack, template: Template.fromStack(stack) };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

const queueIds = Object.keys(queueDefinitions) as QueueId[];
const queueTriggered = functionIds.flatMap((functionId) => {
  const { trigger } = functionDefinition(functionId);
  return trigger.kind === 'queue' ? [{ functionId, trigger }] : [];
});

const { stack, template } = synthesize();
const functionLogicalId = (id: FunctionId) => logicalId(stack, stack.functions[id].function);

/** The logical ids a template value refers to: Ref, GetAtt and `${Id}` inside Fn::Sub. */
function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (!value || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') return [object.Ref];
  const getAtt = object['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [getAtt[0]];
  const sub = object['Fn::Sub'];
  if (typeof sub === 'string') return [...sub.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)].map((match) => match[1]!);
  return Object.values(object).flatMap(references);
}

/** A dependency cycle, as a list of logical ids, or undefined; CDK does not check this itself. */
function findCycle(resources: Record<string, { Properties?: unknown; DependsOn?: string | string[] }>) {
  const dependencies = (id: string) =>
    [...references(resources[id]?.Properties), ...[resources[id]?.DependsOn ?? []].flat()].filter(
      (dependency) => dependency in resources,
    );
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path, id];
    state.set(id, 'visiting');
    for (const dependency of dependencies(id)) {
      const cycle = visit(dependency, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of Object.keys(resources)) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('wiring', () => {
  it.each([
    { case: 'the API endpoint as public URL', context: {} },
    { case: 'a custom public URL', context: { publicBaseUrl: 'https://sms.council.example' } },
  ])('has no dependency cycle with $case, although functions need the URL of the API that calls them', ({ context }) => {
    // Prepare
    const { template: candidate } = synthesize(context);

    // Act
    const cycle = findCycle(candidate.toJSON().Resources);

    // Assess
    expect(cycle).toBeUndefined();
  });

  it('the cycle check does find a cycle', () => {
    // Prepare
    const resources = {
      A: { Properties: { X: { Ref: 'B' } } },
      B: { Properties: { Y: { 'Fn::Sub': 'arn:${C.Arn}' } } },
      C: { DependsOn: ['A'] },
    };

    // Act
    const cycle = findCycle(resources);

    // Assess
    expect(cycle).toEqual(['A', 'B', 'C', 'A']);
  });
});

describe('table', () => {
  it('uses the shared key schema, on-demand billing, PITR, TTL and encryption, and survives stack deletion', () => {
    // Prepare
    const expectedKeys = [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ];

    // Act
    const tables = template.findResources('AWS::DynamoDB::Table');

    // Assess
    expect(Object.keys(tables)).toHaveLength(1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: expectedKeys,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it('has no backup plan unless asked for; -c backup=daily adds one for the table, in a vault kept when the stack goes', () => {
    // Prepare
    const withBackup = synthesize({ backup: 'daily' });

    // Act
    const plans = withBackup.template.findResources('AWS::Backup::BackupPlan');
    const selections = Object.values(withBackup.template.findResources('AWS::Backup::BackupSelection'));

    // Assess
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
    expect(Object.keys(plans)).toHaveLength(1);
    expect(JSON.stringify(Object.values(plans)[0]!.Properties.BackupPlan.BackupPlanRule)).toContain('"DeleteAfterDays":35');
    expect(selections).toHaveLength(1);
    expect(JSON.stringify(selections[0]!.Properties.BackupSelection.Resources)).toContain(logicalId(withBackup.stack, withBackup.stack.table.table));
    withBackup.template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
  });

  it('refuses a backup setting it does not know, naming it', () => {
    // Prepare
    const context = { backup: 'hourly' };

    // Act
    const attempt = () => synthesize(context);

    // Assess
    expect(attempt).toThrow(/backup="hourly" is invalid: must be daily or off/);
  });
});

describe('queues', () => {
  it('has four work queues and four dead-letter queues', () => {
    // Prepare
    const expectedNames = ['Crier-fan-out', 'Crier-send-urgent', 'Crier-send-bulk', 'Crier-aws-sms-notifications'];

    // Act
    const names = Object.values(template.findResources('AWS::SQS::Queue')).map((q) => q.Properties.QueueName);

    // Assess
    expect(names.sort()).toEqual([...expectedNames, ...expectedNames.map((name) => `${name}-dlq`)].sort());
  });

  it.each(queueIds)('%s redrives to its own DLQ after maxReceiveCount, encrypted', (queueId) => {
    // Prepare
    const { queue, deadLetterQueue } = stack.queues.byId[queueId];

    // Act
    const queueProperties = template.toJSON().Resources[logicalId(stack, queue)].Properties;
    const dlqProperties = template.toJSON().Resources[logicalId(stack, deadLetterQueue)].Properties;

    // Assess
    expect(queueProperties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, deadLetterQueue), 'Arn'] },
      maxReceiveCount: deadLetterAfterReceives(queueId),
    });
    expect(queueProperties.SqsManagedSseEnabled).toBe(true);
    expect(dlqProperties.SqsManagedSseEnabled).toBe(true);
    expect(dlqProperties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it.each(queueIds)('%s hides a message for at least 6× its consumer timeout', (queueId) => {
    // Prepare
    const consumerTimeout = functionDefinition(consumerOf(queueId)).timeoutSeconds;

    // Act
    const { VisibilityTimeout } = template.toJSON().Resources[logicalId(stack, stack.queues.byId[queueId].queue)]
      .Properties;

    // Assess
    expect(VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumerTimeout);
  });

  it('gives the fan-out queue 12 minutes of visibility (its consumer may run 2)', () => {
    // Prepare
    const fanOutQueue = logicalId(stack, stack.queues.byId.fanOut.queue);

    // Act
    const { VisibilityTimeout } = template.toJSON().Resources[fanOutQueue].Properties;

    // Assess
    expect(VisibilityTimeout).toBe(720);
  });
});

describe('AWS End User Messaging SMS notifications', () => {
  const topic = logicalId(stack, stack.awsSms.topic);
  const queue = logicalId(stack, stack.queues.byId.awsSmsNotifications.queue);
  const deadLetterQueue = logicalId(stack, stack.queues.byId.awsSmsNotifications.deadLetterQueue);

  it('has one topic besides the alarms topic, which only sms-voice of this account may publish to', () => {
    // Prepare
    const publishStatement = {
      Effect: 'Allow',
      Principal: { Service: 'sms-voice.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topic },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    };

    // Act
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')).filter((policy) =>
      policy.Properties.Topics.some((ref: { Ref: string }) => ref.Ref === topic),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);

    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 2);
    expect(statements).toContainEqual(expect.objectContaining(publishStatement));
    // enforceSSL: everything else on the topic is denied over plain HTTP.
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toHaveLength(1);
  });

  it('delivers to the notifications queue as SNS envelopes (no raw delivery), and only the topic may send there', () => {
    // Prepare
    const expectedSubscription = {
      Protocol: 'sqs',
      TopicArn: { Ref: topic },
      Endpoint: { 'Fn::GetAtt': [queue, 'Arn'] },
      RawMessageDelivery: false,
      // A notification SNS cannot deliver (it may be a STOP) goes to the queue's own DLQ: alarmed, redrivable.
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
    };

    // Act
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map((resource) => resource.Properties);
    const queueStatements = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
      .filter((policy) => policy.Properties.Queues.some((ref: { Ref: string }) => ref.Ref === queue))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) => statement.Effect === 'Allow');

    // Assess
    expect(subscriptions).toEqual([expectedSubscription]);
    expect(queueStatements).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topic } } },
      }),
    ]);
  });

  it('tells the notifications function which topic to accept', () => {
    // Prepare / Act
    const variables = template.toJSON().Resources[functionLogicalId('awsSmsNotifications')].Properties.Environment.Variables;

    // Assess
    expect(variables.AWS_SMS_TOPIC_ARNS).toEqual({ Ref: topic });
    expect(Object.keys(variables).filter((name) => name.endsWith('_SECRET_ARN'))).toEqual([]);
  });
});

describe('secrets', () => {
  it('deploys one credentials template per provider, holding credentials only, a generated operator key, a generated key for hashing numbers and the console\'s client secret', () => {
    // Prepare
    const expected = {
      twilio: { TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' },
      whatsappCloud: { WHATSAPP_CLOUD_ACCESS_TOKEN: '', WHATSAPP_APP_SECRET: '', WHATSAPP_VERIFY_TOKEN: '' },
    };

    // Act
    const secrets = template.toJSON().Resources;
    const twilio = secrets[logicalId(stack, stack.secrets.byId.twilio)].Properties;
    const whatsappCloud = secrets[logicalId(stack, stack.secrets.byId.whatsappCloud)].Properties;
    const bootstrapKey = secrets[logicalId(stack, stack.secrets.byId.bootstrapKey)].Properties;
    const consoleClient = secrets[logicalId(stack, stack.secrets.byId.consoleClient)].Properties;

    // Assess
    template.resourceCountIs('AWS::SecretsManager::Secret', 5);
    expect(secrets[logicalId(stack, stack.secrets.byId.phoneHashKey)].Properties.Name).toBe('Crier/phone-hash-key');
    expect(twilio.Name).toBe('Crier/twilio');
    expect(JSON.parse(twilio.SecretString)).toEqual(expected.twilio);
    expect(whatsappCloud.Name).toBe('Crier/whatsapp-cloud');
    expect(JSON.parse(whatsappCloud.SecretString)).toEqual(expected.whatsappCloud);
    expect(bootstrapKey.Name).toBe('Crier/bootstrap-key');
    expect(bootstrapKey.SecretString).toBeUndefined();
    expect(bootstrapKey.GenerateSecretString).toMatchObject({ ExcludePunctuation: true, PasswordLength: 48 });
    // Cognito's secret for the console client, copied by CloudFormation: never written in the template.
    expect(consoleClient.Name).toBe('Crier/console-client');
    expect(consoleClient.SecretString).toEqual({ 'Fn::GetAtt': [logicalId(stack, stack.signIn.client), 'ClientSecret'] });
  });
});

describe('event sources', () => {
  it('has exactly one event source mapping per queue-triggered function, and one on the table\'s stream', () => {
    // Prepare
    const expected = 4;

    // Act
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping');

    // Assess
    expect(queueTriggered).toHaveLength(expected);
    expect(Object.keys(mappings)).toHaveLength(expected + 1);
  });

  it('counts receipts from the table\'s stream: new and old images, a tumbling window (so events name their shard), whole-batch retries, receipts only', () => {
    // Prepare
    const table = logicalId(stack, stack.table.table);

    // Act & Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [table, 'StreamArn'] },
      FunctionName: { Ref: functionLogicalId('countReceipts') },
      StartingPosition: 'TRIM_HORIZON',
      TumblingWindowInSeconds: 60,
      BisectBatchOnFunctionError: false,
      ParallelizationFactor: 1,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['MODIFY'], dynamodb: { NewImage: { type: { S: ['message'] }, broadcastId: { S: [{ exists: true }] } } } }) }] },
    });
  });

  it.each(queueTriggered)('$functionId consumes its queue with partial batch failures', ({ functionId, trigger }) => {
    // Prepare
    const queue = logicalId(stack, stack.queues.byId[trigger.queue].queue);

    // Act & Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionName: { Ref: functionLogicalId(functionId) },
      BatchSize: trigger.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: concurrencyOf(trigger, readDeploymentSettings(stack.node)) },
    });
  });

  it.each([
    ['the default Twilio SMS and WhatsApp senders, 10 msg/s each: one function each', {}, 2, 20],
    [
      'a short code at 100 msg/s and the Cloud API at 80: five and four (256 MB functions, 20 msg/s each)',
      { smsProvider: 'twilio', whatsappProvider: 'whatsapp-cloud', sendRates: { 'twilio:sms': 100 } },
      9,
      20,
    ],
    [
      'SENDERS: two SMS numbers of 10 msg/s and a WhatsApp sender of 50, over the providers’ own',
      {
        senders: [
          { id: 'main', provider: 'twilio', channel: 'sms', from: '+447700900100' },
          { id: 'youth', provider: 'twilio', channel: 'sms', from: '+447700900200', departments: ['youth'] },
          { id: 'wa', provider: 'twilio', channel: 'whatsapp', from: 'whatsapp:+447700900300', mps: 50 },
        ],
      },
      5,
      20,
    ],
    ['a high-throughput deployment: the bulk lane at its ceiling, the urgent one twice as wide', { sendRates: { 'twilio:sms': 3_000 } }, 50, 100],
  ])('sizes the bulk sender to its senders’ rates, and runs the urgent one at least as wide: %s', (_case, context, bulkWidth, urgentWidth) => {
    // Prepare
    const { stack: sized, template: sizedTemplate } = synthesize(context);
    const widthOf = (id: FunctionId) =>
      Object.values(sizedTemplate.findResources('AWS::Lambda::EventSourceMapping')).find(
        (mapping) => mapping.Properties.FunctionName.Ref === sized.getLogicalId(sized.functions[id].function.node.defaultChild as CfnElement),
      )?.Properties.ScalingConfig;

    // Act
    const urgent = widthOf('sendUrgent');
    const bulk = widthOf('sendBulk');

    // Assess
    expect(bulk).toEqual({ MaximumConcurrency: bulkWidth });
    expect(urgent).toEqual({ MaximumConcurrency: urgentWidth });
  });
});

describe('functions', () => {
  it('deploys one Lambda function per catalog entry, and no other (no custom resource provider)', () => {
    // Prepare
    const expectedCount = 23;

    // Act
    const functions = template.findResources('AWS::Lambda::Function');

    // Assess
    expect(functionIds).toHaveLength(expectedCount);
    expect(Object.keys(functions)).toHaveLength(expectedCount);
  });

  it.each(functionIds)('%s runs Node 22 on arm64 with its catalog timeout, memory and a 30-day log group', (id) => {
    // Prepare
    const definition = functionDefinition(id);

    // Act
    const properties = template.toJSON().Resources[functionLogicalId(id)].Properties;
    const logGroup = template.toJSON().Resources[properties.LoggingConfig.LogGroup.Ref];

    // Assess
    expect(properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: definition.timeoutSeconds,
      MemorySize: definition.memoryMb,
      Description: definition.description,
    });
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
  });

  it.each(functionIds)('%s gets only variables its env schema knows', (id) => {
    // Prepare
    const known = new Set([...Object.keys(functionDefinition(id).envSchema.shape), 'NODE_OPTIONS']);

    // Act
    const variables = Object.keys(template.toJSON().Resources[functionLogicalId(id)].Properties.Environment.Variables);

    // Assess
    expect(variables.filter((name) => !known.has(name))).toEqual([]);
  });

  it('never puts provider credentials in a function environment', () => {
    // Prepare
    const credentialNames = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'WHATSAPP_CLOUD_ACCESS_TOKEN', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_APP_SECRET'];

    // Act
    const variableNames = Object.values(template.findResources('AWS::Lambda::Function')).flatMap((fn) =>
      Object.keys(fn.Properties.Environment?.Variables ?? {}),
    );

    // Assess
    expect(variableNames.filter((name) => credentialNames.includes(name))).toEqual([]);
  });

  it('points the Twilio webhook at the Twilio secret alone, and the public address (CloudFront)', () => {
    // Prepare
    const providerSecret = logicalId(stack, stack.secrets.byId.twilio);
    const distribution = logicalId(stack, stack.edge.distribution);

    // Act
    const variables = template.toJSON().Resources[functionLogicalId('twilioInbound')].Properties.Environment.Variables;

    // Assess
    expect(variables).toMatchObject({
      TWILIO_SECRET_ARN: { Ref: providerSecret },
      PUBLIC_BASE_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }]] },
      SMS_PROVIDER: 'twilio',
      WHATSAPP_PROVIDER: 'twilio',
      DEFAULT_COUNTRY: 'GB',
      TOPIC_SHARDS: '8',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      SEND_URGENT_QUEUE_URL: { Ref: logicalId(stack, stack.queues.byId.sendUrgent.queue) },
    });
    expect(variables.WHATSAPP_CLOUD_SECRET_ARN).toBeUndefined();
    expect(variables.BOOTSTRAP_KEY_SECRET_ARN).toBeUndefined();
  });

  it('tells only the authorizer and the keys API where the bootstrap key is', () => {
    // Prepare
    const expected = ['authorizer', 'keysApi'];

    // Act
    const told = functionIds.filter((id) => template.toJSON().Resources[functionLogicalId(id)].Properties.Environment.Variables.BOOTSTRAP_KEY_SECRET_ARN !== undefined);

    // Assess
    expect(told.sort()).toEqual(expected);
  });

  it('hands the providers\' settings that are not secret, from context, to the functions that resolve sender identities', () => {
    // Prepare
    const context = { twilioSmsFrom: '+447700900123', twilioMessagingServiceSid: `MG${'a'.repeat(32)}`, whatsappCloudApiVersion: 'v25.0' };

    // Act
    const other = synthesize(context);
    const variablesOf = (id: FunctionId) => other.template.toJSON().Resources[logicalId(other.stack, other.stack.functions[id].function)].Properties.Environment.Variables;

    // Assess
    for (const id of ['sendBulk', 'sendUrgent', 'providersApi', 'broadcastsApi', 'twilioInbound'] as const) {
      expect(variablesOf(id)).toMatchObject({ TWILIO_SMS_FROM: '+447700900123', TWILIO_MESSAGING_SERVICE_SID: `MG${'a'.repeat(32)}`, WHATSAPP_CLOUD_API_VERSION: 'v25.0' });
    }
    expect(variablesOf('topicsApi').TWILIO_SMS_FROM).toBeUndefined();
  });

  it('refuses a malformed provider setting at synth time, naming its context key', () => {
    // Prepare
    const context = { whatsappCloudPhoneNumberId: '+447700900123' };

    // Act
    const attempt = () => synthesize(context);

    // Assess
    expect(attempt).toThrow(/whatsappCloudPhoneNumberId="\+447700900123" is invalid: must be the numeric phone number ID/);
  });
});

describe('HTTP API', () => {
  const routes = httpRoutes();

  it.each(routes)('routes $routeKey to $functionId', ({ routeKey, functionId }) => {
    // Prepare
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration', {
      Properties: { IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(functionId), 'Arn'] } },
    });

    // Act
    const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).find(
      (candidate) => candidate.Properties.RouteKey === routeKey,
    );

    // Assess
    expect(Object.keys(integrations)).toHaveLength(1);
    expect(route?.Properties.Target).toEqual({
      'Fn::Join': ['', ['integrations/', { Ref: Object.keys(integrations)[0] }]],
    });
  });

  it('has exactly the catalog routes, including the Twilio webhooks and no sandbox route', () => {
    // Prepare
    const expectedCount = 67;

    // Act
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey as string,
    );

    // Assess
    expect(routeKeys).toHaveLength(expectedCount);
    expect(routeKeys).toEqual(expect.arrayContaining(['GET /health', 'POST /webhooks/twilio/inbound', 'POST /webhooks/twilio/status']));
    // The local sandbox server's routes are never deployed (the admin API's /v1/sandbox/messages is).
    expect(routeKeys.filter((key) => key.split(' ')[1]?.startsWith('/sandbox'))).toEqual([]);
  });

  it('has one Lambda authorizer: the catalog authorizer, simple responses, the Authorization header as identity source, no cache', () => {
    // Prepare
    const authorizerArn = { 'Fn::GetAtt': [functionLogicalId('authorizer'), 'Arn'] };

    // Act
    const authorizers = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer')).map((resource) => resource.Properties);

    // Assess
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      // A request without the header is refused by API Gateway before any Lambda runs.
      IdentitySource: ['$request.header.Authorization'],
      // A cached answer would let a revoked key work until it expired.
      AuthorizerResultTtlInSeconds: 0,
    });
    expect(JSON.stringify(authorizers[0]?.AuthorizerUri)).toContain(JSON.stringify(authorizerArn));
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: authorizerArn,
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it.each(routes)('$routeKey: behind the authorizer exactly when it is an admin route other than the OpenAPI document', ({ routeKey }) => {
    // Prepare
    const expected = routeKey.includes(' /v1/') && routeKey !== 'GET /v1/openapi.json';

    // Act
    const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).find(
      (candidate) => candidate.Properties.RouteKey === routeKey,
    )?.Properties;

    // Assess
    expect(route?.AuthorizationType ?? 'NONE').toBe(expected ? 'CUSTOM' : 'NONE');
    expect(route?.AuthorizerId !== undefined).toBe(expected);
  });

  it('leaves the webhooks, the health check, the OpenAPI document and the console open, and guards 53 admin routes', () => {
    // Prepare
    const open = [
      'GET /health',
      'POST /webhooks/twilio/inbound',
      'POST /webhooks/twilio/status',
      'GET /webhooks/whatsapp',
      'POST /webhooks/whatsapp',
      'GET /v1/openapi.json',
      // The console checks the person's session itself: a browser carries no API key.
      'GET /',
      'GET /console',
      'GET /console/{proxy+}',
      'POST /console/{proxy+}',
      'GET /console/assets/{file}',
      'GET /console/operations',
      'GET /console/operations/{proxy+}',
      'POST /console/operations/{proxy+}',
    ];

    // Act
    const byAuthorization = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => ({
      routeKey: route.Properties.RouteKey as string,
      guarded: route.Properties.AuthorizationType === 'CUSTOM',
    }));

    // Assess
    expect(byAuthorization.filter((route) => !route.guarded).map((route) => route.routeKey).sort()).toEqual([...open].sort());
    expect(byAuthorization.filter((route) => route.guarded)).toHaveLength(53);
  });

  it('deploys automatically to a throttled $default stage', () => {
    // Prepare
    const expectedStage = {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    };

    // Act & Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', expectedStage);
  });
});

describe('schedules', () => {
  const scheduled = scheduledFunctions();

  it('runs the scheduler every minute, and nothing else on a schedule', () => {
    // Prepare
    const expected = [{ functionId: 'scheduler', trigger: { kind: 'schedule', everyMinutes: 1 } }];

    // Act
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map((rule) => rule.Properties);

    // Assess
    expect(scheduled).toEqual(expected);
    expect(rules).toEqual([
      expect.objectContaining({
        ScheduleExpression: 'rate(1 minute)',
        Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [functionLogicalId('scheduler'), 'Arn'] } })],
      }),
    ]);
  });

  it.each(scheduled)('$functionId ends before its next run starts, and is not retried by Lambda', ({ functionId, trigger }) => {
    // Prepare
    const { timeoutSeconds } = functionDefinition(functionId);

    // Act
    const invokeConfigs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
      (config) => config.Properties.FunctionName.Ref === functionLogicalId(functionId),
    );

    // Assess
    expect(timeoutSeconds).toBeLessThan(trigger.everyMinutes * 60);
    expect(invokeConfigs.map((config) => config.Properties.MaximumRetryAttempts)).toEqual([0]);
  });
});

describe('alarms', () => {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
  const topic = logicalId(stack, stack.alarms.topic);

  it.each(queueIds)('alarms on the first message in the %s dead-letter queue', (queueId) => {
    // Prepare
    const dlq = logicalId(stack, stack.queues.byId[queueId].deadLetterQueue);

    // Act
    const alarm = alarms.find(
      (candidate) =>
        candidate.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        candidate.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === dlq,
    );

    // Assess
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it.each(functionIds)('alarms on any error of %s', (id) => {
    // Prepare
    const fn = functionLogicalId(id);

    // Act
    const alarm = alarms.find(
      (candidate) => candidate.MetricName === 'Errors' && candidate.Dimensions?.[0]?.Value?.Ref === fn,
    );

    // Assess
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('has 40 alarms (4 DLQs, 23 function errors, 5 function throttles, 4 queue ages, 1 stream age, 5xx, 429s, spend), and on a work queue only its oldest message\'s age: a backlog is normal', () => {
    // Prepare
    const workQueues = new Set(queueIds.map((id) => logicalId(stack, stack.queues.byId[id].queue)));

    // Act
    const onWorkQueues = alarms.filter((alarm) => workQueues.has(alarm.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0]));

    // Assess
    expect(alarms).toHaveLength(4 + 23 + 5 + 4 + 1 + 3);
    expect(onWorkQueues.map((alarm) => alarm.MetricName)).toEqual(queueIds.map(() => 'ApproximateAgeOfOldestMessage'));
  });
});

describe('outputs', () => {
  it('tells operators the URLs to paste into Twilio (CloudFront\'s, the status function\'s own URL for receipts), the secret names and the DLQ names', () => {
    // Prepare
    const apiEndpoint = { 'Fn::GetAtt': [logicalId(stack, stack.httpApi.api), 'ApiEndpoint'] };
    const edgeDomain = { 'Fn::GetAtt': [logicalId(stack, stack.edge.distribution), 'DomainName'] };
    const statusFunctionUrlHost = { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId(stack, stack.functions.twilioStatus.functionUrl!), 'FunctionUrl'] }] }] };

    // Act
    const outputs = template.toJSON().Outputs;

    // Assess
    expect(outputs.ApiUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', edgeDomain]] });
    expect(outputs.ApiGatewayEndpoint.Value).toEqual(apiEndpoint);
    expect(outputs.TwilioInboundWebhookUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', edgeDomain, '/webhooks/twilio/inbound']] });
    expect(outputs.TwilioStatusWebhookUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', statusFunctionUrlHost, '/webhooks/twilio/status']] });
    expect(outputs.WhatsappWebhookUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', edgeDomain, '/webhooks/whatsapp']] });
    expect(outputs.TwilioSecretName.Value).toBe('Crier/twilio');
    expect(outputs.WhatsappCloudSecretName.Value).toBe('Crier/whatsapp-cloud');
    expect(outputs.BootstrapKeySecretName.Value).toBe('Crier/bootstrap-key');
    expect(outputs.AwsSmsTopicArn.Value).toEqual({ Ref: logicalId(stack, stack.awsSms.topic) });
    for (const queueId of queueIds) {
      const dlq = logicalId(stack, stack.queues.byId[queueId].deadLetterQueue);
      const outputName = `${queueId.charAt(0).toUpperCase()}${queueId.slice(1)}DeadLetterQueueName`;
      expect(outputs[outputName]?.Value).toEqual({ 'Fn::GetAtt': [dlq, 'QueueName'] });
    }
  });
});

describe('function URLs', () => {
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const statusFunctionUrlHost = { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId(stack, stack.functions.twilioStatus.functionUrl!), 'FunctionUrl'] }] }] };

  it('gives the status webhook, and only the functions the catalog marks, a function URL with auth type NONE', () => {
    // Prepare
    const marked = functionUrlFunctions().map((id) => ({ TargetFunctionArn: { 'Fn::GetAtt': [functionLogicalId(id), 'Arn'] }, AuthType: 'NONE' }));

    // Act
    const urls = Object.values(resources).filter((resource) => resource.Type === 'AWS::Lambda::Url');

    // Assess
    expect(functionUrlFunctions()).toEqual(['twilioStatus']);
    expect(urls.map((url) => url.Properties)).toEqual(marked);
  });

  it.each(['sendUrgent', 'sendBulk'] as const)('%s tells Twilio to post receipts to the status function URL, not through API Gateway', (functionId) => {
    // Prepare
    const expected = { 'Fn::Join': ['', ['https://', statusFunctionUrlHost, '/webhooks/twilio/status']] };

    // Act
    const variables = resources[functionLogicalId(functionId)]!.Properties.Environment as { Variables: Record<string, unknown> };

    // Assess
    expect(variables.Variables.STATUS_CALLBACK_URL).toEqual(expected);
    expect(variables.Variables.PUBLIC_BASE_URL).toBeUndefined();
  });

  it.each(functionUrlFunctions())('%s reserves concurrency: with no WAF or route throttle in front of its URL, that is what bounds it', (functionId) => {
    // Prepare
    const reserved = functionDefinition(functionId).reservedConcurrency;

    // Act
    const properties = resources[functionLogicalId(functionId)]!.Properties;

    // Assess
    expect(reserved).toBeGreaterThan(0);
    expect(properties.ReservedConcurrentExecutions).toBe(reserved);
  });

  it('keeps the status route on API Gateway for callbacks of messages sent before the function URL', () => {
    // Prepare
    const routes = Object.values(resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');

    // Act
    const routeKeys = routes.map((route) => route.Properties.RouteKey);

    // Assess
    expect(routeKeys).toContain('POST /webhooks/twilio/status');
  });
});
