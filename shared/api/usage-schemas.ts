import { z } from 'zod';
import { costResponse } from './costs.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD').refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'must be a real day');

/** `GET /v1/usage`'s query: whose, over which days, summed by day or by month, and as JSON or CSV. */
export const usageQuery = z
  .object({
    department: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a department name (lowercase letters, digits, dashes)')
      .optional()
      .meta({ description: "One department; left out: an operator's every department, anyone else's own" }),
    from: day.optional().meta({ description: 'First day, inclusive (the deployment\'s calendar); by day: 30 days before `to`; by month: the first of the month 11 months before' }),
    to: day.optional().meta({ description: 'Last day, inclusive; today when left out' }),
    by: z.enum(['day', 'month']).default('day').meta({ description: 'Sum per day or per calendar month' }),
    format: z.enum(['json', 'csv']).default('json').meta({ description: '`csv` (or `Accept: text/csv`): a spreadsheet, one line per department and period' }),
  })
  .strict();

export const usageRowResponse = z
  .object({
    department: z.string(),
    period: z.string().meta({ description: '`YYYY-MM-DD` by day, `YYYY-MM` by month' }),
    sent: z.number().int().meta({ description: "Messages the providers accepted (broadcasts' and replies')" }),
    countedAgainstCap: z.number().int().meta({ description: "Broadcasts' audiences counted against the daily cap when they started" }),
    cost: costResponse,
    replies: costResponse.meta({ description: "The part of `cost` spent answering residents' texts" }),
  })
  .meta({ id: 'UsageRow' });

export const usageResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(['day', 'month']),
    departments: z.array(z.string()).meta({ description: 'The departments read, whether or not they used anything' }),
    rows: z.array(usageRowResponse).meta({ description: 'One per department and period with any usage, oldest first' }),
  })
  .meta({ id: 'Usage' });
