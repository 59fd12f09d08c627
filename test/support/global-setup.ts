import type { TestProject } from 'vitest/node';
import { startDynamo, startSqs } from '../../local/emulators.js';
import { bundleCli } from './cli-bundle.js';
import { buildConsoleAssets } from '../../console/build-assets.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
    /** The CLI bundled into one file (see cli-bundle.ts). */
    crierCli: string;
  }
}

/**
 * One dynalite and one local-aws-sqs for the integration tests, in-process, on random ports. Each
 * test file makes its own table and queues (random names), so files do not see each other's data.
 * The end-to-end tests start whole local stacks of their own, as `npm start` does, and run the
 * CLI bundled once here.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // The console's stylesheet and scripts, as `npm start` builds them (skipped when current).
  buildConsoleAssets();
  const dynamo = await startDynamo(undefined);
  const [sqs, crierCli] = await Promise.all([startSqs(), bundleCli()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  project.provide('crierCli', crierCli);
  return async () => {
    await sqs.close();
    await dynamo.close();
  };
}
