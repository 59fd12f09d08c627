import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import { auditQuery, auditResponse } from './audit-schemas.js';
import { errorResponseSchema } from './error-schema.js';
import { inboxEntryResponse, inboxQuery, inboxResponse } from './inbox-schemas.js';
import { createdKeyResponse, createKeyRequest, keyResponse, keysResponse, rotatedBootstrapKeyResponse } from './key-schemas.js';
import { pageQuery } from './paging.js';
import { replyTextRequest, replyTextsResponse } from './reply-text-schemas.js';
import { subscriberResponse } from './subscriber-schemas.js';
import { createTopicRequest, topicListQuery, topicResponse, topicsResponse, updateTopicRequest } from './topic-schemas.js';
import { broadcastPaths } from './openapi-broadcasts.js';
import { deadLetterPaths } from './openapi-dead-letters.js';
import { providerPaths } from './openapi-providers.js';
import { staffPaths } from './openapi-staff.js';
import { templatePaths } from './openapi-templates.js';
import { inboxPaths } from './openapi-inbox.js';
import { conflict, errors, idParameter, jsonContent, notFound } from './openapi-parts.js';
import { subscriberImportCsv, subscriberImportResponse } from './subscriber-import-schemas.js';
import { residentMessagesResponse } from './resident-message-schemas.js';
import { replyRequestSchema } from '../inbox/reply-rules.js';

