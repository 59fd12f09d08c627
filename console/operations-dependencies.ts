import type { ProvidersStatus } from '../shared/sending/providers-status.js';
import type { Principal } from '../shared/domain/model.js';
import type { DeadLetterDependencies } from '../shared/ports/dependencies.js';

/**
 * What the Operations pages need beyond the console's own: the dead-letter queues and the
 * providers' view, which only the console's operations function is given (the dead-letter grants
 * stay off the function that serves every other page). Absent: those pages are not served.
 */
export interface OperationsDependencies {
  deadLetters: DeadLetterDependencies;
  /** `crier providers status`'s answer, as this principal may see it (providers-status.ts decides). */
  providersStatus: (principal: Principal) => Promise<ProvidersStatus>;
  /** Where a resident can reach a person (SERVICE_CONTACT), for the reply wording's preview. */
  contact: string;
}
