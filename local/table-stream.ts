import type { TableStreamTrigger } from '../functions/catalog-types.js';
import type { FunctionId } from '../functions/catalog.js';
import type { LocalInvoke } from './lambda-runtime.js';
import { listenToTableChanges, type ItemImage, type TableChangeListener } from './dynalite-changes.js';
import { matchesFilter } from './stream-filter.js';

/** One change as DynamoDB Streams shows it (NEW_AND_OLD_IMAGES), images in attribute-value form. */
export interface TableStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: 'NEW_AND_OLD_IMAGES';
  };
}

/** What Lambda hands a stream consumer with a tumbling window: the records, their shard and the window. */
export interface TableStreamEvent {
  Records: TableStreamRecord[];
  shardId: string;
  eventSourceARN: string;
  window: { start: string; end: string };
  state: Record<string, string>;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

/** The one shard of the local stream: sequence numbers only grow, as within a DynamoDB Streams shard. */
const LOCAL_SHARD = 'shardId-00000000000000000001-local';

/**
 * The table's change stream for one local consumer: the changes its filter matches, handed to its
 * function in batches as Lambda's event source does (up to `batchSize`, after the batching window),
 * one batch at a time and in order; a batch the function fails is handed out again, whole, after a
 * pause, and holds up the ones behind it, as a failed batch holds up its shard in AWS.
 */
export class TableStreamPoller {
  private readonly pending: TableStreamRecord[] = [];
  private sequence = 10n ** 20n;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private inFlight = false;
  private wake: () => void = () => undefined;
  private readonly capture: TableChangeListener;
  private stopListening: () => void = () => undefined;
  readonly stats = { records: 0, batches: 0, failures: 0 };

  constructor(
    private readonly tableName: string,
    private readonly functionId: FunctionId,
    private readonly trigger: TableStreamTrigger,
    private readonly handler: LocalInvoke<TableStreamEvent, unknown>,
    private readonly onError: (error: unknown) => void,
    /** How long records gather before a batch goes (locally shorter than in AWS, for people watching). */
    private readonly batchingWindowMs: number,
  ) {
    this.capture = (table, before, after) => {
      if (table !== this.tableName) return;
      const record = this.recordOf(before, after);
      if (!matchesFilter(this.trigger.filter, record)) return;
      this.pending.push(record);
      this.wake();
    };
  }

  start(): void {
    if (this.running) return;
    this.stopListening = listenToTableChanges(this.capture);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopListening();
    this.wake();
    await this.loop;
  }

  /** Changes captured and not yet handled, or a batch under way: `settled` waits for both. */
  get busy(): boolean {
    return this.inFlight || this.pending.length > 0;
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.pending.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
      if (!this.running) return;
      await new Promise((resolve) => setTimeout(resolve, this.batchingWindowMs));
      const batch = this.pending.slice(0, this.trigger.batchSize);
      if (batch.length === 0) continue;
      this.inFlight = true;
      try {
        await this.handler(this.eventOf(batch));
        this.pending.splice(0, batch.length);
        this.stats.records += batch.length;
        this.stats.batches += 1;
      } catch (error) {
        this.stats.failures += 1;
        this.onError(error);
      } finally {
        this.inFlight = false;
      }
    }
  }

  private recordOf(before: ItemImage | undefined, after: ItemImage | undefined): TableStreamRecord {
    this.sequence += 1n;
    const image = after ?? before ?? {};
    const copy = (item: ItemImage | undefined) => (item ? (JSON.parse(JSON.stringify(item)) as ItemImage) : undefined);
    const OldImage = copy(before);
    const NewImage = copy(after);
    return {
      eventID: `${this.sequence}`,
      eventName: before && after ? 'MODIFY' : after ? 'INSERT' : 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-2',
      eventSourceARN: this.streamArn(),
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: { pk: image.pk, sk: image.sk },
        ...(OldImage ? { OldImage } : {}),
        ...(NewImage ? { NewImage } : {}),
        SequenceNumber: `${this.sequence}`,
        SizeBytes: JSON.stringify(image).length,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
  }

  private eventOf(records: TableStreamRecord[]): TableStreamEvent {
    const now = new Date();
    return {
      Records: records,
      shardId: LOCAL_SHARD,
      eventSourceARN: this.streamArn(),
      window: { start: now.toISOString(), end: new Date(now.getTime() + this.batchingWindowMs).toISOString() },
      state: {},
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    };
  }

  private streamArn(): string {
    return `arn:aws:dynamodb:eu-west-2:000000000000:table/${this.tableName}/stream/local`;
  }

  toString(): string {
    return `${this.functionId} on ${this.tableName}'s stream`;
  }
}
