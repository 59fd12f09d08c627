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

/**
 * CloudFront in front of the HTTP API, with the WAF web ACL: the public address of crier,
 * the one providers sign their webhooks against. It is a pass-through, never a cache: every
 * method, every header but Host (API Gateway routes by its own host name; the Authorization
 * header goes through because nothing is cached), every query string and the body reach API
 * Gateway as sent. On the admin API a viewer-request function refuses a missing or malformed key
 * with crier's own 401 before any Lambda runs.
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
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'crier: provider webhooks and the admin API',
      defaultBehavior: passThrough,
      additionalBehaviors: {
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
