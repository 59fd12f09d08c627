import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import {
  consumerOf,
  functionDefinition,
  functionIds,
  queueDefinitions,
  type FunctionId,
} from '../../functions/catalog.js';
import { secretsOf, type QueueId, type SecretId } from '../../functions/catalog-types.js';
import { readDeploymentSettings } from '../../infra/constructs/deployment-settings.js';
import { CrierStack } from '../../infra/stack.js';
import { auditPartitionPrefix, keys } from '../../shared/adapters/dynamo/keys.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
const app = new App({
  builtinCloudFormationValidation: false,
  context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] },
});
const stack = new CrierStack(app, 'Crier');
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, CfnResource>;

interface CfnResource {
  Type: string;
  Properties: Record<string, any>;
}

/** One allowed action on one resource, the resource named by logical id (or `*`). */
interface Permission {
  action: string;
  resource: string;
}

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The logical ids a policy `Resource` refers to, through Ref, GetAtt and Join alike. */
function referencedIds(value: unknown): string[] {
  if (typeof value === 'string') return value === '*' ? ['*'] : [];
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') return [object.Ref];
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [getAtt[0]];
    return Object.values(object).flatMap(referencedIds);
  }
  return [];
}

/**
 * What active tracing grants every function: uploading its own traces, actions X-Ray scopes to no
 * resource (so `*`), touching no data. Checked on its own below, and left out of the rest.
 */
const traceUpload = { Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Effect: 'Allow', Resource: '*' };
const isTraceUpload = (statement: Record<string, any>) =>
  JSON.stringify({ ...statement, Action: [statement.Action].flat().sort() }) === JSON.stringify(traceUpload);

/** The statements of the inline policies attached to a function's role, Allow and Deny alike. */
function statementsOf(functionId: FunctionId): Record<string, any>[] {
  const role = logicalId(stack.functions[functionId].function.role!);
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** Everything the inline policies attached to a function's role allow, but uploading traces. */
function permissionsOf(functionId: FunctionId): Permission[] {
  return statementsOf(functionId)
    .filter((statement) => !isTraceUpload(statement))
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      [statement.Action].flat().flatMap((action: string) =>
        referencedIds(statement.Resource).map((resource) => ({ action, resource })),
      ),
    );
}

function allows(functionId: FunctionId, action: string, resource: string): boolean {
  const [service] = action.split(':');
  return permissionsOf(functionId).some(
    (permission) =>
      (permission.action === action || permission.action === `${service}:*` || permission.action === '*') &&
      (permission.resource === resource || permission.resource === '*'),
  );
}

const table = logicalId(stack.table.table);
const queueIds = Object.keys(queueDefinitions) as QueueId[];
const queue = (id: QueueId) => logicalId(stack.queues.byId[id].queue);
const deadLetterQueue = (id: QueueId) => logicalId(stack.queues.byId[id].deadLetterQueue);
const secretIds: SecretId[] = ['bootstrapKey', 'twilio', 'whatsappCloud', 'phoneHashKey', 'consoleClient'];
const secret = (id: SecretId) => logicalId(stack.secrets.byId[id]);
const settings = readDeploymentSettings(stack.node);
const logGroup = (id: FunctionId) => logicalId(stack.functions[id].node.findChild('Logs') as LogGroup);

/** A stack synthesized with more context than cdk.json's (a deployment that uses AWS SMS, say). */
function synthesizeWith(context: Record<string, string>) {
  const otherApp = new App({ builtinCloudFormationValidation: false, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const otherStack = new CrierStack(otherApp, 'Crier');
  return { stack: otherStack, resources: Template.fromStack(otherStack).toJSON().Resources as Record<string, CfnResource> };
}

/** `arn:${Partition}:sms-voice:${Region}:${Account}:<resource>`, as CDK writes it. */
const smsVoiceArn = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sms-voice:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});

/** A statement's resources in a stable order: CDK may sort them. */
function resourceSet(resource: unknown): string[] {
  return [resource].flat().map((value) => JSON.stringify(value)).sort();
}

/** The statements of a function's policies that mention any sms-voice action. */
function smsStatementsOf(
  functionId: FunctionId,
  synthesized: { stack: CrierStack; resources: Record<string, CfnResource> } = { stack, resources },
): { Action: unknown; Resource: unknown }[] {
  const role = synthesized.stack.getLogicalId(synthesized.stack.functions[functionId].function.role!.node.defaultChild as CfnElement);
  return Object.values(synthesized.resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('sms-voice:') || action === '*'));
}

