import { InMemoryPacerStore } from '../../support/in-memory-pacing.js';
import { describePacerStoreContract } from './pacer-store.contract.js';

describePacerStoreContract('InMemoryPacerStore', async () => new InMemoryPacerStore());
