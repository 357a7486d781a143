/**
 * Fleet delivery: `delivery:` emits, beside the cluster folders, an Argo CD ApplicationSet
 * (one Application per cluster folder, each cluster's destination from the config) and one
 * Flux Kustomization per cluster, valid against the published Argo CD and Flux schemas.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseConfig } from '../lib/config/load';
import { applicationSet, fluxKustomization, IN_CLUSTER_SERVER } from '../lib/constructs/fleet-delivery';
import { targetRevisionProblem } from '../lib/model/delivery';
import { problemLines, runInProcess, tempDir, yamlDocs } from './helpers';

/** What the line of a removed cluster folder says of its objects (these clusters write no RunaiConfig). */
const HELD_INGRESS =
  "; what it applied stays in that cluster unless a GitOps tool with pruning applied the folder (a renamed cluster's folder applies it again)";

const VALIDATOR = path.join(__dirname, 'validate-models.mjs');

const CLUSTERS = `clusters:
  - name: prod
    clusterUrl: runai.example.com
    tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}
    runaiConfig: {via: both} # the RunaiConfig the engine applies, and the Helm values Run:ai 2.25 is managed by
    output: {kustomization: true}
  - name: lab
    clusterUrl: runai.lab.example.com
    tls: {source: existing}
    output: {kustomization: true} # its Helm values (the 2.25 default) must not reach Flux as a manifest
`;
const DELIVERY = `delivery:
  repoURL: https://git.example.com/platform/gitops.git
  targetRevision: release
  path: clusters/runai
  argocd:
    namespace: gitops
    project: platform
    destinations: {prod: "https://prod.k8s.example.com:6443"}
  flux:
    sourceRef: {name: platform}
    interval: 5m
    kubeConfigSecrets: {prod: prod-kubeconfig}
`;

function synth(config: string): { dir: string; out: string; r: ReturnType<typeof runInProcess> } {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'runai-access.yaml'), config);
  const r = runInProcess(['synth', '-q', '--out', 'clusters/runai'], { cwd: dir });
  return { dir, out: path.join(dir, 'clusters/runai'), r };
}

describe('delivery.path against where synth writes, in a git repository', () => {
  /** A git repository (git init) with the config at its root; DELIVERY reads clusters/runai. */
  const repository = (deliveryPath?: string) => {
    const dir = tempDir();
    execFileSync('git', ['init', '-q', dir]);
    const delivery =
      deliveryPath === undefined ? DELIVERY.replace('  path: clusters/runai\n', '') : DELIVERY.replace('clusters/runai', deliveryPath);
    fs.writeFileSync(path.join(dir, 'runai-access.yaml'), CLUSTERS + delivery);
    return dir;
  };
  const warning = (dir: string, deliveryPath: string, written: string) =>
    `warning: runai-access.yaml: delivery.path: is ${deliveryPath}, so the engine reads ${deliveryPath}/<cluster>, but this run writes the ` +
    `folders to ${written} of the repository at ${dir}: set delivery.path: ${written}, or write to ${path.join(dir, deliveryPath)} with --out ` +
    '[delivery-path-elsewhere]\n';

  test('warns when the folders go elsewhere than the Applications and Kustomizations read (synth and check), and not when they agree', () => {
    const dir = repository();
    const r = runInProcess(['synth', '-q', '--out', 'clusters/runai'], { cwd: dir });
    expect([r.status, r.stderr]).toEqual([0, warning(dir, 'dist', 'clusters/runai')]);
    // The ApplicationSet reads dist/<cluster>, which this run did not write.
    const set = yamlDocs(fs.readFileSync(path.join(dir, 'clusters/runai/_delivery/argocd-applicationset.yaml'), 'utf8'))[0];
    expect(set.spec.generators[0].list.elements.map((e: { path: string }) => e.path)).toEqual(['dist/prod', 'dist/lab']);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    const check = runInProcess(['check', '-q', '--out', 'clusters/runai'], { cwd: dir });
    // Nothing is committed in this repository yet: check says so.
    expect([check.status, check.stderr]).toEqual([
      0,
      warning(dir, 'dist', 'clusters/runai') +
        'note: this branch has no commit yet: 11 files in clusters/runai and runai-access.yaml are not committed, and a clone of it has none of them\n',
    ]);
    // From a subfolder too: the repository's path, not the current folder's.
    fs.mkdirSync(path.join(dir, 'sub'));
    const sub = runInProcess(['synth', '-q', '--config', '../runai-access.yaml', '--out', 'out'], { cwd: path.join(dir, 'sub') });
    expect(sub.stderr).toBe(warning(dir, 'dist', 'sub/out').replace('runai-access.yaml:', '../runai-access.yaml:'));
    // Where they agree, nothing is said: the default, and a path written ./dist/.
    for (const [deliveryPath, out] of [
      [undefined, 'dist'],
      ['./dist/', 'dist'],
    ] as const) {
      const agreeing = repository(deliveryPath);
      const ok = runInProcess(['synth', '-q', '--out', out], { cwd: agreeing });
      expect({ deliveryPath, status: ok.status, stderr: ok.stderr }).toEqual({ deliveryPath, status: 0, stderr: '' });
    }
  });

  test('fails with --strict, writing nothing; outside a repository nothing is said (the folders may be copied in later)', () => {
    const dir = repository();
    const r = runInProcess(['synth', '-q', '--strict', '--out', 'clusters/runai'], { cwd: dir });
    expect([r.status, r.stderr]).toEqual([
      2,
      warning(dir, 'dist', 'clusters/runai')
        .replace('warning: ', '')
        .replace(' [delivery-path-elsewhere]', ' (an error with --strict) [delivery-path-elsewhere]'),
    ]);
    expect(fs.existsSync(path.join(dir, 'clusters'))).toBe(false);
    expect(synth(CLUSTERS + DELIVERY.replace('  path: clusters/runai\n', '')).r.stderr).toBe('');
  });
});

