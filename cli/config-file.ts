import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { problemsOf } from './arguments.js';
import { configFileSchema, type CliEnv, type ConfigFile } from './config-schemas.js';
import { ConfigError } from './errors.js';

/** `$XDG_CONFIG_HOME/crier/config.json`, else `~/.config/crier/config.json`, as the XDG spec says. */
export function configFilePath(env: Pick<CliEnv, 'XDG_CONFIG_HOME'>): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'crier', 'config.json');
}

export function readConfigFile(path: string): ConfigFile | undefined {
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`the config file ${path} is not valid JSON; fix it or run crier configure again`, [], { cause: error });
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(`the config file ${path} is invalid; fix it or run crier configure again`, problemsOf(parsed.error));
  }
  return parsed.data;
}

/**
 * Writes the file readable by its owner only, since it holds an API key. Written beside the
 * target and renamed over it, so a crash never leaves half a file behind.
 */
export function writeConfigFile(path: string, config: ConfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The mode option is ignored when the file already exists (a stale temporary), so set it again.
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
