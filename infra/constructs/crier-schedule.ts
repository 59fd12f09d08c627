import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { ScheduleTrigger } from '../../functions/catalog-types.js';

export interface CrierScheduleProps {
  function: LambdaFunctionResource;
  trigger: ScheduleTrigger;
  /** The function's timeout, from the catalog: it must end before the next run starts. */
  timeoutSeconds: number;
}

/**
 * A catalog `schedule` trigger: an EventBridge rule invoking the function every N minutes.
 * EventBridge invokes asynchronously, and Lambda would retry a failed run twice on its own; it
 * is told not to, because the next scheduled run is the retry and a late retry could run
 * alongside it. With a timeout shorter than the interval, two runs never overlap.
 */
export class CrierSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: CrierScheduleProps) {
    super(scope, id);
    const { everyMinutes } = props.trigger;
    if (!Number.isInteger(everyMinutes) || everyMinutes < 1) {
      throw new Error(`${id}: a schedule runs every whole number of minutes (at least 1), not ${everyMinutes}`);
    }
    if (props.timeoutSeconds >= everyMinutes * 60) {
      throw new Error(`${id}: its timeout (${props.timeoutSeconds} s) must be shorter than its interval (${everyMinutes} min), or runs could overlap`);
    }
    props.function.configureAsyncInvoke({ retryAttempts: 0 });
    this.rule = new Rule(this, 'Rule', {
      description: `Runs ${props.function.node.path} every ${everyMinutes} min`,
      schedule: Schedule.rate(Duration.minutes(everyMinutes)),
      targets: [new LambdaFunction(props.function)],
    });
  }
}
