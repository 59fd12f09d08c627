/*
 * What undoing an import batch takes back: pure rules, so the DynamoDB subscriber store and the
 * tests' in-memory one decide alike. The DynamoDB store makes the subscription's decision atomic
 * with a condition on the batch's mark that says the same thing in its own words.
 */

/** An undo takes a subscription only if its own batch made it: not a JOIN's, not another batch's. */
export function undoTakesSubscription(batchId: string, madeByBatch: string | undefined): boolean {
  return madeByBatch === batchId;
}

/**
 * An undo takes the profile last, and only if the batch made it and nothing else of the
 * resident's is left once the batch's own records are gone: a resident who texted meanwhile (a
 * STOP, an AREA, a JOIN) has records of their own, and the profile is theirs now.
 */
export function undoTakesProfile(batchId: string, profileMadeByBatch: string | undefined, othersLeft: number): boolean {
  return profileMadeByBatch === batchId && othersLeft === 0;
}
