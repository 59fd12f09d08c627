/**
 * A local stand-in for Meta's Graph API, for the WhatsApp Cloud API adapter's tests.
 *
 * Implements `POST /{version}/{phone-number-id}/messages` as Meta documents it: a JSON body,
 * `Authorization: Bearer <access token>`, a 200 answer
 * `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id, message_status }] }` on
 * success, and Graph API error bodies `{ error: { message, type, code, error_subcode?,
 * error_data?, fbtrace_id } }` on failure. Failures can be scripted per request with `failNext`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally, readBody, scriptedDelay, sendHtmlStatus, sendJson, stopFakeServer } from './fake-http-server.js';

/** One scripted answer, used by the next request instead of the normal behaviour. */
export type FakeGraphFailure =
  /** A Graph API error: this HTTP status and error body (with `code`), or a bare status with a non-JSON body (like a proxy's 502). */
  | { status: number; code?: number; subcode?: number; message?: string; type?: string; details?: string }
  /** Close the socket without answering (a connection dropped mid-request). */
  | { dropConnection: true }
  /** Answer normally, but only after this many milliseconds (to exercise client timeouts). */
  | { delayMs: number }
  /** Answer with exactly this status and JSON body (e.g. a 200 that is not a messages answer). */
  | { respond: { status: number; body: unknown } };

export interface FakeGraphRequest {
  method: string;
  path: string;
  /** The API version in the path, e.g. `v25.0`, when the path is a messages path. */
  version: string | undefined;
  /** The phone number ID in the path, when the path is a messages path. */
  phoneNumberId: string | undefined;
  /** True when the bearer token was the fake's access token. */
  authenticated: boolean;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
}

export interface FakeWhatsAppCloudApi {
  /** e.g. `http://127.0.0.1:41234`; give it to the adapter as WHATSAPP_CLOUD_API_BASE_URL. */
  baseUrl: string;
  accessToken: string;
  phoneNumberId: string;
  /** Every request received, oldest first (a live array). */
  requests: FakeGraphRequest[];
  /** Scripts the answer to the next request; several calls queue up in order. */
  failNext(failure: FakeGraphFailure): void;
  close(): Promise<void>;
}

const MESSAGES_PATH = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/;

function sendGraphError(
  response: ServerResponse,
  status: number,
  error: { code: number; message: string; subcode?: number; type?: string; details?: string },
): void {
  sendJson(response, status, {
    error: {
      message: error.message,
      // Meta labels nearly every Cloud API error this way, whatever its cause.
      type: error.type ?? 'OAuthException',
      code: error.code,
      ...(error.subcode === undefined ? {} : { error_subcode: error.subcode }),
      ...(error.details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details: error.details } }),
      fbtrace_id: `A${randomBytes(8).toString('base64url')}`,
    },
  });
}

/** A wamid like Meta's: `wamid.` and a base64 blob. */
function wamid(): string {
  return `wamid.${randomBytes(30).toString('base64')}`;
}

export async function startFakeWhatsAppCloudApi(
  options: { accessToken?: string; phoneNumberId?: string } = {},
): Promise<FakeWhatsAppCloudApi> {
  const accessToken = options.accessToken ?? `EAAG${randomBytes(24).toString('hex')}`;
  const phoneNumberId = options.phoneNumberId ?? '106540352242922';
  const requests: FakeGraphRequest[] = [];
  const scripted: FakeGraphFailure[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function createMessage(response: ServerResponse, body: unknown): void {
    const message = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (message.messaging_product !== 'whatsapp') {
      return sendGraphError(response, 400, {
        code: 100,
        message: '(#100) The parameter messaging_product is required.',
      });
    }
    if (typeof message.to !== 'string' || message.to === '') {
      return sendGraphError(response, 400, { code: 100, message: '(#100) The parameter to is required.' });
    }
    const type = message.type ?? 'text';
    if (type === 'text' && typeof (message.text as { body?: unknown } | undefined)?.body !== 'string') {
      return sendGraphError(response, 400, { code: 100, message: '(#100) The parameter text[\'body\'] is required.' });
    }
    if (type === 'template' && typeof (message.template as { name?: unknown } | undefined)?.name !== 'string') {
      return sendGraphError(response, 400, { code: 100, message: '(#100) The parameter template[\'name\'] is required.' });
    }
    const input = message.to;
    sendJson(response, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input, wa_id: input.replace(/^\+/, '') }],
      messages: [{ id: wamid(), ...(type === 'template' ? { message_status: 'accepted' } : {}) }],
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const match = MESSAGES_PATH.exec(path);
    const text = await readBody(request);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const authenticated = request.headers.authorization === `Bearer ${accessToken}`;
    requests.push({
      method: request.method ?? 'GET',
      path,
      version: match?.[1],
      phoneNumberId: match?.[2],
      authenticated,
      headers: request.headers,
      body,
    });

    const failure = scripted.shift();
    if (failure !== undefined) {
      if ('dropConnection' in failure) {
        request.socket.destroy();
        return;
      }
      if ('respond' in failure) return sendJson(response, failure.respond.status, failure.respond.body);
      if ('status' in failure) {
        if (failure.code === undefined) return sendHtmlStatus(response, failure.status);
        return sendGraphError(response, failure.status, {
          code: failure.code,
          message: failure.message ?? `(#${failure.code}) Scripted failure`,
          ...(failure.subcode === undefined ? {} : { subcode: failure.subcode }),
          ...(failure.type === undefined ? {} : { type: failure.type }),
          ...(failure.details === undefined ? {} : { details: failure.details }),
        });
      }
      await scriptedDelay(failure.delayMs, timers);
      if (response.destroyed) return;
    }

    if (!authenticated) {
      return sendGraphError(response, 401, {
        code: 190,
        message: 'Invalid OAuth access token - Cannot parse access token',
      });
    }
    if (request.method !== 'POST' || match === undefined || match === null) {
      return sendGraphError(response, 400, { code: 100, message: `Unknown path components: ${path}` });
    }
    if (match[2] !== phoneNumberId) {
      return sendGraphError(response, 400, {
        code: 100,
        subcode: 33,
        message: `Unsupported post request. Object with ID '${match[2]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      });
    }
    createMessage(response, body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendGraphError(response, 500, { code: 1, message: `fake Graph API error: ${String(error)}` });
      else response.destroy();
    });
  });
  const port = await listenLocally(server, 'fake Graph API');

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accessToken,
    phoneNumberId,
    requests,
    failNext(failure) {
      scripted.push(failure);
    },
    close: () => stopFakeServer(server, timers),
  };
}
