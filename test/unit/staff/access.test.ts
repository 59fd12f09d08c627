import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/domain/errors.js';
import { roleSchema, type Role } from '../../../shared/domain/model.js';
import { authorize, permissionPhrases, reaches, rolePermissions, type Permission } from '../../../shared/staff/access.js';
import { aPrincipal } from '../../support/builders.js';

const permissions: readonly Permission[] = [
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
  'staff:manage',
  'departments:manage',
  'deadLetters:manage',
  'providers:read',
  'audit:read',
];

/** Who may do what, written out independently of `rolePermissions`. */
const allowed: Record<Role, readonly Permission[]> = {
  operator: permissions,
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

/** Each role as a refusal names it, written out here with its article. */
const keyNames: Record<Role, string> = { operator: 'an operator key', sender: 'a sender key', approver: 'an approver key', viewer: 'a viewer key' };

/** Each permission as a refusal says it, written out independently of `permissionPhrases`. */
const phrases: Record<Permission, string> = {
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

const rows = roleSchema.options.flatMap((role) =>
  permissions.map((permission) => [role, permission, allowed[role].includes(permission)] as const),
);

describe('rolePermissions', () => {
  it('gives each role exactly the permissions expected here', () => {
    // Prepare
    const expected = Object.fromEntries(roleSchema.options.map((role) => [role, [...allowed[role]].sort()]));

    // Act
    const actual = Object.fromEntries(Object.entries(rolePermissions).map(([role, granted]) => [role, [...granted].sort()]));

    // Assess
    expect(actual).toEqual(expected);
  });

  it.each(rows)('a %s key %s %s', (role, permission, isAllowed) => {
    // Prepare
    const principal = aPrincipal({ role, department: 'traffic' });

    // Act
    const check = () => authorize(principal, permission, { department: 'traffic' });

    // Assess
    if (isAllowed) expect(check).not.toThrow();
    else expect(check).toThrow(new ForbiddenError(`${keyNames[role]} may not ${phrases[permission]}`));
  });
});

describe('refusals read as sentences', () => {
  it.each(permissions)('%s is said in words in the refusal', (permission) => {
    // Prepare: a viewer where its role is refused, else a test viewer, else a test viewer on a live record
    const viewer = aPrincipal({ role: 'viewer', department: 'traffic' });
    const testViewer = aPrincipal({ role: 'viewer', department: 'traffic', mode: 'test' });

    // Act
    const byRole = messageOf(() => authorize(viewer, permission));
    const byMode = messageOf(() => authorize(testViewer, permission));
    const byRecord = messageOf(() => authorize(testViewer, permission, { mode: 'live' }));

    // Assess
    expect(permissionPhrases[permission]).toBe(phrases[permission]);
    expect(permissionPhrases[permission]).not.toMatch(/[:_]|[a-z][A-Z]/);
    const expected = !rolePermissions.viewer.includes(permission)
      ? `a viewer key may not ${phrases[permission]}`
      : !testKeyAllowed.includes(permission)
        ? `a test key may not ${phrases[permission]}: test keys see and change test data only; use a live key`
        : `a test key may not ${phrases[permission]} here: this is live data, and test keys see and change test data only`;
    expect(byRole ?? byMode ?? byRecord).toBe(expected);
  });

  it('names an approver key with "an", as English does', () => {
    // Prepare
    const approver = aPrincipal({ role: 'approver', department: 'traffic' });

    // Act
    const message = messageOf(() => authorize(approver, 'broadcasts:create', { department: 'traffic' }));

    // Assess
    expect(message).toBe('an approver key may not create or submit broadcasts');
  });
});

function messageOf(act: () => void): string | undefined {
  try {
    act();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * What a test operator key may still do: make and run test broadcasts, and read what holds no
 * resident's personal data. Residents' profiles, the inbox and the audit log are closed to it.
 */
const testKeyAllowed: readonly Permission[] = [
  'topics:read',
  'templates:read',
  'broadcasts:create',
  'broadcasts:read',
  'broadcasts:approve',
  'broadcasts:cancel',
  'replies:read',
  'providers:read',
];

describe('authorize: test keys', () => {
  it.each(permissions.map((permission) => [permission, testKeyAllowed.includes(permission)] as const))(
    'a test operator key %s: allowed %s',
    (permission, isAllowed) => {
      // Prepare
      const principal = aPrincipal({ role: 'operator', department: '*', mode: 'test' });

      // Act
      const check = () => authorize(principal, permission, { department: 'traffic' });

      // Assess
      if (isAllowed) expect(check).not.toThrow();
      else expect(check).toThrow(new ForbiddenError(`a test key may not ${phrases[permission]}: test keys see and change test data only; use a live key`));
    },
  );

  it.each(testKeyAllowed)('a test operator key may not %s on a live record', (permission) => {
    // Prepare
    const principal = aPrincipal({ role: 'operator', department: '*', mode: 'test' });

    // Act
    const onLive = () => authorize(principal, permission, { department: 'traffic', mode: 'live' });
    const onTest = () => authorize(principal, permission, { department: 'traffic', mode: 'test' });

    // Assess
    expect(onLive).toThrow(new ForbiddenError(`a test key may not ${phrases[permission]} here: this is live data, and test keys see and change test data only`));
    expect(onTest).not.toThrow();
  });

  it.each([
    ['live', 'live', true],
    ['live', 'test', true],
    ['test', 'test', true],
    ['test', 'live', false],
  ] as const)('a %s key reaches a %s record: %s', (keyMode, recordMode, expected) => {
    // Prepare
    const principal = aPrincipal({ role: 'operator', department: '*', mode: keyMode });

    // Act
    const result = reaches(principal, { mode: recordMode });

    // Assess
    expect(result).toBe(expected);
  });
});

describe('authorize: departments', () => {
  it.each(['sender', 'approver', 'viewer'] as const)('refuses a %s key another department, naming both', (role) => {
    // Prepare
    const principal = aPrincipal({ role, department: 'youth' });

    // Act
    const check = () => authorize(principal, 'broadcasts:read', { department: 'traffic' });

    // Assess
    expect(check).toThrow(ForbiddenError);
    expect(check).toThrow('this key belongs to department "youth", not "traffic"');
  });

  it('lets an operator reach every department', () => {
    // Prepare
    const principal = aPrincipal({ role: 'operator', department: '*' });

    // Act
    const check = () => authorize(principal, 'broadcasts:approve', { department: 'youth' });

    // Assess
    expect(check).not.toThrow();
  });

  it('checks only the role when no department is at stake', () => {
    // Prepare
    const principal = aPrincipal({ role: 'viewer', department: 'youth' });

    // Act
    const check = () => authorize(principal, 'topics:read');

    // Assess
    expect(check).not.toThrow();
  });

  it('refuses by role before looking at the department', () => {
    // Prepare
    const principal = aPrincipal({ role: 'viewer', department: 'youth' });

    // Act
    const check = () => authorize(principal, 'broadcasts:create', { department: 'traffic' });

    // Assess
    expect(check).toThrow('a viewer key may not create or submit broadcasts');
  });
});
