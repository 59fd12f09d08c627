/**
 * Use cases declare their own types; the admin API's schemas describe the same values on the wire
 * (for OpenAPI, and for the CLI, which parses answers with them). Where a handler passes a parsed
 * request to a use case, tsc already checks the one against the other; an answer is serialised as
 * it is, so its schema is held to the use case's type here instead:
 * `type Checks = [Describes<z.infer<typeof schema>, UseCaseType>]` fails to compile when a value
 * of the use case's type is not one the schema's type accepts.
 */
export type Describes<Wire, Answer extends Wire> = Answer;
