import { z } from 'zod';
import { errorResponseSchema } from './error-schema.js';

/** Pieces every path of the OpenAPI document is made of. */
export const jsonContent = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
export const errors = {
  '400': { description: 'Invalid input; `details` names each field', ...jsonContent(errorResponseSchema) },
  '401': { description: 'No valid API key', ...jsonContent(errorResponseSchema) },
  '403': { description: "Outside the key's department or role", ...jsonContent(errorResponseSchema) },
};
export const notFound = { '404': { description: 'Not found', ...jsonContent(errorResponseSchema) } };
export const conflict = { '409': { description: 'Conflicts with the current state', ...jsonContent(errorResponseSchema) } };
export const idParameter = (name: string, description: string) => ({ path: z.object({ [name]: z.string().meta({ description }) }) });

export const overLimit = { '429': { description: "Over a department's daily message cap", ...jsonContent(errorResponseSchema) } };
