import type { ProfileStore } from '../residents/profile-store.js';
import type { ConsentStore } from './consent-store.js';
import type { ErasureStore } from './erasure-store.js';
import type { ImportStore } from './import-store.js';

/**
 * Everything kept of a resident, as one store: what they agreed to (ConsentStore), their profile
 * (ProfileStore), erasure and retention (ErasureStore), imports (ImportStore). The adapters
 * (DynamoDB, the tests' in-memory one) implement it whole, since the parts share one partition
 * per resident and write to each other's items; the `Stores` aggregate hands it out whole; each
 * use case names only the parts it touches.
 */
export type SubscriberStore = ConsentStore & ProfileStore & ErasureStore & ImportStore;
