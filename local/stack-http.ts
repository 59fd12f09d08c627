import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { authorizeAtGateway } from './gateway-authorizer.js';
import { compileRoutes, matchRoute, MAX_BODY_BYTES, normaliseResult, readBody, respond, toApiGatewayEvent } from './http-gateway.js';
import type { LocalIdentityProvider } from './identity-provider.js';
import type { Sandbox } from './sandbox.js';
import type { LoadedFunctions } from './stack-functions.js';

export interface GatewayParts extends LoadedFunctions {
  baseUrl: string;
  identityProvider: LocalIdentityProvider;
  sandbox: Sandbox;
  log: (line: string) => void;
}

/**
 * The local API Gateway: a request goes to the embedded identity provider, the sandbox, or the
 * route's function (behind the authorizer for `apiKey` routes), as an API Gateway v2 event.
 */
export function gatewayListener({ baseUrl, identityProvider, sandbox, httpHandlers, authorizer, log }: GatewayParts): RequestListener {
  const routes = compileRoutes();

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    // The identity provider reads its own bodies (oidc-provider parses its endpoints' forms).
    if (identityProvider.handles(url)) {
      await identityProvider.handle(request, response, url);
      return;
    }
    const body = await readBody(request);
    if (body === undefined) {
      respond(response, { statusCode: 413, body: JSON.stringify({ error: `request body is larger than ${MAX_BODY_BYTES} bytes`, details: [] }) });
      return;
    }
    if (await sandbox.handle(request, response, url, body)) return;
    const matched = matchRoute(routes, request.method ?? 'GET', url.pathname);
    if (!matched) {
      respond(response, { statusCode: 404, body: JSON.stringify({ error: `no route for ${request.method} ${url.pathname}`, details: [] }) });
      return;
    }
    const handler = httpHandlers.get(matched.route.functionId);
    if (!handler) throw new Error(`no handler loaded for ${matched.route.functionId}`);
    let event = toApiGatewayEvent(request, url, body, matched);
    if (matched.route.authorizer === 'apiKey') {
      const authorization = await authorizeAtGateway(authorizer, event, log);
      if (!authorization.authorized) {
        respond(response, authorization.response);
        return;
      }
      event = authorization.event;
    }
    const result = await handler(event);
    respond(response, normaliseResult(result));
  }

  return (request, response) => {
    void serve(request, response).catch((error: unknown) => {
      log(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) respond(response, { statusCode: 500, body: JSON.stringify({ error: 'internal error', details: [] }) });
    });
  };
}
