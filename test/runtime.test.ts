/**
 * Jest's runtime for these tests (test/runtime.js) compiles a module once per worker and runs it
 * in each suite's own context: the module runs afresh in that context, its function is what
 * jest-runtime's own `vm.compileFunction` makes, and what it cannot share goes to jest's compile.
 */
import * as vm from 'node:vm';

const { shareCompiledScripts } = require('./runtime') as {
  shareCompiledScripts: (executor: unknown, scripts: Map<string, { source: string; script: vm.Script }>) => void;
};

type Compiled = (...args: unknown[]) => unknown;

/** jest-runtime's ModuleExecutor as the runtime sees it, with jest's compile recorded. */
function executor(parameters = ['module', 'exports', 'require', '__dirname', '__filename', 'jest']) {
  const jestCompiled: [string, string][] = [];
  const e = {
    context: vm.createContext({}) as vm.Context | null,
    environment: { getVmContext: () => e.context },
    injectedModuleParameters: parameters,
    compile(source: string, filename: string): Compiled {
      jestCompiled.push([source, filename]);
      return vm.compileFunction(source, parameters, { filename, parsingContext: e.context! }) as Compiled;
    },
  };
  const scripts = new Map<string, { source: string; script: vm.Script }>();
  shareCompiledScripts(e, scripts);
  const compile = (source: string, filename: string) => (e.compile as (s: string, f: string) => Compiled | null)(source, filename);
  return { e, scripts, jestCompiled, compile };
}

/** Runs a compiled module as jest-runtime does, and returns its exports. */
function run(fn: Compiled | null, filename = '/repo/lib/a.js'): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  fn!.call(module.exports, module, module.exports, () => ({}), '/repo/lib', filename, {});
  return module.exports;
}

/** The stack frame `f` throws from. */
function frame(f: () => void): string {
  try {
    f();
  } catch (error) {
    return (error as Error).stack!.split('\n')[1];
  }
  throw new Error('did not throw');
}

const MODULE = "'use strict';\nlet count = 0;\nexports.next = () => ++count;\nexports.Array = Array;\n";

describe('one compile of a module for every suite of a worker', () => {
  test('a module compiled once runs afresh in each suite: its own state, the suite realm', () => {
    const { e, scripts, jestCompiled, compile } = executor();
    const first = e.context!;
    const a = run(compile(MODULE, '/repo/lib/a.js'));
    e.context = vm.createContext({});
    const b = run(compile(MODULE, '/repo/lib/a.js'));
    expect([scripts.size, jestCompiled.length]).toEqual([1, 0]);
    // Module state is per suite: each run has its own counter.
    expect([(a.next as () => number)(), (a.next as () => number)(), (b.next as () => number)()]).toEqual([1, 2, 1]);
    // Each suite's module sees its own context's globals, as with vm.compileFunction's parsingContext.
    expect(a.Array).toBe(vm.runInContext('Array', first));
    expect(b.Array).toBe(vm.runInContext('Array', e.context));
    expect(a.Array).not.toBe(b.Array);
  });

  test('the function is the one vm.compileFunction makes: parameters, strictness, frame name, line and column', () => {
    const { e, compile } = executor(['module', 'exports', 'require']);
    const source =
      "'use strict';\nexports.params = (function () { return this; })();\nexports.throws = () => { throw new Error('here'); };\n";
    const fn = compile(source, '/repo/lib/s.js')!;
    expect(fn.length).toBe(3);
    const ours = run(fn);
    const jests = run(
      vm.compileFunction(source, ['module', 'exports', 'require'], { filename: '/repo/lib/s.js', parsingContext: e.context! }) as Compiled,
    );
    expect(ours.params).toBeUndefined(); // strict: `this` of a plain call is undefined
    expect(frame(ours.throws as () => void)).toBe(frame(jests.throws as () => void));
    expect(frame(ours.throws as () => void)).toBe('    at exports.throws (/repo/lib/s.js:3:32)');
    // The first line, which carries the wrapper, keeps its columns too.
    const ourTop = frame(() => run(compile("throw new Error('top');", '/repo/lib/t.js')));
    expect(ourTop).toBe('    at Object.<anonymous> (/repo/lib/t.js:1:7)');
  });

  test('a module whose transformed source changed is compiled again', () => {
    const { scripts, compile } = executor();
    expect(run(compile('exports.v = 1;', '/repo/lib/a.js')).v).toBe(1);
    const before = scripts.get([...scripts.keys()][0])!.script;
    expect(run(compile('exports.v = 2;', '/repo/lib/a.js')).v).toBe(2);
    expect(scripts.size).toBe(1);
    expect(scripts.get([...scripts.keys()][0])!.script).not.toBe(before);
  });

  test("a module that may call import() goes to jest's compile, which passes the suite's import callback", () => {
    const { scripts, jestCompiled, compile } = executor();
    const source = "exports.load = () => import('node:fs');";
    run(compile(source, '/repo/lib/dynamic.js'));
    expect(jestCompiled).toEqual([[source, '/repo/lib/dynamic.js']]);
    expect(scripts.size).toBe(0);
  });

  test("a module that is not a function body goes to jest's compile, which reports it", () => {
    const { scripts, jestCompiled, compile } = executor();
    expect(() => compile('exports.a = ;', '/repo/lib/broken.js')).toThrow(/Unexpected token/);
    expect(jestCompiled.map(([, f]) => f)).toEqual(['/repo/lib/broken.js']);
    expect(scripts.size).toBe(0);
  });

  test('gives null, as jest does, once the suite environment is torn down', () => {
    const { e, jestCompiled, compile } = executor();
    e.context = null;
    expect(compile('exports.a = 1;', '/repo/lib/a.js')).toBeNull();
    expect(jestCompiled).toEqual([]);
  });

  test('fails when jest-runtime no longer has executor.compile', () => {
    const message = /jest-runtime has no executor\.compile\(source, filename\) any more; update or remove `runtime` in jest\.config\.js/;
    expect(() => shareCompiledScripts(undefined, new Map())).toThrow(message);
    expect(() => shareCompiledScripts({ injectedModuleParameters: ['module'] }, new Map())).toThrow(message);
    expect(() => shareCompiledScripts({ compile() {} }, new Map())).toThrow(message);
  });
});
