import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobTotals } from '../../broadcasts/job-totals.js';
import type { BroadcastStore, BroadcastTally, CountsDelta, JobRecording } from '../../broadcasts/broadcast-store.js';
import { DynamoFanOutWrites } from './broadcast/fan-out.js';
import { DynamoBroadcastLifecycle } from './broadcast/lifecycle.js';
import { DynamoBroadcastListings } from './broadcast/listings.js';
import { BroadcastTable } from './broadcast/table.js';

/**
 * The broadcast store on DynamoDB, as the wiring constructs it. Its work is in parts, one a job, in
 * ./broadcast/ (a DynamoDB adapter too big for one file becomes a folder of that name beside it):
 * lifecycle (create, status moves, the sending list, delete), listings (staff listing, a topic's
 * latest, scheduled starts) and fan-out checkpoints, over the reads and writes they share
 * (table.ts) and the item layout (items.ts); the counters are broadcast-counters.ts'. This class
 * only hands each method to its part.
 */
export class DynamoBroadcastStore implements BroadcastStore {
  private readonly table: BroadcastTable;
  private readonly lifecycle: DynamoBroadcastLifecycle;
  private readonly listings: DynamoBroadcastListings;
  private readonly fanOut: DynamoFanOutWrites;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.table = new BroadcastTable(documents, tableName);
    this.lifecycle = new DynamoBroadcastLifecycle(this.table);
    this.listings = new DynamoBroadcastListings(this.table);
    this.fanOut = new DynamoFanOutWrites(this.table);
  }

  get(...args: Parameters<BroadcastTable['get']>) { return this.table.get(...args); }

  create(...args: Parameters<DynamoBroadcastLifecycle['create']>) { return this.lifecycle.create(...args); }
  transition(...args: Parameters<DynamoBroadcastLifecycle['transition']>) { return this.lifecycle.transition(...args); }
  sending(...args: Parameters<DynamoBroadcastLifecycle['sending']>) { return this.lifecycle.sending(...args); }
  delete(...args: Parameters<DynamoBroadcastLifecycle['delete']>) { return this.lifecycle.delete(...args); }

  recentForTopic(...args: Parameters<DynamoBroadcastListings['recentForTopic']>) { return this.listings.recentForTopic(...args); }
  list(...args: Parameters<DynamoBroadcastListings['list']>) { return this.listings.list(...args); }
  scheduleStart(...args: Parameters<DynamoBroadcastListings['scheduleStart']>) { return this.listings.scheduleStart(...args); }
  dueToStart(...args: Parameters<DynamoBroadcastListings['dueToStart']>) { return this.listings.dueToStart(...args); }
  clearScheduledStart(...args: Parameters<DynamoBroadcastListings['clearScheduledStart']>) { return this.listings.clearScheduledStart(...args); }

  fanOutCheckpoint(...args: Parameters<DynamoFanOutWrites['fanOutCheckpoint']>) { return this.fanOut.fanOutCheckpoint(...args); }
  advanceFanOut(...args: Parameters<DynamoFanOutWrites['advanceFanOut']>) { return this.fanOut.advanceFanOut(...args); }

  async addCounts(id: string, delta: CountsDelta, progressAt?: string): Promise<BroadcastTally | undefined> {
    return this.table.counters.add(id, delta, progressAt);
  }

  async receiptsCountedUpTo(id: string, shard: string): Promise<string | undefined> {
    return this.table.counters.receiptsCountedUpTo(id, shard);
  }

  async addReceiptCounts(
    id: string,
    shard: string,
    from: string | undefined,
    upTo: string,
    delta: Pick<CountsDelta, 'delivered' | 'undelivered'>,
  ): Promise<boolean | undefined> {
    return this.table.counters.addReceiptCounts(id, shard, from, upTo, delta);
  }

  async recordJob(id: string, jobId: string, totals: JobTotals, at: string): Promise<JobRecording> {
    return this.table.counters.recordJob(id, jobId, totals, at);
  }

  async sumOfJobs(id: string): Promise<{ jobs: number; totals: JobTotals }> {
    return this.table.counters.sumOfJobs(id);
  }

  async settleCounts(id: string, totals: JobTotals): Promise<void> {
    await this.table.counters.settle(id, totals);
  }

}
