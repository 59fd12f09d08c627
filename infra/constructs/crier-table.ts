import { RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupResource } from 'aws-cdk-lib/aws-backup';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinition } from '../../shared/adapters/dynamo/table-definition.js';

/** `daily`: an AWS Backup plan on top of point-in-time recovery; `off`: point-in-time recovery alone. */
export type TableBackup = 'off' | 'daily';

export interface CrierTableProps {
  backup?: TableBackup;
}

/**
 * crier's single DynamoDB table. The key schema comes from the same definition the local stack
 * creates its table from, so item layouts written by the repositories fit both.
 */
export class CrierTable extends Construct {
  readonly table: Table;
  /** Only with `backup: 'daily'`. */
  readonly backupPlan: BackupPlan | undefined;

  constructor(scope: Construct, id: string, props: CrierTableProps = {}) {
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
      // Nor may a console click or a DeleteTable call: deletion protection must be turned off first.
      deletionProtection: true,
      // The change stream the receipt counters read (the catalog's `tableStream` trigger): reading
      // it is free to Lambda, and counting receipts from it in batches saves a write on each.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    // Point-in-time recovery reaches back 35 days and goes with the table; a backup plan keeps
    // copies in a vault apart from it, for a council whose policy asks for them.
    this.backupPlan = props.backup === 'daily' ? this.dailyBackups() : undefined;
  }

  private dailyBackups(): BackupPlan {
    // Daily at 05:00 UTC, each kept 35 days, in a new vault that outlives the stack (retained).
    const plan = BackupPlan.daily35DayRetention(this, 'BackupPlan');
    plan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(this.table)] });
    return plan;
  }
}
