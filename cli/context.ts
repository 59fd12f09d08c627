import type { Command } from 'commander';
import { z } from 'zod';
import { connectAdminApi, type AdminApi } from './admin-api.js';
import { parseArguments } from './arguments.js';
import { requireKey, resolveConfig, type CliConfig } from './config.js';
import { HttpClient } from './http.js';
import { Output } from './output.js';
import { SandboxApi } from './sandbox-api.js';

const globalOptionsSchema = z.object({
  url: z.string().optional(),
  key: z.string().optional(),
  json: z.boolean().default(false),
});
export type GlobalOptions = z.infer<typeof globalOptionsSchema>;

/**
 * What a command needs to do its job: the output, and the configuration and clients, resolved
 * only when asked for, so `crier configure` works even when the saved config is broken.
 */
export class CommandContext {
  readonly output: Output;
  #config: CliConfig | undefined;

  constructor(readonly options: GlobalOptions) {
    this.output = new Output(options.json);
  }

  get config(): CliConfig {
    this.#config ??= resolveConfig({ url: this.options.url, key: this.options.key });
    return this.#config;
  }

  http(): HttpClient {
    return new HttpClient(this.config.url);
  }

  admin(): AdminApi {
    return connectAdminApi(this.http(), requireKey(this.config), this.config.keySource);
  }

  sandbox(): SandboxApi {
    return new SandboxApi(this.http());
  }
}

/** The context of the command being run, from the options given to it and to `crier` itself. */
export function contextOf(command: Command): CommandContext {
  return new CommandContext(parseArguments(globalOptionsSchema, command.optsWithGlobals()));
}
