/**
 * The single table's key schema, shared by the CDK construct and the local stack's CreateTable.
 * Item layouts are described beside the repositories that write them (`keys.ts`). The table has
 * no secondary index: every listing is a Query on a partition of its own (a broadcast's delivery
 * report reads its messages' partitions; message-keys.ts says why that replaced an index).
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes items after this time (idempotency records, sandbox data). */
  ttlAttribute: 'expiresAt',
} as const;

