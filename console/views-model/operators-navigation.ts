import type { Principal } from '../../shared/domain/model.js';
import { may } from './permissions.js';

/**
 * The sub-navigation that ties the team's pages together (Team, API keys, Limits and usage, Audit
 * log), each offered to whoever its use case lets in, the current one marked.
 */
export function operatorsNavigation(principal: Principal, path: string) {
  const links = [
    { href: '/console/team', text: 'Team', offered: may(principal, 'staff:manage') },
    { href: '/console/keys', text: 'API keys', offered: may(principal, 'keys:manage') },
    { href: '/console/usage', text: 'Limits and usage', offered: may(principal, 'broadcasts:read') },
    { href: '/console/audit', text: 'Audit log', offered: may(principal, 'audit:read') },
  ];
  return links
    .filter((link) => link.offered)
    .map(({ href, text }) => ({ href, text, current: path === href || path.startsWith(`${href}/`) }));
}
