import type { z } from 'zod';
import { type createTopicRequest, topicResponse, topicsResponse, type updateTopicRequest } from '../../shared/api/topic-schemas.js';
import { queryString, type KeyedClient } from './keyed-client.js';

export type Topic = z.infer<typeof topicResponse>;

/** The largest page the API gives: the fewest round trips when the CLI wants them all. */
const ALL_TOPICS_PAGE_SIZE = 200;

/** Topics: create, list (a page or all), change, archive. */
export function topicCalls(client: KeyedClient) {
  const calls = {
    createTopic(input: z.input<typeof createTopicRequest>) {
      return client.call(topicResponse, 'POST', '/v1/topics', input);
    },

    /** One page of topics; `cursor` in the answer when more follow. */
    listTopics(query: { archived?: boolean; limit?: number; cursor?: string } = {}) {
      return client.call(
        topicsResponse,
        'GET',
        `/v1/topics${queryString({ archived: query.archived ? 'true' : undefined, limit: query.limit, cursor: query.cursor })}`,
      );
    },

    /** Every topic, page after page. */
    async listAllTopics(query: { archived?: boolean } = {}): Promise<Topic[]> {
      const topics: Topic[] = [];
      let cursor: string | undefined;
      do {
        const { data } = await calls.listTopics({ ...query, limit: ALL_TOPICS_PAGE_SIZE, cursor });
        topics.push(...data.topics);
        cursor = data.cursor;
      } while (cursor);
      return topics;
    },

    updateTopic(id: string, changes: z.input<typeof updateTopicRequest>) {
      return client.call(topicResponse, 'PATCH', `/v1/topics/${encodeURIComponent(id)}`, changes);
    },

    archiveTopic(id: string) {
      return client.call(topicResponse, 'POST', `/v1/topics/${encodeURIComponent(id)}/archive`);
    },

    getTopic(id: string) {
      return client.call(topicResponse, 'GET', `/v1/topics/${encodeURIComponent(id)}`);
    },
  };
  return calls;
}
export type TopicCalls = ReturnType<typeof topicCalls>;
