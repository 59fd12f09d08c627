/**
 * A broadcast's message id for one resident. Deterministic, so the claim (a conditional write on
 * it) is what makes "at most once per resident" hold across retries and redeliveries, and so a
 * job's recipients lead straight to their records when its outcomes are counted again.
 */
export function broadcastMessageId(broadcastId: string, phone: string): string {
  return `${broadcastId}-${phone.replace(/^\+/, '')}`;
}
