/**
 * A listing's page from one Query that asked for one item more than the page (`Limit: limit + 1`).
 * DynamoDB returns a LastEvaluatedKey whenever it stops at the Limit, even when nothing follows:
 * a cursor taken from it alone leads, after a page that holds exactly what is left, to an empty
 * page (a "next" link to nothing). With one item more asked for, a cursor is given only when an
 * item is known to follow: the last item of the page is where the next page starts.
 *
 * A Query with a FilterExpression counts its Limit before the filter, so it may bring back no more
 * than the page while items it read and left out lie beyond: then its own LastEvaluatedKey, where
 * it stopped reading, leads on (a short or empty page with a cursor, as filtered listings say).
 */
export function pageOfQuery<T extends Record<string, unknown>>(
  found: readonly T[],
  lastEvaluatedKey: Record<string, unknown> | undefined,
  limit: number,
): { items: T[]; resumeAfter: Record<string, unknown> | undefined } {
  if (found.length > limit) {
    const items = found.slice(0, limit);
    return { items, resumeAfter: items.at(-1) };
  }
  return { items: [...found], resumeAfter: lastEvaluatedKey };
}
