import { z } from 'zod';
import { fromMicros } from '../domain/costs.js';

/** A cost as the API shows it: the currency's major unit (pounds) for people, exact micro-units for sums. */
export const costResponse = z
  .object({
    currency: z.string().meta({ description: 'ISO 4217, from the price table' }),
    estimated: z.number().meta({
      description: "ESTIMATE in the currency's major unit (pounds): segments × the price table's rate for each destination country (SMS), or the flat rate per WhatsApp message",
    }),
    estimatedMicros: z.number().int().meta({ description: 'the same estimate in whole millionths of the currency, as summed' }),
  })
  .meta({ id: 'Cost' });
export type CostResponse = z.infer<typeof costResponse>;

export function costView(cost: { currency: string; estimatedMicros: number }): CostResponse {
  return { currency: cost.currency, estimated: fromMicros(cost.estimatedMicros), estimatedMicros: cost.estimatedMicros };
}
