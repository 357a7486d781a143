/**
 * Jest's runtime for these tests (test/runtime.js) compiles a module once per worker: the first
 * suite to load it gets jest's own compile, each later suite runs one shared script in its own
 * context, where the module runs afresh; the function is what jest-runtime's `vm.compileFunction`
 * makes, and what cannot be shared is compiled by jest every time.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

import { ROOT, tempDir } from './helpers';

type Entry = { source: string; script?: vm.Script };
const { shareCompiledScripts, mayShare } = require('./runtime') as {
  shareCompiledScripts: (executor: unknown, scripts: Map<string, Entry>) => void;
  mayShare: (coverageOptions: unknown) => boolean;
};

type Compiled = (...args: unknown[]) => unknown;
const PARAMETERS = ['module', 'exports', 'require', '__dirname', '__filename', 'jest'];

/** jest-runtime's ModuleExecutor as the runtime sees it, with jest's compile recorded. */
function executor(parameters = PARAMETERS, scripts = new Map<string, Entry>()) {
  const jestCompiled: string[] = [];
  const e = {
    context: vm.createContext({}) as vm.Context | null,
    environment: { getVmContext: () => e.context },
    injectedModuleParameters: parameters,
    compile(source: string, filename: string): Compiled {
      jestCompiled.push(filename);
      return vm.compileFunction(source, parameters, { filename, parsingContext: e.context! }) as Compiled;
    },
  };
  shareCompiledScripts(e, scripts);
  const compile = (source: string, filename: string) => (e.compile as (s: string, f: string) => Compiled | null)(source, filename);
  /** Starts the next suite: a new context. */
  const nextSuite = () => (e.context = vm.createContext({}));
  return { e, scripts, jestCompiled, compile, nextSuite };
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
  test("the first suite gets jest's compile; each later one runs the one shared script, afresh, in its own realm", () => {
    const { e, scripts, jestCompiled, compile, nextSuite } = executor();
    const contexts = [e.context!];
    const a = run(compile(MODULE, '/repo/lib/a.js'));
    expect(jestCompiled).toEqual(['/repo/lib/a.js']);
    const [entry] = [...scripts.values()];
    expect(entry.script).toBeInstanceOf(vm.Script);
    const later = [1, 2].map(() => {
      contexts.push(nextSuite());
      return run(compile(MODULE, '/repo/lib/a.js'));
    });
    // No compile after the first: the same entry, the same script.
    expect(jestCompiled).toHaveLength(1);
    expect([...scripts.values()]).toEqual([entry]);
    expect([...scripts.values()][0].script).toBe(entry.script);
    // Module state is per suite: each run has its own counter.
    const next = (m: Record<string, unknown>) => (m.next as () => number)();
    expect([next(a), next(a), next(later[0]), next(later[1])]).toEqual([1, 2, 1, 1]);
    // Each suite's module sees its own context's globals, as with vm.compileFunction's parsingContext.
    [a, ...later].forEach((m, i) => expect(m.Array).toBe(vm.runInContext('Array', contexts[i])));
    expect(new Set([a, ...later].map((m) => m.Array)).size).toBe(3);
  });

  test('the shared function is the one vm.compileFunction makes: parameters, strictness, frame name, line and column', () => {
    const { e, compile, nextSuite } = executor(['module', 'exports', 'require']);
    const shared = (source: string, filename: string) => (compile(source, filename), nextSuite(), compile(source, filename)!);
    const jests = (source: string, filename: string) =>
      vm.compileFunction(source, ['module', 'exports', 'require'], { filename, parsingContext: e.context! }) as Compiled;
    const strict =
      "'use strict';\nexports.self = (function () { return this; })();\nexports.throws = () => { throw new Error('here'); };\n";
    const fn = shared(strict, '/repo/lib/s.js');
    expect(fn.length).toBe(3);
    const ours = run(fn);
    expect(ours.self).toBeUndefined(); // strict: `this` of a plain call
    const theirs = run(jests(strict, '/repo/lib/s.js'));
    expect(frame(ours.throws as () => void)).toBe(frame(theirs.throws as () => void));
    expect(frame(ours.throws as () => void)).toBe('    at exports.throws (/repo/lib/s.js:3:32)');
    // Without the directive, sloppy: `this` of a plain call is the suite's global object.
    const sloppy = run(shared('exports.self = (function () { return this; })();', '/repo/lib/sloppy.js'));
    expect(sloppy.self).toBe(vm.runInContext('globalThis', e.context!));
    // The first line, which carries the wrapper, keeps its columns too.
    const top = "throw new Error('top');";
    compile(top, '/repo/lib/t.js');
    nextSuite();
    expect(frame(() => run(compile(top, '/repo/lib/t.js')))).toBe('    at Object.<anonymous> (/repo/lib/t.js:1:7)');
    expect(frame(() => run(jests(top, '/repo/lib/t.js')))).toBe('    at Object.<anonymous> (/repo/lib/t.js:1:7)');
  });

  test('a module whose transformed source changed is compiled again, by jest first', () => {
    const { scripts, jestCompiled, compile, nextSuite } = executor();
    compile('exports.v = 1;', '/repo/lib/a.js');
    nextSuite();
    expect(run(compile('exports.v = 1;', '/repo/lib/a.js')).v).toBe(1);
    const before = [...scripts.values()][0];
    nextSuite();
    expect(run(compile('exports.v = 2;', '/repo/lib/a.js')).v).toBe(2);
    expect(jestCompiled).toHaveLength(2);
    expect(scripts.size).toBe(1);
    expect([...scripts.values()][0].script).not.toBe(before.script);
  });

  test('each parameter list has scripts of its own', () => {
    const scripts = new Map<string, Entry>();
    executor(PARAMETERS, scripts).compile(MODULE, '/repo/lib/a.js');
    const other = executor(['module', 'exports'], scripts);
    other.compile(MODULE, '/repo/lib/a.js');
    expect(other.jestCompiled).toEqual(['/repo/lib/a.js']);
    expect(scripts.size).toBe(2);
  });

  test.each([
    ['plainly', "exports.load = () => import('node:fs');"],
    ['with a comment before its parenthesis', "exports.load = () => import /* why */ ('node:fs');"],
    ['with a line comment before its parenthesis', "exports.load = () => import //\n('node:fs');"],
  ])(
    "a module that may call import(), written %s, is compiled by jest in every suite, which passes the suite's import callback",
    (_, source) => {
      const { scripts, jestCompiled, compile, nextSuite } = executor();
      run(compile(source, '/repo/lib/dynamic.js'));
      nextSuite();
      run(compile(source, '/repo/lib/dynamic.js'));
      expect(jestCompiled).toEqual(['/repo/lib/dynamic.js', '/repo/lib/dynamic.js']);
      expect(scripts.size).toBe(0);
    },
  );

  test('a module that is no valid function body is reported by jest, in every suite, and never run', () => {
    const { scripts, jestCompiled, compile, nextSuite } = executor();
    // Valid inside the wrapper, it would close it early and run the middle at compile time.
    const escape = 'exports.a = 1; }); globalThis.escaped = true; (function () {';
    expect(() => compile(escape, '/repo/lib/escape.js')).toThrow(/Unexpected token/);
    const context = nextSuite();
    expect(() => compile(escape, '/repo/lib/escape.js')).toThrow(/Unexpected token/);
    expect(jestCompiled).toEqual(['/repo/lib/escape.js', '/repo/lib/escape.js']);
    expect(vm.runInContext('globalThis.escaped', context)).toBeUndefined();
    expect(scripts.size).toBe(0);
  });

  test('a module with a #! line, which compileFunction allows and the wrapper does not, is compiled by jest in every suite', () => {
    const { jestCompiled, compile, nextSuite } = executor();
    const source = '#!/usr/bin/env node\nexports.v = 3;';
    expect(run(compile(source, '/repo/bin/x.js')).v).toBe(3);
    nextSuite();
    expect(run(compile(source, '/repo/bin/x.js')).v).toBe(3);
    expect(jestCompiled).toEqual(['/repo/bin/x.js', '/repo/bin/x.js']);
  });

  test('gives null, as jest does, once the suite environment is torn down', () => {
    const { e, jestCompiled, compile } = executor();
    e.context = null;
    expect(compile('exports.a = 1;', '/repo/lib/a.js')).toBeNull();
    expect(jestCompiled).toEqual([]);
  });

  test("shares nothing while jest collects V8 coverage, which maps V8's ranges as if there were no wrapper", () => {
    expect(mayShare({ collectCoverage: true, coverageProvider: 'v8' })).toBe(false);
    expect(mayShare({ collectCoverage: true, coverageProvider: 'babel' })).toBe(true);
    expect(mayShare({ collectCoverage: false, coverageProvider: 'v8' })).toBe(true);
  });

  test('jest with this runtime and V8 coverage, two suites in one process: the coverage of the lines that ran', () => {
    const dir = tempDir();
    const module = 'function a() {\n  return 1;\n}\nexports.a = a;\n\nfunction never() {\n  return 3;\n}\nexports.never = never;\n';
    fs.writeFileSync(path.join(dir, 'mod.js'), module);
    for (const name of ['one', 'two'])
      fs.writeFileSync(path.join(dir, `${name}.test.js`), "test('a', () => expect(require('./mod').a()).toBe(1));\n");
    const config = {
      rootDir: dir,
      runtime: path.join(ROOT, 'test', 'runtime.js'),
      testEnvironment: 'node',
      transform: {},
      collectCoverage: true,
      coverageProvider: 'v8',
      coverageReporters: ['json'],
      coverageDirectory: path.join(dir, 'coverage'),
    };
    const jest = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '-i', '--config', JSON.stringify(config)],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(jest.stderr).toMatch(/Tests: +2 passed, 2 total/);
    const [coverage] = Object.values(JSON.parse(fs.readFileSync(path.join(dir, 'coverage', 'coverage-final.json'), 'utf8'))) as {
      fnMap: Record<string, { name: string; loc: { start: { line: number } } }>;
      f: Record<string, number>;
    }[];
    // Shared scripts would shift every range by the wrapper's length: functions on wrong lines, counts for code that never ran.
    const functions = Object.entries(coverage.fnMap).map(([id, f]) => [f.name, f.loc.start.line, coverage.f[id]]);
    expect(functions).toEqual([
      ['a', 1, 2],
      ['never', 6, 0],
    ]);
  });

  test('fails when jest-runtime no longer has executor.compile or its parameter list', () => {
    const message =
      /^test\/runtime\.js: jest-runtime has no executor\.compile\(source, filename\) and executor\.injectedModuleParameters any more; update or remove `runtime` in jest\.config\.js$/;
    expect(() => shareCompiledScripts(undefined, new Map())).toThrow(message);
    expect(() => shareCompiledScripts({ injectedModuleParameters: ['module'] }, new Map())).toThrow(message);
    expect(() => shareCompiledScripts({ compile() {} }, new Map())).toThrow(message);
  });
});
