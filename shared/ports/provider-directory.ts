import type { Channel } from '../domain/model.js';
import type { MessagingProvider } from './messaging-provider.js';

export interface ProviderChoice {
  /** A test broadcast: the sandbox provider, whatever the deployment's settings say. */
  testMode?: boolean;
}

/** Which provider carries a channel for this deployment (resolved from settings and secrets). */
export interface ProviderDirectory {
  forChannel(channel: Channel, choice?: ProviderChoice): Promise<MessagingProvider>;
}
