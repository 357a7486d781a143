// Jest's module runtime (jest.config.js `runtime`), compiling each module once per worker rather
// than once per suite. Jest gives every suite a fresh module registry in a new vm context, and
// jest-runtime compiles every module it loads again for it (`vm.compileFunction`): lib/, zod, yaml,
// cdk8s and its 2.5 MB of Kubernetes classes, 90 times a run. Here the first suite in a worker to
// load a module gets jest's own compile, as before, and the module is also compiled into a
// `vm.Script`, which belongs to no context; each later suite runs that script in its own context.
// The module's code is still evaluated afresh for each suite, with new objects, in that suite's
// realm; only V8's parse and bytecode, which hold no state, are shared. About 0.1 s of CPU less a
// suite (12 small suites in one process, interleaved runs: 10.4 -> 8.6 s, and 11.6 -> 10.6 s in
// an independent review).
//
// The shared function has compileFunction's parameters, strictness, frame name (`Object.<anonymous>`)
// and lines and columns (a negative column offset takes the wrapper off line 1). What differs, none
// of it used here: its `toString()` has no line break after `{`; a line-1 column inside an `eval`'s
// origin, or in a module with a `//# sourceURL=`, counts the wrapper; and a module evaluated twice
// in one suite (jest.resetModules) gets the same tagged-template object both times.
// Not shared, so compiled by jest in every suite as before: a module that may call import() (it
// needs the suite's own import callback), one that is no valid function body (jest compiled it
// first: it already failed there) or whose text does not compile inside the wrapper (a #! line),
// and every module when jest collects V8 coverage, which maps V8's ranges as if there were no wrapper.
'use strict';
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** Module code that may call import(), also with a comment before its `(`: compiled by jest, which passes the suite's import callback. */
const DYNAMIC_IMPORT = /\bimport\s*(?:\(|\/[*/])/;

/**
 * Replaces `executor.compile(source, filename)`, jest-runtime's ModuleExecutor method, with one that
 * shares a script per module through `scripts` (kept for the worker's life) and runs it in the
 * suite's context. Throws when jest-runtime no longer has that method or its parameter list, so that
 * an upgrade of jest says so rather than runs every test slower.
 */
function shareCompiledScripts(executor, scripts) {
  if (typeof executor?.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters)) {
    throw new Error(
      'test/runtime.js: jest-runtime has no executor.compile(source, filename) and executor.injectedModuleParameters any more; ' +
        'update or remove `runtime` in jest.config.js',
    );
  }
  const jestCompile = executor.compile;
  const prefix = `(function (${executor.injectedModuleParameters.join(', ')}) {`;
  executor.compile = function compile(source, filename) {
    const context = this.environment.getVmContext();
    if (context == null) return null; // the suite's environment is torn down: jest's own answer
    if (DYNAMIC_IMPORT.test(source)) return jestCompile.call(this, source, filename);
    const key = `${prefix}\0${filename}`;
    const entry = scripts.get(key);
    if (entry?.source === source) return entry.script ? entry.script.runInContext(context) : jestCompile.call(this, source, filename);
    // First sight of this text: jest compiles it for this suite (and reports it if it is no valid
    // function body); a valid body cannot close the wrapper early, so the script is that function.
    const compiled = jestCompile.call(this, source, filename);
    let script;
    try {
      script = new vm.Script(`${prefix}${source}\n})`, { filename, columnOffset: -prefix.length });
    } catch {
      script = undefined; // a #! line, which compileFunction allows: jest compiles it each time
    }
    scripts.set(key, { source, script });
    return compiled;
  };
}

/** This worker's scripts, for all the suites it runs. */
const SCRIPTS = new Map();

/** Whether a run with these coverage options may share scripts: not when V8 collects coverage. */
function mayShare(coverageOptions) {
  return !(coverageOptions?.collectCoverage && coverageOptions.coverageProvider === 'v8');
}

class SharedScriptsRuntime extends Runtime {
  // jest-runner's call: new Runtime(config, environment, resolver, transformer, cacheFS, coverageOptions, testPath, globalConfig)
  constructor(config, environment, resolver, transformer, cacheFS, coverageOptions, ...rest) {
    super(config, environment, resolver, transformer, cacheFS, coverageOptions, ...rest);
    if (mayShare(coverageOptions)) shareCompiledScripts(this.executor, SCRIPTS);
  }
}

module.exports = SharedScriptsRuntime;
module.exports.shareCompiledScripts = shareCompiledScripts;
module.exports.mayShare = mayShare;