/** The admin API's OpenAPI document, built from the same zod schemas the handlers validate with. */
export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'crier admin API',
      version: '1',
      description: 'Topics, subscribers, broadcasts, API keys, staff, the audit log, the dead-letter queues and the providers of a crier deployment. Every route needs `Authorization: Bearer <api key>`.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ apiKey: [] }],
    paths: {
      ...broadcastPaths,
      ...deadLetterPaths,
      ...providerPaths,
      ...staffPaths,
      ...templatePaths,
      ...inboxPaths,
      '/v1/topics': {
        post: {
          summary: 'Create a topic with its keywords',
          requestBody: jsonContent(createTopicRequest),
          responses: { '201': { description: 'Created', ...jsonContent(topicResponse) }, ...errors, ...conflict },
        },
        get: {
          summary: 'List topics with subscriber counts (total, by channel, by language), in id order, a page at a time (archived ones only with ?archived=true)',
          description: 'Pages are full but for the last; `cursor` is there only when more topics follow. Pass it back as `?cursor=`.',
          requestParams: { query: topicListQuery },
          responses: { '200': { description: 'A page of topics', ...jsonContent(topicsResponse) }, ...errors },
        },
      },
      '/v1/topics/{id}': {
        get: {
          summary: 'One topic with its subscriber counts: total, by channel and by language',
          requestParams: idParameter('id', 'topic id'),
          responses: { '200': { description: 'The topic', ...jsonContent(topicResponse) }, ...errors, ...notFound },
        },
        patch: {
          summary: 'Change a topic: name, keywords, aliases, approval, confirmed opt-in, department (operators only)',
          description:
            'Only the fields given change. Keywords are unique across the deployment: one that another topic holds is a 409 naming that topic, and nothing changes. Every change is in the audit log with before and after.',
          requestParams: idParameter('id', 'topic id'),
          requestBody: jsonContent(updateTopicRequest),
          responses: { '200': { description: 'The topic as changed', ...jsonContent(topicResponse) }, ...errors, ...notFound, ...conflict },
        },
      },
      '/v1/topics/{id}/archive': {
        post: {
          summary: 'Archive a topic',
          description:
            'No new subscribers (JOIN gets the unknown-topic answer), out of HELP and TOPICS, no broadcasts, keywords free for other topics. Residents who have it keep it and can STOP. Archiving twice changes nothing.',
          requestParams: idParameter('id', 'topic id'),
          responses: { '200': { description: 'The archived topic', ...jsonContent(topicResponse) }, ...errors, ...notFound },
        },
      },
      '/v1/subscribers/{phone}': {
        get: {
          summary: 'A subscriber: profile, subscriptions and consent history',
          requestParams: idParameter('phone', 'phone number, E.164 or national form'),
          responses: { '200': { description: 'The subscriber', ...jsonContent(subscriberResponse) }, ...errors, ...notFound },
        },
        delete: {
          summary: 'Erase a subscriber (an anonymised opt-out tombstone is kept)',
          requestParams: idParameter('phone', 'phone number, E.164 or national form'),
          responses: { '204': { description: 'Erased' }, ...errors, ...notFound },
        },
      },
      '/v1/subscribers/{phone}/messages': {
        get: {
          summary: 'What crier sent a resident (broadcasts, automatic replies, inbox replies) and their inbox conversations (operators)',
          description:
            'Read from the records crier keeps anyway (a message id is derived from the broadcast or text and the number), so listing costs no write per message sent. Only records still kept are listed: each expires at the end of the retention period.',
          requestParams: idParameter('phone', 'phone number, E.164 or national form'),
          responses: { '200': { description: 'The messages, newest first', ...jsonContent(residentMessagesResponse) }, ...errors, ...notFound },
        },
      },
      '/v1/subscribers/import': {
        post: {
          summary: 'Import opted-in residents from a CSV file, with the consent evidence of each row (operators, and senders for their department)',
          description:
            'All or nothing: any bad row refuses the file, each problem named by line and column, and a failure part-way takes back what the import wrote. Sending the same file again with the same key is the same import (the same batchId): rows already written are not doubled. A resident already known keeps their profile; the file sets area, language and age band only for new residents.',
          requestBody: { content: { 'text/csv': { schema: subscriberImportCsv } } },
          responses: {
            '201': { description: 'Imported', ...jsonContent(subscriberImportResponse) },
            ...errors,
            '413': { description: 'The file is larger than the API takes', ...jsonContent(errorResponseSchema) },
          },
        },
      },
      '/v1/inbox': {
        get: {
          summary: "Residents' free-text messages for a department, newest first, filtered and paged",
          requestParams: { query: inboxQuery },
          responses: { '200': { description: 'A page of the inbox', ...jsonContent(inboxResponse) }, ...errors },
        },
      },
      '/v1/inbox/{id}/handled': {
        post: {
          summary: 'Mark a message handled, with who and when; marking it again changes nothing',
          requestParams: idParameter('id', 'inbox message id'),
          responses: { '200': { description: 'The message, handled', ...jsonContent(inboxEntryResponse) }, ...errors, ...notFound },
        },
      },
      '/v1/inbox/{id}/reply': {
        post: {
          summary:
            "Reply to the resident who sent a message, in free text (`body`) or from a saved template of the message's department (`templateId`: its text in the resident's language), on the urgent lane as every reply goes (paced, recorded, costed). Refused with 409 and the reason when they have opted out, their number was erased, or on WhatsApp more than 24 hours after their last message, unless the saved template has a WhatsApp template: then that is sent",
          requestParams: idParameter('id', 'inbox message id'),
          requestBody: jsonContent(replyRequestSchema),
          responses: {
            '201': { description: 'The message, with the reply queued', ...jsonContent(inboxEntryResponse) },
            ...errors,
            ...notFound,
            ...conflict,
          },
        },
      },
      '/v1/replies': {
        get: {
          summary: 'Every reply to residents in every language: built-in wording and the operator override',
          responses: { '200': { description: 'The replies', ...jsonContent(replyTextsResponse) }, ...errors },
        },
      },
      '/v1/replies/{language}/{replyId}': {
        put: {
          summary: "Set the operator's wording of one reply in one language",
          requestParams: { path: z.object({ language: z.string(), replyId: z.string() }) },
          requestBody: jsonContent(replyTextRequest),
          responses: { '200': { description: 'Saved' }, ...errors },
        },
        delete: {
          summary: 'Go back to the built-in wording',
          requestParams: { path: z.object({ language: z.string(), replyId: z.string() }) },
          responses: { '204': { description: 'Removed' }, ...errors },
        },
      },
      '/v1/keys': {
        post: {
          summary: 'Create an API key for a department and role (operators only); the secret is in this answer only',
          requestBody: jsonContent(createKeyRequest),
          responses: { '201': { description: 'Created; keep the key now, it is stored hashed', ...jsonContent(createdKeyResponse) }, ...errors },
        },
        get: {
          summary: 'List API keys, never their secrets (operators only)',
          requestParams: { query: pageQuery },
          responses: { '200': { description: 'A page of keys', ...jsonContent(keysResponse) }, ...errors },
        },
      },
      '/v1/keys/{id}/revoke': {
        post: {
          summary: 'Revoke a key: it stops working at once (operators only)',
          requestParams: idParameter('id', 'key id'),
          responses: { '200': { description: 'Revoked', ...jsonContent(keyResponse) }, ...errors, ...notFound },
        },
      },
      '/v1/keys/bootstrap/rotate': {
        post: {
          summary:
            'Replace the bootstrap operator key with a new one (live operator keys only; audited): the old one stops working within a minute',
          responses: { '200': { description: 'Rotated; keep the new key now', ...jsonContent(rotatedBootstrapKeyResponse) }, ...errors },
        },
      },
      '/v1/audit': {
        get: {
          summary: 'The audit log of admin actions, newest first (operators only)',
          requestParams: { query: auditQuery },
          responses: { '200': { description: 'A page of the audit log', ...jsonContent(auditResponse) }, ...errors },
        },
      },
    },
  });
}
