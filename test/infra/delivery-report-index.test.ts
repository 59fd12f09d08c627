import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionDefinition, functionIds, type FunctionId } from '../../functions/catalog.js';
import { CrierStack } from '../../infra/stack.js';
import { byBroadcastIndex } from '../../shared/adapters/dynamo/table-definition.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
const app = new App({ builtinCloudFormationValidation: false, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
const stack = new CrierStack(app, 'Crier');
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const tableId = stack.getLogicalId(stack.table.table.node.defaultChild as CfnElement);

/** The ARN of the index as CDK writes it: the table's ARN and `/index/byBroadcast`. */
const indexArn = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, `/index/${byBroadcastIndex.name}`]] };

/** The Allow statements of a function's inline policies that name the index. */
function indexStatementsOf(functionId: FunctionId): { Action: unknown; Effect: string }[] {
  const role = stack.getLogicalId(stack.functions[functionId].function.role!.node.defaultChild as CfnElement);
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement) => JSON.stringify(statement.Resource).includes(`/index/${byBroadcastIndex.name}`));
}

describe("the delivery report's index", () => {
  it('is a keys-only global secondary index on byBroadcast, sorted by the table key', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byBroadcast',
          KeySchema: [
            { AttributeName: 'byBroadcast', KeyType: 'HASH' },
            { AttributeName: 'pk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'byBroadcast', AttributeType: 'S' }]),
    });
  });

  it.each(functionIds.map((functionId) => ({ functionId, listed: functionDefinition(functionId).access.queriesIndexes ?? [] })))(
    '$functionId may Query the index exactly when its access lists it, and do nothing else there',
    ({ functionId, listed }) => {
      // Act
      const statements = indexStatementsOf(functionId);

      // Assess
      expect(statements).toEqual(listed.includes('byBroadcast') ? [{ Action: 'dynamodb:Query', Effect: 'Allow', Resource: indexArn }] : []);
    },
  );

  it('is queried by the broadcasts API and the console, which serve the report', () => {
    // Act
    const queriers = functionIds.filter((functionId) => indexStatementsOf(functionId).length > 0);

    // Assess
    expect(queriers.sort()).toEqual(['broadcastsApi', 'console']);
  });
});
