import type { Environment } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { z } from 'zod';
import { CrierError } from '../shared/domain/errors.js';
import { optionalContextString, readAlarmDestination } from './constructs/deployment-settings.js';

/** The region recommended to UK councils: London, where residents' data stays in the UK. */
export const recommendedRegion = 'eu-west-2';

const regionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, `must be an AWS region such as ${recommendedRegion}`);

/** Why a deployment cannot go ahead as asked: every problem, each naming what to add. */
export class DeploymentTargetError extends CrierError {
  constructor(readonly problems: string[]) {
    super(`crier cannot deploy as asked:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'DeploymentTargetError';
  }
}

/**
 * Where the stack goes. Without credentials (CDK_DEFAULT_ACCOUNT unset: an offline `cdk synth`, CI)
 * the template stays account-agnostic and any `-c region=` is taken as given. With credentials
 * (what `cdk deploy` has) two choices must be explicit, or nothing is built:
 * - the region, as `-c region=…`: the CDK CLI falls back to us-east-1 when no region is configured,
 *   so CDK_DEFAULT_REGION cannot tell a choice from a default, and a council's residents' data
 *   must not land in the USA by accident;
 * - where alarms go, as `-c alarmEmail=…` or an explicit `-c alarmEmail=none`: an alarm nobody
 *   hears is no alarm.
 */
export function deploymentTarget(node: Node, environment: Record<string, string | undefined>): Environment {
  const problems: string[] = [];
  const regionValue = optionalContextString(node, 'region');
  const region = regionValue === undefined ? undefined : regionSchema.safeParse(regionValue);
  if (region && !region.success) problems.push(`-c region=${regionValue} ${region.error.issues[0]?.message}`);
  const account = environment.CDK_DEFAULT_ACCOUNT || undefined;
  if (account !== undefined) {
    if (regionValue === undefined) {
      problems.push(
        `name the region: -c region=${recommendedRegion} (London, recommended for UK councils) or another; ` +
          `CDK_DEFAULT_REGION (${environment.CDK_DEFAULT_REGION ?? 'unset'}) is not used, as the CDK sets it to us-east-1 when nothing is configured`,
      );
    }
    try {
      if (readAlarmDestination(node).kind === 'unset') {
        problems.push('say where alarms go: -c alarmEmail=ops@your-council.example, or -c alarmEmail=none if you subscribe to the alarm topic another way');
      }
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new DeploymentTargetError(problems);
  return { account, region: region?.success ? region.data : undefined };
}
