import { z } from 'zod';

/** `?limit=&cursor=` of every list route; the cursor is the `nextCursor` a previous page gave. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});
