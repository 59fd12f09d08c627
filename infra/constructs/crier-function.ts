import { Annotations, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, FunctionUrlAuthType, Runtime, Tracing, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { lambdaArchitecture } from '../../functions/lambda-platform.js';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { secretsOf, type DeploymentBindings, type FunctionDefinition, type QueueId, type SecretId } from '../../functions/catalog-types.js';
import { sendTextMessageGrant, usesAwsSms } from './sms-voice-grant.js';
import { auditPartitionPrefix } from '../../shared/adapters/dynamo/keys.js';
import { consoleCommandHooks, type ConsoleFiles } from './console-bundling.js';

/** Catalog entries are relative to the repository root, wherever `cdk` is run from. */
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM bundles have no `require`; some dependencies still call it for Node built-ins, so the
 * bundle provides one.
 */
const esmRequireBanner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** What a function may be granted; which parts it gets is decided by its `access` alone. */
export interface CrierResources {
  table: ITable;
  queues: Record<QueueId, IQueue>;
  deadLetterQueues: Record<QueueId, IQueue>;
  secrets: Record<SecretId, ISecret>;
}

export interface CrierFunctionProps<S extends z.ZodObject> {
  definition: FunctionDefinition<S>;
  bindings: DeploymentBindings;
  resources: CrierResources;
  /** Applies the definition's `reservedConcurrency`; false for an account too small for it (`-c reservedConcurrency=off`). */
  reserveConcurrency?: boolean;
  /** Files the function reads at run time, copied beside its bundle (console-bundling.ts). */
  bundledFiles?: readonly ConsoleFiles[];
}

/**
 * One catalog entry as a Lambda function: bundled locally with esbuild, its environment computed
 * by the entry's own `environment(bindings)` (typed from its env schema), its log group kept for
 * a month, and exactly the access its `access` lists. Triggers are wired by the stack.
 */
export class CrierFunction<S extends z.ZodObject = z.ZodObject> extends Construct {
  readonly function: NodejsFunction;
  /** Its own Lambda function URL, when its HTTP trigger asks for one (`functionUrl`). */
  readonly functionUrl?: FunctionUrl;

  constructor(scope: Construct, id: string, props: CrierFunctionProps<S>) {
    super(scope, id);
    const { definition, bindings, resources } = props;
    const logGroup = new LogGroup(this, 'Logs', {
      // Logs carry phone numbers: keep them long enough to investigate, not for ever.
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, writing to its own log group only: the managed AWSLambdaBasicExecutionRole that
    // CDK would attach lets a function write to every log group of the account.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `crier ${id}: exactly the access its catalog entry lists`,
    });
    this.function = new NodejsFunction(this, 'Function', {
      role,
      description: definition.description,
      entry: `${repositoryRoot}${definition.entry}`,
      handler: 'handler',
      projectRoot: repositoryRoot,
      depsLockFilePath: `${repositoryRoot}package-lock.json`,
      // Node.js 22 leaves Lambda's support in April 2027; 24 is the current LTS.
      runtime: Runtime.NODEJS_24_X,
      architecture: lambdaArchitecture === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMb,
      ...(definition.reservedConcurrency !== undefined && props.reserveConcurrency !== false
        ? { reservedConcurrentExecutions: definition.reservedConcurrency }
        : {}),
      logGroup,
      environment: {
        ...environmentVariables(definition.environment(bindings)),
        // Minified bundles are unreadable in a stack trace without their source map.
        NODE_OPTIONS: '--enable-source-maps',
        // Logs and metrics name the deployment, so a staging stack's never mix with production's.
        POWERTOOLS_SERVICE_NAME: Stack.of(this).stackName,
      },
      tracing: Tracing.ACTIVE,
      bundling: {
        // No Docker engine on the build machines; the installed esbuild is the one tested.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        banner: esmRequireBanner,
        mainFields: ['module', 'main'],
        // Ship the SDK version the tests ran against, not whatever the runtime carries.
        bundleAwsSDK: true,
        // Only when this stack is really bundled: building the console's assets takes seconds.
        ...(props.bundledFiles && Stack.of(this).bundlingRequired ? { commandHooks: consoleCommandHooks(props.bundledFiles) } : {}),
      },
    });
    // CreateLogStream and PutLogEvents on this function's log group and its streams, nothing else.
    logGroup.grantWrite(role);
    grantAccess(this.function, definition, bindings, resources);
    if (definition.trigger.kind === 'http' && definition.trigger.functionUrl) {
      // Auth type NONE: providers cannot sign AWS requests; the handler checks the provider's own
      // signature, as it does behind API Gateway. No WAF or route throttle stands in front of a
      // function URL: the function's reserved concurrency is what bounds it (the catalog sets one;
      // with `-c reservedConcurrency=off` only the account's limit does), and above it Lambda answers 429.
      this.functionUrl = this.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    }
  }

  /** The function URL's base, `https://<host>` without the trailing slash Lambda gives it (as `publicBaseUrl` has none). */
  get functionUrlBase(): string | undefined {
    return this.functionUrl ? Fn.join('', ['https://', Fn.select(2, Fn.split('/', this.functionUrl.url))]) : undefined;
  }
}

/** Drops keys a definition left undefined: Lambda wants every value to be a string. */
function environmentVariables(environment: Partial<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function grantAccess(fn: NodejsFunction, definition: FunctionDefinition<z.ZodObject>, bindings: DeploymentBindings, resources: CrierResources): void {
  const { table, appendsAudit = false, sendsTo = [], deadLetters = [], writesSecrets = [], sendsSms = false } = definition.access;
  if (table) {
    for (const statement of tableStatements(resources.table, table, appendsAudit)) fn.addToRolePolicy(statement);
  }
  for (const queueId of sendsTo) resources.queues[queueId].grantSendMessages(fn);
  // Receive, change visibility, delete: what peeking at and moving dead letters takes.
  for (const queueId of deadLetters) resources.deadLetterQueues[queueId].grantConsumeMessages(fn);
  // GetSecretValue (and DescribeSecret), on each secret alone.
  for (const secretId of secretsOf(definition.access, bindings.settings)) resources.secrets[secretId].grantRead(fn);
  // PutSecretValue alone: a new value can be written, the current one never read.
  for (const secretId of writesSecrets) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:PutSecretValue'], resources: [resources.secrets[secretId].secretArn] }));
  }
  if (sendsSms && usesAwsSms(bindings.settings)) {
    const { statement, widened } = sendTextMessageGrant(Stack.of(fn), bindings.settings);
    fn.addToRolePolicy(statement);
    for (const why of widened) Annotations.of(fn).addWarningV2('crier:sms-voice-widened', why);
  }
}

/** Item reads by key: what every repository does. No Scan (nothing scans), no stream. */
const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** Single-item writes, each with its own condition; nothing uses BatchWriteItem or transactions. */
const tableWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * The table actions a function's access allows, listed rather than granted with grantReadData /
 * grantReadWriteData (which add Scan, BatchWriteItem, ConditionCheckItem, DescribeTable and the
 * stream). A writer also gets an explicit Deny on audit partitions: audit records are appended
 * only, so no function (a webhook taken over, say) can rewrite or remove what an operator did.
 * A Deny wins over any Allow, including one added by hand later.
 */
export function tableStatements(table: ITable, access: 'read' | 'readwrite', appendsAudit: boolean): PolicyStatement[] {
  if (access === 'read') return [new PolicyStatement({ actions: tableReadActions, resources: [table.tableArn] })];
  return [
    new PolicyStatement({ actions: [...tableReadActions, ...tableWriteActions], resources: [table.tableArn] }),
    new PolicyStatement({
      sid: 'AuditRecordsAreAppendOnly',
      effect: Effect.DENY,
      actions: appendsAudit ? ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'] : tableWriteActions,
      resources: [table.tableArn],
      // LeadingKeys is the item's partition key: any write touching an audit partition is refused.
      conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${auditPartitionPrefix}*`] } },
    }),
  ];
}
