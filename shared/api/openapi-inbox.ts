import { z } from 'zod';
import { assignRequest, conversationResponse, handleSeveralRequest, inboxExportQuery, noteRequest, severalResponse } from './inbox-schemas.js';
import { errors, idParameter, jsonContent, notFound } from './openapi-parts.js';
import { inboxEntryResponse } from './inbox-schemas.js';

const masked = "Residents' numbers are masked unless the key may read residents (`subscribers:read`).";

/** The inbox's routes beyond listing, marking handled and replying (those are in openapi.ts). */
export const inboxPaths = {
  '/v1/inbox/export': {
    get: {
      summary: "A department's inbox as CSV, as filtered (the listing's filters), newest first",
      description: `${masked} Every cell that a spreadsheet would run as a formula is prefixed with an apostrophe. At most 5,000 rows; \`x-crier-truncated: true\` says more matched (narrow the filter).`,
      requestParams: { query: inboxExportQuery },
      responses: {
        '200': {
          description: 'The messages as CSV',
          content: { 'text/csv': { schema: z.string().meta({ example: 'received,number,channel,message,topic,broadcast,handled,handled_at,handled_by,assigned_to,replies,notes\r\n' }) } },
        },
        ...errors,
      },
    },
  },
  '/v1/inbox/handled': {
    post: {
      summary: 'Mark several messages handled (or, with `"handled": false`, reopen them) at once',
      description: 'All are checked first: one unknown or of another department refuses the request and nothing changes. Each change is in the audit log.',
      requestBody: jsonContent(handleSeveralRequest),
      responses: { '200': { description: 'The messages afterwards', ...jsonContent(severalResponse) }, ...errors, ...notFound },
    },
  },
  '/v1/inbox/{id}': {
    get: {
      summary: "A resident's conversation with the department: their texts, the replies and staff's notes in order, their subscriptions and language",
      description: masked,
      requestParams: idParameter('id', 'inbox message id'),
      responses: { '200': { description: 'The conversation', ...jsonContent(conversationResponse) }, ...errors, ...notFound },
    },
  },
  '/v1/inbox/{id}/reopen': {
    post: {
      summary: 'Open a handled message again; reopening an open one changes nothing',
      requestParams: idParameter('id', 'inbox message id'),
      responses: { '200': { description: 'The message, open', ...jsonContent(inboxEntryResponse) }, ...errors, ...notFound },
    },
  },
  '/v1/inbox/{id}/assign': {
    post: {
      summary: "Assign a message to a member of staff of its department who may handle it (null: to nobody); audited with before and after",
      requestParams: idParameter('id', 'inbox message id'),
      requestBody: jsonContent(assignRequest),
      responses: { '200': { description: 'The message, assigned', ...jsonContent(inboxEntryResponse) }, ...errors, ...notFound },
    },
  },
  '/v1/inbox/{id}/notes': {
    post: {
      summary: 'Leave a note for colleagues on a message: never sent to the resident; the audit log records that a note was left, not its words',
      requestParams: idParameter('id', 'inbox message id'),
      requestBody: jsonContent(noteRequest),
      responses: { '201': { description: 'The message, with the note', ...jsonContent(inboxEntryResponse) }, ...errors, ...notFound },
    },
  },
};
