import { describe, expect, it } from 'vitest';
import { ulidGenerator } from '../../shared/adapters/ids.js';
import {
  BROADCAST_MESSAGE_BUCKETS,
  broadcastMessagesPartitions,
  earlierMessageKey,
  messageKey,
} from '../../shared/adapters/dynamo/message-keys.js';
import { replyMessageId } from '../../shared/inbox/reply-to-resident.js';
import { broadcastMessageId } from '../../shared/sending/send-message.js';

const BROADCAST = '01kbx7ye5q3z8d0rj6t2vwmnah';

describe("a message's key, from its id alone", () => {
  const rows: { what: string; messageId: string; key: { pk: string; sk: string } }[] = [
    {
      what: "a broadcast's message: its broadcast's partition for the number's last digit, the digits as sort key",
      messageId: broadcastMessageId(BROADCAST, '+447700900123'),
      key: { pk: `BROADCAST#${BROADCAST}#MESSAGES#3`, sk: '447700900123' },
    },
    {
      what: 'a number ending in 0 goes to bucket 0',
      messageId: broadcastMessageId(BROADCAST, '+15005550100'),
      key: { pk: `BROADCAST#${BROADCAST}#MESSAGES#0`, sk: '15005550100' },
    },
    {
      what: 'a number of 15 digits, the most E.164 allows',
      messageId: `${BROADCAST}-123456789012349`,
      key: { pk: `BROADCAST#${BROADCAST}#MESSAGES#9`, sk: '123456789012349' },
    },
    {
      what: 'a skip recorded without a broadcast (none-<digits>)',
      messageId: broadcastMessageId('none', '+447700900123'),
      key: { pk: 'MESSAGE#none-447700900123', sk: 'MESSAGE' },
    },
    {
      what: 'a reply to a text, even when the provider id is all digits',
      messageId: 'reply-sandbox-4477009001231234567890',
      key: { pk: 'MESSAGE#reply-sandbox-4477009001231234567890', sk: 'MESSAGE' },
    },
    {
      what: "a reply to a text (Twilio's id)",
      messageId: 'reply-twilio-SM0123456789abcdef0123456789abcdef',
      key: { pk: 'MESSAGE#reply-twilio-SM0123456789abcdef0123456789abcdef', sk: 'MESSAGE' },
    },
    {
      what: 'an inbox reply whose token is all digits',
      messageId: replyMessageId(BROADCAST, '12345678'),
      key: { pk: `MESSAGE#inbox-reply-${BROADCAST}-12345678`, sk: 'MESSAGE' },
    },
    {
      what: 'an id of the generator\'s shape in capitals (the generator writes lowercase)',
      messageId: `${BROADCAST.toUpperCase()}-447700900123`,
      key: { pk: `MESSAGE#${BROADCAST.toUpperCase()}-447700900123`, sk: 'MESSAGE' },
    },
    {
      what: "a broadcast id one character short of a ULID's 26",
      messageId: `${BROADCAST.slice(1)}-447700900123`,
      key: { pk: `MESSAGE#${BROADCAST.slice(1)}-447700900123`, sk: 'MESSAGE' },
    },
    {
      what: "a broadcast id with a letter Crockford's base32 leaves out (u)",
      messageId: `01kbx7ye5q3z8d0rj6t2vwmnau-447700900123`,
      key: { pk: 'MESSAGE#01kbx7ye5q3z8d0rj6t2vwmnau-447700900123', sk: 'MESSAGE' },
    },
    {
      what: 'more digits than any E.164 number has',
      messageId: `${BROADCAST}-1234567890123456`,
      key: { pk: `MESSAGE#${BROADCAST}-1234567890123456`, sk: 'MESSAGE' },
    },
    {
      what: 'a number kept with its plus',
      messageId: `${BROADCAST}-+447700900123`,
      key: { pk: `MESSAGE#${BROADCAST}-+447700900123`, sk: 'MESSAGE' },
    },
    {
      what: 'a plain ULID (a provider echoing an id of its own)',
      messageId: BROADCAST,
      key: { pk: `MESSAGE#${BROADCAST}`, sk: 'MESSAGE' },
    },
    {
      what: 'a test id of another shape (bc-0001-<digits>)',
      messageId: 'bc-0001-447700900123',
      key: { pk: 'MESSAGE#bc-0001-447700900123', sk: 'MESSAGE' },
    },
  ];

  it.each(rows)('$what', ({ messageId, key }) => {
    // Act
    const derived = messageKey(messageId);

    // Assess
    expect(derived).toEqual(key);
  });

  it.each(rows)('$what: an earlier key to fall back to exactly when it moved', ({ messageId, key }) => {
    // Act
    const earlier = earlierMessageKey(messageId);

    // Assess
    expect(earlier).toEqual(key.sk === 'MESSAGE' ? undefined : { pk: `MESSAGE#${messageId}`, sk: 'MESSAGE' });
  });

  it("takes every id the generator makes for a broadcast's id", () => {
    // Prepare
    const ids = ulidGenerator();
    const broadcastIds = Array.from({ length: 50 }, () => ids.next());

    // Act
    const partitions = broadcastIds.map((broadcastId) => messageKey(broadcastMessageId(broadcastId, '+447700900127')).pk);

    // Assess
    expect(partitions).toEqual(broadcastIds.map((broadcastId) => `BROADCAST#${broadcastId}#MESSAGES#7`));
  });
});

describe("a broadcast's message partitions", () => {
  it('are one per last digit, and hold every message of the broadcast', () => {
    // Prepare
    const numbers = Array.from({ length: 20 }, (_, n) => `+4477009001${String(n).padStart(2, '0')}`);

    // Act
    const partitions = broadcastMessagesPartitions(BROADCAST);

    // Assess
    expect(partitions).toHaveLength(BROADCAST_MESSAGE_BUCKETS);
    expect(new Set(partitions).size).toBe(BROADCAST_MESSAGE_BUCKETS);
    for (const phone of numbers) expect(partitions).toContain(messageKey(broadcastMessageId(BROADCAST, phone)).pk);
  });

  it('are none for a broadcast id not of the generator\'s shape: its messages keep their own keys', () => {
    // Act
    const partitions = broadcastMessagesPartitions('bc-0001');

    // Assess
    expect(partitions).toEqual([]);
  });
});
