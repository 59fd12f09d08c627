import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  consumerOf,
  functionDefinition,
  functionIds,
  queueDefinitions,
  type FunctionId,
} from '../../functions/catalog.js';
import type { QueueId, SecretId } from '../../functions/catalog-types.js';
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

/** Everything the inline policies attached to a function's role allow. */
function permissionsOf(functionId: FunctionId): Permission[] {
  const role = logicalId(stack.functions[functionId].function.role!);
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
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
const secretIds: SecretId[] = ['providerCredentials', 'bootstrapKey'];
const secret = (id: SecretId) => logicalId(stack.secrets.byId[id]);

/** sms-voice resources in this account and region: no ARN narrower is known at synth time. */
const thisAccountAndRegionSmsVoice = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sms-voice:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*']],
};

/** The statements of a function's policies that mention any sms-voice action. */
function smsStatementsOf(functionId: FunctionId): { Action: unknown; Resource: unknown }[] {
  const role = logicalId(stack.functions[functionId].function.role!);
  return Object.values(resources)
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
    const expected = [...(access.secrets ?? [])].sort();

    // Act
    const reads = secretIds.filter((id) => allows(functionId, 'secretsmanager:GetSecretValue', secret(id))).sort();

    // Assess
    expect(reads).toEqual(expected);
  });

  it.each(rows)('$functionId: may call sms-voice:SendTextMessage exactly when the catalog says sendsSms', ({ functionId, access }) => {
    // Prepare
    const expected = access.sendsSms === true;

    // Act
    const statements = smsStatementsOf(functionId);

    // Assess
    expect(statements.length > 0).toBe(expected);
    for (const statement of statements) {
      expect(statement.Action).toBe('sms-voice:SendTextMessage');
      expect(statement.Resource).toEqual(thisAccountAndRegionSmsVoice);
    }
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

/** The statements of a function's inline policies, Allow and Deny alike. */
function statementsOf(functionId: FunctionId): { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const role = logicalId(stack.functions[functionId].function.role!);
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

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

  it.each(functionIds)('%s may not Scan, batch-write, transact or read the stream', (functionId) => {
    // Prepare
    const unused = ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:PartiQLSelect'];

    // Act
    const allowed = unused.filter((action) => allows(functionId, action, table));

    // Assess
    expect(allowed).toEqual([]);
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

  it('only the admin routes that record what staff do may append audit records', () => {
    // Prepare
    const expected = ['broadcastsApi', 'deadLettersApi', 'keysApi', 'residentsApi', 'subscribersApi', 'topicsApi'];

    // Act
    const appenders = writers.filter((id) => !deniedOnAuditPartitions(id).includes('dynamodb:PutItem'));

    // Assess
    expect(appenders.sort()).toEqual(expected);
  });
});

describe('hand-written expectations, in case the catalog wiring itself is wrong', () => {
  it('the health and OpenAPI functions touch no table, queue or secret at all', () => {
    // Prepare
    const isolated: FunctionId[] = ['health', 'openApi'];
    const basicExecutionRole = ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

    // Act
    const permissions = isolated.map(permissionsOf);
    const managedPolicies = isolated.map(
      (id) => resources[logicalId(stack.functions[id].function.role!)]!.Properties.ManagedPolicyArns,
    );

    // Assess
    expect(permissions).toEqual([[], []]);
    for (const policies of managedPolicies) {
      expect(JSON.stringify(policies)).toContain(basicExecutionRole);
      expect(policies).toHaveLength(1);
    }
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
    expect(new Set(permissions.map((permission) => permission.resource))).toEqual(new Set([table, secret('bootstrapKey')]));
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

  it('only the two sender lanes can send SMS through AWS End User Messaging SMS', () => {
    // Prepare
    const expected = ['sendBulk', 'sendUrgent'];

    // Act
    const senders = functionIds.filter((id) => smsStatementsOf(id).length > 0);

    // Assess
    expect(senders.sort()).toEqual(expected);
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

  it('only the webhooks, the senders, the providers view and the broadcasts API (for the from settings of sender identities) can read the provider credentials', () => {
    // Prepare
    const expected = ['twilioInbound', 'twilioStatus', 'whatsappWebhook', 'sendUrgent', 'sendBulk', 'providersApi', 'broadcastsApi'];

    // Act
    const readers = functionsAllowedTo('secretsmanager:GetSecretValue', secret('providerCredentials'));

    // Assess
    expect(readers.sort()).toEqual(expected.sort());
  });

  it('only the admin API and its authorizer can read the operator key', () => {
    // Prepare
    const expected = ['authorizer', 'topicsApi', 'subscribersApi', 'broadcastsApi', 'residentsApi', 'keysApi', 'deadLettersApi', 'providersApi'];

    // Act
    const readers = functionsAllowedTo('secretsmanager:GetSecretValue', secret('bootstrapKey'));

    // Assess
    expect(readers.sort()).toEqual(expected.sort());
  });

  it('fan-out feeds both send lanes and its own queue (a bulk task taking turns); nothing else feeds the fan-out queue but the broadcasts API, the scheduler and a redrive', () => {
    // Prepare
    const action = 'sqs:SendMessage';

    // Act
    const fanOutSendsTo = queueIds.filter((id) => allows('fanOut', action, queue(id)));
    const fanOutSenders = functionsAllowedTo(action, queue('fanOut'));

    // Assess
    expect(fanOutSendsTo.sort()).toEqual(['fanOut', 'sendBulk', 'sendUrgent']);
    expect(fanOutSenders.sort()).toEqual(['broadcastsApi', 'deadLettersApi', 'fanOut', 'scheduler']);
  });

  it('only the dead letters API can touch a dead-letter queue, and it cannot consume a work queue', () => {
    // Prepare
    const actions = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'];

    // Act
    const consumersOfDeadLetters = queueIds.map((id) => actions.flatMap((action) => functionsAllowedTo(action, deadLetterQueue(id))));
    const workQueuesItConsumes = queueIds.filter((id) => actions.some((action) => allows('deadLettersApi', action, queue(id))));

    // Assess
    for (const consumers of consumersOfDeadLetters) expect([...new Set(consumers)]).toEqual(['deadLettersApi']);
    expect(workQueuesItConsumes).toEqual([]);
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
