/**
 * The import graph's rules: which code may import which. test/unit/import-graph.test.ts runs them
 * over the source folders (as `npx depcruise --config .dependency-cruiser.cjs shared functions
 * local cli console bench infra` does) and fails on any violation.
 *
 * The layers of shared/, lowest first, and the edges above them:
 *   shared/domain        the vocabulary and pure rules over plain data: imports only the domain
 *   shared/ports         what the core needs from the world (stores, queues, providers, clock)
 *   capabilities         one folder per capability (shared/consent, pacing, broadcasts, sending,
 *                        inbox, residents, staff, …): its rules and use cases over ports and the domain
 *   shared/adapters      the ports implemented: DynamoDB, SQS, each provider (and a capability's
 *                        own dynamo/ or memory/ folder)
 *   shared/api           the admin API's wire schemas (zod, OpenAPI)
 *   shared/runtime, shared/platform, shared/config: how a Lambda runs (middleware, logging,
 *                        metrics, environment)
 *   functions, console, cli, local, infra, bench: the edges that put it together; shared/
 *                        imports none of them
 * The rules below forbid circles and the arrows that would run back up. A violation names the rule;
 * its comment says why, and what to move where.
 */

/** The folders of shared/ that are a layer of their own. */
const layers = ['domain', 'ports', 'adapters', 'api', 'runtime', 'platform', 'config'];
/** The capabilities: each one folder, named for what it does, holding its rules and use cases. */
const capabilities = [
  'broadcasts',
  'consent',
  'dead-letters',
  'inbox',
  'pacing',
  'residents',
  'retention',
  'sending',
  'staff',
  'templates',
  'topics',
  'usage',
];
/** A capability may keep its adapters beside its rules, in a folder named for the storage. */
const adapters = ['^shared/adapters/', `^shared/(${capabilities.join('|')})/(dynamo|memory)/`];
const useCases = { path: `^shared/(${capabilities.join('|')})/`, pathNot: adapters.slice(1) };

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'Two files that import each other (directly or round a longer loop) are one module in two places: ' +
        'neither can be read, tested or moved alone, and the load order decides which sees the other half-built. ' +
        'A type import counts: a circle through a type is still a circle between files. Move what both need ' +
        'to a module below both (a types module, the domain).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-only-in-known-folders',
      comment:
        'Every module of shared/ sits in a layer folder or in the one folder of its capability, so a newcomer finds ' +
        'it by name and the rules below know which layer it is in. A module loose in shared/, or in a folder named ' +
        'for neither (a catch-all such as "usecases" or "utils"), is neither: put it in its capability folder, or ' +
        "add a new capability's folder to the list at the top of this file.",
      severity: 'error',
      from: {},
      to: { path: '^shared/', pathNot: `^shared/(${[...layers, ...capabilities].join('|')})/` },
    },
    {
      name: 'domain-imports-only-domain',
      comment:
        'The domain is the bottom layer: the vocabulary (ProviderName, Broadcast, Topic) and pure rules over plain ' +
        'data. It imports no port, use case, adapter, API schema or runtime, so it runs and is tested without any of them. ' +
        'A word the domain needs belongs in the domain, even when a port was where it was first written.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { path: '^shared/', pathNot: '^shared/domain/' },
    },
    {
      name: 'ports-import-no-adapter',
      comment:
        'A port says what the core needs; an adapter is one way to provide it. A port that imports an adapter ties ' +
        'every use case (and every fake) to that one implementation.',
      severity: 'error',
      from: { path: '^shared/ports/' },
      to: { path: adapters },
    },
    {
      name: 'use-cases-import-no-adapter',
      comment:
        'Use cases and capability rules talk to the world through ports, so they run against the in-memory fakes ' +
        'and any adapter alike. A type they share with an adapter (a record, a payload) belongs to the use case side ' +
        '(a port or the domain); the adapter imports it from there.',
      severity: 'error',
      from: useCases,
      to: { path: adapters },
    },
    {
      name: 'use-cases-import-no-wire-schema',
      comment:
        "The admin API's schemas are the wire format of one caller (the HTTP API); the console, the CLI and the " +
        'queue functions call the same use cases. A use case declares its own input and output types (in its module ' +
        'or the domain); the API schema is checked against them by tsc where the handler passes one to the other.',
      severity: 'error',
      from: useCases,
      to: { path: '^shared/api/' },
    },
    {
      name: 'shared-imports-no-edge',
      comment:
        'shared/ is the core every edge builds on (Lambda handlers, the console, the CLI, the local stack, the CDK ' +
        'stack, the bench). An import the other way makes the core depend on one of its callers.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|local|console|cli|infra|bench|test)/' },
    },
    {
      name: 'console-view-models-import-no-page',
      comment:
        'A view model turns use case results into what a template shows, and is tested as plain data; the pages ' +
        '(routes, rendering, the request context) use view models, never the other way round.',
      severity: 'error',
      from: { path: '^console/views-model/' },
      to: { path: '^console/(pages/|app\\.ts|page\\.ts|session-middleware\\.ts|signed-in\\.ts)' },
    },
  ],
  options: {
    // A type-only import is an edge of the graph too: TypeScript erases it, but the files still depend on each other.
    tsPreCompilationDeps: true,
    // Only the rules above are asked for: no orphan, reachability or metrics analysis to pay for.
    skipAnalysisNotInRules: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // The rules are about the code that ships; tests beside the code they test may import test support.
    exclude: { path: ['\\.test\\.ts$', '^node_modules/', '^cdk\\.out/'] },
  },
};
