import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionDefinition } from '../../functions/catalog.js';
import { lambdaArchitecture, lambdaPricePerGbSecond } from '../../functions/lambda-platform.js';
import { PRICES } from '../../bench/report.js';
import type { DeploymentBindings, DeploymentSettings, FunctionAccess } from '../../functions/catalog-types.js';
import { CrierFunction } from '../../infra/constructs/crier-function.js';
import { CrierQueues } from '../../infra/constructs/crier-queues.js';
import { CrierSecrets } from '../../infra/constructs/crier-secrets.js';
import { CrierTable } from '../../infra/constructs/crier-table.js';
import { mapValues } from '../../shared/runtime/records.js';

const bindings: DeploymentBindings = {
  tableName: 'table',
  queueUrls: {
    fanOut: 'https://q/fan-out',
    sendUrgent: 'https://q/urgent',
    sendBulk: 'https://q/bulk',
    awsSmsNotifications: 'https://q/aws-sms-notifications',
  },
  deadLetterQueueUrls: {
    fanOut: 'https://q/fan-out-dlq',
    sendUrgent: 'https://q/urgent-dlq',
    sendBulk: 'https://q/bulk-dlq',
    awsSmsNotifications: 'https://q/aws-sms-notifications-dlq',
  },
  publicBaseUrl: 'https://sms.council.example',
  functionUrls: { twilioStatus: 'https://status.lambda-url.eu-west-2.on.aws' },
  secretArns: {},
  awsSmsTopicArn: 'arn:aws:sns:eu-west-2:123456789012:crier-aws-sms',
  signIn: { issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_example', clientId: 'console' },
  settings: {
    defaultCountry: 'GB',
    smsProvider: 'sandbox',
    whatsappProvider: 'sandbox',
    topicShards: 8,
    logLevel: 'INFO',
    serviceName: 'Council alerts',
    serviceContact: 'your council',
    quietHours: '21:00-08:00',
    timeZone: 'Europe/London',
    dailyMessageCap: 0,
    operatorApprovalAbove: 0,
  },
};

/** The health entry (which exists from the start) with whatever access a test needs. */
function functionWithAccess(access: FunctionAccess, settings: Partial<DeploymentSettings> = {}): Template {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
  const table = new CrierTable(stack, 'Data').table;
  const queues = new CrierQueues(stack, 'Queues').byId;
  const secrets = new CrierSecrets(stack, 'Secrets', { consoleClientSecret: SecretValue.unsafePlainText('console-client-secret') }).byId;
  new CrierFunction(stack, 'Probe', {
    definition: { ...functionDefinition('health'), access },
    bindings: { ...bindings, settings: { ...bindings.settings, ...settings } },
    resources: {
      table,
      queues: mapValues(queues, ({ queue }) => queue),
      deadLetterQueues: mapValues(queues, ({ deadLetterQueue }) => deadLetterQueue),
      secrets,
    },
  });
  return Template.fromStack(stack);
}

/** What active tracing grants every function: uploading its traces, which X-Ray scopes to no resource. */
const tracingStatement = { Effect: 'Allow', Action: expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']), Resource: '*' };
const isTracing = (statement: { Action: string | string[] }) => [statement.Action].flat().every((action) => action.startsWith('xray:'));
const isLogging = (statement: { Action: string | string[] }) => [statement.Action].flat().every((action) => action.startsWith('logs:'));

/** The statements of the function's policies but those every function has: writing its own logs, uploading its traces. */
function accessStatements(template: Template): { Action: string | string[]; [key: string]: unknown }[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement: { Action: string | string[] }) => !isLogging(statement) && !isTracing(statement));
}

function allowedActions(template: Template): string[] {
  return accessStatements(template).flatMap((statement) => statement.Action);
}

describe('CrierFunction', () => {
  it('runs on the architecture the bench prices Lambda compute at', () => {
    // Act
    const functions = Object.values(functionWithAccess({}).findResources('AWS::Lambda::Function'));

    // Assess
    expect(functions.map((resource) => resource.Properties.Architectures)).toEqual([[lambdaArchitecture]]);
    expect(PRICES.lambdaPerGbSecond).toBe(lambdaPricePerGbSecond[lambdaArchitecture]);
  });

  it('grants read-only table access without any write action', () => {
    // Prepare
    const access: FunctionAccess = { table: 'read' };

    // Act
    const actions = allowedActions(functionWithAccess(access));

    // Assess
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actions.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
  });

  it('grants sms-voice:SendTextMessage for sendsSms only when the deployment uses aws-sms', () => {
    // Prepare
    const access: FunctionAccess = { sendsSms: true };
    const awsSms = { smsProvider: 'aws-sms' as const, providerSettings: { AWS_SMS_ORIGINATION_IDENTITY: 'pool-0123456789abcdef0123456789abcdef', AWS_SMS_CONFIGURATION_SET: 'receipts' } };

    // Act
    const withoutAwsSms = allowedActions(functionWithAccess(access));
    const withAwsSms = allowedActions(functionWithAccess(access, awsSms));

    // Assess
    expect(withoutAwsSms).toEqual([]);
    expect(withAwsSms).toEqual(['sms-voice:SendTextMessage']);
  });

  it('lists table actions instead of granting Scan and batch writes, and denies writers any change to audit records', () => {
    // Prepare
    const access: FunctionAccess = { table: 'readwrite' };

    // Act
    const statements = accessStatements(functionWithAccess(access));

    // Assess
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      }),
      expect.objectContaining({
        Sid: 'AuditRecordsAreAppendOnly',
        Effect: 'Deny',
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      }),
    ]);
  });

  it('grants receiving, hiding and deleting on the dead-letter queues listed, and nothing on any work queue', () => {
    // Prepare
    const access: FunctionAccess = { deadLetters: ['sendBulk'] };

    // Act
    const template = functionWithAccess(access);

    // Assess
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const sqsStatements = statements.filter((statement: { Action: string | string[] }) => [statement.Action].flat().some((action) => action.startsWith('sqs:')));
    const resources = sqsStatements.map((statement: { Resource: unknown }) => JSON.stringify(statement.Resource));
    expect(allowedActions(template)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage']));
    expect(allowedActions(template)).not.toContain('sqs:SendMessage');
    expect(resources).toEqual([expect.stringContaining('QueuessendBulkDeadLetterQueue')]);
  });

  it('grants nothing but writing its own logs and uploading its traces for empty access, and attaches no managed policy', () => {
    // Prepare
    const access: FunctionAccess = {};

    // Act
    const template = functionWithAccess(access);

    // Assess
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const logGroup = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0];
    expect(statements).toEqual(
      expect.arrayContaining([
        tracingStatement,
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] } },
      ]),
    );
    expect(statements).toHaveLength(2);
    expect(Object.values(template.findResources('AWS::IAM::Role')).map((role) => role.Properties.ManagedPolicyArns)).toEqual([undefined]);
  });

  it('passes the definition environment through, leaves out unset values and enables source maps', () => {
    // Prepare
    const access: FunctionAccess = {};

    // Act
    const template = functionWithAccess(access);

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { DEFAULT_COUNTRY: 'GB', POWERTOOLS_LOG_LEVEL: 'INFO', NODE_OPTIONS: '--enable-source-maps' } },
    });
  });
});
