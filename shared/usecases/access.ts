import { ForbiddenError } from '../domain/errors.js';
import type { Principal, Role } from '../domain/model.js';

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
  | 'replies:read'
  | 'replies:write'
  | 'keys:manage'
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
    'replies:read',
    'replies:write',
    'keys:manage',
    'departments:manage',
    'deadLetters:manage',
    // Which providers carry each channel and how they are doing: the deployment's business, not a department's.
    'providers:read',
    'audit:read',
  ],
  // A sender may import the opted-in residents of their own department's topics (the import
  // checks each row's topic), as they are the ones who collect that consent; erasure and reading
  // a resident's history stay with operators.
  sender: [
    'topics:read',
    'subscribers:import',
    'broadcasts:create',
    'broadcasts:read',
    'broadcasts:cancel',
    'inbox:read',
    'inbox:handle',
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
    'replies:read',
  ],
  viewer: ['topics:read', 'broadcasts:read', 'inbox:read', 'replies:read'],
};

/**
 * What a test key may never do, whatever its role: change live data. A test key reads, and makes
 * and runs test broadcasts that only reach the sandbox (like GOV.UK Notify's test keys); it does
 * not change topics, residents, keys, limits, reply texts or the inbox that live keys rely on.
 */
export const liveOnlyPermissions: readonly Permission[] = [
  'topics:create',
  'topics:update',
  'topics:archive',
  'subscribers:erase',
  'subscribers:import',
  'inbox:handle',
  'replies:write',
  'keys:manage',
  'departments:manage',
  // Redriving puts live jobs back to work; even a look receives residents' jobs from the queue.
  'deadLetters:manage',
];

/** Throws ForbiddenError unless the principal's role allows it within the given department. */
export function authorize(principal: Principal, permission: Permission, department?: string): void {
  if (!rolePermissions[principal.role].includes(permission)) {
    throw new ForbiddenError(`a ${principal.role} key may not ${permission.replace(':', ' ')}`);
  }
  if (principal.mode === 'test' && liveOnlyPermissions.includes(permission)) {
    throw new ForbiddenError(`a test key may not ${permission.replace(':', ' ')}: that changes live data; use a live key`);
  }
  if (department !== undefined && principal.role !== 'operator' && principal.department !== department) {
    throw new ForbiddenError(`this key belongs to department "${principal.department}", not "${department}"`);
  }
}
