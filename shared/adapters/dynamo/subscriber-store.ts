import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PhoneHasher } from '../../domain/erasure.js';
import { ConfigurationError } from '../../domain/errors.js';
import type { SubscriberStore } from '../../consent/subscriber-store.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { DynamoConsentWrites } from './subscriber/consent.js';
import { DynamoErasureWrites } from './subscriber/erasure.js';
import { DynamoImportWrites } from './subscriber/import.js';
import { DynamoProfileWrites } from './subscriber/profile.js';
import { SubscriberTable } from './subscriber/table.js';

/**
 * The subscriber store on DynamoDB, as the wiring constructs it. Its work is in parts, one a job,
 * in ./subscriber/ (a DynamoDB adapter too big for one file becomes a folder of that name beside
 * it): consent (JOIN, STOP, START, LEAVE, YES), profile, import, erasure and retention, over the
 * writes they share (table.ts) and the item layout (items.ts). Each part implements its port
 * (ConsentStore, ProfileStore, ImportStore, ErasureStore), but for the two reads the table itself
 * serves (a profile, the subscriptions); this class only hands each method to its part.
 */
export class DynamoSubscriberStore implements SubscriberStore {
  private readonly table: SubscriberTable;
  private readonly consent: DynamoConsentWrites;
  private readonly profile: DynamoProfileWrites;
  private readonly imports: DynamoImportWrites;
  private readonly erasure: DynamoErasureWrites;

  constructor(
    documents: DynamoDBDocumentClient,
    tableName: string,
    shardCount: number,
    retention: RetentionPeriods = defaultRetention,
    phoneHash: PhoneHasher = noPhoneHashKey,
  ) {
    this.table = new SubscriberTable(documents, tableName, shardCount);
    this.consent = new DynamoConsentWrites(this.table);
    this.profile = new DynamoProfileWrites(this.table);
    this.imports = new DynamoImportWrites(this.table);
    this.erasure = new DynamoErasureWrites(this.table, retention, phoneHash);
  }

  getProfile(...args: Parameters<SubscriberTable['getProfile']>) { return this.table.getProfile(...args); }
  subscriptions(...args: Parameters<SubscriberTable['subscriptions']>) { return this.table.subscriptions(...args); }

  consentToSend(...args: Parameters<DynamoConsentWrites['consentToSend']>) { return this.consent.consentToSend(...args); }
  consentHistory(...args: Parameters<DynamoConsentWrites['consentHistory']>) { return this.consent.consentHistory(...args); }
  subscribe(...args: Parameters<DynamoConsentWrites['subscribe']>) { return this.consent.subscribe(...args); }
  leaveTopic(...args: Parameters<DynamoConsentWrites['leaveTopic']>) { return this.consent.leaveTopic(...args); }
  requestConfirmation(...args: Parameters<DynamoConsentWrites['requestConfirmation']>) { return this.consent.requestConfirmation(...args); }
  takePendingConfirmation(...args: Parameters<DynamoConsentWrites['takePendingConfirmation']>) { return this.consent.takePendingConfirmation(...args); }
  optOut(...args: Parameters<DynamoConsentWrites['optOut']>) { return this.consent.optOut(...args); }
  restore(...args: Parameters<DynamoConsentWrites['restore']>) { return this.consent.restore(...args); }
  optedOutAmong(...args: Parameters<DynamoConsentWrites['optedOutAmong']>) { return this.consent.optedOutAmong(...args); }

  profilesOf(...args: Parameters<DynamoProfileWrites['profilesOf']>) { return this.profile.profilesOf(...args); }
  updateProfile(...args: Parameters<DynamoProfileWrites['updateProfile']>) { return this.profile.updateProfile(...args); }
  keepInferredLanguage(...args: Parameters<DynamoProfileWrites['keepInferredLanguage']>) { return this.profile.keepInferredLanguage(...args); }
  claimDailyAcknowledgement(...args: Parameters<DynamoProfileWrites['claimDailyAcknowledgement']>) { return this.profile.claimDailyAcknowledgement(...args); }
  recordWhatsAppWindow(...args: Parameters<DynamoProfileWrites['recordWhatsAppWindow']>) { return this.profile.recordWhatsAppWindow(...args); }

  importSubscription(...args: Parameters<DynamoImportWrites['importSubscription']>) { return this.imports.importSubscription(...args); }
  undoImport(...args: Parameters<DynamoImportWrites['undoImport']>) { return this.imports.undoImport(...args); }

  beginErasure(...args: Parameters<DynamoErasureWrites['beginErasure']>) { return this.erasure.beginErasure(...args); }
  erase(...args: Parameters<DynamoErasureWrites['erase']>) { return this.erasure.erase(...args); }
  erasedAmong(...args: Parameters<DynamoErasureWrites['erasedAmong']>) { return this.erasure.erasedAmong(...args); }
  erasureReference(...args: Parameters<DynamoErasureWrites['erasureReference']>) { return this.erasure.erasureReference(...args); }
  settleRetention(...args: Parameters<DynamoErasureWrites['settleRetention']>) { return this.erasure.settleRetention(...args); }
}

/** A store built without the deployment's key can do everything but erase or check for erasures. */
const noPhoneHashKey: PhoneHasher = async () => {
  throw new ConfigurationError('no key to hash phone numbers with: set PHONE_HASH_KEY_SECRET_ARN (AWS) or PHONE_HASH_KEY (local stack)');
};
