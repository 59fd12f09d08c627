import { keyedPhoneHash, type PhoneHasher } from '../../shared/domain/erasure.js';

/** The key tests hash numbers with, as a deployment does with its secret one. */
export const TEST_PHONE_HASH_KEY = 'crier-test-phone-hash-key-not-a-secret';

export const testPhoneHasher: PhoneHasher = async (phone) => keyedPhoneHash(TEST_PHONE_HASH_KEY, phone);
