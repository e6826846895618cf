/**
 * Architecture rules, checked by `npm run lint:deps` (part of `npm run lint`): DESIGN.md's graph as
 * an allow-list per top-level folder of src, entry through index.ts, and the LLM SDKs kept in the
 * adapters. Paths match anywhere in the tree, so test/isolation/fixtures can prove each rule fires
 * (test/isolation/static-boundaries.spec.ts checks that every rule here has a fixture that breaks it).
 */

/** Top-level folder -> the other top-level folders it may import (besides itself). */
const ALLOWED = {
  core: ['common', 'config'],
  llm: ['usage', 'common', 'config'],
  // core: llm_usage_logs references students (the Student entity).
  usage: ['core', 'common', 'config'],
  premium: ['core', 'llm', 'usage', 'flags', 'common', 'config'],
  admin: ['usage', 'core', 'flags', 'common', 'config'],
  mcp: ['core', 'premium', 'common', 'config'],
  flags: ['common', 'config'],
  // Indicators are registered into common by the modules that own the parts; health imports none.
  health: ['common', 'config'],
  // The seed writes each module's content through that module's repositories (Core: the course and
  // the demo accounts, with Core's password policy; premium: the assessment questions).
  database: ['core', 'premium', 'common', 'config'],
  common: ['config'],
  // config imports nothing but pure kernels: money (dollar settings into micro-dollars) and the
  // feature registry (each premium feature's settings).
  config: ['common/money', 'common/features'],
};

const MODULES = Object.keys(ALLOWED);
const alt = (names) => `(${names.join('|')})`;
/** src/ at the root, or the fixtures' src/ (never a package's own src/ under node_modules). */
const SRC = '^(?:test/isolation/fixtures/)?src/';
/** Commands (`*.cli.ts`) are entry points: like main.ts they may wire any module, through its index.ts. */
const CLI = '\\.cli\\.ts$';

const allowListRules = Object.entries(ALLOWED).map(([from, allowed]) => ({
  name: `${from}-allowed-imports`,
  comment: `src/${from} may import only ${allowed.join(', ')} (DESIGN.md).`,
  severity: 'error',
  from: { path: `${SRC}${from}/`, pathNot: CLI },
  // Anything else under src: another module, or an entry file (main.ts, app.module.ts, ...).
  to: { path: SRC, pathNot: `${SRC}${alt([from, ...allowed])}/` },
}));

/** Where another module may be entered: its index.ts, or for common an area's index.ts. */
const PUBLIC_ENTRY = [`${SRC}(?!common/)[^/]+/index\\.ts$`, `${SRC}common/[^/]+/index\\.ts$`];

module.exports = {
  forbidden: [
    ...allowListRules,
    {
      name: 'cross-module-through-index',
      comment: "Another module is reached only through its index.ts (common: an area's index.ts).",
      severity: 'error',
      from: { path: `${SRC}([^/]+)/` },
      to: { path: `${SRC}[^/]+/`, pathNot: [`${SRC}$1/`, ...PUBLIC_ENTRY] },
    },
    {
      name: 'entry-through-index',
      comment: 'Entry files (main.ts, worker.ts, http-app.ts, app.module.ts, worker.module.ts) use modules through their index.ts.',
      severity: 'error',
      from: { path: `${SRC}[^/]+\\.ts$` },
      to: { path: `${SRC}[^/]+/`, pathNot: PUBLIC_ENTRY },
    },
    {
      name: 'entry-files-only-wire',
      comment: 'main.ts -> http-app.ts -> app.module.ts; worker.ts -> worker.module.ts. Nothing imports main.ts or worker.ts.',
      severity: 'error',
      from: { path: SRC },
      to: { path: `${SRC}(main|worker)\\.ts$` },
    },
    {
      name: 'only-listed-modules',
      comment: `Every top-level folder of src has its rule here: ${MODULES.join(', ')}. Add one for a new folder.`,
      severity: 'error',
      from: { path: `${SRC}(?!${alt(MODULES)}/)[^/]+/` },
      to: {},
    },
    {
      name: 'money-is-pure',
      comment: 'common/money imports nothing from src (config depends on it).',
      severity: 'error',
      from: { path: `${SRC}common/money/` },
      to: { path: SRC, pathNot: `${SRC}common/money/` },
    },
    {
      name: 'features-is-pure',
      comment: 'common/features (the premium feature registry) imports nothing from src (config and every module depend on it).',
      severity: 'error',
      from: { path: `${SRC}common/features/` },
      to: { path: SRC, pathNot: `${SRC}common/features/` },
    },
    {
      name: 'core-no-llm-sdk',
      comment: 'src/core must not import an LLM SDK.',
      severity: 'error',
      from: { path: `${SRC}core/` },
      to: { path: 'node_modules/(@anthropic-ai|openai)/' },
    },
    {
      name: 'llm-sdks-only-in-adapters',
      comment: 'Only the LLM adapters talk to a provider SDK; everything else goes through the port.',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}llm/adapters/` },
      to: { path: 'node_modules/(@anthropic-ai|openai)/' },
    },
    {
      name: 'one-jwt-library',
      comment: 'Access tokens are signed and verified with @nestjs/jwt (common/auth), never with jsonwebtoken directly.',
      severity: 'error',
      from: { path: SRC },
      to: { path: 'node_modules/(@types/)?jsonwebtoken/' },
    },
    {
      name: 'one-cache',
      comment: 'In-process caches go through common/cache (Memo); only it uses lru-cache.',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}common/cache/` },
      to: { path: 'node_modules/lru-cache/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: SRC },
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: SRC, pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/(?!isolation/fixtures/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
