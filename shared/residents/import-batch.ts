import { z } from 'zod';
import { importProblemKinds, type ImportProblemKind } from '../domain/subscriber-import.js';

/**
 * What is kept of an import, for its page in the console: who ran it, when, the evidence given
 * for the file, and what came of its rows. Never a phone number: a refused row is kept as its
 * line and the kind of problem, not the words of the refusal (which may quote a number).
 */
export interface ImportBatch {
  /** The batch id (see importBatchId): the same file, evidence and person make the same batch. */
  id: string;
  /** When its last attempt ran: an attempt refused and then made again is one batch. */
  at: string;
  /** The key id (an API key's, or a person's) of whoever ran it. */
  actor: string;
  /** The department of whoever ran it: the batch is that department's to see. */
  department: string;
  /** The evidence given for the whole file; undefined when every row gave its own. */
  consent?: { collectedBy: string; collectedAt: string; method: string };
  /** Rows that took their evidence from `consent` (the rest gave their own). */
  rowsWithGivenConsent: number;
  outcome: 'imported' | 'refused';
  rows: number;
  imported: number;
  alreadySubscribed: number;
  topics: { topicId: string; imported: number; alreadySubscribed: number }[];
  /** Why a refused batch was refused: rows by kind of problem, and the first few rows' problems. */
  refused: { rows: number; byKind: Partial<Record<ImportProblemKind, number>>; examples: { line?: number; field: string; kind: ImportProblemKind }[] };
}

/** The refusals a batch record keeps as examples: enough to see the pattern, and a small item. */
export const REFUSAL_EXAMPLES = 20;

export interface ImportBatchStore {
  /** Keeps the batch as it now stands (an earlier attempt's record is replaced). */
  record(batch: ImportBatch): Promise<void>;
  get(id: string): Promise<ImportBatch | undefined>;
  /** The latest batches, newest first, of every department. */
  recent(limit: number): Promise<ImportBatch[]>;
}

const count = z.number().int().nonnegative();

/** A stored batch record, checked as it is read back. */
export const importBatchSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  department: z.string(),
  consent: z.object({ collectedBy: z.string(), collectedAt: z.string(), method: z.string() }).optional(),
  rowsWithGivenConsent: count,
  outcome: z.enum(['imported', 'refused']),
  rows: count,
  imported: count,
  alreadySubscribed: count,
  topics: z.array(z.object({ topicId: z.string(), imported: count, alreadySubscribed: count })),
  refused: z.object({
    rows: count,
    byKind: z.partialRecord(z.enum(importProblemKinds), count),
    examples: z.array(z.object({ line: z.number().int().optional(), field: z.string(), kind: z.enum(importProblemKinds) })),
  }),
}) satisfies z.ZodType<ImportBatch, unknown>;
