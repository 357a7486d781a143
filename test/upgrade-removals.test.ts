/**
 * What a config change leaves in the cluster that the summary must name: the legacy patch's tls
 * entry on Run:ai's own Ingress after an upgrade to the dedicated Ingress (2.12 to 2.13), a
 * wildcard Secret, holding a private key, that nothing written any more makes or reads, and the
 * RunaiConfig overlay once Helm values carry its settings; and what it must not name for deletion:
 * a Secret something still reads, or the RunaiConfig.
 */
import * as fs from 'node:fs';

import { DEMO_CERT, DEMO_KEY, ROOT, runInProcess, synthSteps } from './helpers';

const FILES = `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`;
const cluster = (extra: string, deployment = 'self-hosted') =>
  `clusters:\n  - name: runai\n    clusterUrl: runai.example.com\n    deployment: ${deployment}\n    tls: ${FILES}\n${extra}`;
const project = () => synthSteps((l) => l.startsWith('runai: '));

const SECRET_FILE = 'dist/runai/00-secret-runai-cluster-domain-star-tls-secret.yaml';
const unread = (namespace: string, moved = false) =>
  `runai: no longer written: ${moved ? `Secret ${namespace}/runai-cluster-domain-star-tls-secret (${SECRET_FILE} holds another object now)` : SECRET_FILE}; nothing written now makes or reads that Secret; the object stays in the cluster until ` +
  `deleted (kubectl delete secret -n ${namespace} runai-cluster-domain-star-tls-secret), unless a GitOps tool with pruning applies this folder`;

test('self-hosted, 2.12 to 2.13: the tls entry the patch script added to runai-backend-ingress, then the Secret it read, which moved to runai', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.12"\n'), '-q');
  expect(synth(cluster('    runaiVersion: "2.13"\n'), '-q')).toEqual([
    'runai: no longer written: dist/runai/patches/; the spec.tls entry for *.runai.example.com its script added to Ingress ' +
      'runai-backend/runai-backend-ingress stays, so two Ingresses serve that host, each from its own Secret: remove that entry ' +
      '(kubectl edit ingress -n runai-backend runai-backend-ingress) before you delete the Secret it reads',
    // The file of the same name holds the Secret in runai now: the one in runai-backend is named.
    unread('runai-backend', true),
  ]);
  expect(synth(cluster('    runaiVersion: "2.13"\n'), '-q')).toEqual([]);
});

test('SaaS, 2.12 to 2.13: the entry on researcher-service-ingress reads the Secret the new Ingress reads: harmless, and no Secret named', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.12"\n', 'saas'), '-q');
  expect(synth(cluster('    runaiVersion: "2.13"\n', 'saas'), '-q')).toEqual([
    'runai: no longer written: dist/runai/patches/; the spec.tls entry for *.runai.example.com its script added to Ingress ' +
      "runai/researcher-service-ingress stays, beside the new Ingress's and from the same Secret: harmless, remove it when convenient " +
      '(kubectl edit ingress -n runai researcher-service-ingress)',
  ]);
});

test('routing: path writes no wildcard Secret: the one written before is named, with the Ingress that read it', () => {
  const synth = project();
  synth(cluster(''), '-q');
  expect(synth(cluster('    routing: path\n').replace(/ {4}tls: .*\n/, ''), '-q')).toEqual([
    unread('runai'),
    'runai: no longer written: dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml; the object stays in the cluster until ' +
      'deleted (kubectl delete ingress -n runai runai-cluster-domain-star-ingress), unless a GitOps tool with pruning applies this folder',
  ]);
});

const CA = `${ROOT}/examples/certs/demo-root-ca.pem`;
test.each([
  ['tls to an existing Secret, which the Ingress reads', '', (c: string) => c.replace(FILES, '{source: existing}')],
  [
    'tls to a Secret cert-manager makes',
    '',
    (c: string) => c.replace(FILES, '{source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}'),
  ],
  [
    "clusterTls to an existing Secret: Run:ai's own Ingress reads it",
    `    runaiVersion: "2.20"\n    clusterTls: ${FILES}\n`,
    (c: string) => c.replace(`clusterTls: ${FILES}`, 'clusterTls: {source: existing}'),
  ],
  [
    "clusterTls removed: Run:ai's own Ingress still reads it",
    `    runaiVersion: "2.20"\n    clusterTls: ${FILES}\n`,
    (c: string) => c.replace(/ {4}clusterTls: .*\n/, ''),
  ],
  [
    '2.12, tls to an existing Secret: the patched Ingress reads it',
    '    runaiVersion: "2.12"\n',
    (c: string) => c.replace(FILES, '{source: existing}'),
  ],
])('no Secret named for deletion when %s', (_what, extra, change) => {
  const synth = project();
  const before = cluster(extra);
  synth(before, '-q');
  expect(synth(change(before), '-q').filter((l) => /kubectl delete secret/.test(l))).toEqual([]);
});

