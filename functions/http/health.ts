import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Liveness only: it touches nothing, so it answers even when a dependency is down. */
export const handler = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'ok' }),
});