const functionsAllowedTo = (action: string, resource: string) => functionIds.filter((id) => allows(id, action, resource));

describe('derived from the catalog: each function gets what its access lists, nothing else', () => {
  const rows = functionIds.map((functionId) => ({ functionId, access: functionDefinition(functionId).access }));

  it.each(rows)('$functionId: table access matches the catalog', ({ functionId, access }) => {
    // Prepare
    const mayRead = access.table !== undefined;
    const mayWrite = access.table === 'readwrite';

    // Act
    const reads = allows(functionId, 'dynamodb:GetItem', table) && allows(functionId, 'dynamodb:Query', table);
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].map((action) =>
      allows(functionId, action, table),
    );

    // Assess
    expect(reads).toBe(mayRead);
    expect(writes).toEqual([mayWrite, mayWrite, mayWrite]);
  });

  it.each(rows)('$functionId: sends to exactly its sendsTo queues', ({ functionId, access }) => {
    // Prepare
    const expected = [...(access.sendsTo ?? [])].sort();

    // Act
    const sendsTo = queueIds.filter((id) => allows(functionId, 'sqs:SendMessage', queue(id))).sort();

    // Assess
    expect(sendsTo).toEqual(expected);
  });

  it.each(rows)('$functionId: reads exactly its listed secrets', ({ functionId, access }) => {
    // Prepare
    const expected = [...secretsOf(access, settings)].sort();

    // Act
    const reads = secretIds.filter((id) => allows(functionId, 'secretsmanager:GetSecretValue', secret(id))).sort();

    // Assess
    expect(reads).toEqual(expected);
  });

  it.each(rows)('$functionId: is told the ARN only of secrets it may read or write', ({ functionId }) => {
    // Prepare
    const variables: Record<string, unknown> = resources[logicalId(stack.functions[functionId].function)]!.Properties.Environment.Variables;

    // Act: the secrets its *_SECRET_ARN variables name
    const told = Object.entries(variables)
      .filter(([name]) => name.endsWith('_SECRET_ARN'))
      .flatMap(([, value]) => referencedIds(value))
      .filter((id) => secretIds.some((secretId) => secret(secretId) === id));

    // Assess: an ARN it can neither read nor write is a call that fails at run time, and tells it what it need not know
    const usable = (id: string) => allows(functionId, 'secretsmanager:GetSecretValue', id) || allows(functionId, 'secretsmanager:PutSecretValue', id);
    expect(told.filter((id) => !usable(id))).toEqual([]);
  });

  it.each(rows)('$functionId: may put a value in exactly the secrets its writesSecrets lists, never more', ({ functionId, access }) => {
    // Prepare
    const expected = [...(access.writesSecrets ?? [])].sort();

    // Act
    const writes = secretIds.filter((id) => allows(functionId, 'secretsmanager:PutSecretValue', secret(id))).sort();

    // Assess
    expect(writes).toEqual(expected);
  });

  it.each(queueIds)('only the consumer of %s can receive or delete its messages', (queueId) => {
    // Prepare
    const consumer = consumerOf(queueId);

    // Act
    const receivers = functionsAllowedTo('sqs:ReceiveMessage', queue(queueId));
    const deleters = functionsAllowedTo('sqs:DeleteMessage', queue(queueId));

    // Assess
    expect(receivers).toEqual([consumer]);
    expect(deleters).toEqual([consumer]);
  });

  it.each(rows)('$functionId: no wildcard resource, and touches exactly the dead-letter queues its deadLetters lists', ({ functionId, access }) => {
    // Prepare
    const deadLetterQueues = queueIds.map((id) => deadLetterQueue(id));
    const expected = (access.deadLetters ?? []).map((id) => deadLetterQueue(id)).sort();

    // Act
    const resourcesTouched = permissionsOf(functionId).map((permission) => permission.resource);

    // Assess
    expect(resourcesTouched).not.toContain('*');
    expect([...new Set(resourcesTouched.filter((id) => deadLetterQueues.includes(id)))].sort()).toEqual(expected);
  });

  it.each(rows)('$functionId: may receive and delete from a dead-letter queue exactly when its deadLetters lists it', ({ functionId, access }) => {
    // Prepare
    const expected = [...(access.deadLetters ?? [])].sort();

    // Act
    const receivesFrom = queueIds.filter((id) => allows(functionId, 'sqs:ReceiveMessage', deadLetterQueue(id)));
    const deletesFrom = queueIds.filter((id) => allows(functionId, 'sqs:DeleteMessage', deadLetterQueue(id)));

    // Assess
    expect(receivesFrom.sort()).toEqual(expected);
    expect(deletesFrom.sort()).toEqual(expected);
  });
});


