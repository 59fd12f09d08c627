import type { Channel, Topic } from '../domain/model.js';
import type { Language } from '../domain/language.js';
import type { Page } from '../ports/page.js';

/**
 * Topics residents join by keyword: primitive reads and conditional writes (a keyword leads to
 * one topic at most), and the subscriber counters kept beside each topic.
 */

export interface TopicPageQuery {
  limit: number;
  /** From a previous page. */
  cursor?: string;
  includeArchived: boolean;
  /** One department's topics only; undefined for every department's. */
  department?: string;
}

export interface TopicStore {
  /** Creates the topic and claims its keywords; throws ConflictError naming the clash. */
  create(topic: Topic): Promise<void>;
  /** Archived topics too. */
  get(id: string): Promise<Topic | undefined>;
  /** The topics residents can join; archived ones only when asked for. */
  list(options?: { includeArchived?: boolean }): Promise<Topic[]>;
  /** A page of topics in id order, for the admin API: full pages, and a cursor only when more match. */
  page(query: TopicPageQuery): Promise<Page<Topic>>;
  /** The active topic a keyword (upper-case) leads to; never an archived one. */
  findByKeyword(keyword: string): Promise<Topic | undefined>;
  /**
   * Changes a topic: `change` gets the topic as stored and returns it as it should be (it may
   * throw to refuse, before anything is written). Keywords the change adds are claimed before the
   * topic changes and those it drops (all of them when it archives the topic) released after, so
   * a keyword never leads to two topics. A keyword another topic holds is a ConflictError naming
   * that topic, and nothing is changed; so is a concurrent change of the same topic. Undefined
   * when there is no such topic.
   */
  update(id: string, change: (current: Topic) => Topic): Promise<{ before: Topic; after: Topic } | undefined>;
  subscriberCount(id: string): Promise<number>;
  /** The subscriber count, by channel and by language, from the same counters (one read). */
  subscriberCounts(id: string): Promise<TopicSubscriberCounts>;
}

/** A subscription's language as counted: the language the resident receives ('none': not given, so the deployment's default). */
export type CountedLanguage = Language | 'none';

/**
 * A topic's subscriptions counted (a resident on SMS and WhatsApp counts twice, as they receive
 * twice). By language: the resident's language as they now stand; subscriptions counted before
 * languages were counted are in no language until the resident's language next changes.
 */
export interface TopicSubscriberCounts {
  total: number;
  byChannel: Record<Channel, number>;
  byLanguage: Record<CountedLanguage, number>;
}
