import { baseEnvSchema } from '../../shared/config/env.js';
import { defineFunction, type FunctionDefinition } from '../catalog-types.js';
import { base } from './environment.js';

/** The public functions that touch nothing: the liveness probe and the admin API's OpenAPI document. */
export const platformFunctions = {
  health: defineFunction({
    description: 'Liveness probe',
    entry: 'functions/http/health.ts',
    envSchema: baseEnvSchema,
    environment: base,
    trigger: { kind: 'http', routes: ['GET /health'], authorizer: 'none' },
    access: {},
    timeoutSeconds: 3,
    memoryMb: 256,
  }),
  openApi: defineFunction({
    description: 'The OpenAPI document of the admin API',
    entry: 'functions/http/openapi.ts',
    envSchema: baseEnvSchema,
    environment: base,
    // Public, like the API's documentation: it describes the routes and grants nothing.
    trigger: { kind: 'http', routes: ['GET /v1/openapi.json'], authorizer: 'none' },
    access: {},
    timeoutSeconds: 5,
    memoryMb: 256,
  }),
} satisfies Record<string, FunctionDefinition<any>>;
