import { Duration, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, type HttpStage, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { HttpTrigger, HttpMethod as RouteMethod, RouteKey } from '../../functions/catalog-types.js';

/**
 * A ceiling against runaway cost or abuse, not a pacing tool. It sits well above the expected
 * peak: during a large broadcast Twilio posts two or three status callbacks per message, and a
 * throttled callback is not retried, so the ceiling must not bite there.
 */
const defaultThrottle: ThrottleSettings = { rateLimit: 500, burstLimit: 1000 };

export interface CrierRoute<F extends string> {
  routeKey: RouteKey;
  functionId: F;
  authorizer: HttpTrigger['authorizer'];
}

/**
 * The HTTP API. It is created before the functions, because they need its URL (webhook
 * signatures are checked against it); routes are added once the functions exist. Only the
 * integrations depend on the functions, so the API itself never joins a dependency cycle.
 */
export class CrierHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: { throttle?: ThrottleSettings } = {}) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: Stack.of(this).stackName,
      description: 'crier: provider webhooks and the admin API',
      // The default stage HttpApi creates takes no throttle settings; this one does.
      createDefaultStage: false,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? defaultThrottle,
    });
  }

  /** `https://<id>.execute-api.<region>.amazonaws.com`, without a trailing slash. */
  get endpoint(): string {
    return this.api.apiEndpoint;
  }

  /**
   * One route per route key, each function behind a single integration shared by its routes;
   * `apiKey` routes behind the authorizer function.
   */
  addRoutes<F extends string>(routes: readonly CrierRoute<F>[], functions: Record<F, IFunction>, authorizerFunction: IFunction): void {
    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // No identity source, which an HTTP API allows when results are not cached: with one, a
      // request without the header would get API Gateway's own `{"message":"Unauthorized"}`
      // instead of crier's `401 {error, details}` naming the header. The function reads the
      // header itself and lets a missing one through as a refusal, like a bad key.
      identitySource: [],
      // No cache: a cached answer would let a revoked key work for up to its TTL, and the README
      // promises that revoking takes effect at once. Admin traffic is light; the price is one
      // short invocation and one DynamoDB read per request.
      resultsCacheTtl: Duration.seconds(0),
    });
    const integrations = new Map<F, HttpLambdaIntegration>();
    for (const route of routes) {
      const { functionId } = route;
      let integration = integrations.get(functionId);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${functionId}Integration`, functions[functionId]);
        integrations.set(functionId, integration);
      }
      const { method, path } = parseRouteKey(route.routeKey);
      this.api.addRoutes({ path, methods: [method], integration, ...(route.authorizer === 'apiKey' ? { authorizer } : {}) });
    }
  }
}

const httpMethods: Record<RouteMethod, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

/** `POST /v1/topics` → POST and `/v1/topics`; the `RouteKey` type guarantees the shape. */
export function parseRouteKey(routeKey: RouteKey): { method: HttpMethod; path: string } {
  const separator = routeKey.indexOf(' ');
  const method = routeKey.slice(0, separator) as RouteMethod;
  return { method: httpMethods[method], path: routeKey.slice(separator + 1) };
}
