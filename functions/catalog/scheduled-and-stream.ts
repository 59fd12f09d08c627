import { schedulerEnvSchema, tableEnvSchema } from '../../shared/config/env.js';
import { defineFunction, type FunctionDefinition } from '../catalog-types.js';
import { broadcastTiming, table } from './environment.js';

/** The functions no request starts: the table's change stream (receipt counts) and the minute's schedule. */
export const scheduledAndStreamFunctions = {
  countReceipts: defineFunction({
    description: 'Counts delivery receipts on their broadcasts, a batch of the table\'s changes at a time',
    entry: 'functions/stream/count-receipts.ts',
    envSchema: tableEnvSchema,
    environment: (b) => ({ ...table(b) }),
    trigger: {
      kind: 'tableStream',
      batchSize: 1000,
      // A broadcast's receipts a few seconds late on its counters, for one write per batch instead of one each.
      batchingWindowSeconds: 5,
      // Receipts are writes to a broadcast's message (MODIFY); every other change passes unseen.
      filter: { eventName: ['MODIFY'], dynamodb: { NewImage: { type: { S: ['message'] }, broadcastId: { S: [{ exists: true }] } } } },
    },
    access: { table: 'readwrite' },
    timeoutSeconds: 60,
    memoryMb: 256,
  }),
  // Starts the scheduled broadcasts whose time (or the end of quiet hours) has come, and settles
  // or reports sending broadcasts whose counts stood still (stalled-broadcasts.ts). Its timeout
  // is well under the minute between runs, so two runs never overlap.
  scheduler: defineFunction({
    description: 'Every minute: starts the scheduled broadcasts whose time has come, and sweeps stalled ones',
    entry: 'functions/scheduled/start-due-broadcasts.ts',
    envSchema: schedulerEnvSchema,
    environment: (b) => ({ ...table(b), FAN_OUT_QUEUE_URL: b.queueUrls.fanOut, ...broadcastTiming(b) }),
    trigger: { kind: 'schedule', everyMinutes: 1 },
    access: { table: 'readwrite', sendsTo: ['fanOut'] },
    timeoutSeconds: 50,
    memoryMb: 512,
  }),
} satisfies Record<string, FunctionDefinition<any>>;
