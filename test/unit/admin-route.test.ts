import { describe, expect, it, vi } from 'vitest';
import { authenticated, type AdminDependencies } from '../../functions/http/admin-route.js';
import { adminEnvSchema, type AdminEnv } from '../../shared/config/env.js';
import { AuthenticationError } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/domain/model.js';
import type { HttpRequest } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { logger } from '../../shared/runtime/logger.js';
import { hashApiKey } from '../../shared/usecases/authenticate.js';
import { aPrincipal } from '../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../support/in-memory-stores.js';

const STORED_KEY = 'crier_live_traffic-team-key';
const stored = aPrincipal({ keyId: 'key-traffic', name: 'Traffic team', role: 'sender', department: 'traffic' });
const fromAuthorizer = aPrincipal({ keyId: 'key-roads', name: 'Roads team', role: 'approver', department: 'roads' });

async function setUp() {
  const stores = inMemoryStores();
  await stores.apiKeys.create(hashApiKey(STORED_KEY), { ...stored, createdAt: '2025-03-01T09:00:00.000Z', revoked: false });
  const deps: AdminDependencies = {
    core: { stores, clock: new FixedClock('2025-03-01T09:00:00.000Z'), ids: new SequentialIds() },
    bootstrapKeyHash: async () => undefined,
  };
  const seen: Principal[] = [];
  const route = authenticated<AdminEnv, AdminDependencies>(async (_context, principal) => {
    seen.push(principal);
    return json(200, {});
  });
  const call = (request: Partial<HttpRequest>) =>
    route({
      env: adminEnvSchema.parse({ TABLE_NAME: 'crier-test' }),
      deps,
      request: { routeKey: 'GET /v1/topics', pathParameters: {}, query: {}, rawQueryString: '', headers: {}, rawBody: '', requestId: 'req-1', ...request },
    });
  return { call, seen };
}

describe('authenticated admin routes', () => {
  it("take the principal from the gateway authorizer's context", async () => {
    // Prepare
    const { call, seen } = await setUp();

    // Act
    await call({ authorizer: { lambda: { ...fromAuthorizer } } });

    // Assess
    expect(seen).toEqual([fromAuthorizer]);
  });

  it('check the key themselves where no authorizer ran (the handler called directly)', async () => {
    // Prepare
    const { call, seen } = await setUp();

    // Act
    await call({ headers: { authorization: `Bearer ${STORED_KEY}` } });

    // Assess
    expect(seen).toEqual([stored]);
  });

  it('refuse a request with neither an authorizer context nor a valid key', async () => {
    // Prepare
    const { call, seen } = await setUp();

    // Act
    const act = call({ headers: { authorization: 'Bearer crier_live_made-up' } });

    // Assess
    await expect(act).rejects.toThrow(AuthenticationError);
    expect(seen).toEqual([]);
  });

  it.each([
    { case: 'an unknown role', authorizer: { lambda: { ...fromAuthorizer, role: 'superuser' } } },
    { case: 'a missing department', authorizer: { lambda: { keyId: 'key-roads', name: 'Roads team', role: 'approver', mode: 'live' } } },
    { case: 'an extra field', authorizer: { lambda: { ...fromAuthorizer, admin: true } } },
    { case: 'an IAM authorizer instead', authorizer: { iam: { accessKey: 'AKIA…' } } },
    // The authorizer refuses at the gateway now; a refusal in its context is not a principal.
    { case: 'a refusal instead of a principal', authorizer: { lambda: { refusal: 'the API key is not valid (unknown or revoked)' } } },
  ])('do not trust an authorizer context with $case, and check the key instead', async ({ authorizer }) => {
    // Prepare
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const { call, seen } = await setUp();

    // Act
    const withKey = await call({ authorizer, headers: { authorization: `Bearer ${STORED_KEY}` } });
    const withoutKey = call({ authorizer });

    // Assess
    expect(withKey.statusCode).toBe(200);
    expect(seen).toEqual([stored]);
    await expect(withoutKey).rejects.toThrow(AuthenticationError);
  });
});
