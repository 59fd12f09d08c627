import { InMemoryTemplateStore } from '../../support/in-memory-template-store.js';
import { templateStoreContract } from '../../integration/templates/template-store.contract.js';

/** The tests' in-memory store, held to the same contract as the DynamoDB one. */
templateStoreContract('InMemoryTemplateStore', async () => new InMemoryTemplateStore());
