import { readFileSync } from 'node:fs';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionIds, queueDefinitions, type FunctionId } from '../../functions/catalog.js';
import type { QueueId } from '../../functions/catalog-types.js';
import { quietHoursMinutes } from '../../infra/constructs/alarm-settings.js';
import { throttleWatchedFunctions } from '../../infra/constructs/crier-alarms.js';
import { CrierStack } from '../../infra/stack.js';
import { metricCatalog, metricNames, metricsNamespace } from '../../shared/platform/metrics.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

/** The stack as `cdk synth` builds it, without bundling (bundling.test.ts covers that). */
function synthesize(context: Record<string, unknown> = {}, stackName = 'Crier'): { stack: CrierStack; template: Template } {
  const app = new App({ builtinCloudFormationValidation: false, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new CrierStack(app, stackName);
  return { stack, template: Template.fromStack(stack) };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const queueIds = Object.keys(queueDefinitions) as QueueId[];
type AlarmProperties = Record<string, any>;
const alarmsOf = (template: Template): AlarmProperties[] => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);

const { stack, template } = synthesize();
const alarms = alarmsOf(template);
const topic = logicalId(stack, stack.alarms.topic);
const functionLogicalId = (id: FunctionId) => logicalId(stack, stack.functions[id].function);
const queueLogicalId = (id: QueueId) => logicalId(stack, stack.queues.byId[id].queue);

describe('every function', () => {
  const functions = template.findResources('AWS::Lambda::Function');

  it.each(functionIds)('%s traces in X-Ray and names the deployment in its logs and metrics', (id) => {
    // Prepare / Act
    const properties = functions[functionLogicalId(id)]?.Properties;

    // Assess
    expect(properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(properties.Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'Crier',
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
    });
  });

  it('names a second deployment in one account apart, so its metrics never mix with the first', () => {
    // Prepare / Act
    const staging = synthesize({}, 'CrierStaging').template;

    // Assess
    const services = Object.values(staging.findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME);
    expect(new Set(services)).toEqual(new Set(['CrierStaging']));
  });
});

describe('the dashboard', () => {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);

  it('is one, named after the stack', () => {
    // Prepare / Act / Assess
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]?.Properties.DashboardName).toBe('Crier');
  });

  it.each(metricNames)("graphs crier's %s, in the deployment's own series", (name) => {
    // Prepare
    const schema = [metricsNamespace, 'service', ...metricCatalog[name].dimensions].join(',');

    // Act / Assess: the breakdown, found by SEARCH over exactly the metric's dimensions
    expect(body).toContain(`SEARCH('{${schema}} MetricName=\\\\\\"${name}\\\\\\" service=\\\\\\"Crier\\\\\\"'`);
  });

  it.each(queueIds)('graphs the depth and oldest message of the %s queue, and its dead letters', (queueId) => {
    // Prepare
    const queue = queueLogicalId(queueId);
    const deadLetterQueue = logicalId(stack, stack.queues.byId[queueId].deadLetterQueue);

    // Act / Assess
    expect(body).toMatch(new RegExp(`ApproximateNumberOfMessagesVisible[^\\]]*QueueName[^\\]]*${queue}`));
    expect(body).toMatch(new RegExp(`ApproximateAgeOfOldestMessage[^\\]]*QueueName[^\\]]*${queue}`));
    expect(body).toMatch(new RegExp(`ApproximateNumberOfMessagesVisible[^\\]]*QueueName[^\\]]*${deadLetterQueue}`));
  });

  it.each(functionIds)('graphs the errors and throttles of %s', (id) => {
    // Prepare
    const fn = functionLogicalId(id);

    // Act / Assess
    expect(body).toMatch(new RegExp(`"Errors\\\\",\\\\"FunctionName\\\\",\\\\"",\\{"Ref":"${fn}"\\}`));
    expect(body).toMatch(new RegExp(`"Throttles\\\\",\\\\"FunctionName\\\\",\\\\"",\\{"Ref":"${fn}"\\}`));
  });

  it("graphs the API's 5xx, and spend and sends a day against the spend alarm and the default daily cap", () => {
    // Prepare
    const capped = JSON.stringify(synthesize({ dailyMessageCap: 5000, dailySpendAlarm: 40 }).template.toJSON());

    // Act / Assess
    expect(body).toContain('5xx');
    expect(capped).toMatch(/"value\\":40,\\"label\\":\\"alarm\\"/);
    expect(capped).toMatch(/"value\\":5000,\\"label\\":\\"a department's default daily cap\\"/);
  });
});

