// Jest's TypeScript transform: esbuild strips the types, file by file, as ts-jest did with
// isolatedModules (test/tsconfig.json sets it). Types are checked once, by `tsc -p
// test/tsconfig.json` in npm test (scripts/test.js), over lib/ and test/ together; the transform only
// has to make the code runnable, and esbuild does that in a fraction of ts-jest's time (no
// TypeScript compiler to load in every worker and in every nested jest run).
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { transformSync } = require('esbuild');

// What changes the output besides the source: this file and esbuild's version.
const SELF = createHash('sha256')
  .update(fs.readFileSync(require.resolve('./transform.js')))
  .update(require('esbuild/package.json').version)
  .digest('hex');

module.exports = {
  process(source, filename) {
    // babel-jest and ts-jest hoist jest.mock() above the imports; esbuild does not, so a mock
    // would come too late and silently do nothing. Say so rather than let a test pass untested.
    if (/\bjest\.(mock|unmock|enableAutomock|disableAutomock)\(/.test(source)) {
      throw new Error(`${filename}: jest.mock() is not hoisted by test/transform.js; pass fakes in, or spy with jest.spyOn`);
    }
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      // tsconfig.json's target; class fields as TypeScript defines them for ES2022.
      target: 'es2022',
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
      // `await import('node:tls')` becomes a require, as tsc writes it for CommonJS: jest's
      // runtime loads CommonJS modules, and a native import() needs --experimental-vm-modules.
      supported: { 'dynamic-import': false },
      sourcefile: filename,
      sourcemap: 'external',
      sourcesContent: false,
    });
    return { code, map };
  },
  getCacheKey(source, filename, options) {
    return createHash('sha256').update(SELF).update(filename).update(source).update(options.configString).digest('hex');
  },
};
