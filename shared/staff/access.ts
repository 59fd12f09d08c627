import { ForbiddenError } from '../domain/errors.js';
import type { KeyMode, Principal, Role } from '../domain/model.js';

export type Permission =
  | 'topics:create'
  | 'topics:read'
  | 'topics:update'
  | 'topics:archive'
  | 'subscribers:read'
  | 'subscribers:erase'
  | 'subscribers:import'
  | 'broadcasts:create'
  | 'broadcasts:read'
  | 'broadcasts:approve'
  | 'broadcasts:cancel'
  | 'inbox:read'
  | 'inbox:handle'
  | 'inbox:reply'
  | 'templates:read'
  | 'templates:write'
  | 'replies:read'
  | 'replies:write'
  | 'keys:manage'
  | 'staff:manage'
  | 'departments:manage'
  | 'deadLetters:manage'
  | 'providers:read'
  | 'audit:read';

/** What each role may do. Operators may do everything, in every department. */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  operator: [
    'topics:create',
    'topics:read',
    'topics:update',
    'topics:archive',
    'subscribers:read',
    'subscribers:erase',
    'subscribers:import',
    'broadcasts:create',
    'broadcasts:read',
    'broadcasts:approve',
    'broadcasts:cancel',
    'inbox:read',
    'inbox:handle',
    'inbox:reply',
    'templates:read',
    'templates:write',
    'replies:read',
    'replies:write',
    'keys:manage',
    // Who may do what is access administration, as keys are: operators only.
    'staff:manage',
    'departments:manage',
    'deadLetters:manage',
    // Which providers carry each channel and how they are doing: the deployment's business, not a department's.
    'providers:read',
    'audit:read',
  ],
  // A sender may import the opted-in residents of their own department's topics (the import
  // checks each row's topic), as they are the ones who collect that consent; erasure and reading
  // a resident's history stay with operators.
  // Saved templates are written by those who write the messages, as in GOV.UK Notify, where
  // editing templates goes with sending messages: senders (and operators). Approvers and viewers
  // read them (an approver checks a broadcast against the department's wording, and replies from
  // the inbox with one) but do not change them, so what a second person approves was not also
  // worded by them in the template.
  sender: [
    'topics:read',
    'subscribers:import',
    'broadcasts:create',
    'broadcasts:read',
    'broadcasts:cancel',
    'inbox:read',
    'inbox:handle',
    'inbox:reply',
    'templates:read',
    'templates:write',
    'replies:read',
  ],
  // An approver looks after the department's topics (their wording and keywords) as well as its
  // broadcasts; moving a topic to another department, or switching its two-person rule off,
  // stays with operators (see topics.ts).
  approver: [
    'topics:read',
    'topics:update',
    'topics:archive',
    'broadcasts:read',
    'broadcasts:approve',
    'broadcasts:cancel',
    'inbox:read',
    'inbox:handle',
    'inbox:reply',
    'templates:read',
    'replies:read',
  ],
  viewer: ['topics:read', 'broadcasts:read', 'inbox:read', 'templates:read', 'replies:read'],
};

/** Each permission as the words of a refusal: "an approver key may not create or submit broadcasts". */
export const permissionPhrases: Record<Permission, string> = {
  'topics:create': 'create topics',
  'topics:read': 'read topics',
  'topics:update': 'change topics',
  'topics:archive': 'archive topics',
  'subscribers:read': "read residents' profiles and consent histories",
  'subscribers:erase': 'erase residents',
  'subscribers:import': 'import residents',
  'broadcasts:create': 'create or submit broadcasts',
  'broadcasts:read': 'read broadcasts',
  'broadcasts:approve': 'approve or reject broadcasts',
  'broadcasts:cancel': 'cancel broadcasts',
  'inbox:read': "read the inbox of residents' messages",
  'inbox:handle': 'mark inbox messages handled',
  'inbox:reply': 'reply to residents from the inbox',
  'templates:read': 'read saved templates',
  'templates:write': 'create, change or archive saved templates',
  'replies:read': 'read the wording of replies',
  'replies:write': 'change the wording of replies',
  'keys:manage': 'manage API keys',
  'staff:manage': 'add, list or remove staff',
  'departments:manage': "change departments' limits",
  'deadLetters:manage': 'see or redrive dead letters',
  'providers:read': "read the providers' status",
  'audit:read': 'read the audit log',
};

/** Each role as the subject of a refusal, its article written out rather than guessed from a vowel. */
const keyOfRole: Record<Role, string> = {
  operator: 'an operator key',
  sender: 'a sender key',
  approver: 'an approver key',
  viewer: 'a viewer key',
};

/**
 * All a test key may do, whatever its role allows: a list of what is open, not of what is closed,
 * so a permission added later is closed to test keys until someone decides otherwise. A test key
 * is what one hands a supplier or a developer (like GOV.UK Notify's test keys): it makes, reads
 * and runs test broadcasts, which reach only the sandbox, and reads what carries no resident's
 * personal data (topics and their counts, the wording of replies, the providers' status). It
 * never changes live data (topics, residents, keys, limits, replies, the inbox, live broadcasts:
 * see {@link reaches}) and never reads a resident's number or words (profiles and consent
 * histories, the inbox, the audit log, dead letters).
 */
export const testKeyPermissions: readonly Permission[] = [
  'topics:read',
  // A department's wording, no resident's data: a test broadcast may start from a saved template.
  'templates:read',
  'broadcasts:create',
  'broadcasts:read',
  'broadcasts:approve',
  'broadcasts:cancel',
  'replies:read',
  'providers:read',
];

/** What a permission is checked against: the record's department, and whether it is live or test data. */
export interface AccessScope {
  /** The department the record belongs to; left out where none is at stake. */
  department?: string;
  /** The record's mode (a broadcast's); left out for records that are neither (topics, limits). */
  mode?: KeyMode;
}

/**
 * Throws ForbiddenError unless the principal may do this: its role allows it, a test key's list
 * allows it, the record is not live data for a test key, and it is in the key's department.
 * Refusals are sentences a member of staff can act on.
 */
export function authorize(principal: Principal, permission: Permission, scope: AccessScope = {}): void {
  const phrase = permissionPhrases[permission];
  if (!rolePermissions[principal.role].includes(permission)) {
    throw new ForbiddenError(`${keyOfRole[principal.role]} may not ${phrase}`);
  }
  if (principal.mode === 'test' && !testKeyPermissions.includes(permission)) {
    throw new ForbiddenError(`a test key may not ${phrase}: test keys see and change test data only; use a live key`);
  }
  // A second line behind `reaches`: a use case that fetched a live record without it still cannot act on it.
  if (principal.mode === 'test' && scope.mode === 'live') {
    throw new ForbiddenError(`a test key may not ${phrase} here: this is live data, and test keys see and change test data only`);
  }
  const { department } = scope;
  if (department !== undefined && principal.role !== 'operator' && principal.department !== department) {
    throw new ForbiddenError(`this key belongs to department "${principal.department}", not "${department}"`);
  }
}

/**
 * Whether a record exists at all for this principal. A test key lives among test records: a live
 * broadcast is not there for it, and asking for one is answered as for an id never used (404),
 * so a test key cannot even learn which broadcasts are live. Live keys reach both.
 */
export function reaches(principal: Principal, record: { mode: KeyMode }): boolean {
  return principal.mode === 'live' || record.mode === 'test';
}
