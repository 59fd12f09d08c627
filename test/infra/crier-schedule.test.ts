import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { CrierSchedule } from '../../infra/constructs/crier-schedule.js';

function scheduled(everyMinutes: number, timeoutSeconds: number) {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test');
  const fn = new LambdaFunction(stack, 'Probe', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('export const handler = async () => {}') });
  const schedule = () => new CrierSchedule(stack, 'ProbeSchedule', { function: fn, trigger: { kind: 'schedule', everyMinutes }, timeoutSeconds });
  return { stack, fn, schedule };
}

describe('CrierSchedule', () => {
  it.each([
    { everyMinutes: 1, expression: 'rate(1 minute)' },
    { everyMinutes: 15, expression: 'rate(15 minutes)' },
  ])('invokes the function on an EventBridge rule every $everyMinutes min', ({ everyMinutes, expression }) => {
    // Prepare
    const { stack, fn, schedule } = scheduled(everyMinutes, 50);

    // Act
    schedule();

    // Assess
    const template = Template.fromStack(stack);
    const functionArn = { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as CfnElement), 'Arn'] };
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: expression,
      State: 'ENABLED',
      Targets: [{ Arn: functionArn, Id: 'Target0' }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', FunctionName: functionArn });
  });

  it('tells Lambda not to retry a failed run: the next run is the retry', () => {
    // Prepare
    const { stack, schedule } = scheduled(1, 50);

    // Act
    schedule();

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it.each([
    { case: 'a timeout as long as the interval', everyMinutes: 1, timeoutSeconds: 60, message: /shorter than its interval/ },
    { case: 'a fraction of a minute', everyMinutes: 0.5, timeoutSeconds: 10, message: /whole number of minutes/ },
    { case: 'no interval', everyMinutes: 0, timeoutSeconds: 10, message: /whole number of minutes/ },
  ])('refuses $case at synth time', ({ everyMinutes, timeoutSeconds, message }) => {
    // Prepare
    const { schedule } = scheduled(everyMinutes, timeoutSeconds);

    // Act
    const act = () => schedule();

    // Assess
    expect(act).toThrow(message);
  });
});