test('2.20 to 2.25 (the overlay becomes Helm values): the overlay is named once, never to delete, with what Argo CD needs', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n'), '-q');
  const lines = synth(cluster('    runaiVersion: "2.25"\n    ingress: {controller: nginx}\n'), '-q');
  expect(lines).toEqual([
    "runai: no longer written: dist/runai/20-runaiconfig-runai.yaml; the RunaiConfig is the Run:ai operator's own: do not delete it; " +
      'the fields the overlay set stay in it, owned by field manager runai-access. Argo CD, told not to prune it, shows the Application ' +
      'OutOfSync until its tracking is removed from the live object (kubectl annotate runaiconfig -n runai runai ' +
      'argocd.argoproj.io/tracking-id-, or the app.kubernetes.io/instance label with label tracking); Flux leaves it',
  ]);
  expect(lines.join('\n')).not.toContain('kubectl delete');
  // Written by both: nothing to say.
  const both = project();
  both(cluster('    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n'), '-q');
  expect(both(cluster('    runaiVersion: "2.25"\n    ingress: {controller: nginx}\n    runaiConfig: {via: both}\n'), '-q')).toEqual([]);
});

test('privateCa removed: each runai-ca-cert Secret is named, to delete once customCA is off, which the Helm values line does first', () => {
  const synth = project();
  const before = cluster(`    runaiVersion: "2.25"\n    privateCa: {caFile: ${CA}}\n`);
  synth(before, '-q');
  const lines = synth(before.replace(/ {4}privateCa: .*\n/, ''), '-q');
  const ca = (namespace: string, release: string) =>
    `runai: no longer written: dist/runai/00-secret-runai-ca-cert-${namespace}.yaml; Run:ai reads it while global.customCA.enabled is ` +
    `true: delete it (kubectl delete secret -n ${namespace} runai-ca-cert) once customCA is off in ${release}`;
  expect(lines).toEqual([
    ca('runai-backend', 'the control plane (runai-backend), which its own values turn on'),
    ca('runai', 'runai-cluster (the helm values line)'),
    expect.stringMatching(/^runai: helm values: .* --set global\.customCA\.enabled=false /),
  ]);
});

test('leaving the Gateway API with the Gateway outside runai: its Secret and routes there go only once DNS has moved, as the Gateway', () => {
  const synth = project();
  const gateway =
    cluster('    runaiVersion: "2.25"\n', 'saas') +
    '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: gw, className: kgateway}\n';
  synth(gateway, '-q');
  const lines = synth(gateway.replace(/ {4}(exposure|gateway): .*\n/g, '') + '    ingress: {controller: haproxy}\n', '-q');
  const gone = lines.filter((l) => l.includes('no longer written'));
  expect(gone.map((l) => /^runai: no longer written: (.*?);/.exec(l)?.[1])).toEqual([
    // The Secret's file is still written, for the Secret in runai the Ingresses read: the one in gw is named.
    'Secret gw/runai-cluster-domain-star-tls-secret (dist/runai/00-secret-runai-cluster-domain-star-tls-secret.yaml holds another object now)',
    'dist/runai/10-gateway-runai-gateway.yaml',
  ]);
  expect(gone[0]).toMatch(
    /\(kubectl delete secret -n gw runai-cluster-domain-star-tls-secret\).*; the Gateway that goes uses it until then: like the Gateway, delete it only once DNS has moved$/,
  );
  expect(gone[1]).toMatch(
    /; delete it only once DNS points at the address that serves the cluster now; a GitOps tool with pruning deletes it/,
  );
});

