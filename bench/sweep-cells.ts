/** The cells of a sweep (`npm run bench -- --sweep`) and how many residents each gets. */

/** The busiest sender (SMS) carries about this share of the residents (bench/population.ts: 15% WhatsApp, every resident in a broadcast topic). */
export const BUSIEST_SENDER_SHARE = 0.85;
/** Seconds of sending a cell aims for at its rate: long enough for a steady rate, short enough for ten cells. */
export const CELL_SENDING_SECONDS = 60;
export const MIN_CELL_RESIDENTS = 1_000;
export const MAX_CELL_RESIDENTS = 10_000;

export interface SweepCell {
  rate: number;
  latencyMs: number;
  residents: number;
}

/** Residents for a cell: about CELL_SENDING_SECONDS of the busiest sender's sending, within 1,000–10,000. */
export function cellResidents(rate: number): number {
  return Math.max(MIN_CELL_RESIDENTS, Math.min(MAX_CELL_RESIDENTS, Math.round((rate * CELL_SENDING_SECONDS) / BUSIEST_SENDER_SHARE)));
}

export function sweepCells(rates: number[], latencies: number[]): SweepCell[] {
  return rates.flatMap((rate) => latencies.map((latencyMs) => ({ rate, latencyMs, residents: cellResidents(rate) })));
}

