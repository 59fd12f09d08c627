/**
 * Builds a value once per key and keeps it: AWS clients and repositories live as long as the
 * Lambda container. Keyed, because the local stack runs several functions in one process.
 */
export function memoiseBy<Key, Value>(build: (key: Key) => Value): (key: Key) => Value {
  const cache = new Map<Key, Value>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, build(key));
    return cache.get(key) as Value;
  };
}

/**
 * A value loaded at first use and loaded again once it is `ttlMs` old, for what may change under a
 * warm container (a rotated secret). Callers arriving while a load runs share it; a failed load is
 * not kept, so the next call tries again.
 */
export function refreshedEvery<Value>(ttlMs: number, load: () => Promise<Value>, now: () => number = () => Date.now()): () => Promise<Value> {
  let current: { value: Promise<Value>; loadedAt: number } | undefined;
  return () => {
    if (current && now() - current.loadedAt < ttlMs) return current.value;
    const loading = { value: load(), loadedAt: now() };
    current = loading;
    loading.value.catch(() => {
      if (current === loading) current = undefined;
    });
    return loading.value;
  };
}
