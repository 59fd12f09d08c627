import { NotFoundError } from '../../domain/errors.js';
import type { Principal } from '../../domain/model.js';
import type { ImportBatch } from '../import-batch.js';
import { authorize } from '../../staff/access.js';
import type { CoreDependencies } from '../../ports/dependencies.js';

/** Batches read to find a department's latest: the listing holds every department's, newest first. */
const LISTING_READ = 100;

/**
 * One import batch, for whoever may import into its department (an operator, any). Another
 * department's is answered as one that does not exist: its record must not confirm it is there.
 */
export async function getImportBatch(deps: CoreDependencies, principal: Principal, id: string): Promise<ImportBatch> {
  authorize(principal, 'subscribers:import');
  const batch = await deps.stores.importBatches.get(id);
  if (!batch || (principal.role !== 'operator' && batch.department !== principal.department)) throw new NotFoundError(`no import batch ${id}`);
  return batch;
}

/**
 * The latest batches the principal may see, newest first: an operator's, every department's; a
 * sender's, their department's among the latest hundred (a department that has not imported in
 * a hundred imports sees none here, but each batch's page stays).
 */
export async function recentImportBatches(deps: CoreDependencies, principal: Principal, limit: number): Promise<ImportBatch[]> {
  authorize(principal, 'subscribers:import');
  const latest = await deps.stores.importBatches.recent(principal.role === 'operator' ? limit : LISTING_READ);
  return latest.filter((batch) => principal.role === 'operator' || batch.department === principal.department).slice(0, limit);
}
