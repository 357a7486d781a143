// An esbuild plugin for scripts/bundle.js: of cdk8s-plus-27's Kubernetes L1 classes
// (lib/imports/k8s.js: 136 classes and 422 toJson_ functions in 2.5 MB, CommonJS, so esbuild
// cannot tree-shake it) the bundle keeps only the ones lib/ uses and what they need. Every
// class would otherwise be built at start-up and sit in the V8 start-up snapshot.
//
// How: the file's top-level statements are read with the TypeScript parser. Each statement
// belongs to the top-level names it declares or assigns (`class X`, `function toJson_X`,
// `exports.X = X`, `X.GVK = …`, `X[_46] = …`, `_46 = …`, the enum IIFEs); one that belongs to no
// name is always kept. Starting from the names lib/ uses (`k8s.<Name>` in build/lib), every
// name a kept statement mentions is kept too, until nothing changes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const K8S_MODULE = 'cdk8s-plus-27/lib/imports/k8s';

/**
 * The members of k8s.js that build/lib uses. tsc writes `import * as k8s from '…/imports/k8s'`
 * as `const k8s = __importStar(require("…/imports/k8s"))`, and each use as `k8s.<Name>`. Any other
 * way of loading the module (a named import, another namespace name) stops the build, since its
 * uses would not be seen and the classes they name would be left out of the bundle.
 */
function usedNames(buildLib) {
  const names = new Set();
  const require = new RegExp(`require\\("${K8S_MODULE}(\\.js)?"\\)`, 'g');
  const binding = new RegExp(`^const (\\w+) = __importStar\\(require\\("${K8S_MODULE}"\\)\\);$`, 'gm');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.js')) {
        const code = fs.readFileSync(full, 'utf8');
        const bound = [...code.matchAll(binding)].map((m) => m[1]);
        if ((code.match(require) ?? []).length !== bound.length) {
          throw new Error(`shake-k8s: ${full} loads ${K8S_MODULE} other than as \`import * as NAME\`; its uses cannot be seen`);
        }
        for (const name of bound) {
          for (const m of code.matchAll(new RegExp(`\\b${name}\\.([A-Za-z_]\\w*)`, 'g'))) names.add(m[1]);
        }
      }
    }
  };
  walk(buildLib);
  return names;
}

/** The top-level name a statement declares or assigns, or undefined. */
function ownersOf(statement) {
  if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) return [statement.name.text];
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.map((d) => d.name.getText());
  if (!ts.isExpressionStatement(statement)) return [];
  let e = statement.expression;
  if (ts.isCallExpression(e)) {
    // (function (X) { … })(X = exports.X || (exports.X = {}));
    const arg = e.arguments[0];
    return arg && ts.isBinaryExpression(arg) && ts.isIdentifier(arg.left) ? [arg.left.text] : [];
  }
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
  e = e.left;
  if (ts.isIdentifier(e)) return [e.text]; // _46 = JSII_RTTI_SYMBOL_1
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const target = e.expression;
    if (!ts.isIdentifier(target)) return [];
    // exports.X = exports.Y = … = void 0 (the first line) belongs to no one; exports.X = X to X.
    if (target.text === 'exports')
      return ts.isPropertyAccessExpression(e) && !ts.isBinaryExpression(statement.expression.right) ? [e.name.text] : [];
    return [target.text]; // X.GVK = …, X[_46] = …
  }
  return [];
}

/** `exports.A = exports.B = … = void 0;`, the first line: it mentions every name and needs none. */
function isExportsReset(statement) {
  let e = ts.isExpressionStatement(statement) ? statement.expression : undefined;
  while (e && ts.isBinaryExpression(e) && ts.isPropertyAccessExpression(e.left) && e.left.expression.getText() === 'exports') e = e.right;
  return e !== undefined && ts.isVoidExpression(e);
}

function identifiersIn(node, into = new Set()) {
  if (ts.isIdentifier(node)) into.add(node.text);
  ts.forEachChild(node, (child) => {
    identifiersIn(child, into); // no value returned: forEachChild stops at the first truthy one
  });
  return into;
}

/** The source of k8s.js with only the statements `keep` needs; also returns what was kept. */
function shake(source, keep) {
  const file = ts.createSourceFile('k8s.js', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const statements = file.statements.map((s) => ({ node: s, owners: ownersOf(s), refs: isExportsReset(s) ? new Set() : identifiersIn(s) }));
  const kept = new Set(keep);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of statements) {
      if (s.owners.length > 0 && !s.owners.some((o) => kept.has(o))) continue;
      for (const r of s.refs) {
        if (!kept.has(r) && statements.some((t) => t.owners.includes(r))) {
          kept.add(r);
          grew = true;
        }
      }
    }
  }
  const out = statements.filter((s) => s.owners.length === 0 || s.owners.some((o) => kept.has(o)));
  return { code: out.map((s) => s.node.getFullText(file)).join(''), kept, statements: statements.length, keptStatements: out.length };
}

/** The plugin: `buildLib` is tsc's output folder whose `k8s.<Name>` uses decide what stays. */
function shakeK8s(buildLib) {
  return {
    name: 'shake-k8s',
    setup(build) {
      build.onLoad({ filter: /cdk8s-plus-27[\\/]lib[\\/]imports[\\/]k8s\.js$/ }, (args) => {
        const used = usedNames(buildLib);
        const { code } = shake(fs.readFileSync(args.path, 'utf8'), used);
        return { contents: code, loader: 'js' };
      });
    },
  };
}

module.exports = { shakeK8s, shake, usedNames };
