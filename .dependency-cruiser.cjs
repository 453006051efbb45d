/**
 * The dependency rules of DESIGN.md, checked by `npm run lint`.
 * Libraries hold pure logic and depend only on the libraries below them; apps wire them up.
 * @type {import('dependency-cruiser').IConfiguration}
 */
// Matched against resolved paths (node_modules/<package>/...), not import specifiers.
const SDKS = 'node_modules/(twitter-api-v2|imapflow|mailparser|nodemailer|smtp-server|facebook-nodejs-business-sdk)/';
const FRAMEWORKS = 'node_modules/(@nestjs/|typeorm/|bullmq/|ioredis/|pg/|express/)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes ESM load order (and decorator metadata) undefined.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'app-imports-another-app',
      severity: 'error',
      comment: 'Services talk through Postgres rows and queues, never through each other\'s code.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-an-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'lib-internals-from-outside',
      severity: 'error',
      comment: 'Use a library through its index (@desk/<lib>), so its internals can change freely.',
      from: { path: '^(apps|libs|tools)/', pathNot: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'entities-leave-persistence',
      severity: 'error',
      comment: 'Entities stay in persistence; other code gets domain types from its repositories.',
      from: { pathNot: '^libs/persistence/' },
      to: { path: '^libs/persistence/src/entities/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain: types and pure logic, no framework, storage, queue or SDK.',
      from: { path: '^libs/domain/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'domain-imports-a-lib',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^libs/', pathNot: '^libs/domain/' },
    },
    {
      name: 'sla-depends-on-luxon-only',
      severity: 'error',
      comment: 'Its specs may use the test tools; the library itself only luxon and Node.',
      from: { path: '^libs/sla/', pathNot: '\\.spec\\.ts$' },
      to: {
        pathNot: ['^libs/sla/', 'node_modules/luxon/', 'node_modules/@types/luxon/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'core-libs-depend-on-domain-only',
      severity: 'error',
      comment: 'triage, persistence, queues and channels may import domain, and no other library.',
      from: { path: '^libs/(triage|persistence|queues|channels)/' },
      to: { path: '^libs/', pathNot: ['^libs/domain/', '^libs/$1/'] },
    },
    {
      name: 'config-depends-on-no-lib',
      severity: 'error',
      from: { path: '^libs/config/' },
      to: { path: '^libs/', pathNot: '^libs/config/' },
    },
    {
      name: 'classifier-is-pure',
      severity: 'error',
      comment: 'The classifier runs anywhere (CLI, bench, worker): no framework, storage or queue.',
      from: { path: '^libs/triage/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'sdks-only-in-channels',
      severity: 'error',
      comment: 'Provider SDKs live behind the channel ports, so the rest of the system can use fakes (tests may use them as tools).',
      from: { pathNot: '^(libs/channels|test)/' },
      to: { path: SDKS },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'production-uses-dev-dependency',
      severity: 'error',
      comment: 'What the services import at run time must be a dependency, not a devDependency. The web desk is bundled at build time.',
      from: { path: '^(apps|libs)/', pathNot: ['\\.(spec|type-test)\\.ts$', '^apps/desk-web/'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: 'node_modules/@types/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
