import type { KeyView } from '../../shared/staff/keys.js';
import { localTime } from './format.js';
import { departmentLabel, modeOptions, roleOptions } from './team.js';

/** One row of the API keys table: what the API shows of a key, never its secret nor its hash. */
export function keyRow(key: KeyView, timeZone: string) {
  return {
    id: key.id,
    name: key.name,
    role: roleOptions[key.role].label,
    department: departmentLabel(key.department),
    mode: modeOptions[key.mode].label,
    created: localTime(key.createdAt, timeZone),
    revoked: key.revoked,
    status: key.revoked ? `Revoked${key.revokedAt ? ` ${localTime(key.revokedAt, timeZone)}` : ''}` : 'Active',
    revokeHref: key.revoked ? undefined : `/console/keys/${key.id}/revoke`,
  };
}

/** Keys in use first (oldest first, as listed), then those revoked. */
export function keyRows(keys: readonly KeyView[], timeZone: string) {
  return [...keys.filter((key) => !key.revoked), ...keys.filter((key) => key.revoked)].map((key) => keyRow(key, timeZone));
}