/** The write actions a function is refused on audit partitions (`AUDIT#…`), by a Deny on the leading key. */
function deniedOnAuditPartitions(functionId: FunctionId): string[] {
  return statementsOf(functionId)
    .filter((statement) => statement.Effect === 'Deny')
    .filter((statement) => referencedIds(statement.Resource).includes(table))
    .filter((statement) => JSON.stringify(statement.Condition) === JSON.stringify({ 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } }))
    .flatMap((statement) => [statement.Action].flat())
    .sort();
}

describe('the table: items by key only, and audit records append-only', () => {
  const writers = functionIds.filter((id) => functionDefinition(id).access.table === 'readwrite');

  it.each(functionIds)('%s may not Scan, batch-write or transact, and reads the stream only if its trigger is the stream', (functionId) => {
    // Prepare
    const unused = ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:PartiQLSelect'];
    const readsStream = functionDefinition(functionId).trigger.kind === 'tableStream';

    // Act
    const allowed = unused.filter((action) => allows(functionId, action, table));

    // Assess
    expect(allowed).toEqual(readsStream ? ['dynamodb:GetRecords', 'dynamodb:GetShardIterator'] : []);
  });

  it('audit records are keyed under AUDIT#, the prefix the Deny names', () => {
    // Prepare
    const at = '2026-03-01T09:30:00.000Z';

    // Act
    const { pk } = keys.auditEntry(at, '01J0000000000000000000000');

    // Assess
    expect(auditPartitionPrefix).toBe('AUDIT#');
    expect(pk).toBe('AUDIT#2026-03-01');
  });

  it.each(writers)('%s may not update or delete an audit record, nor write one unless it is an admin route that appends them', (functionId) => {
    // Prepare
    const appends = functionDefinition(functionId).access.appendsAudit === true;
    const expected = appends ? ['dynamodb:DeleteItem', 'dynamodb:UpdateItem'] : ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

    // Act
    const denied = deniedOnAuditPartitions(functionId);

    // Assess
    expect(denied).toEqual(expected);
  });

  it('only the admin routes that record what staff do, and the console (a person acting through the same use cases), may append audit records', () => {
    // Prepare
    const expected = ['broadcastsApi', 'console', 'consoleOperations', 'deadLettersApi', 'keysApi', 'residentsApi', 'subscribersApi', 'templatesApi', 'topicsApi'];

    // Act
    const appenders = writers.filter((id) => !deniedOnAuditPartitions(id).includes('dynamodb:PutItem'));

    // Assess
    expect(appenders.sort()).toEqual(expected);
  });
});

