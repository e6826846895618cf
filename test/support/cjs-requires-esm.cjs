// Jest transformer for CommonJS packages that `require()` ESM-only packages (@nestjs/throttler
// requires @nestjs/common 12). Node 20 allows that; jest's loader does not before Node 24.9, so
// such requires are pointed at the instances esm-for-cjs.mjs loaded. Nothing else changes.
const { createHash } = require('node:crypto');

const BRIDGED = ['@nestjs/common', '@nestjs/core'];
const pattern = new RegExp(`require\\((["'])(${BRIDGED.map((m) => m.replace(/[/@]/g, '\\$&')).join('|')})\\1\\)`, 'g');

module.exports = {
  process(source) {
    return { code: source.replace(pattern, (_m, _q, name) => `globalThis.__esmForCjs[${JSON.stringify(name)}]`) };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update('cjs-requires-esm-1').update(path).update(source).digest('hex');
  },
};
