/**
 * A local stand-in for AWS End User Messaging SMS (`pinpoint-sms-voice-v2`), for running the real
 * SDK client in tests: `SendTextMessage` as the AWS JSON 1.0 protocol carries it (a POST with
 * `X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage` and a JSON body), answering `{ MessageId }`,
 * or an AWS error (`__type`, `Message` and the exception's own fields, e.g. `Reason`) when scripted
 * with `failNext`. The SDK signs each request with its credentials; the fake does not check them.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson, stopFakeServer } from './fake-http-server.js';

/** An AWS error answer: its HTTP status, exception name and fields. */
export interface FakeAwsSmsFailure {
  status: number;
  type: string;
  message: string;
  fields?: Record<string, string>;
}

export interface FakeAwsSmsRequest {
  target: string | undefined;
  /** The SigV4 Authorization header the SDK sent. */
  authorization: string | undefined;
  body: unknown;
}

export interface FakeAwsSmsApi {
  /** Give it to the SDK client as `endpoint`. */
  endpoint: string;
  requests: FakeAwsSmsRequest[];
  failNext(failure: FakeAwsSmsFailure): void;
  close(): Promise<void>;
}

export async function startFakeAwsSmsApi(): Promise<FakeAwsSmsApi> {
  const requests: FakeAwsSmsRequest[] = [];
  const scripted: FakeAwsSmsFailure[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      const target = request.headers['x-amz-target'];
      requests.push({ target: typeof target === 'string' ? target : undefined, authorization: request.headers.authorization, body: text ? JSON.parse(text) : undefined });
      const failure = scripted.shift();
      if (failure) return sendJson(response, failure.status, { __type: failure.type, Message: failure.message, ...failure.fields });
      if (target !== 'PinpointSMSVoiceV2.SendTextMessage') return sendJson(response, 400, { __type: 'UnknownOperationException', Message: `unknown operation ${String(target)}` });
      sendJson(response, 200, { MessageId: randomUUID() });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    failNext: (failure) => scripted.push(failure),
    close: () => stopFakeServer(server, new Set()),
  };
}
