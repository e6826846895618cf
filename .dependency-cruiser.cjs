/**
 * Architecture rules, checked by `npm run lint:deps` (part of `npm test`). The one the design
 * rests on: the free Core never reaches the LLM, usage, premium or admin code, nor an LLM SDK.
 * Paths match anywhere in the tree, so test/isolation/fixtures can prove the rules fire.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-stays-free',
      comment: 'src/core must not import from llm, usage, premium or admin (see DESIGN.md).',
      severity: 'error',
      from: { path: '(^|/)src/core/' },
      to: { path: '(^|/)src/(llm|usage|premium|admin)/' },
    },
    {
      name: 'core-no-llm-sdk',
      comment: 'src/core must not import an LLM SDK.',
      severity: 'error',
      from: { path: '(^|/)src/core/' },
      to: { path: 'node_modules/(@anthropic-ai|openai)/' },
    },
    {
      name: 'llm-sdks-only-in-adapters',
      comment: 'Only the LLM adapters talk to a provider SDK; everything else goes through the port.',
      severity: 'error',
      from: { path: '(^|/)src/', pathNot: '(^|/)src/llm/adapters/' },
      to: { path: 'node_modules/(@anthropic-ai|openai)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '(^|/)src/' },
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '(^|/)src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '(^|/)test/' },
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