describe('delivery after an engine is removed', () => {
  test('synth names the objects of the engine the config no longer names, and how to delete them keeping the objects; once', () => {
    const dir = tempDir();
    const config = path.join(dir, 'runai-access.yaml');
    fs.writeFileSync(config, CLUSTERS + DELIVERY);
    const run = () => runInProcess(['synth', '-q', '--out', 'clusters/runai'], { cwd: dir });
    expect(run().stderr).toBe('');
    // Flux goes: its Kustomizations (prune: true) would go on applying the folders beside Argo CD's Applications.
    fs.writeFileSync(config, CLUSTERS + DELIVERY.replace(/ {2}flux:\n( {4}.*\n)+/, ''));
    const noFlux = run();
    const kustomization = (name: string) =>
      `kubectl patch kustomization -n flux-system ${name} --type merge -p '{"spec":{"prune":false}}' && kubectl delete kustomization -n flux-system ${name}`;
    expect([noFlux.status, noFlux.stderr]).toEqual([
      0,
      'the previous output delivered through objects this one does not write (an engine the config no longer names, or its old ' +
        'namespace), and kubectl apply deletes nothing: they still apply the folders; delete them on the cluster that runs the ' +
        'engine, so that their objects stay in the clusters: ' +
        `${kustomization('runai-access-prod')}; ${kustomization('runai-access-lab')}\n`,
    ]);
    expect(run().stderr).toBe('');
    // Then the whole delivery block: the ApplicationSet.
    fs.writeFileSync(config, CLUSTERS);
    expect(run().stderr).toMatch(/so that their objects stay in the clusters: kubectl delete applicationset -n gitops runai-access\n$/);
    expect(run().stderr).toBe('');
  });

  test('an engine that stays in another namespace: its old objects are named; a hand-edited file neither stops synth nor is deleted', () => {
    const dir = tempDir();
    const config = path.join(dir, 'runai-access.yaml');
    fs.writeFileSync(config, CLUSTERS + DELIVERY);
    const run = () => runInProcess(['synth', '-q', '--out', 'clusters/runai'], { cwd: dir });
    expect(run().status).toBe(0);
    fs.writeFileSync(config, CLUSTERS + DELIVERY.replace('namespace: gitops', 'namespace: argo'));
    expect(run().stderr).toMatch(/the clusters: kubectl delete applicationset -n gitops runai-access\n$/);
    // Documents added by hand (another kind, a name a shell would read, an alias YAML cannot resolve): not ours to delete.
    const flux = path.join(dir, 'clusters/runai/_delivery/flux-kustomizations.yaml');
    fs.appendFileSync(
      flux,
      '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: flux-system, namespace: x}\n' +
        '---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: "x; touch PWNED", namespace: flux-system}\n',
    );
    fs.writeFileSync(config, CLUSTERS + DELIVERY.replace(/ {2}flux:\n( {4}.*\n)+/, ''));
    const r = run();
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('kubectl delete kustomization -n flux-system runai-access-prod');
    expect(r.stderr).not.toMatch(/delete namespace|PWNED/);
    // An alias YAML cannot resolve: synth goes on (it stopped with an internal error, every run).
    fs.writeFileSync(path.join(dir, 'clusters/runai/_delivery/argocd-applicationset.yaml'), 'kind: ApplicationSet\nmetadata: *nope\n');
    fs.writeFileSync(config, CLUSTERS);
    const broken = run();
    expect([broken.status, broken.stderr]).toEqual([0, 'removed clusters/runai/_delivery/: runai-access.yaml has no delivery any more\n']);
  });
});

