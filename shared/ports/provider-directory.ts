import type { Channel } from '../domain/model.js';
import type { MessagingProvider } from './messaging-provider.js';

/** Which provider carries a channel for this deployment (resolved from settings and secrets). */
export interface ProviderDirectory {
  forChannel(channel: Channel): Promise<MessagingProvider>;
}
