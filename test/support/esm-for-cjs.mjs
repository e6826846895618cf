// The ESM-only packages that CommonJS dependencies require (see cjs-requires-esm.cjs), loaded
// through jest's own module registry so the tests and the app share one instance of each.
globalThis.__esmForCjs = {
  '@nestjs/common': await import('@nestjs/common'),
  '@nestjs/core': await import('@nestjs/core'),
};
