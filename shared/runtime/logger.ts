import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger per process; Powertools reads its level from the env. The service name is
 * the function's POWERTOOLS_SERVICE_NAME (the deployment's name, set before a Lambda loads this),
 * else `crier`: the local stack runs every function in one process whose environment never has
 * it, and Powertools would otherwise log `service_undefined`.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'crier' });