describe('delivery after a cluster is removed', () => {
  test.each([[[] as string[]], [['-q']]])(
    'synth %j names the removed folder and how to delete the Flux Kustomization kubectl apply leaves',
    (quiet) => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'runai-access.yaml'), CLUSTERS + DELIVERY);
      expect(runInProcess(['synth', '-q', '--out', 'clusters/runai'], { cwd: dir }).status).toBe(0);
      const withoutLab = CLUSTERS.slice(0, CLUSTERS.indexOf('  - name: lab'));
      fs.writeFileSync(path.join(dir, 'runai-access.yaml'), withoutLab + DELIVERY);
      const r = runInProcess(['synth', ...quiet, '--out', 'clusters/runai'], { cwd: dir });
      expect(r.status).toBe(0);
      expect(r.stderr.split('\n')).toContain(`removed clusters/runai/lab/: runai-access.yaml has no cluster lab any more${HELD_INGRESS}`);
      // The summary around them, --quiet leaves out.
      expect(r.stderr.includes('apply to the cluster that runs the engine, again whenever a cluster is added, renamed or removed')).toBe(
        quiet.length === 0,
      );
      expect(r.stderr).toContain(
        'kubectl apply does not delete the Flux Kustomization of a removed cluster; delete it with prune off first, so that its objects ' +
          'stay in the cluster: kubectl patch kustomization -n flux-system runai-access-lab --type merge -p \'{"spec":{"prune":false}}\' ' +
          '&& kubectl delete kustomization -n flux-system runai-access-lab\n',
      );
    },
  );
});

