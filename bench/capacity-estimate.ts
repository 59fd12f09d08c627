/*
 * DynamoDB capacity units estimated from a request's size, for the answers that carry none (asking
 * disabled, or an error such as a failed condition, which DynamoDB still bills). Written by hand:
 * the SDK computes no sizes, and the rules (1 KB a write unit, 4 KB a read unit, half for
 * eventually consistent reads) are DynamoDB's own.
 */

/** ceil(item bytes / 1 KB), at least one unit: the item written, or the key and values of an update. */
export function writeUnitsEstimate(body: string | undefined): number {
  if (!body) return 1;
  try {
    const request = JSON.parse(body) as Record<string, unknown>;
    const parts = [request.Item, request.Key, request.ExpressionAttributeValues].filter(Boolean) as Record<string, AttributeValue>[];
    const bytes = parts.reduce((sum, part) => sum + itemBytes(part), 0);
    return Math.max(1, Math.ceil(bytes / 1024));
  } catch {
    return 1;
  }
}

/** ceil(bytes returned / 4 KB) per item read, halved for eventually consistent reads. */
export function readUnitsEstimate(operation: string, body: string | undefined, output: Record<string, unknown>): number {
  const consistent = body?.includes('"ConsistentRead":true') ?? false;
  const items: Record<string, AttributeValue>[] = [];
  if (output.Item) items.push(output.Item as Record<string, AttributeValue>);
  if (Array.isArray(output.Items)) items.push(...(output.Items as Record<string, AttributeValue>[]));
  if (output.Responses && typeof output.Responses === 'object') {
    for (const list of Object.values(output.Responses as Record<string, unknown>)) {
      if (Array.isArray(list)) items.push(...(list as Record<string, AttributeValue>[]));
    }
  }
  const factor = consistent ? 1 : 0.5;
  if (operation === 'Query' || operation === 'Scan') {
    const bytes = items.reduce((sum, item) => sum + itemBytes(item), 0);
    return Math.max(1, Math.ceil(bytes / 4096)) * factor;
  }
  return Math.max(1, items.reduce((sum, item) => sum + Math.ceil(itemBytes(item) / 4096), 0)) * factor;
}

type AttributeValue = Record<string, unknown>;

/** DynamoDB's item size: attribute names plus values (numbers approximated by their digits). */
function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueBytes(value);
  return bytes;
}

function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(value).length / 2) + 1;
  if (typeof value === 'boolean') return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + valueBytes(element), 0);
  const record = value as Record<string, unknown>;
  const [type] = Object.keys(record);
  if (type && Object.keys(record).length === 1) {
    const inner = record[type];
    if (type === 'S' || type === 'B') return Buffer.byteLength(String(inner));
    if (type === 'N') return Math.ceil(String(inner).length / 2) + 1;
    if (type === 'BOOL' || type === 'NULL') return 1;
    if (type === 'M') return 3 + itemBytes(inner as Record<string, unknown>);
    if (type === 'L') return 3 + (inner as unknown[]).reduce((sum: number, element) => sum + 1 + valueBytes(element), 0);
  }
  return 3 + itemBytes(record);
}
