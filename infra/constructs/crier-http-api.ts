import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage,
  HttpApi,
  HttpMethod,
  LogGroupLogDestination,
  type HttpRoute,
  type HttpStage,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpTrigger, HttpMethod as RouteMethod, RouteKey, RouteThrottle } from '../../functions/catalog-types.js';

/**
 * The stage's default limit, which every route without its own (the admin API, the health check,
 * the OpenAPI document) takes: a ceiling against runaway cost or abuse, not a pacing tool, far
 * above what staff, scripts and the CLI send. The webhooks have limits of their own (catalog
 * `throttle`), so nothing sent to the admin API can use up theirs.
 */
export const adminThrottle: ThrottleSettings = { rateLimit: 100, burstLimit: 200 };

/**
 * One JSON object per request in the access log. `routeKey` names the route's template
 * (`GET /v1/subscribers/{phone}`), never the path, which may hold a phone number; no header is
 * logged, so neither is the Authorization header. `ip` is who connected to API Gateway: behind
 * CloudFront, an edge server (CloudFront's own logs and WAF's hold the viewer's address).
 * `keyId` is the API key the authorizer accepted; `authorizerError` says why it failed.
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  responseLength: '$context.responseLength',
  integrationStatus: '$context.integrationStatus',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  keyId: '$context.authorizer.keyId',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
} as const;

export interface CrierRoute<F extends string> {
  routeKey: RouteKey;
  functionId: F;
  authorizer: HttpTrigger['authorizer'];
  throttle?: RouteThrottle;
}

/**
 * The HTTP API. It is created before the functions, because they need its URL (webhook
 * signatures are checked against it); routes are added once the functions exist. Only the
 * integrations depend on the functions, so the API itself never joins a dependency cycle.
 */
export class CrierHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

  constructor(scope: Construct, id: string, props: { throttle?: ThrottleSettings } = {}) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: Stack.of(this).stackName,
      description: 'crier: provider webhooks, the admin API and the console',
      // The default stage HttpApi creates takes no throttle settings; this one does.
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      // Client addresses are personal data: kept as long as the functions' logs, no longer.
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? adminThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    // Per-route limits are stage route settings keyed by route key, filled in as routes are added.
    (this.stage.node.defaultChild as CfnStage).routeSettings = Lazy.any({
      produce: () => (Object.keys(this.routeSettings).length > 0 ? this.routeSettings : undefined),
    });
  }

  /** `https://<id>.execute-api.<region>.amazonaws.com`, without a trailing slash. */
  get endpoint(): string {
    return this.api.apiEndpoint;
  }

  /** `<id>.execute-api.<region>.amazonaws.com`: what a CloudFront origin is given. */
  get domainName(): string {
    const stack = Stack.of(this);
    return `${this.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }

  /**
   * One route per route key, each function behind a single integration shared by its routes;
   * `apiKey` routes behind the authorizer function; a route's own throttle as a stage route setting.
   */
  addRoutes<F extends string>(routes: readonly CrierRoute<F>[], functions: Record<F, IFunction>, authorizerFunction: IFunction): void {
    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // A request without the header is refused by API Gateway itself (`401 {"message":
      // "Unauthorized"}`) and costs no Lambda. Through CloudFront it never gets here: the edge
      // answers a missing or malformed key with crier's own 401 (CrierEdge).
      identitySource: ['$request.header.Authorization'],
      // No cache: a cached answer would let a revoked key work for up to its TTL, and revoking
      // takes effect at once. An HTTP API caches every answer alike (refusals alone cannot be
      // cached), so a cache would not help against a flood of made-up keys either.
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
      const [added] = this.api.addRoutes({ path, methods: [method], integration, ...(route.authorizer === 'apiKey' ? { authorizer } : {}) });
      if (route.throttle) this.throttleRoute(route.routeKey, route.throttle, added!);
    }
  }

  private throttleRoute(routeKey: RouteKey, throttle: RouteThrottle, route: HttpRoute): void {
    this.routeSettings[routeKey] = { ThrottlingRateLimit: throttle.ratePerSecond, ThrottlingBurstLimit: throttle.burst };
    // API Gateway refuses route settings for a route key it does not know yet.
    this.stage.node.addDependency(route);
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