describe('hand-written expectations, in case the catalog wiring itself is wrong', () => {
  it('the health and OpenAPI functions touch no table, queue or secret at all: they only write their own logs', () => {
    // Prepare
    const isolated: FunctionId[] = ['health', 'openApi'];

    // Act
    const permissions = isolated.map((id) => permissionsOf(id).map(({ action, resource }) => `${action} ${resource}`).sort());

    // Assess
    expect(permissions).toEqual(isolated.map((id) => [`logs:CreateLogStream ${logGroup(id)}`, `logs:PutLogEvents ${logGroup(id)}`]));
  });

  it.each(functionIds)('%s has no managed policy, and writes logs to its own log group only', (functionId) => {
    // Prepare
    const ownLogGroup = logGroup(functionId);

    // Act
    const managedPolicies = resources[logicalId(stack.functions[functionId].function.role!)]!.Properties.ManagedPolicyArns;
    const logResources = permissionsOf(functionId).filter(({ action }) => action.startsWith('logs:')).map(({ resource }) => resource);

    // Assess
    expect(managedPolicies).toBeUndefined();
    expect(new Set(logResources)).toEqual(new Set([ownLogGroup]));
  });

  it('the authorizer only reads: the table without any write, the operator key, no queue', () => {
    // Prepare
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

    // Act
    const permissions = permissionsOf('authorizer');

    // Assess
    expect(allows('authorizer', 'dynamodb:GetItem', table)).toBe(true);
    expect(writes.filter((action) => allows('authorizer', action, table))).toEqual([]);
    expect(permissions.filter((permission) => permission.action.startsWith('sqs:'))).toEqual([]);
    expect(new Set(permissions.map((permission) => permission.resource))).toEqual(new Set([table, secret('bootstrapKey'), logGroup('authorizer')]));
  });

  it('the broadcasts API can start a fan-out but cannot put messages straight on a send queue', () => {
    // Prepare
    const action = 'sqs:SendMessage';

    // Act
    const toFanOut = allows('broadcastsApi', action, queue('fanOut'));
    const toSendQueues = [allows('broadcastsApi', action, queue('sendUrgent')), allows('broadcastsApi', action, queue('sendBulk'))];

    // Assess
    expect(toFanOut).toBe(true);
    expect(toSendQueues).toEqual([false, false]);
  });

  it('no function may send SMS through AWS End User Messaging SMS when the deployment does not use it', () => {
    // Prepare
    const smsProviders = [settings.smsProvider, ...(settings.smsProviders ?? []).map(({ name }) => name)];

    // Act
    const senders = functionIds.filter((id) => smsStatementsOf(id).length > 0);

    // Assess
    expect(smsProviders).not.toContain('aws-sms');
    expect(senders).toEqual([]);
  });

  it('with AWS SMS configured, only the two sender lanes may send, and only from its pool, with its configuration set', () => {
    // Prepare
    const awsSms = synthesizeWith({
      smsProviders: 'twilio,aws-sms',
      awsSmsOriginationIdentity: 'pool-0123456789abcdef0123456789abcdef',
      awsSmsConfigurationSet: 'council-receipts',
    });

    // Act
    const statements = Object.fromEntries(functionIds.map((id) => [id, smsStatementsOf(id, awsSms)]));

    // Assess
    expect(functionIds.filter((id) => statements[id]!.length > 0).sort()).toEqual(['sendBulk', 'sendUrgent']);
    for (const id of ['sendBulk', 'sendUrgent'] as const) {
      expect(statements[id]).toHaveLength(1);
      expect(statements[id]![0]!.Action).toBe('sms-voice:SendTextMessage');
      expect(resourceSet(statements[id]![0]!.Resource)).toEqual(
        resourceSet([
          smsVoiceArn('pool/pool-0123456789abcdef0123456789abcdef'),
          smsVoiceArn('configuration-set/council-receipts'),
          smsVoiceArn('opt-out-list/*'),
        ]),
      );
    }
  });

  it('with AWS SMS sending from ARNs and SENDERS entries, allows exactly those identities', () => {
    // Prepare
    const poolArn = 'arn:aws:sms-voice:eu-west-2:123456789012:pool/pool-aaaa0000aaaa0000aaaa0000aaaa0000';
    const phoneNumberId = 'phone-bbbb1111bbbb1111bbbb1111bbbb1111';
    const configurationSetArn = 'arn:aws:sms-voice:eu-west-2:123456789012:configuration-set/council-receipts';
    const awsSms = synthesizeWith({
      smsProvider: 'aws-sms',
      awsSmsOriginationIdentity: poolArn,
      awsSmsConfigurationSet: configurationSetArn,
      senders: JSON.stringify([{ id: 'youth-sms', provider: 'aws-sms', channel: 'sms', from: phoneNumberId, number: '+447700900111' }]),
    });

    // Act
    const [statement] = smsStatementsOf('sendBulk', awsSms);

    // Assess
    expect(resourceSet(statement?.Resource)).toEqual(resourceSet([poolArn, smsVoiceArn(`phone-number/${phoneNumberId}`), configurationSetArn, smsVoiceArn('opt-out-list/*')]));
  });

  it('with AWS SMS sending from a number in E.164, allows the account\'s numbers in the region and warns why', () => {
    // Prepare
    const awsSms = synthesizeWith({ smsProvider: 'aws-sms', awsSmsOriginationIdentity: '+447700900001', awsSmsConfigurationSet: 'council-receipts' });

    // Act
    const [statement] = smsStatementsOf('sendUrgent', awsSms);
    const warnings = Annotations.fromStack(awsSms.stack).findWarning('*', Match.stringLikeRegexp('is a number, not its ID'));

    // Assess
    expect(resourceSet(statement?.Resource)).toEqual(resourceSet([smsVoiceArn('phone-number/*'), smsVoiceArn('configuration-set/council-receipts'), smsVoiceArn('opt-out-list/*')]));
    expect(warnings).toHaveLength(2);
  });

  it('refuses to synthesize a deployment using AWS SMS without a configuration set, naming the setting', () => {
    // Prepare
    const context = { smsProvider: 'aws-sms', awsSmsOriginationIdentity: 'pool-0123456789abcdef0123456789abcdef' };

    // Act
    const attempt = () => synthesizeWith(context);

    // Assess
    expect(attempt).toThrow(/-c awsSmsConfigurationSet=/);
  });

  it('the AWS SMS notifications function answers through the urgent lane only and reads no secret', () => {
    // Prepare
    const action = 'sqs:SendMessage';

    // Act
    const sendsTo = queueIds.filter((id) => allows('awsSmsNotifications', action, queue(id)));
    const secretsRead = secretIds.filter((id) => allows('awsSmsNotifications', 'secretsmanager:GetSecretValue', secret(id)));

    // Assess
    expect(sendsTo).toEqual(['sendUrgent']);
    expect(secretsRead).toEqual([]);
    expect(allows('awsSmsNotifications', 'sqs:ReceiveMessage', queue('awsSmsNotifications'))).toBe(true);
  });

  it('with Twilio carrying both channels (the default), the Twilio secret is read by its webhooks and the senders, the WhatsApp Cloud one by its webhook alone', () => {
    // Prepare
    const expected = { twilio: ['sendBulk', 'sendUrgent', 'twilioInbound', 'twilioStatus'], whatsappCloud: ['whatsappWebhook'] };

    // Act
    const readers = {
      twilio: functionsAllowedTo('secretsmanager:GetSecretValue', secret('twilio')).sort(),
      whatsappCloud: functionsAllowedTo('secretsmanager:GetSecretValue', secret('whatsappCloud')).sort(),
    };

    // Assess
    expect(readers).toEqual(expected);
  });

  it('with WhatsApp Cloud carrying WhatsApp, the senders read both provider secrets and are told both ARNs', () => {
    // Prepare
    const other = synthesizeWith({ whatsappProvider: 'whatsapp-cloud', whatsappCloudPhoneNumberId: '123456789012345' });
    const role = other.stack.getLogicalId(other.stack.functions.sendBulk.function.role!.node.defaultChild as CfnElement);

    // Act
    const statements = Object.values(other.resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const variables = other.resources[other.stack.getLogicalId(other.stack.functions.sendBulk.function.node.defaultChild as CfnElement)]!.Properties.Environment.Variables;
    const secretsRead = (['twilio', 'whatsappCloud'] as const).filter((id) =>
      JSON.stringify(statements.filter((statement) => JSON.stringify(statement.Action).includes('GetSecretValue'))).includes(
        other.stack.getLogicalId(other.stack.secrets.byId[id].node.defaultChild as CfnElement),
      ),
    );

    // Assess
    expect(secretsRead).toEqual(['twilio', 'whatsappCloud']);
    expect(Object.keys(variables).filter((name) => name.endsWith('_SECRET_ARN')).sort()).toEqual(['TWILIO_SECRET_ARN', 'WHATSAPP_CLOUD_SECRET_ARN']);
    expect(variables.WHATSAPP_CLOUD_PHONE_NUMBER_ID).toBe('123456789012345');
  });

  it('the providers view and the broadcasts API read no secret: their sender identities come from settings that are not secret', () => {
    // Prepare
    const functions: FunctionId[] = ['providersApi', 'broadcastsApi'];

    // Act
    const secretsRead = functions.map((id) => secretIds.filter((secretId) => allows(id, 'secretsmanager:GetSecretValue', secret(secretId))));

    // Assess
    expect(secretsRead).toEqual([[], []]);
  });

  it('only the authorizer can read the bootstrap operator key; only the keys API can put a new one, and it cannot read it', () => {
    // Prepare
    const bootstrapKey = secret('bootstrapKey');

    // Act
    const readers = functionsAllowedTo('secretsmanager:GetSecretValue', bootstrapKey);
    const writers = functionsAllowedTo('secretsmanager:PutSecretValue', bootstrapKey);

    // Assess
    expect(readers).toEqual(['authorizer']);
    expect(writers).toEqual(['keysApi']);
  });

  it('no function may write a secret other than by the keys API\'s rotation, nor change a secret\'s settings', () => {
    // Prepare
    const managing = ['secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:PutResourcePolicy', 'secretsmanager:RotateSecret'];

    // Act
    const found = functionIds.flatMap((id) => secretIds.flatMap((secretId) => managing.filter((action) => allows(id, action, secret(secretId))).map((action) => `${id} ${action}`)));

    // Assess
    expect(found).toEqual([]);
  });

  it('only the subscribers API (erasure, imports checked against erasures) and the console (an operator erases a resident from their page) can read the key numbers are hashed with', () => {
    // Prepare
    const expected = ['subscribersApi', 'console'];

    // Act
    const readers = functionsAllowedTo('secretsmanager:GetSecretValue', secret('phoneHashKey'));

    // Assess
    expect(readers).toEqual(expected);
  });

  it('only the console reads its client secret at the sign-in, and it reads no other secret but the key erasure hashes numbers with', () => {
    // Prepare
    const expected = ['console'];

    // Act
    const readers = functionsAllowedTo('secretsmanager:GetSecretValue', secret('consoleClient'));
    const consoleReads = secretIds.filter((id) => allows('console', 'secretsmanager:GetSecretValue', secret(id)));

    // Assess
    expect(readers).toEqual(expected);
    expect(consoleReads).toEqual(['phoneHashKey', 'consoleClient']);
  });

  it('the key numbers are hashed with is generated at deploy, never in the template, and kept if the stack is deleted', () => {
    // Prepare
    const id = secret('phoneHashKey');

    // Act
    const { Properties: properties, DeletionPolicy: deletionPolicy } = resources[id] as CfnResource & { DeletionPolicy?: string };

    // Assess
    expect(properties.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(properties.SecretString).toBeUndefined();
    expect(deletionPolicy).toBe('Retain');
  });

  it('fan-out feeds both send lanes and its own queue (a bulk task taking turns); nothing else feeds the fan-out queue but the broadcasts API, the console (releasing a broadcast as a person), the scheduler and a redrive', () => {
    // Prepare
    const action = 'sqs:SendMessage';

    // Act
    const fanOutSendsTo = queueIds.filter((id) => allows('fanOut', action, queue(id)));
    const fanOutSenders = functionsAllowedTo(action, queue('fanOut'));

    // Assess
    expect(fanOutSendsTo.sort()).toEqual(['fanOut', 'sendBulk', 'sendUrgent']);
    // consoleOperations: a redrive from the Operations pages, as the dead letters API's.
    expect(fanOutSenders.sort()).toEqual(['broadcastsApi', 'console', 'consoleOperations', 'deadLettersApi', 'fanOut', 'scheduler']);
  });

  it('only the dead letters API and the console\'s Operations pages can touch a dead-letter queue, and neither can consume a work queue; the console serving every other page cannot', () => {
    // Prepare
    const actions = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'];

    // Act
    const consumersOfDeadLetters = queueIds.map((id) => actions.flatMap((action) => functionsAllowedTo(action, deadLetterQueue(id))));
    const workQueuesConsumed = queueIds.filter((id) => actions.some((action) => allows('deadLettersApi', action, queue(id)) || allows('consoleOperations', action, queue(id))));

    // Assess
    for (const consumers of consumersOfDeadLetters) expect([...new Set(consumers)].sort()).toEqual(['consoleOperations', 'deadLettersApi']);
    expect(workQueuesConsumed).toEqual([]);
  });

  it('the status webhook cannot enqueue sends, though it can read and write the table', () => {
    // Prepare
    const action = 'sqs:SendMessage';

    // Act
    const sends = queueIds.filter((id) => allows('twilioStatus', action, queue(id)));

    // Assess
    expect(sends).toEqual([]);
    expect(allows('twilioStatus', 'dynamodb:UpdateItem', table)).toBe(true);
  });
});

describe('tracing', () => {
  it.each(functionIds)("'%s' may upload its traces, and no X-Ray action beyond that", (functionId) => {
    // Prepare / Act
    const xray = statementsOf(functionId).filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('xray:')));

    // Assess
    expect(xray).toHaveLength(1);
    expect(xray.every(isTraceUpload)).toBe(true);
  });
});
