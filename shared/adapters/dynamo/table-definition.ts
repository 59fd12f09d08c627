/**
 * The single table's key schema, shared by the CDK construct and the local stack's CreateTable.
 * Item layouts are described beside the repositories that write them (`keys.ts`).
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes items after this time (idempotency records, sandbox data). */
  ttlAttribute: 'expiresAt',
} as const;
