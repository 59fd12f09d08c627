import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../shared/domain/errors.js';
import { roleSchema, type Role } from '../../shared/domain/model.js';
import { authorize, rolePermissions, type Permission } from '../../shared/usecases/access.js';
import { aPrincipal } from '../support/builders.js';

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
  'replies:read',
  'replies:write',
  'keys:manage',
  'departments:manage',
  'deadLetters:manage',
  'providers:read',
  'audit:read',
];

/** Who may do what, written out independently of `rolePermissions`. */
const allowed: Record<Role, readonly Permission[]> = {
  operator: permissions,
  sender: ['topics:read', 'subscribers:import', 'broadcasts:create', 'broadcasts:read', 'broadcasts:cancel', 'inbox:read', 'inbox:handle', 'replies:read'],
  approver: [
    'topics:read',
    'topics:update',
    'topics:archive',
    'broadcasts:read',
    'broadcasts:approve',
    'broadcasts:cancel',
    'inbox:read',
    'inbox:handle',
    'replies:read',
  ],
  viewer: ['topics:read', 'broadcasts:read', 'inbox:read', 'replies:read'],
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
    const check = () => authorize(principal, permission, 'traffic');

    // Assess
    if (isAllowed) expect(check).not.toThrow();
    else expect(check).toThrow(new ForbiddenError(`a ${role} key may not ${permission.replace(':', ' ')}`));
  });
});

/** What a test operator key may still do: read, and make and run test broadcasts. */
const testKeyAllowed: readonly Permission[] = [
  'topics:read',
  'subscribers:read',
  'broadcasts:create',
  'broadcasts:read',
  'broadcasts:approve',
  'broadcasts:cancel',
  'inbox:read',
  'replies:read',
  'providers:read',
  'audit:read',
];

describe('authorize: test keys', () => {
  it.each(permissions.map((permission) => [permission, testKeyAllowed.includes(permission)] as const))(
    'a test operator key %s: allowed %s',
    (permission, isAllowed) => {
      // Prepare
      const principal = aPrincipal({ role: 'operator', department: '*', mode: 'test' });

      // Act
      const check = () => authorize(principal, permission, 'traffic');

      // Assess
      if (isAllowed) expect(check).not.toThrow();
      else expect(check).toThrow(/a test key may not .*: that changes live data; use a live key/);
    },
  );
});

describe('authorize: departments', () => {
  it.each(['sender', 'approver', 'viewer'] as const)('refuses a %s key another department, naming both', (role) => {
    // Prepare
    const principal = aPrincipal({ role, department: 'youth' });

    // Act
    const check = () => authorize(principal, 'broadcasts:read', 'traffic');

    // Assess
    expect(check).toThrow(ForbiddenError);
    expect(check).toThrow('this key belongs to department "youth", not "traffic"');
  });

  it('lets an operator reach every department', () => {
    // Prepare
    const principal = aPrincipal({ role: 'operator', department: '*' });

    // Act
    const check = () => authorize(principal, 'broadcasts:approve', 'youth');

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
    const check = () => authorize(principal, 'broadcasts:create', 'traffic');

    // Assess
    expect(check).toThrow('a viewer key may not broadcasts create');
  });
});
