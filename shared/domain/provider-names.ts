/**
 * The providers crier can send through: domain vocabulary (sender kinds, provider lists and rates
 * are written in it), so it lives in the domain and the messaging port imports it.
 *
 * `sandbox-b` is a second sandbox (the local stack's `/sandbox/b/`), so failover from one provider
 * to another can be shown and tested on one machine.
 */
export const providerNames = ['sandbox', 'sandbox-b', 'twilio', 'whatsapp-cloud', 'aws-sms'] as const;
export type ProviderName = (typeof providerNames)[number];
