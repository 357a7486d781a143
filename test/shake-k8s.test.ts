/**
 * scripts/shake-k8s.js, the bundle's esbuild plugin that keeps only the Kubernetes L1 classes
 * lib/ uses: what it keeps of the real cdk8s-plus-27 k8s.js, and that it stops the build when
 * it cannot see how lib/ uses the module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ROOT, tempDir } from './helpers';

const { shake, usedNames } = require('../scripts/shake-k8s') as {
  shake: (source: string, keep: Set<string>) => { code: string; kept: Set<string> };
  usedNames: (buildLib: string) => Set<string>;
};
const K8S = fs.readFileSync(path.join(ROOT, 'node_modules', 'cdk8s-plus-27', 'lib', 'imports', 'k8s.js'), 'utf8');

test('keeps a class with every toJson_ function it reaches, and nothing else; the result runs', () => {
  const { code, kept } = shake(K8S, new Set(['KubeSecret']));
  expect([...kept].filter((n) => /^(Kube|toJson_)/.test(n)).sort()).toEqual([
    'KubeSecret',
    'toJson_KubeSecretProps',
    'toJson_ManagedFieldsEntry',
    'toJson_ObjectMeta',
    'toJson_OwnerReference',
  ]);
  const mod = { exports: {} as Record<string, unknown> };
  new Function('exports', 'require', 'module', code)(mod.exports, require, mod);
  const { KubeSecret } = mod.exports as { KubeSecret: { manifest(p: object): object } };
  expect(KubeSecret.manifest({ metadata: { name: 'x' }, stringData: { a: 'b' } })).toEqual({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'x' },
    stringData: { a: 'b' },
  });
  expect(mod.exports.KubeDeployment).toBeUndefined();
});

test('reads which classes build/lib uses from its `import * as` names', () => {
  expect([...usedNames(path.join(ROOT, 'build', 'lib'))].sort()).toEqual([
    'IntOrString',
    'KubeIngress',
    'KubeNamespace',
    'KubeSecret',
    'KubeService',
  ]);
  const lib = tempDir();
  fs.writeFileSync(path.join(lib, 'a.js'), 'const kube = __importStar(require("cdk8s-plus-27/lib/imports/k8s"));\nnew kube.KubeJob();\n');
  expect([...usedNames(lib)]).toEqual(['KubeJob']);
});

test('fails when build/lib loads the module another way, whose uses it cannot see', () => {
  const lib = tempDir();
  fs.writeFileSync(path.join(lib, 'a.js'), 'const k8s_1 = require("cdk8s-plus-27/lib/imports/k8s");\nnew k8s_1.KubeJob();\n');
  expect(() => usedNames(lib)).toThrow(
    `shake-k8s: ${path.join(lib, 'a.js')} loads cdk8s-plus-27/lib/imports/k8s other than as \`import * as NAME\`; its uses cannot be seen`,
  );
});
