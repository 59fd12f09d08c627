/**
 * Where the bootstrap operator key lives: a Secrets Manager secret in AWS, a file beside the data
 * (and a stored key) on the local stack.
 */
export interface BootstrapKeyVault {
  /** Makes `key` the bootstrap key; the previous one stops working (in AWS, within a minute). */
  replace(key: string, at: string): Promise<void>;
}
