import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * `crier keys rotate-bootstrap` on the local stack: the operator key kept in DATA_DIR/operator-key
 * is replaced, the old one refused at once, the new one written to the file, and the audit log
 * says who did it. In AWS the same route puts the secret's new value (test/infra checks that the
 * keys function may put it and never read it, and test/unit/authorizer.test.ts that the
 * authorizer takes it within a minute).
 */
describe('rotating the bootstrap operator key on the local stack', () => {
  const directory = mkdtempSync(join(tmpdir(), 'crier-rotate-'));
  const keyFile = join(directory, 'operator-key');
  const firstKey = 'crier_op_first-operator-key-0123456789abcdef';
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    writeFileSync(keyFile, `${firstKey}\n`, { mode: 0o600 });
    stack = await startLocalStack({ port: 0, bootstrapKey: firstKey, operatorKeyFile: keyFile, twilio: { authToken: 'dev-token' }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, 'dev-token');
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses a sender key and a test operator key, and leaves the key as it was', async () => {
    // Prepare
    const sender = (await client.api('POST', '/v1/keys', { name: 'Roads', role: 'sender', department: 'roads', mode: 'live' }, firstKey)).json.key;
    const testOperator = (await client.api('POST', '/v1/keys', { name: 'Supplier', role: 'operator', department: '*', mode: 'test' }, firstKey)).json.key;

    // Act
    const bySender = await client.api('POST', '/v1/keys/bootstrap/rotate', undefined, sender);
    const byTestKey = await client.api('POST', '/v1/keys/bootstrap/rotate', undefined, testOperator);

    // Assess
    expect(bySender.status).toBe(403);
    expect(byTestKey.status).toBe(403);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(firstKey);
    expect((await client.api('GET', '/v1/keys', undefined, firstKey)).status).toBe(200);
  });

  it('replaces the key: the old one is refused at once, the new one works and is kept in the file, and the audit log records it', async () => {
    // Prepare
    const path = '/v1/keys/bootstrap/rotate';

    // Act
    const rotated = await client.api('POST', path, undefined, firstKey);
    const newKey: string = rotated.json.key;
    const withOldKey = await client.api('GET', '/v1/keys', undefined, firstKey);
    const withNewKey = await client.api('GET', '/v1/keys', undefined, newKey);
    const audit = await client.api('GET', '/v1/audit', undefined, newKey);

    // Assess
    expect(rotated.status).toBe(200);
    expect(newKey).toMatch(/^crier_live_[A-Za-z0-9_-]{43}$/);
    expect(withOldKey.status).toBe(401);
    expect(withNewKey.status).toBe(200);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(newKey);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(audit.json.entries[0]).toMatchObject({ action: 'key.rotateBootstrap', target: { type: 'key', id: 'bootstrap' }, actor: { keyId: 'operator' } });
    expect(JSON.stringify(audit.json)).not.toContain(newKey);
  });
});
