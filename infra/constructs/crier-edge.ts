import { Annotations, Duration } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';
import { edgeKeyCheckSource, guardedPathPrefix } from './edge-key-check.js';

export interface CrierEdgeProps {
  /** `<id>.execute-api.<region>.amazonaws.com`. */
  apiDomainName: string;
  /** Paths under `/v1/` that need no key (the OpenAPI document). */
  openAdminPaths: readonly string[];
  /** The CLOUDFRONT-scoped WAF web ACL (in us-east-1); unset, CloudFront runs without one and synth warns. */
  webAclArn?: string | undefined;
}

/** The console's static files: named by their content's hash, so CloudFront may keep them. */
export const consoleAssetsPathPattern = '/console/assets/*';

/**
 * CloudFront in front of the HTTP API, with the WAF web ACL: the public address of crier,
 * the one providers sign their webhooks against and staff open the console at. It is a
 * pass-through, not a cache: every method, every header but Host (API Gateway routes by its own
 * host name; the Authorization header and the console's cookies go through because nothing is
 * cached), every query string and the body reach API Gateway as sent. On the admin API a
 * viewer-request function refuses a missing or malformed key with crier's own 401 before any
 * Lambda runs; the console's pages are not behind it (a browser has no key: the console checks
 * its own session cookie). The one thing cached is the console's assets.
 */
export class CrierEdge extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: CrierEdgeProps) {
    super(scope, id);
    const origin = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      // API Gateway answers within 30 s; the longest admin route (an import) takes up to 29.
      readTimeout: Duration.seconds(30),
    });
    const passThrough: BehaviorOptions = {
      origin,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Providers post over HTTPS; a redirect would turn their POST into a GET.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: false,
    };
    const keyCheck = new EdgeFunction(this, 'AdminKeyCheck', {
      comment: 'crier: refuses a missing or malformed API key with 401 before API Gateway',
      code: FunctionCode.fromInline(edgeKeyCheckSource(props.openAdminPaths)),
      runtime: FunctionRuntime.JS_2_0,
    });
    // Cached: each file's name changes with its content, and the function says `immutable` for a
    // year. No cookie, header or query string reaches the origin or the cache key, so no request
    // can put a variant of a file in the cache; compressed at the edge (CSS and scripts are text).
    const consoleAssets: BehaviorOptions = {
      origin,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      compress: true,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'crier: provider webhooks, the admin API and the console',
      defaultBehavior: passThrough,
      additionalBehaviors: {
        [consoleAssetsPathPattern]: consoleAssets,
        [`${guardedPathPrefix}*`]: {
          ...passThrough,
          functionAssociations: [{ function: keyCheck, eventType: FunctionEventType.VIEWER_REQUEST }],
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Europe and North America: where a UK council's residents, staff and providers are served from.
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    if (!props.webAclArn) {
      Annotations.of(this).addWarning(
        'CloudFront has no WAF web ACL: deploy with a region (the firewall stack is built in us-east-1) or -c webAclArn=<arn>',
      );
    }
  }

  /** `https://<id>.cloudfront.net`, without a trailing slash. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
