// ESLint flat config: a small, deliberate rule set (docs/decisions/0014-libraries-and-lint.md).
// Layer rules live in .dependency-cruiser.cjs, dead code in knip.json; `npm run lint` runs all three.
import tseslint from 'typescript-eslint'

const DEFAULT_EXPORTS = [
  { selector: 'ExportDefaultDeclaration', message: 'Named exports only (STYLE rule 2): one name per concept, the same at every import.' },
  { selector: "ExportSpecifier[exported.name='default']", message: 'Named exports only (STYLE rule 2).' },
]

export default tseslint.config(
  {
    ignores: ['dist/**', 'console/dist/**', 'node_modules/**', '.scratch/**', 'src/cli/api/schema.ts', 'test-artifacts/**'],
  },
  {
    files: ['**/*.ts', 'console/src/**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      // Type information only for the rule that needs it; the project service reuses tsconfig.json.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An unawaited promise drops its rejection: the error is lost or crashes the process (STYLE rule 19).
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      // `unknown` at boundaries, real types inside (STYLE rule 19).
      '@typescript-eslint/no-explicit-any': 'error',
      // Type-only imports are erased at run time, and the layer rules tell them apart from value imports.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Dead names hide what a file really uses; a leading underscore marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none',
      }],
      // `==` coerces; the one useful case, `x == null`, is spelled out instead.
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': ['error', ...DEFAULT_EXPORTS],
    },
  },
  {
    // Time and randomness are dependencies (STYLE rule 14): `deps.clock.now()`, `deps.random`, so tests can drive them.
    files: ['src/domain/**/*.ts', 'src/controllers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use deps.clock.now() (STYLE rule 14).' },
        { object: 'Math', property: 'random', message: 'Use the container\'s random source (STYLE rule 14).' },
      ],
      'no-restricted-syntax': ['error', ...DEFAULT_EXPORTS,
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use deps.clock.now() (STYLE rule 14).' },
      ],
    },
  },
  {
    // Issue 10: backends receive a domain-level view and their own typed state, never a table row.
    files: ['src/providers/**/*.ts', 'src/kube/**/*.ts', 'src/vault/**/*.ts', 'src/operator/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/store/db.js'], importNamePattern: 'Row$', message: 'Backends take domain views, not store rows (issue 10).' }],
      }],
    },
  },
  {
    // Tests and benchmarks read JSON responses loosely (`r.body.items[0].name`); their assertions are
    // the type check, and `unknown` there would only add casts (a deliberate exception to STYLE rule 19).
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // A declaration file describes a package as it is, default export included.
    files: ['**/*.d.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Migrations are frozen in time and take Kysely<any> so later type changes cannot break them (STYLE rule 8).
    files: ['src/store/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
