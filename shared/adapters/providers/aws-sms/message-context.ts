/**
 * The key under which crier's message id rides in `SendTextMessage`'s `Context`: AWS copies
 * `Context` into every delivery event of the message, which is how a receipt finds crier's
 * record. Its own module so the SNS parser can use it without importing the SDK.
 */
export const MESSAGE_ID_CONTEXT_KEY = 'messageId';
