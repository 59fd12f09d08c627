import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import getTopicEvent from '../../events/apigw/get-topic.json';
import { authorizeAtGateway } from '../../local/gateway-authorizer.js';

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
  it('calls the authorizer even without an Authorization header (no identity source), so crier answers the 401', async () => {
    // Prepare
    const refusal = { refusal: 'the Authorization header is missing' };
    const authorizer = authorizerAnswering(() => ({ isAuthorized: true, context: refusal }));

    // Act
    const outcome = await authorizeAtGateway(authorizer.handler, routeEvent(), () => undefined);

    // Assess
    expect(authorizer.calls).toHaveLength(1);
    expect(authorizer.calls[0]?.headers?.authorization).toBeUndefined();
    expect(outcome).toMatchObject({ authorized: true, event: { requestContext: { authorizer: { lambda: refusal } } } });
  });

  it.each([
    { case: 'refuses the key', answer: () => ({ isAuthorized: false }), status: 403, body: '{"message":"Forbidden"}' },
    { case: 'throws', answer: () => { throw new Error('table unreachable'); }, status: 500, body: '{"message":"Internal Server Error"}' },
    { case: 'answers something else', answer: () => ({ allowed: 'yes' }), status: 500, body: '{"message":"Internal Server Error"}' },
  ])('answers $status when the authorizer $case', async ({ answer, status, body }) => {
    // Prepare
    const authorizer = authorizerAnswering(answer);
    const logged: string[] = [];

    // Act
    const outcome = await authorizeAtGateway(authorizer.handler, routeEvent('Bearer some-key'), (line) => logged.push(line));

    // Assess
    expect(outcome).toEqual({ authorized: false, response: expect.objectContaining({ statusCode: status, body }) });
    expect(logged.length).toBe(status === 500 ? 1 : 0);
  });

  it('hands the authorizer the request (payload 2.0) and the route its context as requestContext.authorizer.lambda', async () => {
    // Prepare
    const authorizer = authorizerAnswering(() => ({ isAuthorized: true, context: principal }));

    // Act
    const outcome = await authorizeAtGateway(authorizer.handler, routeEvent('Bearer some-key'), () => undefined);

    // Assess
    expect(authorizer.calls).toEqual([
      expect.objectContaining({
        version: '2.0',
        type: 'REQUEST',
        identitySource: [],
        routeKey: 'GET /v1/topics/{id}',
        headers: expect.objectContaining({ authorization: 'Bearer some-key' }),
      }),
    ]);
    expect(outcome.authorized && outcome.event.requestContext).toEqual(expect.objectContaining({ authorizer: { lambda: principal } }));
  });
});
