import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../arguments.js';
import { configFilePath, readConfigFile, writeConfigFile } from '../config-file.js';
import { readCliEnv, type CliConfig } from '../config.js';
import { apiKeySchema, baseUrlSchema, DEFAULT_BASE_URL, type ConfigFile } from '../config-schemas.js';
import { contextOf, type CommandContext } from '../context.js';
import { HttpClient, isKeyRefused } from '../http.js';

const configureInput = z.object({
  '--url': baseUrlSchema.optional(),
  '--key': apiKeySchema.optional(),
});

export function registerConfigure(program: Command): void {
  program
    .command('configure')
    .description('save the URL and API key for later commands (with neither, show what is in use)')
    .addHelpText('after', '\nExample:\n  crier configure --url https://crier.example.gov.uk --key crier_op_…')
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(configureInput, { '--url': context.options.url, '--key': context.options.key });
      if (input['--url'] === undefined && input['--key'] === undefined) showConfig(context, context.config);
      else await saveConfig(context, { url: input['--url'], key: input['--key'] });
    });
}

async function saveConfig(context: CommandContext, input: ConfigFile): Promise<void> {
  const path = configFilePath(readCliEnv(process.env));
  // A broken file is being replaced, so it is not an error here.
  const previous = safely(() => readConfigFile(path)) ?? {};
  const previousUrl = previous.url ?? DEFAULT_BASE_URL;
  const urlChanged = input.url !== undefined && input.url !== previousUrl;
  // A saved key belongs to its URL: moving to another URL without a key drops the old one.
  const key = input.key ?? (urlChanged ? undefined : previous.key);
  const saved: ConfigFile = { url: input.url ?? previous.url, ...(key === undefined ? {} : { key }) };
  writeConfigFile(path, saved);

  const check = await checkAccess(saved.url ?? DEFAULT_BASE_URL, key);
  if (context.output.json) {
    context.output.raw({ configFile: path, url: saved.url, keySaved: key !== undefined, check });
    return;
  }
  context.output.line(`saved ${path}`);
  if (urlChanged && input.key === undefined && previous.key !== undefined) {
    context.output.line(`the key saved for ${previousUrl} was dropped; add one with --key`);
  }
  context.output.line(check);
}

function showConfig(context: CommandContext, config: CliConfig): void {
  const view = {
    url: config.url,
    urlSource: config.urlSource,
    key: config.key ? masked(config.key) : undefined,
    keySource: config.keySource,
    configFile: config.configFile,
  };
  if (context.output.json) {
    context.output.raw(view);
    return;
  }
  context.output.fields([
    ['url', `${view.url}  (${view.urlSource})`],
    ['key', view.key ? `${view.key}  (${view.keySource})` : 'none'],
    ['config file', view.configFile],
  ]);
}

/** A quick look, so a typo in the URL or key shows now rather than at the first real command. */
async function checkAccess(url: string, key: string | undefined): Promise<string> {
  const http = new HttpClient(url, 5_000);
  try {
    const response = await http.request('GET', '/v1/topics', key ? { headers: { authorization: `Bearer ${key}` } } : {});
    if (response.status === 200) return `checked: crier at ${url} accepts the key`;
    if (isKeyRefused(response)) return key ? `warning: crier at ${url} refused the key` : `note: no key saved; crier at ${url} wants one`;
    return `warning: crier at ${url} answered HTTP ${response.status}`;
  } catch (error) {
    return `warning: ${(error as Error).message}`;
  }
}

/** Enough of a key to tell two apart, not enough to use. */
function masked(key: string): string {
  return key.length <= 12 ? '…' : `${key.slice(0, 9)}…${key.slice(-3)}`;
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