test('a cluster renamed: the old folder goes, its objects not named (the new folder applies them), its RunaiConfig named not to delete', () => {
  const synth = synthSteps((l) => l.startsWith('removed '));
  const two = (name: string) =>
    `  - name: ${name}\n    clusterUrl: two.example.com\n    runaiVersion: "2.24"\n    ingress: {controller: haproxy}\n` +
    '    tls: {source: cert-manager, issuerRef: {kind: ClusterIssuer, name: le}}\n';
  synth(cluster('') + two('two'), '-q');
  // A file made by hand beside them, of a kind and name that must never be deleted: not named either.
  fs.writeFileSync(`${synth.dir}/dist/two/05-namespace-runai.yaml`, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: runai\n');
  const lines = synth(cluster('') + two('two-eu'), '-q');
  expect(lines).toEqual([
    'removed dist/two/: runai-access.yaml has no cluster two any more; what it applied stays in that cluster unless a GitOps tool with ' +
      "pruning applied the folder (a renamed cluster's folder applies it again); never kubectl delete -f the old folder: it deletes " +
      "the RunaiConfig runai/runai, the Run:ai operator's own",
  ]);
  expect(lines.join('\n')).not.toMatch(/kubectl delete (?!-f)/);
});

test('a RunaiConfig file made by hand in a removed folder is no overlay of ours: not named', () => {
  const synth = synthSteps((l) => l.startsWith('removed '));
  synth(cluster('') + '  - {name: two, clusterUrl: two.example.com, runaiVersion: "2.25", tls: {source: existing}}\n', '-q');
  expect(fs.existsSync(`${synth.dir}/dist/two/20-runaiconfig-runai.yaml`)).toBe(false);
  fs.writeFileSync(
    `${synth.dir}/dist/two/20-runaiconfig-mine.yaml`,
    'apiVersion: run.ai/v1\nkind: RunaiConfig\nmetadata:\n  name: mine\n  namespace: runai\n',
  );
  expect(synth(cluster(''), '-q')).toEqual([
    'removed dist/two/: runai-access.yaml has no cluster two any more; what it applied stays in that cluster unless a GitOps tool with ' +
      "pruning applied the folder (a renamed cluster's folder applies it again)",
  ]);
});

test('leaving the Gateway API and privateCa in one change: runai-ca-cert is named with its own advice, not as an object the Gateway uses', () => {
  const synth = project();
  const gateway =
    cluster(`    runaiVersion: "2.25"\n    privateCa: {caFile: ${CA}}\n`, 'saas') +
    '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: gw, className: kgateway}\n';
  synth(gateway, '-q');
  const lines = synth(gateway.replace(/ {4}(exposure|gateway|privateCa): .*\n/g, '') + '    ingress: {controller: haproxy}\n', '-q');
  const ca = lines.filter((l) => l.includes('runai-ca-cert'));
  expect(ca).toEqual([
    'runai: no longer written: dist/runai/00-secret-runai-ca-cert.yaml; Run:ai reads it while global.customCA.enabled is true: ' +
      'delete it (kubectl delete secret -n runai runai-ca-cert) once customCA is off in runai-cluster (the helm values line)',
  ]);
  // The Gateway's own Secret still is.
  expect(lines.filter((l) => l.includes('the Gateway that goes uses it'))).toEqual([
    expect.stringContaining('Secret gw/runai-cluster-domain-star-tls-secret'),
  ]);
});

describe('a previous output edited by hand: what it names reaches no line as it is', () => {
  const INGRESS_FILE = '10-ingress-runai-cluster-domain-star-ingress.yaml';
  /** A line a terminal or a shell would act on: a control character, or shell text. */
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  const ACTS = /[\u0000-\u001f\u007f-\u009f]|\$\(|`/;

  test('an object whose name the API server would refuse (escapes, shell, a line break) is in no cluster: no delete is advised for it', () => {
    const synth = project();
    synth(cluster(''), '-q');
    const file = `${synth.dir}/dist/runai/${INGRESS_FILE}`;
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^ {2}name: .*$/m, '  name: "x $(touch pwned)\\n\\u001b[2Kfoo"'));
    const lines = synth(cluster('    routing: path\n').replace(/ {4}tls: .*\n/, ''), '-q');
    expect(lines).toEqual([unread('runai')]);
    for (const line of lines) expect(line).not.toMatch(ACTS);
  });

  test('a file of the same name still written, holding another object now: the object is named, not the file', () => {
    const synth = project();
    const at = (namespace: string) =>
      cluster('    runaiVersion: "2.25"\n', 'saas') +
      `    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: ${namespace}, className: kgateway}\n`;
    synth(at('runai'), '-q');
    const gone = synth(at('gw'), '-q').filter((l) => l.includes('no longer written'));
    expect(gone.map((l) => /^runai: no longer written: (.*?); /.exec(l)?.[1])).toEqual([
      'Secret runai/runai-cluster-domain-star-tls-secret (dist/runai/00-secret-runai-cluster-domain-star-tls-secret.yaml holds another object now)',
      'Gateway runai/runai-gateway (dist/runai/10-gateway-runai-gateway.yaml holds another object now)',
    ]);
  });

  test('a file made by hand with an escape in its name is not read as an object of ours: no line names it', () => {
    const synth = project();
    synth(cluster(''), '-q');
    const dir = `${synth.dir}/dist/runai`;
    const text = fs.readFileSync(`${dir}/${INGRESS_FILE}`, 'utf8').replace(/^ {2}name: .*$/m, '  name: handmade');
    fs.writeFileSync(`${dir}/10-ingress-\u001b[2J\u009b31mred.yaml`, text);
    const lines = synth(cluster('    routing: path\n').replace(/ {4}tls: .*\n/, ''), '-q');
    expect(lines.filter((l) => l.includes('handmade') || l.includes('red.yaml'))).toEqual([]);
    for (const line of lines) expect(line).not.toMatch(ACTS);
  });

  test("a cluster's folder with files only in helm/ and patches/ (2.10, values through Helm) is named as the config's when its cluster goes", () => {
    const synth = synthSteps((l) => l.startsWith('removed '));
    const legacy =
      '  - name: legacy\n    clusterUrl: legacy.example.com\n    runaiVersion: "2.10"\n    tls: {source: existing}\n' +
      '    runaiConfig: {via: helm-values}\n';
    synth(cluster('') + legacy, '-q');
    expect(fs.readdirSync(`${synth.dir}/dist/legacy`).sort()).toEqual(['.gitattributes', 'helm', 'patches']);
    // As a version before .gitattributes wrote it: files only in helm/ and patches/.
    fs.rmSync(`${synth.dir}/dist/legacy/.gitattributes`);
    expect(synth(cluster(''), '-q')).toEqual([
      'removed dist/legacy/: runai-access.yaml has no cluster legacy any more; what it applied stays in that cluster unless a GitOps ' +
        "tool with pruning applied the folder (a renamed cluster's folder applies it again)",
    ]);
  });

  test("folders made by hand in the output folder: removed with it, named as no cluster's, their names escaped", () => {
    const synth = synthSteps();
    synth(cluster(''), '-q');
    for (const name of ['other', 'evil\n\u001b[2Kx $(id)']) {
      fs.mkdirSync(`${synth.dir}/dist/${name}`);
      fs.writeFileSync(`${synth.dir}/dist/${name}/notes.yaml`, 'a: 1\n');
    }
    const lines = synth(cluster(''), '-q').filter((l) => l !== '');
    expect(lines).toEqual([
      'removed dist/evil\\n\\x1b[2Kx $(id)/, which runai-access did not write: synth replaces all of dist; keep files of your own outside it',
      'removed dist/other/, which runai-access did not write: synth replaces all of dist; keep files of your own outside it',
    ]);
    expect(fs.readdirSync(`${synth.dir}/dist`)).toEqual(['.runai-access', 'runai']);
  });

  test('files and hidden folders made by hand, at the top and in a kept folder: removed with the output, named in one line, escaped', () => {
    const synth = synthSteps();
    synth(cluster(''), '-q');
    const dist = `${synth.dir}/dist`;
    fs.mkdirSync(`${dist}/.notes`);
    fs.writeFileSync(`${dist}/.notes/a.txt`, 'a\n');
    fs.writeFileSync(`${dist}/README.md`, '# ours\n');
    fs.writeFileSync(`${dist}/runai/kustomization.yaml`, 'resources: []\n');
    fs.writeFileSync(`${dist}/runai/99-configmap-mine.yaml`, 'kind: ConfigMap\n');
    fs.writeFileSync(`${dist}/runai/x\u001b[2J.yaml`, 'a: 1\n');
    fs.mkdirSync(`${dist}/runai/mine`);
    fs.writeFileSync(`${dist}/runai/mine/b.yaml`, 'b: 1\n');
    const lines = synth(cluster(''), '-q').filter((l) => l !== '');
    expect(lines).toEqual([
      'removed dist/.notes/, dist/README.md, dist/runai/99-configmap-mine.yaml, dist/runai/kustomization.yaml, dist/runai/mine/, ' +
        'dist/runai/x\\x1b[2J.yaml, which runai-access did not write: synth replaces all of dist; keep files of your own outside it',
    ]);
    expect(fs.readdirSync(dist)).toEqual(['.runai-access', 'runai']);
    // Said once: the next run has nothing of anyone else's to remove.
    expect(synth(cluster(''), '-q').filter((l) => l !== '')).toEqual([]);
  });

  test('names that are not UTF-8 (bytes 0xfe, 0xff): check lists them as extra, synth removes them with the output and names them by their bytes', () => {
    const synth = synthSteps();
    synth(cluster(''), '-q');
    const dist = Buffer.from(`${synth.dir}/dist/`);
    const at = (...parts: (string | number[])[]) => Buffer.concat([dist, ...parts.map((p) => Buffer.from(p as string))]);
    fs.writeFileSync(at('bad', [0xff], '.txt'), 'a\n');
    fs.mkdirSync(at([0xfe], 'top'));
    fs.mkdirSync(at('runai/d', [0xfe]));
    fs.writeFileSync(at('runai/d', [0xfe], '/f'), 'b\n');
    fs.writeFileSync(at('runai/x', [0xc3, 0x28], '.yaml'), 'c: 1\n');
    const check = runInProcess(['check', '--at', '2030-01-01T00:00:00Z'], { cwd: synth.dir });
    expect([check.status, check.stdout.split('\n').filter((l) => l.startsWith('extra'))]).toEqual([
      1,
      ['extra   dist/\\xfetop/', 'extra   dist/bad\\xff.txt', 'extra   dist/runai/d\\xfe/f', 'extra   dist/runai/x\\xc3(.yaml'],
    ]);
    expect(synth(cluster(''), '-q').filter((l) => l !== '')).toEqual([
      'removed dist/\\xfetop/, which runai-access did not write: synth replaces all of dist; keep files of your own outside it',
      'removed dist/bad\\xff.txt, dist/runai/d\\xfe/, dist/runai/x\\xc3(.yaml, which runai-access did not write: synth replaces all ' +
        'of dist; keep files of your own outside it',
    ]);
    // Removed whole: nothing beside the output (a copy of the key), and the next synth has nothing to remove.
    expect(fs.readdirSync(synth.dir).sort()).toEqual(['dist', 'runai-access.yaml']);
    expect(fs.readdirSync(`${synth.dir}/dist`)).toEqual(['.runai-access', 'runai']);
    expect(synth(cluster(''), '-q').filter((l) => l !== '')).toEqual([]);
  });

  test('a file runai-access wrote that the new output leaves out is not named as a hand-made one (its kustomization)', () => {
    const synth = synthSteps((l) => l.startsWith('removed '));
    const existing = (extra: string) => cluster(extra).replace(FILES, '{source: existing}');
    synth(existing('    output: {kustomization: true}\n'), '-q');
    expect(fs.existsSync(`${synth.dir}/dist/runai/kustomization.yaml`)).toBe(true);
    expect(synth(existing(''), '-q')).toEqual([]);
    expect(fs.existsSync(`${synth.dir}/dist/runai/kustomization.yaml`)).toBe(false);
  });

  test("the legacy patch's JSON files, which carry no header (JSON has none), are not named as hand-made when the patched ingress changes", () => {
    const synth = synthSteps((l) => l.startsWith('removed '));
    synth(cluster('    runaiVersion: "2.12"\n', 'saas'), '-q');
    expect(fs.readdirSync(`${synth.dir}/dist/runai/patches`)).toContain('researcher-service-ingress-tls.json');
    expect(synth(cluster('    runaiVersion: "2.12"\n'), '-q')).toEqual([]);
    expect(fs.readdirSync(`${synth.dir}/dist/runai/patches`)).toContain('runai-backend-ingress-tls.json');
  });

  test('more than ten files made by hand: ten named, the rest counted', () => {
    const synth = synthSteps((l) => l.startsWith('removed '));
    synth(cluster(''), '-q');
    for (let i = 0; i < 12; i++) fs.writeFileSync(`${synth.dir}/dist/note${String(i).padStart(2, '0')}.txt`, 'n\n');
    expect(synth(cluster(''), '-q')).toEqual([
      `removed ${Array.from({ length: 10 }, (_, i) => `dist/note${String(i).padStart(2, '0')}.txt`).join(', ')} and 2 more, ` +
        'which runai-access did not write: synth replaces all of dist; keep files of your own outside it',
    ]);
  });
});
