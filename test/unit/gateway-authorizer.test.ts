import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import getTopicEvent from '../../events/apigw/get-topic.json';
import { authorizeAtGateway } from '../../local/gateway-authorizer.js';

const KEY = 'crier_live_roads-team-key-0123';
const principal = { keyId: 'key-roads', name: 'Roads team', role: 'sender', department: 'roads', mode: 'live' };

function routeEvent(authorization?: string): APIGatewayProxyEventV2 {
  const event = structuredClone(getTopicEvent) as APIGatewayProxyEventV2;
  delete event.headers.authorization;
  if (authorization !== undefined) event.headers.authorization = authorization;
  return event;
}

function authorizerAnswering(answer: () => unknown) {
  const calls: APIGatewayRequestAuthorizerEventV2[] = [];
  const handler = async (event: APIGatewayRequestAuthorizerEventV2) => {
    calls.push(event);
    return answer();
  };
  return { handler, calls };
}

describe('the local gateway in front of apiKey routes, as API Gateway behaves', () => {
  it.each([
    { case: 'no Authorization header', authorization: undefined, error: 'a valid API key is required (Authorization: Bearer <key>)' },
    { case: 'a header that is not a bearer token', authorization: 'Basic b3BlcmF0b3I6c2VjcmV0', error: 'a valid API key is required (Authorization: Bearer <key>)' },
    { case: 'a token no key could be', authorization: 'Bearer not-a-key', error: 'the API key is not valid (unknown or revoked)' },
  ])("answers $case with crier's 401 as CloudFront does, and never calls the authorizer", async ({ authorization, error }) => {
    // Prepare
    const authorizer = authorizerAnswering(() => ({ isAuthorized: true, context: principal }));

    // Act
    const outcome = await authorizeAtGateway(authorizer.handler, routeEvent(authorization), () => undefined);

    // Assess
    expect(authorizer.calls).toEqual([]);
    expect(outcome).toEqual({ authorized: false, response: expect.objectContaining({ statusCode: 401, body: JSON.stringify({ error, details: [] }) }) });
  });

  it.each([
    // As API Gateway does; crier's authorizer never answers false (it hands the route its refusal).
    { case: 'answers isAuthorized false', answer: () => ({ isAuthorized: false }), status: 403, body: '{"message":"Forbidden"}' },
    { case: 'throws', answer: () => { throw new Error('table unreachable'); }, status: 500, body: '{"message":"Internal Server Error"}' },
    { case: 'answers something else', answer: () => ({ allowed: 'yes' }), status: 500, body: '{"message":"Internal Server Error"}' },
  ])('answers $status when the authorizer $case', async ({ answer, status, body }) => {
    // Prepare
    const authorizer = authorizerAnswering(answer);
    const logged: string[] = [];

    // Act
    const outcome = await authorizeAtGateway(authorizer.handler, routeEvent(`Bearer ${KEY}`), (line) => logged.push(line));

    // Assess
    expect(outcome).toEqual({ authorized: false, response: expect.objectContaining({ statusCode: status, body }) });
    expect(logged.length).toBe(status === 500 ? 1 : 0);
  });

  it('hands the authorizer the request (payload 2.0) and the route its context as requestContext.authorizer.lambda', async () => {
    // Prepare
    const authorizer = authorizerAnswering(() => ({ isAuthorized: true, context: principal }));

    // Act
    const outcome = await authorizeAtGateway(authorizer.handler, routeEvent(`Bearer ${KEY}`), () => undefined);

    // Assess
    expect(authorizer.calls).toEqual([
      expect.objectContaining({
        version: '2.0',
        type: 'REQUEST',
        identitySource: [`Bearer ${KEY}`],
        routeKey: 'GET /v1/topics/{id}',
        headers: expect.objectContaining({ authorization: `Bearer ${KEY}` }),
      }),
    ]);
    expect(outcome.authorized && outcome.event.requestContext).toEqual(expect.objectContaining({ authorizer: { lambda: principal } }));
  });

  it("hands the route a refused key's context as it came, for the route to answer crier's 401", async () => {
    // Prepare
    const refusal = { refusal: 'the API key is not valid (unknown or revoked)', keyId: 'key-leaver' };
    const authorizer = authorizerAnswering(() => ({ isAuthorized: true, context: refusal }));

    // Act
    const outcome = await authorizeAtGateway(authorizer.handler, routeEvent(`Bearer ${KEY}`), () => undefined);

    // Assess
    expect(outcome.authorized && outcome.event.requestContext).toEqual(expect.objectContaining({ authorizer: { lambda: refusal } }));
  });
});
