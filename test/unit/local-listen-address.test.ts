import { describe, expect, it } from 'vitest';
import { localEnvSchema } from '../../local/environment.js';
import { listensBeyondThisMachine, listenUrls } from '../../local/listen-address.js';

describe('where the local stack listens (HOST)', () => {
  it('listens on 127.0.0.1 when HOST is not set', () => {
    // Prepare
    const environment = {};

    // Act
    const env = localEnvSchema.parse(environment);

    // Assess
    expect(env.HOST).toBe('127.0.0.1');
  });

  it.each(['0.0.0.0', '::', '::1', '192.168.1.20', 'localhost', 'crier-dev.local'])('takes HOST=%s as given', (host) => {
    // Prepare
    const environment = { HOST: host };

    // Act
    const env = localEnvSchema.parse(environment);

    // Assess
    expect(env.HOST).toBe(host);
  });

  it.each(['http://0.0.0.0', '127.0.0.1:3000', 'two words'])('refuses HOST=%s, naming the variable', (host) => {
    // Prepare
    const environment = { HOST: host };

    // Act
    const result = localEnvSchema.safeParse(environment);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['HOST']);
    expect(result.error?.issues[0]?.message).toMatch(/IP address or a host name/);
  });

  it.each([
    { address: '127.0.0.1', baseUrl: 'http://127.0.0.1:3000', publicBaseUrl: 'http://localhost:3000', beyond: false },
    { address: '::1', baseUrl: 'http://[::1]:3000', publicBaseUrl: 'http://localhost:3000', beyond: false },
    { address: '0.0.0.0', baseUrl: 'http://127.0.0.1:3000', publicBaseUrl: 'http://localhost:3000', beyond: true },
    { address: '::', baseUrl: 'http://[::1]:3000', publicBaseUrl: 'http://localhost:3000', beyond: true },
    { address: '192.168.1.20', baseUrl: 'http://192.168.1.20:3000', publicBaseUrl: 'http://192.168.1.20:3000', beyond: true },
    { address: 'fd00::20', baseUrl: 'http://[fd00::20]:3000', publicBaseUrl: 'http://[fd00::20]:3000', beyond: true },
  ])('bound to $address, it reaches itself at $baseUrl and tells providers $publicBaseUrl', ({ address, baseUrl, publicBaseUrl, beyond }) => {
    // Prepare
    const port = 3000;

    // Act
    const urls = listenUrls(address, port);

    // Assess
    expect(urls).toEqual({ baseUrl, defaultPublicBaseUrl: publicBaseUrl });
    expect(listensBeyondThisMachine(address)).toBe(beyond);
  });
});
