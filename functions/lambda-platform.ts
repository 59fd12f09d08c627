/**
 * The processor every crier function runs on in AWS. Graviton (arm64): the same Node.js, about a
 * fifth cheaper per GB-second than x86_64. The CDK construct deploys it and the bench prices
 * Lambda compute at its rate, so the two cannot disagree.
 */
export const lambdaArchitecture = 'arm64' as const;

export type LambdaArchitecture = 'arm64' | 'x86_64';

/** Lambda's public price per GB-second of compute, by architecture (free tier ignored). */
export const lambdaPricePerGbSecond: Record<LambdaArchitecture, number> = {
  arm64: 0.0000133334,
  x86_64: 0.0000166667,
};
