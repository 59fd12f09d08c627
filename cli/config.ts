import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { problemsOf } from './arguments.js';
import { configFilePath, readConfigFile } from './config-file.js';
import { apiKeySchema, baseUrlSchema, cliEnvSchema, DEFAULT_BASE_URL, type CliEnv } from './config-schemas.js';
import { ConfigError } from './errors.js';

export type UrlSource = 'flag --url' | 'CRIER_URL' | 'config file' | 'default';
export type KeySource = 'flag --key' | 'CRIER_API_KEY' | 'config file' | 'local stack';

export interface CliConfig {
  url: string;
  urlSource: UrlSource;
  key: string | undefined;
  keySource: KeySource | undefined;
  configFile: string;
  /** Where the local stack's operator key is looked for, when the URL is a local one. */
  localKeyFile: string;
  /** The URL the config file's key is saved for, when that key was held back from another URL. */
  savedKeyFor: string | undefined;
  env: CliEnv;
}

export interface ConfigFlags {
  url?: string | undefined;
  key?: string | undefined;
}

const flagsSchema = z.object({
  '--url': baseUrlSchema.optional(),
  '--key': apiKeySchema.optional(),
});

export function readCliEnv(env: NodeJS.ProcessEnv): CliEnv {
  const parsed = cliEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError('invalid environment', problemsOf(parsed.error));
  return parsed.data;
}

/**
 * Settles the URL and key, each on its own: flags, then the environment, then the config file,
 * then defaults. A key from the config file is only sent to the URL it was saved with, so
 * `--url https://elsewhere` never leaks the saved key to another server.
 */
export function resolveConfig(flags: ConfigFlags, processEnv: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CliConfig {
  const env = readCliEnv(processEnv);
  const parsedFlags = flagsSchema.safeParse({ '--url': flags.url, '--key': flags.key });
  if (!parsedFlags.success) throw new ConfigError('invalid option', problemsOf(parsedFlags.error));
  const configFile = configFilePath(env);
  const file = readConfigFile(configFile) ?? {};
  const localKeyFile = resolve(cwd, env.DATA_DIR, 'operator-key');

  const url = pick<UrlSource>(
    [parsedFlags.data['--url'], 'flag --url'],
    [env.CRIER_URL, 'CRIER_URL'],
    [file.url, 'config file'],
  ) ?? { value: DEFAULT_BASE_URL, source: 'default' };
  const fileKeyMatches = (file.url ?? DEFAULT_BASE_URL) === url.value;
  const key = pick<KeySource>(
    [parsedFlags.data['--key'], 'flag --key'],
    [env.CRIER_API_KEY, 'CRIER_API_KEY'],
    [fileKeyMatches ? file.key : undefined, 'config file'],
    [isLocalUrl(url.value) ? localOperatorKey(localKeyFile) : undefined, 'local stack'],
  );
  const savedKeyFor = file.key !== undefined && !fileKeyMatches ? (file.url ?? DEFAULT_BASE_URL) : undefined;
  return { url: url.value, urlSource: url.source, key: key?.value, keySource: key?.source, configFile, localKeyFile, savedKeyFor, env };
}

/** The key an admin call needs, or an error that says every way to give one. */
export function requireKey(config: CliConfig): string {
  if (config.key) return config.key;
  const ways = ['pass --key <key>', 'set CRIER_API_KEY', `save one with: crier configure --url ${config.url} --key <key>`];
  if (config.savedKeyFor) ways.push(`the key in ${config.configFile} is saved for ${config.savedKeyFor}, so it is not sent elsewhere`);
  if (isLocalUrl(config.url)) ways.push(`start the local stack in this directory (npm start keeps its key in ${config.localKeyFile})`);
  throw new ConfigError(`no API key for ${config.url}`, ways.map((way) => ({ field: 'hint', message: way })));
}

export function isLocalUrl(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1' || hostname === '[::1]';
}

function localOperatorKey(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const key = readFileSync(file, 'utf8').trim();
  return key === '' ? undefined : key;
}

/** The first candidate with a value, and where it came from. */
function pick<S>(...candidates: [string | undefined, S][]): { value: string; source: S } | undefined {
  for (const [value, source] of candidates) if (value !== undefined) return { value, source };
  return undefined;
}
