// Jest's module runtime (jest.config.js `runtime`), compiling each module once per worker rather
// than once per suite. Jest gives every suite a fresh module registry in a new vm context, and
// jest-runtime compiles every module it loads again for it (`vm.compileFunction`): lib/, zod, yaml,
// cdk8s and its 2.5 MB of Kubernetes classes, 90 times a run. Here the first suite in a worker
// compiles a module into a `vm.Script`, which belongs to no context, and each later suite runs that
// script in its own context: the module's code is evaluated afresh, with new objects, in that
// suite's realm, as before; only V8's parse and bytecode, which hold no state, are shared. About
// 0.1 s of CPU less a suite (12 small suites in one process: 10.4 -> 8.6 s).
//
// The module's function is what `vm.compileFunction` would make: the same parameters, the same
// strictness, anonymous (stack frames read `Object.<anonymous>`), at the same line and column.
// A module that may call import() (which needs the suite's own callback), or that does not compile
// as a function body, goes to jest's own compile, which handles or reports it as before.
'use strict';
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** Module code that may call import(): compiled by jest, which passes the suite's own import callback. */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/**
 * Replaces `executor.compile(source, filename)`, jest-runtime's ModuleExecutor method, with one that
 * keeps a script per module in `scripts` and runs it in the suite's context. Throws when jest-runtime
 * no longer has that method, so that an upgrade of jest says so rather than runs every test slower.
 */
function shareCompiledScripts(executor, scripts) {
  if (typeof executor?.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters)) {
    throw new Error(
      'test/runtime.js: jest-runtime has no executor.compile(source, filename) any more; update or remove `runtime` in jest.config.js',
    );
  }
  const jestCompile = executor.compile;
  const prefix = `(function (${executor.injectedModuleParameters.join(', ')}) {`;
  executor.compile = function compile(source, filename) {
    const context = this.environment.getVmContext();
    if (context == null) return null; // the suite's environment is torn down: jest's own answer
    if (DYNAMIC_IMPORT.test(source)) return jestCompile.call(this, source, filename);
    const key = `${prefix}\0${filename}`;
    let entry = scripts.get(key);
    if (entry?.source !== source) {
      let script;
      try {
        script = new vm.Script(`${prefix}${source}\n})`, { filename, columnOffset: -prefix.length });
      } catch {
        return jestCompile.call(this, source, filename);
      }
      entry = { source, script };
      scripts.set(key, entry);
    }
    return entry.script.runInContext(context);
  };
}

/** This worker's scripts, for all the suites it runs. */
const SCRIPTS = new Map();

class SharedScriptsRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    shareCompiledScripts(this.executor, SCRIPTS);
  }
}

module.exports = SharedScriptsRuntime;
module.exports.shareCompiledScripts = shareCompiledScripts;
