import type { z } from 'zod';
import { residentMessagesResponse } from '../../shared/api/resident-message-schemas.js';
import { subscriberResponse } from '../../shared/api/subscriber-schemas.js';
import { subscriberImportResponse } from '../../shared/api/subscriber-import-schemas.js';
import { noContent, RawBody, type KeyedClient } from './keyed-client.js';

export type SubscriberImport = z.infer<typeof subscriberImportResponse>;
export type ResidentMessages = z.infer<typeof residentMessagesResponse>;

const subscriberView = subscriberResponse;
export type Subscriber = z.infer<typeof subscriberView>;

/** Subscribers: look one up, their messages, import a file, erase one. */
export function subscriberCalls(client: KeyedClient) {
  return {
    getSubscriber(phone: string) {
      return client.call(subscriberView, 'GET', `/v1/subscribers/${encodeURIComponent(phone)}`);
    },

    subscriberMessages(phone: string) {
      return client.call(residentMessagesResponse, 'GET', `/v1/subscribers/${encodeURIComponent(phone)}/messages`);
    },

    /** The file goes as it is, as text/csv; an import may take the API its full 30 seconds. */
    importSubscribers(csv: string) {
      return client.call(subscriberImportResponse, 'POST', '/v1/subscribers/import', new RawBody(csv, 'text/csv', 35_000));
    },

    eraseSubscriber(phone: string) {
      return client.call(noContent, 'DELETE', `/v1/subscribers/${encodeURIComponent(phone)}`);
    },
  };
}
export type SubscriberCalls = ReturnType<typeof subscriberCalls>;
