import { describe, expect, it } from 'vitest';
import { httpRoutes } from '../../functions/catalog.js';
import { openApiDocument } from '../../shared/api/openapi.js';

/** The OpenAPI document describes every admin route the catalog serves, so it cannot fall behind. */
describe('openApiDocument', () => {
  const document = openApiDocument();
  const adminRoutes = httpRoutes()
    .map(({ routeKey }) => routeKey)
    .filter((routeKey) => routeKey.split(' ')[1]!.startsWith('/v1/') && routeKey !== 'GET /v1/openapi.json');

  it.each(adminRoutes)('documents %s', (routeKey) => {
    // Prepare
    const [method, path] = routeKey.split(' ') as [string, string];

    // Act
    const operation = (document.paths?.[path] as Record<string, unknown> | undefined)?.[method.toLowerCase()];

    // Assess
    expect(operation).toBeDefined();
  });

  it.each([
    ['/v1/inbox', 'get', ['limit', 'cursor', 'department', 'handled', 'topic', 'from', 'broadcast', 'assignedTo', 'receivedFrom', 'receivedTo']],
    ['/v1/inbox/export', 'get', ['department', 'handled', 'topic', 'from', 'broadcast', 'assignedTo', 'receivedFrom', 'receivedTo']],
    ['/v1/audit', 'get', ['limit', 'cursor', 'from', 'to', 'actor', 'action', 'department']],
    ['/v1/topics', 'get', ['limit', 'cursor', 'archived']],
  ])('names the query parameters of %s', (path, method, expected) => {
    // Prepare
    const operation = (document.paths?.[path] as Record<string, { parameters?: { name: string; in: string }[] }>)[method];

    // Act
    const names = (operation?.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);

    // Assess
    expect(names.sort()).toEqual([...expected].sort());
  });
});
