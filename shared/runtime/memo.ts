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