describe('the alarms', () => {
  /** Every alarm tells the topic when it goes off and when it is over, and takes no data as healthy. */
  function expectToReachOperators(alarm: AlarmProperties | undefined) {
    expect(alarm).toMatchObject({ AlarmActions: [{ Ref: topic }], OKActions: [{ Ref: topic }], TreatMissingData: 'notBreaching' });
  }

  it.each(throttleWatchedFunctions())('goes off at the first Lambda throttle of %s', (id) => {
    // Prepare / Act
    const alarm = alarms.find((candidate) => candidate.MetricName === 'Throttles' && candidate.Dimensions?.[0]?.Value?.Ref === functionLogicalId(id));

    // Assess
    expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 60, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expectToReachOperators(alarm);
  });

  it('watches throttles of the webhooks and both senders', () => {
    // Prepare / Act / Assess
    expect(throttleWatchedFunctions().sort()).toEqual(['sendBulk', 'sendUrgent', 'twilioInbound', 'twilioStatus', 'whatsappWebhook']);
  });

  it.each<[QueueId, number]>([
    ['fanOut', 5 * 60],
    ['sendUrgent', 5 * 60],
    ['awsSmsNotifications', 5 * 60],
    // Quiet hours 21:00-08:00 and an hour more: a batch held over quiet hours waits on the queue.
    ['sendBulk', 12 * 60 * 60],
  ])('goes off when the oldest message on %s is older than %i seconds', (queueId, seconds) => {
    // Prepare / Act
    const alarm = alarms.find(
      (candidate) => candidate.MetricName === 'ApproximateAgeOfOldestMessage' && candidate.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === queueLogicalId(queueId),
    );

    // Assess
    expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Period: 60, Threshold: seconds, ComparisonOperator: 'GreaterThanThreshold' });
    expectToReachOperators(alarm);
  });

  it.each<[string, Record<string, unknown>, number]>([
    ['quiet hours off', { quietHours: 'off' }, 60 * 60],
    ['bulkQueueAgeAlarmMinutes', { bulkQueueAgeAlarmMinutes: 90 }, 90 * 60],
  ])('takes the bulk lane\'s age from %s', (_case, context, seconds) => {
    // Prepare
    const { stack: other, template: otherTemplate } = synthesize(context);

    // Act
    const alarm = alarmsOf(otherTemplate).find(
      (candidate) => candidate.MetricName === 'ApproximateAgeOfOldestMessage' && candidate.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === logicalId(other, other.queues.byId.sendBulk.queue),
    );

    // Assess
    expect(alarm?.Threshold).toBe(seconds);
  });

  it("goes off at any 5xx answer of the API", () => {
    // Prepare / Act
    const alarm = alarms.find((candidate) => candidate.MetricName === '5xx');

    // Assess
    expect(alarm).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum', Period: 300, Threshold: 0 });
    expectToReachOperators(alarm);
  });

  it.each<[string, string, number, number]>([
    ['ProviderThrottled', 'more than 10 provider 429s in 5 minutes', 300, 10],
    ['Spend', 'more than 100 spent in a day', 86_400, 100],
  ])('watches crier\'s %s: %s', (metricName, _meaning, period, threshold) => {
    // Prepare / Act
    const alarm = alarms.find((candidate) => candidate.MetricName === metricName);

    // Assess
    expect(alarm).toMatchObject({
      Namespace: metricsNamespace,
      Dimensions: [{ Name: 'service', Value: 'Crier' }],
      Statistic: 'Sum',
      Period: period,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expectToReachOperators(alarm);
  });

  it('takes the spend and 429 thresholds from context, and no spend alarm at 0', () => {
    // Prepare / Act
    const tuned = alarmsOf(synthesize({ dailySpendAlarm: '250', providerThrottleAlarm: 50 }).template);
    const off = alarmsOf(synthesize({ dailySpendAlarm: 0 }).template);

    // Assess
    expect(tuned.find((alarm) => alarm.MetricName === 'Spend')?.Threshold).toBe(250);
    expect(tuned.find((alarm) => alarm.MetricName === 'ProviderThrottled')?.Threshold).toBe(50);
    expect(off.find((alarm) => alarm.MetricName === 'Spend')).toBeUndefined();
  });

  it('refuses a threshold that is not a number, naming it', () => {
    // Prepare / Act / Assess
    expect(() => synthesize({ dailySpendAlarm: 'lots' })).toThrow(/dailySpendAlarm/);
    expect(() => synthesize({ urgentQueueAgeAlarmMinutes: 0 })).toThrow(/urgentQueueAgeAlarmMinutes/);
  });

  it('every alarm, old and new, reaches the topic', () => {
    // Prepare / Act / Assess
    for (const alarm of alarms) expectToReachOperators(alarm);
  });
});

describe('quietHoursMinutes', () => {
  it.each([
    ['21:00-08:00', 11 * 60],
    ['22:30-07:00', 8 * 60 + 30],
    ['01:00-05:00', 4 * 60],
    ['off', 0],
  ])('%s lasts %i minutes', (setting, minutes) => {
    // Prepare / Act / Assess
    expect(quietHoursMinutes(setting)).toBe(minutes);
  });
});
