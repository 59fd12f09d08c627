import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A document client that fails the commands `when` picks, as a crash or an outage between two
 * writes would; everything else reaches the table.
 */
export function failingWhen(documents: DynamoDBDocumentClient, when: (command: CommandLike) => boolean): DynamoDBDocumentClient {
  return new Proxy(documents, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: Parameters<DynamoDBDocumentClient['send']>[0]) =>
        when(command as unknown as CommandLike) ? Promise.reject(new Error('simulated crash')) : target.send(command);
    },
  });
}

/** What a test can see of a command: its class name and input. */
export interface CommandLike {
  constructor: { name: string };
  input: { Key?: Record<string, unknown>; Item?: Record<string, unknown>; UpdateExpression?: string };
}

/** The partition key a command writes or reads, whichever of Key or Item it has. */
export function partitionOf(command: CommandLike): string {
  return String(command.input.Key?.pk ?? command.input.Item?.pk ?? '');
}
