// Layer rules of ../shared/ARCHITECTURE.md and STYLE.md part 2 rule 1, checked by `npm run lint`
// (docs/decisions/0014-libraries-and-lint.md explains each choice). Only src/ is cruised, test
// files excluded: tests may reach into any layer. Paths are relative to the repository root.

/** Files other layers may import from the domain: the resource schemas and the name patterns they use. */
const DOMAIN_SCHEMAS = ['^src/domain/[^/]+/schema\\.ts$', '^src/domain/common/names\\.ts$']
const NOT_DOMAIN_SCHEMA = '^src/domain/(?![^/]+/schema\\.ts$|common/names\\.ts$)'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two files are one module; break it by moving the shared part down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-a-leaf',
      comment: 'src/lib holds dependency-free helpers every layer may use, so it imports no other layer.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'config-is-a-leaf',
      comment: 'The typed configuration is read once and handed down; it depends on nothing but lib.',
      severity: 'error',
      from: { path: '^src/config\\.ts$' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'only-main-wires-the-server',
      comment: 'STYLE rule 1: only src/main.ts (run by `kupe server`) builds the HTTP app.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/server/', '^src/main\\.ts$'] },
      to: { path: '^src/server/' },
    },
    {
      name: 'only-main-wires-the-controllers',
      comment: 'STYLE rule 1: only src/main.ts starts the controllers; the operator may reuse the runner and the Controller interface.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/controllers/', '^src/main\\.ts$', '^src/operator/'] },
      to: { path: '^src/controllers/' },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'The CLI is an outside client of the server; no layer depends on it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'server-goes-through-the-domain',
      comment: 'ARCHITECTURE: routes parse, call a domain service and shape the response; storage and backends sit behind the domain.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/(store|providers|vault|kube|controllers|operator)/' },
    },
    {
      name: 'domain-points-inward',
      comment: 'The domain knows no HTTP, reconciler or client: server, controllers, operator and cli depend on it, never the reverse.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: ['^src/(server|controllers|operator|cli)/', '^src/main\\.ts$'] },
    },
    {
      name: 'domain-schemas-are-leaves',
      comment: 'Schemas are what outer layers may import from the domain, so they import only other schemas and lib.',
      severity: 'error',
      from: { path: DOMAIN_SCHEMAS },
      to: { path: '^src/', pathNot: [...DOMAIN_SCHEMAS, '^src/lib/'] },
    },
    {
      name: 'store-knows-only-schema-types',
      comment: 'STYLE rule 7: the store may `import type` from domain schemas and nothing else above it.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: ['^src/store/', '^src/lib/', ...DOMAIN_SCHEMAS] },
    },
    {
      name: 'store-imports-schema-types-only',
      comment: 'A value import would run domain code inside the store.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: DOMAIN_SCHEMAS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'backends-point-outward',
      comment: 'Providers, vault backends and kube helpers are used by the domain and controllers, never the reverse; they may use domain schemas.',
      severity: 'error',
      from: { path: '^src/(providers|vault|kube)/' },
      to: { path: ['^src/(server|controllers|operator|cli)/', NOT_DOMAIN_SCHEMA, '^src/(main|container)\\.ts$'] },
    },
    {
      name: 'kube-is-only-a-client',
      comment: 'kube/ wraps the Kubernetes client; cluster backends build on it, not the other way, and it keeps no state of its own.',
      severity: 'error',
      from: { path: '^src/kube/' },
      to: { path: '^src/(providers|vault|store)/' },
    },
    {
      name: 'vault-is-not-a-provider',
      comment: 'Secret-value backends and cluster backends are independent plug-in families.',
      severity: 'error',
      from: { path: '^src/vault/' },
      to: { path: '^src/providers/' },
    },
    {
      name: 'cli-talks-http',
      comment: 'ARCHITECTURE: the CLI uses the generated HTTP client; besides lib, the pure kubeconfig helper is the one exception (decision 0014). `kupe server` and `kupe operator` run server-side code and have rules of their own.',
      severity: 'error',
      from: { path: '^src/cli/', pathNot: ['^src/cli/server-command\\.ts$', '^src/cli/commands/operator-[^/]+\\.ts$'] },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/lib/', '^src/kube/kubeconfig\\.ts$'] },
    },
    {
      name: 'operator-commands-only-start-the-operator',
      comment: '`kupe operator` runs the operator in this process (decision 0012): the operator layer, nothing else of the server side.',
      severity: 'error',
      from: { path: '^src/cli/commands/operator-[^/]+\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/lib/', '^src/operator/', '^src/kube/kubeconfig\\.ts$'] },
    },
    {
      name: 'server-command-only-starts-main',
      comment: '`kupe server` reads the configuration and calls main; nothing else of the server side.',
      severity: 'error',
      from: { path: '^src/cli/server-command\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/main\\.ts$', '^src/config\\.ts$'] },
    },
    {
      name: 'kubeconfig-helper-stays-pure',
      comment: 'The CLI may import src/kube/kubeconfig.ts only while it pulls in nothing else of the server side.',
      severity: 'error',
      from: { path: '^src/kube/kubeconfig\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'operator-uses-schemas-kube-and-the-runner',
      comment: 'The operator reconciles Kubernetes objects: domain schemas (and the pure condition helper beside them), kube, lib, config and the controllers\' runner, never the server, services or store.',
      severity: 'error',
      from: { path: '^src/operator/' },
      to: {
        path: '^src/',
        pathNot: ['^src/operator/', '^src/kube/', '^src/lib/', '^src/config\\.ts$', '^src/controllers/(runner|controller)\\.ts$', '^src/domain/common/conditions\\.ts$', ...DOMAIN_SCHEMAS],
      },
    },
    {
      name: 'container-is-a-type-outside-main',
      comment: 'STYLE rule 14/15: main.ts builds the container; everyone else receives it (or a Pick of it) as a parameter.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/container\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-dev-dependencies-in-src',
      comment: 'The shipped program installs without devDependencies.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unlisted-packages',
      comment: 'Every package src/ imports is declared in package.json.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', '^src/cli/api/openapi\\.json$'] },
    // Type-only imports count as dependencies: they are how one layer learns another's shapes.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