describe('delivery through the CLI', () => {
  let out: string;
  let dir: string;
  beforeAll(() => {
    const s = synth(CLUSTERS + DELIVERY);
    expect([s.r.status, s.r.stderr]).toEqual([0, '']);
    ({ out, dir } = s);
  });

  test('writes _delivery/ beside the cluster folders, never inside one', () => {
    expect(fs.readdirSync(out).sort()).toEqual(['.runai-access', '_delivery', 'lab', 'prod']);
    expect(fs.readdirSync(path.join(out, '_delivery')).sort()).toEqual(['argocd-applicationset.yaml', 'flux-kustomizations.yaml']);
    for (const c of ['lab', 'prod']) expect(fs.readdirSync(path.join(out, c)).every((f) => !/argocd|flux/.test(f))).toBe(true);
  });

  test('the ApplicationSet has one element per cluster folder with its destination, and syncs server-side', () => {
    const [set] = yamlDocs(fs.readFileSync(path.join(out, '_delivery', 'argocd-applicationset.yaml'), 'utf8'));
    expect(set.metadata).toEqual({ name: 'runai-access', namespace: 'gitops' });
    expect(set.spec.generators[0].list.elements).toEqual([
      { cluster: 'prod', path: 'clusters/runai/prod', server: 'https://prod.k8s.example.com:6443' },
      { cluster: 'lab', path: 'clusters/runai/lab', server: IN_CLUSTER_SERVER },
    ]);
    expect(set.spec.template.metadata.name).toBe('runai-access-{{.cluster}}');
    // Without it, the Application of a renamed or removed cluster deletes that cluster's objects (its resources finalizer).
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(set.spec.template.spec).toEqual({
      project: 'platform',
      source: { repoURL: 'https://git.example.com/platform/gitops.git', targetRevision: 'release', path: '{{.path}}' },
      destination: { server: '{{.server}}' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
    });
  });

  test('one Flux Kustomization per cluster, with the remote kubeconfig where given', () => {
    const docs = yamlDocs(fs.readFileSync(path.join(out, '_delivery', 'flux-kustomizations.yaml'), 'utf8'));
    expect(docs.map((d) => [d.metadata.name, d.metadata.namespace, d.spec.path, d.spec.kubeConfig?.secretRef.name])).toEqual([
      ['runai-access-prod', 'flux-system', './clusters/runai/prod', 'prod-kubeconfig'],
      ['runai-access-lab', 'flux-system', './clusters/runai/lab', undefined],
    ]);
    for (const d of docs) {
      expect(d.spec).toMatchObject({ interval: '5m', prune: true, sourceRef: { kind: 'GitRepository', name: 'platform' } });
      // No deletionPolicy: Flux before 2.5 refuses the field; the summary turns prune off before a delete instead.
      expect(d.spec.deletionPolicy).toBeUndefined();
    }
  });

  test('the RunaiConfig each engine applies keeps its no-prune and server-side annotations', () => {
    const [overlay] = yamlDocs(fs.readFileSync(path.join(out, 'prod', '20-runaiconfig-runai.yaml'), 'utf8'));
    expect(overlay.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,ServerSideApply=true',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      'kustomize.toolkit.fluxcd.io/ssa': 'Merge',
    });
  });

  test('both are valid against the published Argo CD and Flux schemas (@kubernetes-models/argo-cd, flux-cd)', () => {
    const objects = ['argocd-applicationset.yaml', 'flux-kustomizations.yaml'].flatMap((f) =>
      yamlDocs(fs.readFileSync(path.join(out, '_delivery', f), 'utf8')),
    );
    const file = path.join(tempDir(), 'objects.json');
    fs.writeFileSync(file, JSON.stringify(objects));
    const results = JSON.parse(execFileSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8', cwd: path.join(__dirname, '..') }));
    expect(results).toEqual([
      { key: 'argoproj.io/v1alpha1/ApplicationSet', ok: true },
      { key: 'kustomize.toolkit.fluxcd.io/v1/Kustomization', ok: true },
      { key: 'kustomize.toolkit.fluxcd.io/v1/Kustomization', ok: true },
    ]);
  });

  test('the published schemas refuse a broken object: the validation can fail', () => {
    const broken = fluxKustomization({
      cluster: { name: 'x', path: 'dist/x' },
      namespace: 'flux-system',
      sourceRef: { kind: 'GitRepository', name: 'p' },
      interval: '10m',
    }) as {
      spec: Record<string, unknown>;
    };
    delete broken.spec.sourceRef;
    const set = applicationSet({ repoURL: 'r', targetRevision: 'main', namespace: 'argocd', project: 'default', clusters: [] }) as {
      spec: Record<string, unknown>;
    };
    set.spec.generators = 'all';
    const file = path.join(tempDir(), 'objects.json');
    fs.writeFileSync(file, JSON.stringify([broken, set]));
    const results = JSON.parse(execFileSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8', cwd: path.join(__dirname, '..') }));
    expect(results.map((r: { ok: boolean }) => r.ok)).toEqual([false, false]);
  });

  test('check compares _delivery/ too: a hand edit is drift (exit 1)', () => {
    const r0 = runInProcess(['check', '--out', 'clusters/runai'], { cwd: dir });
    expect(r0.status).toBe(0);
    const file = path.join(out, '_delivery', 'flux-kustomizations.yaml');
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, before.replace('interval: 5m', 'interval: 1m'));
    const r = runInProcess(['check', '--out', 'clusters/runai'], { cwd: dir });
    expect([r.status, r.stdout]).toEqual([1, 'changed clusters/runai/_delivery/flux-kustomizations.yaml\n']);
    fs.writeFileSync(file, before);
  });

  test('without delivery, no _delivery/ folder', () => {
    const s = synth(CLUSTERS);
    expect(s.r.status).toBe(0);
    expect(fs.readdirSync(s.out).sort()).toEqual(['.runai-access', 'lab', 'prod']);
  });
});

describe('delivery refusals', () => {
  const problems = (yaml: string) => problemLines(() => parseConfig(yaml, 'runai-access.yaml', '/'), false);

  test('fails when a destination or kubeconfig names no cluster', () => {
    expect(
      problems(
        `${CLUSTERS}delivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: {destinations: {stage: "https://s:6443", prod: "https://p:6443"}}\n  flux: {sourceRef: {name: p}, kubeConfigSecrets: {qa: k, prod: pk}}\n`,
      ),
    ).toEqual([
      'delivery.argocd.destinations.stage: is not the name of a cluster in clusters; its clusters: prod, lab',
      'delivery.flux.kubeConfigSecrets.qa: is not the name of a cluster in clusters; its clusters: prod, lab',
    ]);
  });

  test('fails when two clusters go to one cluster: their Applications or Kustomizations would undo each other (defaults included)', () => {
    const three = `${CLUSTERS}  - name: qa\n    clusterUrl: runai.qa.example.com\n    tls: {source: existing}\n`;
    const delivery = (argocd: string, flux: string) =>
      `${three}delivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: ${argocd}\n  flux: {sourceRef: {name: p}${flux}}\n`;
    const same =
      'would apply objects of the same names (such as the wildcard Ingress and the Helm values or RunaiConfig runai/runai) to one cluster and undo ' +
      'each other at every sync';
    expect(problems(delivery('{}', ''))).toEqual([
      `delivery.argocd.destinations: clusters prod, lab, qa all go to https://kubernetes.default.svc (Argo CD's own cluster, the default): their Applications ${same}; ` +
        'give each cluster its own API server as registered in Argo CD (destinations: {<cluster>: https://...})',
      `delivery.flux.kubeConfigSecrets: clusters prod, lab, qa all go to Flux's own cluster (no kubeConfigSecret): their Kustomizations ${same}; ` +
        'give each remote cluster its own kubeconfig Secret (kubeConfigSecrets: {<cluster>: <Secret>})',
    ]);
    // The default written out is the same cluster as the default left out.
    const explicit = problems(
      delivery('{destinations: {prod: "https://kubernetes.default.svc", lab: "https://a:6443"}}', ', kubeConfigSecrets: {lab: k, qa: k}'),
    );
    expect(explicit.map((l) => l.replace(/: their .*/, ''))).toEqual([
      "delivery.argocd.destinations: clusters prod, qa both go to https://kubernetes.default.svc (Argo CD's own cluster, the default)",
      'delivery.flux.kubeConfigSecrets: clusters lab, qa both go to the cluster of kubeconfig Secret k',
    ]);
    // Argo CD trims a server URL's trailing slashes before it looks the cluster up: the same cluster.
    const slashed = problems(
      delivery('{destinations: {prod: "https://a:6443/", lab: "https://a:6443", qa: "https://kubernetes.default.svc/"}}', ''),
    );
    expect(slashed[0]).toMatch(/^delivery\.argocd\.destinations: clusters prod, lab both go to https:\/\/a:6443: their Applications/);
    // A command about one cluster does not check the delivery (url, doctor and synth --stdout leave it out).
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'runai-access.yaml'), delivery('{}', ''));
    const url = runInProcess(['url', '--cluster', 'lab', '--project', 'p', '--workload', 'w'], { cwd: dir });
    expect([url.status, url.stderr]).toEqual([
      0,
      'note: the certificate of cluster lab is not read here (tls.source: existing), so it was not checked\n',
    ]);
    expect(runInProcess(['validate'], { cwd: dir }).status).toBe(2);
    // One cluster at Argo CD's or Flux's own cluster, the others elsewhere: each its own.
    expect(
      problems(delivery('{destinations: {lab: "https://l:6443", qa: "https://q:6443"}}', ', kubeConfigSecrets: {lab: l, qa: q}')),
    ).toEqual([]);
  });

  test('fails when a destination or a kubeConfigSecret is no text: the type named for each, no crash of the shared-target check', () => {
    const three = `${CLUSTERS}  - name: qa\n    clusterUrl: runai.qa.example.com\n    tls: {source: existing}\n`;
    const lines = problems(
      `${three}delivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: {destinations: {prod: 6443, lab: [x], qa: {a: 1}}}\n` +
        '  flux: {sourceRef: {name: p}, kubeConfigSecrets: {prod: true, lab: 1, qa: q}}\n',
    );
    expect(lines.map((l) => l.replace(/: must be .*/, ''))).toEqual([
      'delivery.argocd.destinations.prod',
      'delivery.argocd.destinations.lab',
      'delivery.argocd.destinations.qa',
      'delivery.flux.kubeConfigSecrets.prod',
      'delivery.flux.kubeConfigSecrets.lab',
    ]);
    expect(lines[1]).toBe('delivery.argocd.destinations.lab: must be an https URL of a cluster API server, got a list');
    // null is no text either: named by the schema, and not taken for the default cluster they would share.
    const nulls = problems(
      `${three}delivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: {destinations: {prod: null, lab: null, qa: "https://q:6443"}}\n` +
        '  flux: {sourceRef: {name: p}, kubeConfigSecrets: {prod: null, lab: null, qa: q}}\n',
    );
    expect(nulls.map((l) => l.replace(/: must be .*/, ''))).toEqual([
      'delivery.argocd.destinations.prod',
      'delivery.argocd.destinations.lab',
      'delivery.flux.kubeConfigSecrets.prod',
      'delivery.flux.kubeConfigSecrets.lab',
    ]);
  });

  test.each(['"yes"', '[a]', 'true'])(
    'fails when argocd and flux are no mapping (%s): the schema names each, and nothing is compared',
    (block) => {
      const clusters =
        'clusters:\n  - {name: link, clusterUrl: runai.l.example.com, tls: {source: existing}}\n' +
        '  - {name: length, clusterUrl: runai.a.example.com, tls: {source: existing}}\n';
      const lines = problems(`${clusters}delivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: ${block}\n  flux: ${block}\n`);
      expect(lines.map((l) => l.replace(/: must be .*/, ''))).toEqual(['delivery.argocd', 'delivery.flux']);
    },
  );

  // A string's methods (link, at, trim, search) and a list's indexes are no cluster's destination.
  test.each(['"https://k:6443"', 'null', '[a, b]', '5'])(
    'fails when destinations and kubeConfigSecrets are no mapping (%s): the schema names each, and nothing else is said of them',
    (map) => {
      const clusters =
        'clusters:\n  - {name: link, clusterUrl: runai.l.example.com, tls: {source: existing}}\n' +
        '  - {name: at, clusterUrl: runai.a.example.com, tls: {source: existing}}\n  - {name: "0", clusterUrl: runai.z.example.com, tls: {source: existing}}\n';
      const lines = problems(
        `${clusters}delivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: {destinations: ${map}}\n` +
          `  flux: {sourceRef: {name: p}, kubeConfigSecrets: ${map}}\n`,
      );
      expect(lines.filter((l) => !l.startsWith('clusters[2].name')).map((l) => l.replace(/, got .*/, ''))).toEqual([
        'delivery.argocd.destinations: must be a mapping from cluster name to its API server URL',
        'delivery.flux.kubeConfigSecrets: must be a mapping from cluster name to the Secret with its kubeconfig',
      ]);
    },
  );

  test('fails when a destination names no cluster, and a cluster name that reads as key text is described, not listed', () => {
    // 23 characters of a real RSA key line as a cluster's name (itself refused as no DNS label).
    const yaml = `clusters:\n  - {name: "HPdtMqI6lzExXulC4S51E8S", clusterUrl: runai.example.com, tls: {source: existing}}\ndelivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: {destinations: {other: "https://k:6443"}}\n`;
    const lines = problems(yaml);
    expect(lines).toContain(
      'delivery.argocd.destinations.other: is not the name of a cluster in clusters; its clusters: <23 characters of base64-like text, not shown>',
    );
    expect(lines.join('\n')).not.toContain('HPdtMqI6lzExXulC4S51E8S');
  });

  test('fails when a cluster turns off the annotations that keep the engine from pruning the overlay', () => {
    const yaml = `${CLUSTERS}    gitops: {argocd: false, flux: false}\ndelivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: {destinations: {prod: "https://prod:6443"}}\n  flux: {sourceRef: {name: p}, kubeConfigSecrets: {prod: prod-kubeconfig}}\n`;
    expect(problems(yaml)).toEqual([
      "clusters[1].gitops.argocd: must not be false with delivery.argocd: without its annotation Argo CD would prune or delete the RunaiConfig overlay, and with it the operator's whole config",
      "clusters[1].gitops.flux: must not be false with delivery.flux: without its annotation Flux would prune the RunaiConfig overlay, and with it the operator's whole config",
    ]);
  });

  test('fails for a Gateway API cluster on Flux without a kustomization, and does not advise via: overlay, which leaves its Gateway values (it did, in a circle)', () => {
    const dir = tempDir();
    const yaml =
      'clusters:\n  - name: gw\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n    exposure: gateway-api\n' +
      '    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n    runaiConfig: {via: overlay}\n' +
      'delivery:\n  repoURL: https://git.example.com/gitops.git\n  flux: {sourceRef: {name: p}}\n';
    fs.writeFileSync(path.join(dir, 'runai-access.yaml'), yaml);
    const r = runInProcess(['validate', '-q'], { cwd: dir });
    expect([r.status, r.stderr]).toEqual([
      2,
      'runai-access.yaml: clusters[0].output: writes helm/runai-cluster-values.yaml, which Flux would read as a manifest under a folder without a kustomization.yaml, and fail; set output: {kustomization: true} for this cluster (with a TLS source other than files, or commitPlaintextKey: true)\n',
    ]);
  });

  test('suggests runaiConfig via overlay instead only where the release is not managed through Helm values alone (before 2.25)', () => {
    const dir = tempDir();
    const cluster = (version: string) =>
      `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    runaiVersion: "${version}"\n    ingress: {controller: haproxy}\n` +
      '    tls: {source: existing}\n    runaiConfig: {via: both}\ndelivery:\n  repoURL: https://git.example.com/gitops.git\n  flux: {sourceRef: {name: p}}\n';
    const overlay = ', or runaiConfig: {via: overlay}, which then writes no Helm values';
    fs.writeFileSync(path.join(dir, 'runai-access.yaml'), cluster('2.20'));
    expect(runInProcess(['validate', '-q'], { cwd: dir }).stderr).toContain(`commitPlaintextKey: true)${overlay}\n`);
    fs.writeFileSync(path.join(dir, 'runai-access.yaml'), cluster('2.25'));
    expect(runInProcess(['validate', '-q'], { cwd: dir }).stderr).not.toContain(overlay);
  });

  test('fails when Flux would read the Helm values fragment as a manifest: validate, check and synth alike (exit 2)', () => {
    const dir = tempDir();
    const yaml = `${CLUSTERS.replace(/ +output: .*# its Helm values.*\n/, '')}    runaiConfig: {via: both}\ndelivery:\n  repoURL: https://git.example.com/gitops.git\n  flux: {sourceRef: {name: p}, kubeConfigSecrets: {prod: prod-kubeconfig}}\n`;
    fs.writeFileSync(path.join(dir, 'runai-access.yaml'), yaml);
    const line =
      'runai-access.yaml: clusters[1].output: writes helm/runai-cluster-values.yaml, which Flux would read as a manifest under a folder without a kustomization.yaml, and fail; set output: {kustomization: true} for this cluster (with a TLS source other than files, or commitPlaintextKey: true)\n';
    for (const command of ['validate', 'check', 'synth']) {
      expect([command, runInProcess([command, '-q'], { cwd: dir })]).toEqual([command, { status: 2, stdout: '', stderr: line }]);
    }
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    // synth --stdout prints the clusters' objects, not the delivery folder, which it leaves to synth: as before.
    const printed = runInProcess(['synth', '--stdout', '-q'], { cwd: dir });
    expect(printed.status).toBe(0);
    expect(printed.stderr).toContain(
      'note: the delivery objects (Argo CD, Flux) are not printed; they go to the management cluster: write them with synth\n',
    );
    expect(printed.stdout).toContain('kind: RunaiConfig');
    fs.writeFileSync(
      path.join(dir, 'runai-access.yaml'),
      yaml.replace('runaiConfig: {via: both}\ndelivery:', 'runaiConfig: {via: both}\n    output: {kustomization: true}\ndelivery:'),
    );
    expect(runInProcess(['validate', '-q'], { cwd: dir })).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test.each([
    'https://git.example.com/platform/gitops.git',
    'ssh://git@git.example.com:2222/platform/gitops',
    'git@github.com:org/gitops.git',
  ])('takes the repoURL forms argocd repo add takes: %s', (url) => {
    expect(problems(`${CLUSTERS}delivery:\n  repoURL: "${url}"\n  argocd: {destinations: {prod: "https://prod:6443"}}\n`)).toEqual([]);
  });
  test.each(['not a url', 'github.com/org/gitops', 'ftp://host/x'])('fails when repoURL is %j', (url) => {
    expect(problems(`${CLUSTERS}delivery:\n  repoURL: "${url}"\n  argocd: {destinations: {prod: "https://prod:6443"}}\n`)).toEqual([
      'delivery.repoURL: must be a git URL as Argo CD takes it: https://host/path, ssh://user@host[:port]/path or user@host:path',
    ]);
  });
  test('fails when delivery fields are wrong, one line each', () => {
    expect(
      problems(
        `${CLUSTERS}delivery:\n  repoURL: ""\n  path: /abs\n  argocd: {destinations: {prod: "http://x"}, extra: 1}\n  flux: {interval: soon, kubeConfigSecrets: {prod: pk}}\n`,
      ),
    ).toEqual([
      'delivery.repoURL: must not be empty',
      'delivery.path: must be a relative path inside the repository, such as dist',
      'delivery.argocd.destinations.prod: must be the https URL of a cluster API server registered in Argo CD',
      'delivery.argocd.extra: unknown key; allowed keys here: namespace, project, destinations',
      'delivery.flux.sourceRef: is required',
      'delivery.flux.interval: must be a duration such as 10m or 1h30m',
    ]);
  });

  test('fails when delivery names neither argocd nor flux, which would write nothing', () => {
    expect(problems(`${CLUSTERS}delivery:\n  repoURL: https://git.example.com/g.git\n`)).toEqual([
      'delivery: names neither argocd nor flux, so nothing is written: add argocd: {} or flux: {sourceRef}, or remove delivery',
    ]);
  });
  test.each([
    ['[]', 'a list'],
    ['[{argocd: {}}]', 'a list'],
    ['argocd', 'a string'],
  ])('fails when delivery is %s, no mapping: one line, the shape it needs', (value, got) => {
    expect(problems(`${CLUSTERS}delivery: ${value}\n`)).toEqual([
      `delivery: must be a mapping with repoURL, targetRevision, path, argocd and flux, got ${got}`,
    ]);
  });
  test.each(['0.5h', '1m30s', '1.5s'])('takes the Flux interval %s, as the Kustomization CRD pattern does', (interval) => {
    expect(
      problems(
        `${CLUSTERS}delivery:\n  repoURL: https://git.example.com/g.git\n  flux: {sourceRef: {name: platform}, interval: ${interval}, kubeConfigSecrets: {prod: prod-kubeconfig}}\n`,
      ),
    ).toEqual([]);
  });
  test.each(['0s', '0m0s', '000ms'])('fails when the Flux interval is %s, after which Flux would not reconcile again', (interval) => {
    expect(
      problems(
        `${CLUSTERS}delivery:\n  repoURL: https://git.example.com/g.git\n  flux: {sourceRef: {name: platform}, interval: ${interval}, kubeConfigSecrets: {prod: prod-kubeconfig}}\n`,
      ),
    ).toEqual([
      'delivery.flux.interval: must be longer than zero, such as 10m: Flux reconciles again after it, and with zero never again on its own',
    ]);
  });
  test('fails when the Flux interval is longer than a Go duration can be, which Flux could not read', () => {
    expect(
      problems(
        `${CLUSTERS}delivery:\n  repoURL: https://git.example.com/g.git\n  flux: {sourceRef: {name: platform}, interval: 2562048h, kubeConfigSecrets: {prod: prod-kubeconfig}}\n`,
      ),
    ).toEqual([
      'delivery.flux.interval: is longer than a Go duration can be (2562047h47m16.854775807s): Flux could not read the Kustomization',
    ]);
  });

  const TEMPLATE = 'must not contain "{{": the Argo CD ApplicationSet is a Go template (goTemplate: true), which would evaluate it';
  const REVISION = 'must be a branch, tag or commit (a git ref name, or HEAD) or a semver range of tags such as ">=1.2.0 <1.3.0"';
  const revision = (rev: string) =>
    problems(
      `${CLUSTERS}delivery:\n  repoURL: https://git.example.com/g.git\n  targetRevision: ${JSON.stringify(rev)}\n  argocd: {destinations: {prod: "https://prod:6443"}}\n`,
    );

  test('fails when repoURL or targetRevision holds a Go template action: synth writes nothing (exit 2)', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'runai-access.yaml'),
      `${CLUSTERS}delivery:\n  repoURL: "https://git.example.com/{{x}}.git"\n  targetRevision: "{{cluster}}"\n  argocd: {destinations: {prod: "https://prod:6443"}}\n`,
    );
    expect(runInProcess(['synth', '-q'], { cwd: dir })).toEqual({
      status: 2,
      stdout: '',
      stderr: `runai-access.yaml: delivery.repoURL: ${TEMPLATE}\nrunai-access.yaml: delivery.targetRevision: ${TEMPLATE}\n`,
    });
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
  test.each([
    ['a line break', 'a\nb', 'it contains a control character (such as a line break)'],
    ['a tab', 'a\tb', 'it contains a control character (such as a line break)'],
    ['a space outside a semver range', 'my branch', 'it contains a space, which a git ref cannot'],
    ['".."', 'a..b', 'it contains "..", which a git ref cannot'],
    ['"@{"', 'main@{1}', 'it contains "@{", which a git ref cannot'],
    ['a trailing "/"', 'feature/', 'it starts or ends with "/" or has "//", which a git ref cannot'],
    ['a ".lock" part', 'main.lock', 'it has a part (between "/") starting with "." or ending with ".lock", which a git ref cannot'],
    ['a ":"', 'main:x', 'it contains ":", which a git ref cannot'],
  ])('fails when targetRevision has %s', (_what, rev, why) => {
    expect(revision(rev)).toEqual([`delivery.targetRevision: ${REVISION}; ${why}`]);
  });
  test.each([
    'main',
    'HEAD',
    'release/2.20',
    'refs/heads/main',
    'v1.2.3',
    '0a81cb1680d54c342094fdb011e9c4d92d64c1df',
    '>=1.2.0 <1.3.0',
    '1.2.*',
    '*',
    '*-0',
    '>=0.0.0-0',
    '^1.2',
    '~1.2.0',
    '>=1.0.0, <2.0.0',
    '1.2 - 1.4',
    '^1 || ^2',
  ])('takes targetRevision %j: a ref, a commit or a semver range (Argo CD tracking strategies)', (rev) => {
    expect(revision(rev)).toEqual([]);
  });
  test('a ref name is refused exactly when git check-ref-format --allow-onelevel refuses it (the real git)', () => {
    const names = ['main', 'feature/x', 'a..b', 'a/.b', '.a', 'a.lock', 'a/b.lock/c', 'a/', '/a', 'a//b', 'a.', '@', 'a@b', 'a@{b', 'a\\b'];
    const more = ['a:b', 'a?b', 'a[b', 'a b', 'a~b', 'a^b', 'v1.2.3-rc.1', 'ünïcode', '@foo', 'x/y/z'];
    const verdicts = [...names, ...more].map((name) => {
      const git = spawnSync('git', ['check-ref-format', '--allow-onelevel', name]).status === 0;
      const ours = targetRevisionProblem(name) === undefined;
      return { name, git, ours };
    });
    expect(verdicts.filter((v) => v.git !== v.ours)).toEqual([]);
    // Both verdicts occur: the comparison can fail.
    expect(new Set(verdicts.map((v) => v.git))).toEqual(new Set([true, false]));
    // A template action is a ref name git takes, and Argo CD would evaluate: refused on top of git's rules.
    expect(spawnSync('git', ['check-ref-format', '--allow-onelevel', '{{cluster}}']).status).toBe(0);
    expect(targetRevisionProblem('{{cluster}}')).toBe(TEMPLATE);
  });
  test('fails when a library caller gives fluxKustomization a cluster name over 50 characters', () => {
    const props = { cluster: { name: 'a'.repeat(51) }, namespace: 'flux-system' } as unknown as Parameters<typeof fluxKustomization>[0];
    expect(() => fluxKustomization(props)).toThrow(/^cluster\.name: is 51 characters; with delivery\.flux at most 50: /);
  });
  test('fails when a library caller gives applicationSet a template action', () => {
    const props = { repoURL: 'https://g/x.git', targetRevision: 'main', namespace: 'argocd', project: 'default', clusters: [] };
    expect(() => applicationSet({ ...props, targetRevision: '{{.cluster}}' })).toThrow(`targetRevision: ${TEMPLATE}`);
    expect(() => applicationSet({ ...props, repoURL: 'https://g/{{.x}}.git' })).toThrow(`repoURL: ${TEMPLATE}`);
    expect(() => applicationSet({ ...props, targetRevision: 'a\nb' })).toThrow(
      `targetRevision: ${REVISION}; it contains a control character`,
    );
  });
});
