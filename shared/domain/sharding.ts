import { createHash } from 'node:crypto';

/**
 * The index shard a subscriber lives in for every topic. Stable (a hash of the number), so the
 * subscribe path and the leave path always find the same partition.
 */
export function shardOf(phone: string, shardCount: number): number {
  const digest = createHash('sha1').update(phone).digest();
  return digest.readUInt32BE(0) % shardCount;
}
