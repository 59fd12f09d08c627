/**
 * Runs `work` over the items, at most `limit` at a time. After the first failure no new item is
 * started; those running finish (or fail) first, so the caller knows exactly which items were
 * started when it has to undo them.
 */
export async function inPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<{ started: T[]; failure: { error: unknown } | undefined }> {
  const started: T[] = [];
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      started.push(item);
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return { started, failure };
}
