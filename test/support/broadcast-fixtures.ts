import { expect } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import type { LocalStackClient } from './local-stack-client.js';

/** `count` residents' numbers from +447700900<first> on (Ofcom's drama range: never a real phone). */
export function residentPhones(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `+447700900${String(first + index).padStart(3, '0')}`);
}

/** A topic, and residents who joined it by texting its keyword, with their confirmations sent. */
export async function topicWithResidents(stack: LocalStack, client: LocalStackClient, topicId: string, residents: readonly string[]): Promise<void> {
  const keyword = topicId.toUpperCase();
  const created = await client.api('POST', '/v1/topics', { id: topicId, name: `${topicId} alerts`, keywords: [keyword] });
  expect(created.status).toBe(201);
  const joined = await Promise.all(residents.map((phone) => client.text(phone, `JOIN ${keyword}`)));
  expect(joined.map((response) => response.status)).toEqual(residents.map(() => 200));
  await stack.settled();
}

/** Creates a broadcast to a topic (no approval needed: the operator sends it) and returns its id. */
export async function startBroadcast(client: LocalStackClient, topicId: string, priority: 'urgent' | 'normal'): Promise<string> {
  const created = await client.api('POST', '/v1/broadcasts', { topics: [topicId], body: `Fault drill on ${topicId}: please ignore.`, priority });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return created.json.id as string;
}
