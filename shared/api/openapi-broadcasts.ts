import { z } from 'zod';
import { usageQuery, usageResponse } from './usage-schemas.js';
import {
  broadcastListQuery,
  broadcastListResponse,
  broadcastPreviewResponse,
  previewBroadcastRequest,
  broadcastResponse,
  createBroadcastRequest,
  deliveryReportQuery,
  departmentLimitsRequest,
  departmentLimitsResponse,
  rejectBroadcastRequest,
  sandboxOutboxQuery,
  sandboxOutboxResponse,
} from './broadcast-schemas.js';
import { conflict, errors, idParameter, jsonContent, notFound, overLimit } from './openapi-parts.js';

const broadcastId = idParameter('id', 'broadcast id');
const aBroadcast = (description: string) => ({ description, ...jsonContent(broadcastResponse) });

/** The broadcast routes of the OpenAPI document: lifecycle, listing and department limits. */
export const broadcastPaths = {
  '/v1/broadcasts': {
    post: {
      summary: 'Create a broadcast',
      description:
        'Submitted at once unless `draft` is true: it then waits for approval where a topic asks for the two-person rule (or an operator when the audience is above the department threshold), is scheduled when `sendAt` is ahead or quiet hours are on (normal priority), or starts sending.',
      requestBody: jsonContent(createBroadcastRequest),
      responses: { '201': aBroadcast('Created'), ...errors, ...notFound, ...overLimit },
    },
    get: {
      summary: "The broadcasts the key's department can see, newest first",
      requestParams: { query: broadcastListQuery },
      responses: { '200': { description: 'A page of broadcasts', ...jsonContent(broadcastListResponse) }, ...errors },
    },
  },
  '/v1/broadcasts/preview': {
    post: {
      summary: 'Preview a broadcast without making it',
      description:
        'Audience by channel and language (after de-duplication and filters), each language version as it would be sent with its SMS encoding (GSM-7 or UCS-2, and the characters that forced UCS-2) and segments, the estimated cost, when it would start, the limits it meets, and warnings (such as one character doubling the cost).',
      requestBody: jsonContent(previewBroadcastRequest),
      responses: { '200': { description: 'The preview', ...jsonContent(broadcastPreviewResponse) }, ...errors },
    },
  },
  '/v1/broadcasts/{id}/preview': {
    get: {
      summary: 'Preview a broadcast already made (a draft, or one waiting for approval)',
      requestParams: broadcastId,
      responses: { '200': { description: 'The preview', ...jsonContent(broadcastPreviewResponse) }, ...errors, ...notFound },
    },
  },
  '/v1/broadcasts/{id}': {
    get: {
      summary: 'A broadcast with its status and counts',
      requestParams: broadcastId,
      responses: { '200': aBroadcast('The broadcast'), ...errors, ...notFound },
    },
  },
  '/v1/broadcasts/{id}/report': {
    get: {
      summary: "A broadcast's delivery report, as CSV: one line per resident it was sent, is sending or skipped",
      description:
        'Columns `number,channel,status,time,reason`, by number, a page at a time (every page has the header line). `number` is whole only for roles that may read residents (operators, live keys); ' +
        'for the others all but its last 3 digits are masked (`*********123`). `time` is when the message last moved (sent, delivered, failed or skipped); `reason` says why it was skipped or failed, in words. ' +
        "A cell a spreadsheet would run as a formula (starting `=`, `+`, `-` or `@`) starts with an apostrophe. When more rows follow, a `Link: <…>; rel=\"next\"` header gives the next page's address. " +
        'Residents who were erased are not in it.',
      requestParams: { ...broadcastId, query: deliveryReportQuery },
      responses: {
        '200': {
          description: 'A page of the report',
          headers: z.object({
            link: z.string().optional().meta({ description: 'the next page, as `</v1/broadcasts/{id}/report?cursor=…&limit=…>; rel="next"`; absent on the last page' }),
          }),
          content: { 'text/csv': { schema: z.string().meta({ example: 'number,channel,status,time,reason\r\n*********123,sms,delivered,2026-12-01T09:00:05.000Z,\r\n' }) } },
        },
        ...errors,
        ...notFound,
      },
    },
  },
  '/v1/broadcasts/{id}/submit': {
    post: {
      summary: 'Submit a draft',
      requestParams: broadcastId,
      responses: { '200': aBroadcast('Waiting for approval, scheduled or sending'), ...errors, ...notFound, ...conflict, ...overLimit },
    },
  },
  '/v1/broadcasts/{id}/approve': {
    post: {
      summary: 'Approve a broadcast (by someone other than its author)',
      requestParams: broadcastId,
      responses: { '200': aBroadcast('Approved: scheduled or sending'), ...errors, ...notFound, ...conflict, ...overLimit },
    },
  },
  '/v1/broadcasts/{id}/reject': {
    post: {
      summary: 'Turn a broadcast down, saying why (by someone other than its author)',
      requestParams: broadcastId,
      requestBody: jsonContent(rejectBroadcastRequest),
      responses: { '200': aBroadcast('Rejected'), ...errors, ...notFound, ...conflict },
    },
  },
  '/v1/broadcasts/{id}/cancel': {
    post: {
      summary: 'Cancel a broadcast that is a draft, waiting, scheduled or sending',
      requestParams: broadcastId,
      responses: { '200': aBroadcast('Cancelled'), ...errors, ...notFound, ...conflict },
    },
  },
  '/v1/sandbox/messages': {
    get: {
      summary: "What test keys' broadcasts \"sent\" in this deployment (kept 7 days; nobody received them)",
      description:
        'Where there is no sandbox server (AWS), the sandbox provider records each test message here. The local stack has its own at `/sandbox/messages`. ' +
        "A key sees its own department's messages (operators every department's); a test key sees test messages only, with residents' numbers masked (`+44xxxxxxx123`).",
      requestParams: { query: sandboxOutboxQuery },
      responses: { '200': { description: 'A page of one day, newest first', ...jsonContent(sandboxOutboxResponse) }, ...errors },
    },
  },
  '/v1/departments/{id}/limits': {
    get: {
      summary: "A department's daily message cap and operator-approval threshold, and what today has used",
      requestParams: idParameter('id', 'department'),
      responses: { '200': { description: 'The limits', ...jsonContent(departmentLimitsResponse) }, ...errors },
    },
    put: {
      summary: "Set a department's limits (operators); null returns a limit to the deployment's default",
      requestParams: idParameter('id', 'department'),
      requestBody: jsonContent(departmentLimitsRequest),
      responses: { '200': { description: 'The limits now', ...jsonContent(departmentLimitsResponse) }, ...errors },
    },
  },
  '/v1/usage': {
    get: {
      summary: "Messages sent and their estimated cost per department, per day or per month (an operator's: every department; anyone else's: their own)",
      description:
        "From each department's daily usage item (where the daily cap is counted; kept 400 days). `format=csv` or `Accept: text/csv` answers a spreadsheet: `department,period,messages sent,counted against daily cap,estimated cost,of which replies,currency`.",
      requestParams: { query: usageQuery },
      responses: {
        '200': {
          description: 'The usage',
          content: {
            ...jsonContent(usageResponse).content,
            'text/csv': { schema: z.string().meta({ example: 'department,period,messages sent,counted against daily cap,estimated cost,of which replies,currency\r\ntraffic,2026-12,1200,1200,48.5,0.4,GBP\r\n' }) },
          },
        },
        ...errors,
      },
    },
  },
};
