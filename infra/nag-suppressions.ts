import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { functionIds, httpRoutes, type FunctionId } from '../functions/catalog.js';
import type { CrierEdge } from './constructs/crier-edge.js';
import type { CrierFunction } from './constructs/crier-function.js';
import type { CrierHttpApi } from './constructs/crier-http-api.js';
import type { CrierSecrets } from './constructs/crier-secrets.js';
import type { CrierTable } from './constructs/crier-table.js';

/**
 * Every cdk-nag finding crier accepts, in one place, each with the reason a reviewer can check.
 * cdk-nag 3 acknowledges one finding id at a time (an IAM5 finding names its action or resource),
 * on a construct or any of its ancestors. test/infra/cdk-nag.test.ts synthesizes the stack with the
 * AwsSolutions pack and fails on any finding not listed here.
 *
 * To add one: a row with the rule id as cdk-nag reports it, the reason (why the rule does not
 * apply, or what stands in its place), and where it applies (as narrowly as the finding allows).
 */
/**
 * The parts of the stack the acknowledgements point at. CrierStack has them all; naming them here,
 * rather than importing the stack, keeps this file below the stack that calls it.
 */
export interface NaggedStack {
  readonly functions: Record<FunctionId, CrierFunction>;
  readonly httpApi: CrierHttpApi;
  readonly secrets: CrierSecrets;
  readonly edge: CrierEdge;
  readonly table: CrierTable;
}

export interface NagAcknowledgement {
  id: string;
  reason: string;
  /** The constructs it applies to; a construct absent from this deployment is simply skipped. */
  where: (stack: NaggedStack) => (IConstruct | undefined)[];
}

const functions = (stack: NaggedStack, ids: readonly FunctionId[] = functionIds) => ids.map((id) => stack.functions[id]);

/** The routes the gateway does not authorize, by the construct id CDK gives each (`POST--webhooks--twilio--inbound`). */
const openRoutes = (stack: NaggedStack) =>
  httpRoutes()
    .filter((route) => route.authorizer === 'none')
    .map((route) => {
      const construct = stack.httpApi.api.node.tryFindChild(route.routeKey.replace(' ', '').replaceAll('/', '--'));
      if (!construct) throw new Error(`nag-suppressions.ts: no route construct for ${route.routeKey}; CDK named it differently`);
      return construct;
    });

/** A finding on the sms-voice statement of the senders' roles: the resource cdk-nag names. */
const smsVoiceResource = (resource: string) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:${resource}]`;
const senders = (stack: NaggedStack) => functions(stack, ['sendUrgent', 'sendBulk']);

export const nagAcknowledgements: NagAcknowledgement[] = [
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'Provider webhooks cannot carry an API key: each checks the provider signature (Twilio X-Twilio-Signature, Meta X-Hub-Signature-256) before anything is stored, and refuses with 403. /health and /v1/openapi.json are public by design: they reveal no data and grant nothing. The console (/ and /console/…) is used by people in a browser, who hold no API key: every page but sign-in checks the session cookie against its session record and sends a person without one to sign in (OpenID Connect, Cognito with MFA); its assets are public files.',
    where: openRoutes,
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      'Provider credentials are issued by Twilio and Meta and can only be rotated in their consoles (then pasted into the secret; functions re-read it within 5 minutes): a Secrets Manager rotation function cannot create them.',
    where: (stack) => [stack.secrets.byId.twilio, stack.secrets.byId.whatsappCloud],
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      'The bootstrap operator key is rotated on demand with `crier keys rotate-bootstrap` (audited; the authorizer takes the new key within a minute), not on a timer: a scheduled rotation would lock operators out until they read the new value.',
    where: (stack) => [stack.secrets.byId.bootstrapKey],
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      'The key erased numbers are hashed with must never change: erasure tombstones are found by it, so a rotated key would let an import bring back every number erased before. It is generated at deploy, read by the subscribers function alone, and never shown to anyone.',
    where: (stack) => [stack.secrets.byId.phoneHashKey],
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      "The console's client secret is made by Cognito and copied into the secret by CloudFormation at each deploy: Cognito's app client is where it lives, so a Secrets Manager rotation would only make the copy disagree with Cognito and break the sign-in. It is read by the console alone and never leaves AWS; to replace it, replace the app client and deploy (docs/security.md).",
    where: (stack) => [stack.secrets.byId.consoleClient],
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS grants them on * (the statement holds those two actions only; test/infra/least-privilege.test.ts checks it).',
    where: (stack) => functions(stack),
  },
  {
    id: 'AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/stream/*]',
    reason:
      "dynamodb:ListStreams alone, for the receipt counter's stream event source: listing names no stream, so it is granted on this table's streams (table/<name>/stream/*), as AWS's own policy for stream consumers does; reading records is granted on the table's one stream ARN.",
    where: (stack) => functions(stack, ['countReceipts']),
  },
  {
    id: 'AwsSolutions-CFR1',
    reason:
      "No geo restriction: residents text from abroad and providers call the webhooks from their own worldwide addresses; WAF's per-address rate rules and the managed rule sets stand in its place.",
    where: (stack) => [stack.edge.distribution],
  },
  {
    id: 'AwsSolutions-CFR3',
    reason:
      "CloudFront standard logs need an S3 bucket with ACLs enabled; every request that passes the edge is in the API's JSON access log, and every refusal at the edge is logged by the viewer-request function (docs/security.md).",
    where: (stack) => [stack.edge.distribution],
  },
  {
    id: 'AwsSolutions-CFR4',
    reason:
      "On CloudFront's default *.cloudfront.net certificate the minimum protocol cannot be raised above TLSv1; a custom domain with its own ACM certificate would allow TLSv1.2_2021, which the stack does not offer yet (docs/security.md, what is left). Providers and the CLI negotiate TLS 1.2 or later.",
    where: (stack) => [stack.edge.distribution],
  },
  {
    id: smsVoiceResource('opt-out-list/*'),
    reason:
      'SendTextMessage is also authorized against the opt-out list of the origination identity, which is chosen in End User Messaging, not in crier; the grant is this account and region only, and for SendTextMessage alone.',
    where: senders,
  },
  {
    id: smsVoiceResource('phone-number/*'),
    reason:
      'Only when the AWS SMS identity is given as an E.164 number: IAM names a number by its ID, which the number does not reveal (synth warns crier:sms-voice-widened). Give the phone number ID or a pool to narrow it.',
    where: senders,
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    reason: "Only with -c backup=daily: AWS Backup's own service role policy, what the service needs to back up the table; it grants nothing to crier's functions.",
    where: (stack) => [stack.table.backupPlan],
  },
];

/** Records every acknowledgement on its constructs, for any validation plugin run over the app. */
export function acknowledgeNagFindings(stack: NaggedStack): void {
  for (const { id, reason, where } of nagAcknowledgements) {
    for (const construct of where(stack)) {
      if (construct) Validations.of(construct).acknowledge({ id, reason });
    }
  }
}
