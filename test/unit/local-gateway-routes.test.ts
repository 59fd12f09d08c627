import { describe, expect, it } from 'vitest';
import { compileRoutes, matchRoute } from '../../local/http-gateway.js';

describe("the local gateway's routing, as API Gateway's", () => {
  const routes = compileRoutes();

  it.each([
    ['GET', '/console/', 'console'],
    ['GET', '/console/team', 'console'],
    ['POST', '/console/team/invite', 'console'],
    ['GET', '/console/operations', 'consoleOperations'],
    ['GET', '/console/operations/dead-letters', 'consoleOperations'],
    ['POST', '/console/operations/dead-letters/sendBulk/redrive', 'consoleOperations'],
    ['GET', '/console/assets/app.css', 'consoleAssets'],
    ['GET', '/v1/usage', 'broadcastsApi'],
  ])('%s %s goes to %s: the most specific route wins, whatever the catalog order', (method, path, functionId) => {
    // Act
    const matched = matchRoute(routes, method, path);

    // Assess
    expect(matched?.route.functionId).toBe(functionId);
  });
});
