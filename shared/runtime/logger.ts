import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per process; Powertools reads its level and service name from the env. */
export const logger = new Logger();
