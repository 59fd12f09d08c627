import type { CoreDependencies } from '../shared/ports/dependencies.js';

/**
 * The names behind the ids a broadcast records (createdBy, approvedBy…): a person's (staff
 * record), else an API key's, else the id itself, so a page always says something true.
 */
export async function namesOf(deps: CoreDependencies, ids: readonly string[]): Promise<(id: string) => string> {
  const names = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      const staff = await deps.stores.staff.get(id);
      const name = staff?.name ?? (await deps.stores.apiKeys.get(id))?.name;
      names.set(id, name ?? id);
    }),
  );
  return (id) => names.get(id) ?? id;
}
