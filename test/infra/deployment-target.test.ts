import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { deploymentTarget, DeploymentTargetError } from '../../infra/deployment-target.js';

const run = promisify(execFile);
const repositoryRoot = new URL('../../', import.meta.url).pathname;
const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

/** What `cdk deploy` sets once it has resolved credentials. */
const withCredentials = { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'us-east-1' };

function targetOf(context: Record<string, string | undefined>, environment: Record<string, string | undefined>) {
  return deploymentTarget(new App({ context }).node, environment);
}

function problemsOf(attempt: () => unknown): string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof DeploymentTargetError) return error.problems;
    throw error;
  }
  return [];
}

/** `infra/app.ts` as the CDK CLI runs it: context in CDK_CONTEXT_JSON, the assembly written to CDK_OUTDIR. */
async function runApp(context: Record<string, unknown>, environment: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'crier-app-'));
  outdirs.push(outdir);
  const { CDK_DEFAULT_ACCOUNT: _account, CDK_DEFAULT_REGION: _region, ...inherited } = process.env;
  const childEnvironment = { ...inherited, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, ...environment };
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'infra/app.ts'], { cwd: repositoryRoot, env: childEnvironment });
    return { code: 0, output: stdout + stderr, outdir };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr, outdir };
  }
}

describe('where the stack is deployed', () => {
  it('stays account- and region-agnostic without credentials, so `cdk synth` works offline', () => {
    // Prepare
    const environment = {};

    // Act
    const target = targetOf({}, environment);

    // Assess
    expect(target).toEqual({ account: undefined, region: undefined });
  });

  it('deploys to the region named with -c region, never to CDK_DEFAULT_REGION', () => {
    // Prepare
    const context = { region: 'eu-west-2', alarmEmail: 'ops@council.example' };

    // Act
    const target = targetOf(context, withCredentials);

    // Assess
    expect(target).toEqual({ account: '123456789012', region: 'eu-west-2' });
  });

  it.each([
    { case: 'no region and no alarm destination', context: {}, problems: [/-c region=eu-west-2 \(London, recommended for UK councils\)/, /-c alarmEmail=.*or -c alarmEmail=none/] },
    { case: 'no region', context: { alarmEmail: 'none' }, problems: [/-c region=eu-west-2/] },
    { case: 'no alarm destination', context: { region: 'eu-west-2' }, problems: [/-c alarmEmail=/] },
    { case: 'an alarm address that is not one', context: { region: 'eu-west-2', alarmEmail: 'ops' }, problems: [/alarmEmail=ops is invalid: must be an email address, or none/] },
    { case: 'a region that is not one', context: { region: 'London', alarmEmail: 'none' }, problems: [/-c region=London must be an AWS region such as eu-west-2/] },
  ])('refuses a deploy with $case, naming what to add', ({ context, problems }) => {
    // Prepare
    const environment = withCredentials;

    // Act
    const found = problemsOf(() => targetOf(context, environment));

    // Assess
    expect(found).toHaveLength(problems.length);
    problems.forEach((problem, index) => expect(found[index]).toMatch(problem));
  });

  it('takes -c alarmEmail=none as an explicit choice', () => {
    // Prepare
    const context = { region: 'eu-west-2', alarmEmail: 'none' };

    // Act
    const target = targetOf(context, withCredentials);

    // Assess
    expect(target.region).toBe('eu-west-2');
  });
});

describe('infra/app.ts, as the CDK CLI runs it', () => {
  it('fails a deploy with credentials but no region or alarm destination, with the message and no stack trace', async () => {
    // Prepare
    const context = { 'aws:cdk:bundling-stacks': [] };

    // Act
    const { code, output, outdir } = await runApp(context, withCredentials);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain('crier cannot deploy as asked');
    expect(output).toContain('-c region=eu-west-2');
    expect(output).toContain('-c alarmEmail=');
    expect(output).not.toMatch(/\n\s+at /);
    expect(existsSync(join(outdir, 'Crier.template.json'))).toBe(false);
  }, 60_000);
});
