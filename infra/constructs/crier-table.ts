import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinition } from '../../shared/adapters/dynamo/table-definition.js';

/**
 * crier's single DynamoDB table. The key schema comes from the same definition the local stack
 * creates its table from, so item layouts written by the repositories fit both.
 */
export class CrierTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      // Broadcasts are bursty and rare; on-demand costs nothing while the council is quiet.
      billingMode: BillingMode.PAY_PER_REQUEST,
      // Consent records are legal evidence: a bad deploy or script must be recoverable.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      // Deleting the stack must never delete residents' consent history with it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
