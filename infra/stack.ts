import { CfnOutput, Duration, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, FilterCriteria, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { authorizerFunctionId, functionDefinition, functionIds, functionUrlFunctions, httpRoutes, scheduledFunctions, type FunctionId } from '../functions/catalog.js';
import { concurrencyOf, type DeploymentBindings, type TableStreamTrigger } from '../functions/catalog-types.js';
import { mapValues } from '../shared/runtime/records.js';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { readAlarmSettings } from './constructs/alarm-settings.js';
import { CrierAlarms } from './constructs/crier-alarms.js';
import { CrierDashboard } from './constructs/crier-dashboard.js';
import { CrierAwsSmsTopic } from './constructs/crier-aws-sms-topic.js';
import { CrierEdge } from './constructs/crier-edge.js';
import { consoleBundleFiles } from './constructs/console-bundling.js';
import { CrierFunction } from './constructs/crier-function.js';
import { guardedPathPrefix } from './constructs/edge-key-check.js';
import { CrierHttpApi, parseRouteKey } from './constructs/crier-http-api.js';
import { CrierQueues } from './constructs/crier-queues.js';
import { CrierSchedule } from './constructs/crier-schedule.js';
import { CrierSecrets } from './constructs/crier-secrets.js';
import { CrierSignIn } from './constructs/crier-sign-in.js';
import { CrierTable } from './constructs/crier-table.js';
import { readSignInSettings } from './constructs/sign-in-settings.js';
import { acknowledgeNagFindings } from './nag-suppressions.js';
import { optionalContextString, readAlarmEmail, readDeploymentSettings, readPublicBaseUrl, readTableBackup } from './constructs/deployment-settings.js';

/** The stream consumers' tumbling window: its length matters little, as each batch is counted as it comes. */
const TUMBLING_WINDOW_SECONDS = 60;

/**
 * crier in AWS, built from the function catalog alone: every function, route, queue consumer and
 * grant comes from the catalog (`functions/catalog.ts`, its entries in `functions/catalog/`), the same description the local stack runs.
 *
 * CDK context (all optional here, `-c key=value`): publicBaseUrl, alarmEmail, backup, defaultCountry,
 * smsProvider, whatsappProvider, topicShards, logLevel, serviceName, serviceContact, quietHours,
 * timeZone, dailyMessageCap, operatorApprovalAbove, reservedConcurrency (off), webAclArn; the
 * console's sign-in: operatorEmail, cognitoDomainPrefix, oidcFederation, googleFederation
 * (sign-in-settings.ts); the
 * alarms' urgentQueueAgeAlarmMinutes, bulkQueueAgeAlarmMinutes, dailySpendAlarm,
 * providerThrottleAlarm (alarm-settings.ts); and stackName and region, read by app.ts (which
 * also insists on region and alarmEmail when deploying: infra/deployment-target.ts).
 */
export interface CrierStackProps extends StackProps {
  /** The CLOUDFRONT-scoped WAF web ACL for the distribution (app.ts builds it in us-east-1); else `-c webAclArn`. */
  webAclArn?: string;
}

export class CrierStack extends Stack {
  readonly table: CrierTable;
  readonly queues: CrierQueues;
  readonly secrets: CrierSecrets;
  readonly signIn: CrierSignIn;
  readonly awsSms: CrierAwsSmsTopic;
  readonly httpApi: CrierHttpApi;
  readonly edge: CrierEdge;
  readonly functions: Record<FunctionId, CrierFunction>;
  readonly alarms: CrierAlarms;
  readonly dashboard: Dashboard;
  /** One per function with a `schedule` trigger. */
  readonly schedules: Partial<Record<FunctionId, CrierSchedule>>;

  constructor(scope: Construct, id: string, { webAclArn, ...props }: CrierStackProps = {}) {
    super(scope, id, { description: 'crier: WhatsApp/SMS gateway for public services', ...props });
    this.table = new CrierTable(this, 'Data', { backup: readTableBackup(this.node) });
    this.queues = new CrierQueues(this, 'Queues');
    this.awsSms = new CrierAwsSmsTopic(this, 'AwsSms', {
      queue: this.queues.byId.awsSmsNotifications.queue,
      deadLetterQueue: this.queues.byId.awsSmsNotifications.deadLetterQueue,
    });
    this.httpApi = new CrierHttpApi(this, 'Http');
    this.edge = new CrierEdge(this, 'Edge', {
      apiDomainName: this.httpApi.domainName,
      openAdminPaths: openAdminPaths(),
      webAclArn: webAclArn ?? optionalContextString(this.node, 'webAclArn'),
    });

    const workQueues = mapValues(this.queues.byId, ({ queue }) => queue);
    const deadLetterQueues = mapValues(this.queues.byId, ({ deadLetterQueue }) => deadLetterQueue);
    const publicBaseUrl = readPublicBaseUrl(this.node) ?? this.edge.url;
    const signInSettings = readSignInSettings(this.node, { stackName: this.stackName, account: this.account });
    this.signIn = new CrierSignIn(this, 'SignIn', { publicBaseUrl, settings: signInSettings });
    this.secrets = new CrierSecrets(this, 'Secrets', { consoleClientSecret: this.signIn.clientSecret });
    const bindings: DeploymentBindings = {
      tableName: this.table.table.tableName,
      queueUrls: mapValues(workQueues, (queue) => queue.queueUrl),
      deadLetterQueueUrls: mapValues(deadLetterQueues, (queue) => queue.queueUrl),
      // What providers are told to call and sign: CloudFront's address, unless a custom domain is in front.
      publicBaseUrl,
      // Each function URL, once its function exists (below): lazily, as the senders' environment
      // names the status function's URL and the functions are made in one pass.
      functionUrls: Object.fromEntries(
        functionUrlFunctions().map((functionId) => [functionId, Lazy.string({ produce: () => this.functions[functionId].functionUrlBase })]),
      ),
      secretArns: mapValues(this.secrets.byId, (secret) => secret.secretArn),
      awsSmsTopicArn: this.awsSms.topic.topicArn,
      signIn: {
        issuer: this.signIn.issuer,
        clientId: this.signIn.client.userPoolClientId,
        ...(signInSettings.operatorEmail ? { firstOperatorEmail: signInSettings.operatorEmail } : {}),
      },
      settings: readDeploymentSettings(this.node),
    };
    const resources = { table: this.table.table, queues: workQueues, deadLetterQueues, secrets: this.secrets.byId };
    // An account whose concurrency limit is below 1,000 (a new one may have 10) cannot reserve the webhooks' share.
    const reserveConcurrency = optionalContextString(this.node, 'reservedConcurrency') !== 'off';
    this.functions = Object.fromEntries(
      functionIds.map((functionId) => [
        functionId,
        new CrierFunction(this, functionId, {
          definition: functionDefinition(functionId),
          bindings,
          resources,
          reserveConcurrency,
          ...(consoleBundleFiles[functionId] ? { bundledFiles: consoleBundleFiles[functionId] } : {}),
        }),
      ]),
    ) as Record<FunctionId, CrierFunction>;
    const lambdas = mapValues(this.functions, ({ function: fn }) => fn);

    for (const functionId of functionIds) {
      const { trigger } = functionDefinition(functionId);
      if (trigger.kind === 'tableStream') {
        addTableStreamSource(this.functions[functionId], lambdas[functionId], this.table.table, trigger);
        continue;
      }
      if (trigger.kind !== 'queue') continue;
      // The event source mapping is the only thing granted receive/delete on a queue.
      lambdas[functionId].addEventSource(
        new SqsEventSource(workQueues[trigger.queue], {
          batchSize: trigger.batchSize,
          maxConcurrency: concurrencyOf(trigger, bindings.settings),
          // Handlers report the records that failed, so one bad recipient does not resend a batch.
          reportBatchItemFailures: true,
        }),
      );
    }
    this.httpApi.addRoutes(httpRoutes(), lambdas, lambdas[authorizerFunctionId()]);
    this.schedules = Object.fromEntries(
      scheduledFunctions().map(({ functionId, trigger }) => [
        functionId,
        new CrierSchedule(this, `${functionId}Schedule`, {
          function: this.functions[functionId].function,
          trigger,
          timeoutSeconds: functionDefinition(functionId).timeoutSeconds,
        }),
      ]),
    ) as Partial<Record<FunctionId, CrierSchedule>>;

    const alarmSettings = readAlarmSettings(this.node, bindings.settings.quietHours);
    this.alarms = new CrierAlarms(this, 'Alarms', {
      deadLetterQueues,
      functions: lambdas,
      alarmEmail: readAlarmEmail(this.node),
      queues: workQueues,
      httpApi: this.httpApi.api,
      metricsService: this.stackName,
      settings: alarmSettings,
    });
    this.dashboard = new CrierDashboard(this, 'Dashboard', {
      metricsService: this.stackName,
      queues: this.queues.byId,
      functions: lambdas,
      httpApi: this.httpApi.api,
      alarms: alarmSettings,
      dailyMessageCap: bindings.settings.dailyMessageCap,
    }).dashboard;
    this.addOutputs(bindings);
    // The cdk-nag findings crier accepts, each with its reason (checked by test/infra/cdk-nag.test.ts).
    acknowledgeNagFindings(this);
  }

  private addOutputs({ publicBaseUrl, functionUrls }: DeploymentBindings): void {
    new CfnOutput(this, 'ApiUrl', {
      value: publicBaseUrl,
      description: 'Base URL of crier (CloudFront and WAF, or -c publicBaseUrl): for the CLI, scripts and the provider webhooks',
    });
    new CfnOutput(this, 'ApiGatewayEndpoint', {
      value: this.httpApi.endpoint,
      description: 'The HTTP API behind CloudFront, for diagnosis only: it has no WAF in front; give providers and staff ApiUrl',
    });
    for (const { path, functionId } of webhookPaths()) {
      // A webhook served on its function URL is given at that URL: what crier tells the provider to call.
      const functionUrl = functionUrls[functionId];
      new CfnOutput(this, `${pascalCase(path.replace('/webhooks/', ''))}WebhookUrl`, {
        value: `${functionUrl ?? publicBaseUrl}${path}`,
        description: functionUrl
          ? "On the function's own Lambda function URL, which crier gives the provider with each message it sends; signatures are checked against this exact URL"
          : 'Paste into the provider console; signatures are checked against this exact URL',
      });
    }
    new CfnOutput(this, 'TwilioSecretName', {
      value: this.secrets.names.twilio,
      description: 'Fill in the Twilio credentials here if you use Twilio (JSON keys are already in place)',
    });
    new CfnOutput(this, 'WhatsappCloudSecretName', {
      value: this.secrets.names.whatsappCloud,
      description: 'Fill in the WhatsApp Cloud API credentials here if you use it (JSON keys are already in place)',
    });
    new CfnOutput(this, 'BootstrapKeySecretName', {
      value: this.secrets.names.bootstrapKey,
      description: 'The operator API key: aws secretsmanager get-secret-value --secret-id <this>; rotate with crier keys rotate-bootstrap',
    });
    new CfnOutput(this, 'AwsSmsTopicArn', {
      value: this.awsSms.topic.topicArn,
      description:
        'AWS End User Messaging SMS: the two-way SMS destination of the phone number, and the event destination of the configuration set',
    });
    for (const [queueId, { deadLetterQueue }] of Object.entries(this.queues.byId)) {
      new CfnOutput(this, `${pascalCase(queueId)}DeadLetterQueueName`, { value: deadLetterQueue.queueName });
    }
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${publicBaseUrl}/console/`,
      description: 'The web console, for staff: they sign in through Cognito (StaffUserPoolId), with MFA',
    });
    new CfnOutput(this, 'StaffUserPoolId', {
      value: this.signIn.userPool.userPoolId,
      description: 'The Cognito user pool staff sign in with: add people here (and as staff in crier), or federate with -c oidcFederation',
    });
    new CfnOutput(this, 'StaffSignInDomain', {
      value: this.signIn.signInUrl,
      description: "Cognito's managed sign-in pages for the console (-c cognitoDomainPrefix)",
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe to hear about dead letters and function errors',
    });
  }
}

/** The admin API's paths that need no key (the OpenAPI document), which CloudFront lets through unchecked. */
function openAdminPaths(): string[] {
  return httpRoutes()
    .filter(({ authorizer }) => authorizer === 'none')
    .map(({ routeKey }) => parseRouteKey(routeKey).path)
    .filter((path) => path.startsWith(guardedPathPrefix));
}

/** Every webhook path in the catalog and the function serving it, once each (a GET handshake and a POST share a URL). */
function webhookPaths(): { path: string; functionId: FunctionId }[] {
  const byPath = new Map(httpRoutes().map(({ routeKey, functionId }) => [parseRouteKey(routeKey).path, functionId]));
  return [...byPath].filter(([path]) => path.startsWith('/webhooks/')).map(([path, functionId]) => ({ path, functionId }));
}

/** `twilio/inbound` → `TwilioInbound`, `sendUrgent` → `SendUrgent`: output ids must be alphanumeric. */
function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * The table's change stream as a consumer's event source. A tumbling window (its state unused) is
 * what makes Lambda name the shard in each event: the receipt counters keep how far they have
 * counted per shard, so a batch handed out again is never counted twice. A failed batch is retried
 * whole, never split (a split would hand out records past the failure before it), until its
 * records expire after 24 hours; one shard is read by one invocation at a time, in order.
 *
 * A mapping of its own rather than DynamoEventSource: that one also grants ListStreams on every
 * resource, where the four stream actions on this table's streams are all a consumer needs.
 */
function addTableStreamSource(scope: Construct, fn: IFunction, table: ITable, trigger: TableStreamTrigger): void {
  new EventSourceMapping(scope, 'TableStream', {
    target: fn,
    eventSourceArn: table.tableStreamArn,
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: trigger.batchSize,
    maxBatchingWindow: Duration.seconds(trigger.batchingWindowSeconds),
    tumblingWindow: Duration.seconds(TUMBLING_WINDOW_SECONDS),
    bisectBatchOnError: false,
    parallelizationFactor: 1,
    filters: [FilterCriteria.filter(trigger.filter as Record<string, unknown>)],
  });
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [table.tableStreamArn!] }),
  );
  // Listing names no stream yet: AWS's own policy for stream consumers grants it on the table's streams.
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: [`${table.tableArn}/stream/*`] }));
}
