import { z } from 'zod';

/** The body of every refusal the admin API answers with: a sentence and the fields it names. */

export const errorResponseSchema = z
  .object({
    error: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });
