import { describe, expect, it, vi } from 'vitest';
import { authenticated, type AdminDependencies } from '../../functions/http/admin-route.js';
import { adminEnvSchema, type AdminEnv } from '../../shared/config/env.js';
import { AuthenticationError } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/domain/model.js';
import type { HttpRequest } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { logger } from '../../shared/runtime/logger.js';
import { hashApiKey } from '../../shared/staff/authenticate.js';
import { aPrincipal } from '../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../support/in-memory-stores.js';

const STORED_KEY = 'crier_live_traffic-team-key';
const stored = aPrincipal({ keyId: 'key-traffic', name: 'Traffic team', role: 'sender', department: 'traffic' });
const fromAuthorizer = aPrincipal({ keyId: 'key-roads', name: 'Roads team', role: 'approver', department: 'roads' });

async function setUp() {
  const stores = inMemoryStores();
  await stores.apiKeys.create(hashApiKey(STORED_KEY), { ...stored, createdAt: '2025-03-01T09:00:00.000Z', revoked: false });
  // Every read of a key, from the table or the bootstrap secret: a refused request must make none.
  const keyReads = vi.spyOn(stores.apiKeys, 'findByHash');
  const bootstrapReads = vi.fn(async () => undefined);
  const deps: AdminDependencies = {
    core: { stores, clock: new FixedClock('2025-03-01T09:00:00.000Z'), ids: new SequentialIds() },
    bootstrapKeyHash: bootstrapReads,
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
  return { call, seen, keyReads, bootstrapReads };
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

  it.each([
    { case: 'an unknown key', lambda: { refusal: 'the API key is not valid (unknown or revoked)' }, keyId: undefined },
    { case: 'a revoked key', lambda: { refusal: 'the API key is not valid (unknown or revoked)', keyId: 'key-leaver' }, keyId: 'key-leaver' },
    { case: 'a malformed key', lambda: { refusal: 'a valid API key is required (Authorization: Bearer <key>)' }, keyId: undefined },
  ])("refuse with 401 a request the authorizer let through with only its refusal ($case): no read, no route", async ({ lambda, keyId }) => {
    // Prepare: the header even holds a stored key; the authorizer's word stands, and nothing looks it up again.
    const { call, seen, keyReads, bootstrapReads } = await setUp();

    // Act
    const attempt = call({ authorizer: { lambda }, headers: { authorization: `Bearer ${STORED_KEY}` } });

    // Assess
    await expect(attempt).rejects.toThrow(AuthenticationError);
    await expect(attempt).rejects.toMatchObject({ message: lambda.refusal, keyId });
    expect(keyReads).not.toHaveBeenCalled();
    expect(bootstrapReads).not.toHaveBeenCalled();
    expect(seen).toEqual([]);
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
