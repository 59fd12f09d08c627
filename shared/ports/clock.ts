export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique id that sorts by creation time. */
  next(): string;
}
