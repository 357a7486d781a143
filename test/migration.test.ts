/**
 * `migration: {to, phase}`: for each target and phase, the objects (never two of one kind,
 * namespace and name), what Run:ai is told (overlay and Helm values), the summary's steps,
 * `check` between phases, `kubectl kustomize` of each phase's folder and the published schema
 * of every object.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { App } from 'cdk8s';

import { validateReport } from '../lib/cli/report';
import { RunaiAccessChart } from '../lib/constructs/runai-access-chart';
import { TlsSource } from '../lib/constructs/tls-source';
import { ValidationError } from '../lib/model/errors';
import { Migration } from '../lib/model/migration';
import { IngressController } from '../lib/model/routing';
import { RunaiVersion } from '../lib/model/runai-version';
import { synthesize } from '../lib/output/render';
import {
  DEMO_CERT,
  DEMO_KEY,
  emittedObjects,
  kubectl,
  loadOne,
  problemLines,
  runInProcess,
  tempDir,
  writeConfig,
  yamlDocs,
} from './helpers';
import { CHECK_AT, Pki } from './pki';

const FILES = `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`;
/**
 * A Run:ai cluster on ingress-nginx with inference and a subdomain expose, moving to `to`: a 2.20
 * one, or to the Gateway API a 2.25 one (Run:ai takes the Gateway API from 2.25).
 */
const cluster = (to: string, phase: number, extra = '') =>
  `    runaiVersion: "${to === 'gateway-api' ? '2.25' : '2.20'}"\n    ingress: {controller: nginx}\n    tls: ${FILES}\n` +
  `    inference: {domain: runai-inference.example.com, tls: {source: existing}}\n` +
  `    migration: {to: ${to}, phase: ${phase}}\n${extra}`;
const SUBDOMAIN = '    expose: [{project: team-a, workload: web1, type: subdomain, ports: ["8080"]}]\n';
const GATEWAY = '    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n';

function emitted(lines: string) {
  const loaded = loadOne(lines, { now: CHECK_AT });
  const e = emittedObjects(synthesize(loaded.clusters)[0]);
  const file = (p: string) => e.out.files.find((f) => f.path === p);
  return { ...e, warnings: loaded.warnings, file, values: (p: string) => (file(p) ? yamlDocs(file(p)!.content)[0] : undefined) };
}
const ingresses = (docs: any[]) =>
  docs.filter((d) => d.kind === 'Ingress').map((d) => `${d.metadata.namespace}/${d.metadata.name} ${d.spec.ingressClassName}`);

describe.each([['haproxy'], ['traefik']])('migration to %s', (to) => {
  test('phase 1: a second wildcard, inference and subdomain Ingress with the new class, same certificate; Run:ai not switched', () => {
    const { docs, kinds } = emitted(cluster(to, 1, SUBDOMAIN));
    expect(ingresses(docs).sort()).toEqual(
      [
        'knative-serving/knative-serving nginx',
        `knative-serving/knative-serving-${to} ${to}`,
        'runai-team-a/web1 nginx',
        `runai-team-a/web1-${to} ${to}`,
        'runai/runai-cluster-domain-star-ingress nginx',
        `runai/runai-cluster-domain-star-ingress-${to} ${to}`,
      ].sort(),
    );
    const stars = docs.filter((d) => d.kind === 'Ingress' && d.metadata.namespace === 'runai');
    expect(stars.map((d) => d.spec.tls)).toEqual([
      [{ hosts: ['*.runai.example.com'], secretName: 'runai-cluster-domain-star-tls-secret' }],
      [{ hosts: ['*.runai.example.com'], secretName: 'runai-cluster-domain-star-tls-secret' }],
    ]);
    expect(new Set(kinds).size).toBe(kinds.length);
    // The current class is stated, so that rolling back to phase 1 restores it.
    expect(docs.find((d) => d.kind === 'RunaiConfig').spec.global).toEqual({ subdomainSupport: true, ingress: { ingressClass: 'nginx' } });
  });

  test('phase 2: Run:ai is told the new class (overlay and Helm values); the old objects stay', () => {
    const { docs, values } = emitted(cluster(to, 2, `${SUBDOMAIN}    runaiConfig: {via: both}\n`));
    expect(ingresses(docs)).toHaveLength(6);
    expect(docs.find((d) => d.kind === 'RunaiConfig').spec.global.ingress).toEqual({ ingressClass: to });
    expect(values('helm/runai-cluster-values.yaml')).toEqual({
      clusterConfig: { global: { subdomainSupport: true, ingress: { ingressClass: to } } },
    });
  });

  test("phase 3: only the new controller's Ingresses remain", () => {
    const { docs, kinds } = emitted(cluster(to, 3, SUBDOMAIN));
    expect(ingresses(docs).sort()).toEqual(
      [
        `knative-serving/knative-serving-${to} ${to}`,
        `runai-team-a/web1-${to} ${to}`,
        `runai/runai-cluster-domain-star-ingress-${to} ${to}`,
      ].sort(),
    );
    expect(kinds).toContain('Secret runai/runai-cluster-domain-star-tls-secret');
  });
});

describe('migration.className: a new controller that watches another class (N42 Gateway, a renamed Traefik)', () => {
  const withClass = (phase: number, className: string) =>
    cluster('haproxy', phase, SUBDOMAIN).replace('phase: ' + phase + '}', `phase: ${phase}, className: ${className}}`);

  test("the new Ingresses take it, and from phase 2 Run:ai is told it; the names keep the controller's suffix", () => {
    expect(withClass(1, 'n42-gateway')).toContain('migration: {to: haproxy, phase: 1, className: n42-gateway}');
    expect(
      ingresses(emitted(withClass(1, 'n42-gateway')).docs)
        .filter((i) => i.includes('-haproxy'))
        .sort(),
    ).toEqual([
      'knative-serving/knative-serving-haproxy n42-gateway',
      'runai-team-a/web1-haproxy n42-gateway',
      'runai/runai-cluster-domain-star-ingress-haproxy n42-gateway',
    ]);
    const { docs } = emitted(withClass(2, 'n42-gateway'));
    expect(docs.find((d) => d.kind === 'RunaiConfig').spec.global.ingress).toEqual({ ingressClass: 'n42-gateway' });
  });

  test('fails when it is the class the current Ingresses have, naming migration.className', () => {
    expect(problemLines(() => loadOne(withClass(1, 'nginx'), { now: CHECK_AT }), false)).toEqual([
      "clusters[0].migration.className: haproxy's Ingresses get the class nginx, which the current ones already have (ingress.className): " +
        'one controller would serve both copies of every Ingress; if haproxy already serves this cluster, set ingress.controller: haproxy ' +
        'and remove migration, else set migration.className to the class the new controller watches',
    ]);
  });

  test("fails with to: gateway-api, whose class is the Gateway's, in the config and from a library caller", () => {
    const config = cluster('gateway-api', 1, GATEWAY).replace('phase: 1}', 'phase: 1, className: kgateway}');
    expect(problemLines(() => loadOne(config, { now: CHECK_AT }), false)).toEqual([
      'clusters[0].migration.className: is not used with to: gateway-api, whose class is gateway.className; remove it',
    ]);
    expect(() => Migration.of('gateway-api', 1, 'kgateway')).toThrow(
      new ValidationError('migration.className: is not used with to: gateway-api, whose class is gateway.className; remove it'),
    );
  });

  test('fails when a library caller gives the chart the class the current Ingresses have, as the config is refused', () => {
    expect(
      () =>
        new RunaiAccessChart(new App(), 'c', {
          clusterUrl: 'runai.example.com',
          runaiVersion: RunaiVersion.parse('2.20'),
          ingressController: IngressController.NGINX,
          tls: TlsSource.existing(),
          migration: Migration.of('haproxy', 1, 'nginx'),
        }),
    ).toThrow(/^migration\.className: haproxy's Ingresses get the class nginx, which the current ones already have/);
  });

  test('fails when it is not an IngressClass name', () => {
    expect(problemLines(() => loadOne(withClass(1, 'N42_Gateway'), { now: CHECK_AT }), false)).toEqual([
      'clusters[0].migration.className: must be an IngressClass name (lower-case DNS subdomain), such as haproxy',
    ]);
  });
});

describe('validate during a migration to the Gateway API', () => {
  test("names both Secrets the inference certificate is read from in phases 1-2, the Gateway's alone in phase 3", () => {
    const report = (phase: number) =>
      validateReport('c.yaml', loadOne(cluster('gateway-api', phase, GATEWAY), { now: CHECK_AT }).clusters, [], CHECK_AT);
    expect(report(1)).toContain(
      'inference certificate (inference.tls): existing Secrets knative-serving/runai-cluster-inference-tls-secret and ' +
        'runai/runai-cluster-inference-tls-secret, not checked here',
    );
    expect(report(3)).toContain(
      'inference certificate (inference.tls): existing Secret runai/runai-cluster-inference-tls-secret, not checked here',
    );
  });
});

describe('migration to gateway-api', () => {
  const gw = (phase: number, extra = '') => cluster('gateway-api', phase, `${GATEWAY}    deployment: self-hosted\n${extra}`);

  test('phase 1: the Gateway and inference HTTPRoute beside the Ingresses; Run:ai told the Gateway API is off', () => {
    const { kinds, docs, values } = emitted(gw(1));
    expect(kinds.sort()).toEqual(
      [
        'Gateway runai/runai-gateway',
        'HTTPRoute knative-serving/knative-serving-httproute',
        'Ingress knative-serving/knative-serving',
        'Ingress runai/runai-cluster-domain-star-ingress',
        'Secret runai/runai-cluster-domain-star-tls-secret',
      ].sort(),
    );
    const gateway = docs.find((d) => d.kind === 'Gateway');
    const workloads = gateway.spec.listeners.find((l: { name: string }) => l.name === 'https-workloads');
    expect(workloads.tls.certificateRefs).toEqual([{ kind: 'Secret', name: 'runai-cluster-domain-star-tls-secret' }]);
    // Run:ai 2.25 takes its settings from Helm values: the current class and routing are stated beside the switch.
    expect(values('helm/runai-cluster-values.yaml')).toEqual({
      clusterConfig: { global: { gatewayAPI: { enabled: false }, ingress: { ingressClass: 'nginx' }, subdomainSupport: true } },
    });
    expect(values('helm/runai-control-plane-values.yaml')).toEqual({
      global: { gatewayAPI: { enabled: false } },
    });
  });

  test("phase 3's profile line says no Ingress uses the class it migrated from; the Helm values still state it beside the switch", () => {
    // The class is given by the profile here (ingress.controller alone is set), so the line names it as a default.
    const lines = cluster('gateway-api', 3, GATEWAY);
    const c = loadOne(lines, { now: CHECK_AT }).clusters[0];
    expect(c.mode.profileText).toBe(
      'Run:ai profile 2.25 (runaiVersion 2.25); defaults: ingress.className nginx (migrated from; no Ingress written uses it), runaiConfig.via helm-values',
    );
    expect(emitted(lines).values('helm/runai-cluster-values.yaml').clusterConfig.global.ingress).toEqual({
      enabled: false,
      ingressClass: 'nginx',
    });
  });

  test('phase 1 with the settings in the RunaiConfig overlay: the overlay states the current class, the Helm values only the switch', () => {
    const { kinds, docs, values } = emitted(gw(1, '    runaiConfig: {via: overlay}\n'));
    expect(kinds).toContain('RunaiConfig runai/runai');
    expect(docs.find((d) => d.kind === 'RunaiConfig').spec.global).toEqual({ subdomainSupport: true, ingress: { ingressClass: 'nginx' } });
    expect(values('helm/runai-cluster-values.yaml')).toEqual({ clusterConfig: { global: { gatewayAPI: { enabled: false } } } });
  });

  test('phase 2: Run:ai told the Gateway (cluster and self-hosted control plane keys), ingress still enabled', () => {
    const { kinds, values } = emitted(gw(2));
    expect(kinds.filter((k) => k.startsWith('Ingress'))).toHaveLength(2);
    expect(values('helm/runai-cluster-values.yaml')).toEqual({
      clusterConfig: {
        global: {
          gatewayAPI: { enabled: true, name: 'runai-gateway', namespace: 'runai' },
          ingress: { enabled: true, ingressClass: 'nginx' },
          subdomainSupport: true,
        },
      },
    });
    expect(values('helm/runai-control-plane-values.yaml')).toEqual({
      global: {
        gatewayAPI: { enabled: true, parentRefs: [{ name: 'runai-gateway', namespace: 'runai' }] },
        ingress: { enabled: true },
      },
    });
  });

  test('phase 3: no Ingress, and only now clusterConfig.global.ingress.enabled: false', () => {
    const { kinds, values } = emitted(gw(3));
    expect(kinds.filter((k) => k.startsWith('Ingress'))).toEqual([]);
    // The class goes by Helm values too, and must not replace ingress.enabled.
    expect(values('helm/runai-cluster-values.yaml').clusterConfig.global.ingress).toEqual({ enabled: false, ingressClass: 'nginx' });
    expect(values('helm/runai-control-plane-values.yaml').global.ingress).toEqual({ enabled: false });
    const overlay = emitted(gw(3, '    runaiConfig: {via: overlay}\n')).values('helm/runai-cluster-values.yaml');
    expect(overlay.clusterConfig.global.ingress).toEqual({ enabled: false });
  });

  test("the inference certificate goes to the Gateway's namespace too while the knative Ingress stays", () => {
    // A wildcard of the inference domain's own (a CA and its leaf).
    const pki = new Pki(tempDir());
    pki.issue('ca', { cn: 'Inference Test CA', ca: true });
    pki.issue('inference', { cn: '*.runai-inference.example.com', dns: ['*.runai-inference.example.com'], issuer: 'ca' });
    const files = `{source: files, certFile: ${pki.chain('inference-chain.pem', 'inference', 'ca')}, keyFile: ${pki.file('inference', 'key')}}`;
    const inf = (phase: number) =>
      emitted(cluster('gateway-api', phase, GATEWAY).replace('tls: {source: existing}}', `tls: ${files}}`)).kinds.filter((k) =>
        k.includes('inference'),
      );
    expect(inf(1).sort()).toEqual([
      'Secret knative-serving/runai-cluster-inference-tls-secret',
      'Secret runai/runai-cluster-inference-tls-secret',
    ]);
    expect(inf(3)).toEqual(['Secret runai/runai-cluster-inference-tls-secret']);
  });

  test('SaaS writes no control plane values', () => {
    expect(emitted(cluster('gateway-api', 2, GATEWAY)).file('helm/runai-control-plane-values.yaml')).toBeUndefined();
  });
});

describe('migration to haproxy of a self-hosted Run:ai 2.25 on ingress-nginx: the control plane moves too', () => {
  // Run:ai 2.25's upgrade page, "Migrate from NGINX to HAProxy": the control plane release is told
  // global.ingress.ingressClass=haproxy first, then the cluster; its own Ingress (runai-backend)
  // would otherwise stay on the controller phase 3 uninstalls.
  const selfHosted = (phase: number) =>
    `    runaiVersion: "2.25"\n    deployment: self-hosted\n    ingress: {controller: nginx}\n    tls: ${FILES}\n` +
    `    migration: {to: haproxy, phase: ${phase}}\n`;

  test('phase 1 states the current class for the control plane, phase 2 and 3 the new one', () => {
    const plane = (phase: number) => emitted(selfHosted(phase)).values('helm/runai-control-plane-values.yaml');
    expect(plane(1)).toEqual({ global: { ingress: { ingressClass: 'nginx' } } });
    expect(plane(2)).toEqual({ global: { ingress: { ingressClass: 'haproxy' } } });
    expect(plane(3)).toEqual({ global: { ingress: { ingressClass: 'haproxy' } } });
  });

  test('phase 2 tells the control plane first, then the cluster', () => {
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${selfHosted(2)}`);
    const r = runInProcess(['synth', '--config', config, '--out', path.join(dir, 'dist'), '--at', '2030-01-01']);
    expect(r.status).toBe(0);
    const out = path.join(dir, 'dist', 'prod');
    expect(r.stderr).toContain(
      `    1. tell Run:ai: helm upgrade runai-backend runai-backend/control-plane -n runai-backend --reuse-values -f ${out}/helm/runai-control-plane-values.yaml\n` +
        `    2. tell Run:ai: helm upgrade runai-cluster runai/runai-cluster -n runai --reuse-values -f ${out}/helm/runai-cluster-values.yaml\n`,
    );
  });

  test('without a migration no control plane values are written (it may run elsewhere, or serve several clusters): a note says it', () => {
    const settled = `    runaiVersion: "2.25"\n    deployment: self-hosted\n    ingress: {controller: haproxy}\n    tls: ${FILES}\n`;
    expect(emitted(settled).file('helm/runai-control-plane-values.yaml')).toBeUndefined();
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${settled}`);
    const r = runInProcess(['synth', '--config', config, '--out', path.join(dir, 'dist'), '--at', '2030-01-01']);
    expect(r.stderr).toContain(
      'note: self-hosted control plane on this cluster: set global.ingress.ingressClass=haproxy in the runai-backend release too (Run:ai 2.25 upgrade page).',
    );
  });

  test('before 2.25, whose docs set no control plane class, the summary says to set it rather than writing values', () => {
    const { file } = emitted(selfHosted(2).replace('"2.25"', '"2.20"'));
    expect(file('helm/runai-control-plane-values.yaml')).toBeUndefined();
    const dir = tempDir();
    const config = writeConfig(
      dir,
      `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${selfHosted(2).replace('"2.25"', '"2.20"')}`,
    );
    const r = runInProcess(['synth', '--config', config, '--out', path.join(dir, 'dist'), '--at', '2030-01-01']);
    expect(r.stderr).toContain(
      'note: self-hosted control plane on this cluster: set global.ingress.ingressClass=haproxy in the runai-backend release too (Run:ai 2.25 upgrade page).',
    );
  });
});

describe('the summary of each phase', () => {
  const summaryOf = (lines: string) => {
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${lines}`);
    const r = runInProcess(['synth', '--config', config, '--out', path.join(dir, 'dist'), '--at', '2030-01-01']);
    expect(r.status).toBe(0);
    return r.stderr;
  };

  test("the current controller's note while its Ingresses are written (phases 1-2), not in phase 3, which writes none", () => {
    const fromHaproxy = (phase: number) => cluster('gateway-api', phase, GATEWAY).replace('{controller: nginx}', '{controller: haproxy}');
    for (const phase of [1, 2]) expect(summaryOf(fromHaproxy(phase))).toContain('  note: ingress controller haproxy: ');
    expect(summaryOf(fromHaproxy(3))).not.toContain('note: ingress controller haproxy');
  });

  test('phase 2 prints the ordered steps, the DNS change and how to check it, and the rollback', () => {
    const text = summaryOf(cluster('haproxy', 2));
    expect(text).toContain('  migration to haproxy, phase 2 of 3:\n    1. tell Run:ai: kubectl apply');
    // The inference wildcard moves with the workspaces': phase 3 removes its route on the old controller.
    expect(text).toContain(
      'DNS: point runai.example.com, *.runai.example.com and *.runai-inference.example.com at the new address ' +
        "(kubectl get ingress -n runai runai-cluster-domain-star-ingress-haproxy -o jsonpath='{.status.loadBalancer.ingress[0]}')",
    );
    expect(text).toContain('check: dig +short probe.runai.example.com returns the new address');
    expect(text).toContain('    to roll back to phase 1: point DNS back at the old address, set migration.phase: 1');
  });

  test('the check probes a name DNS takes under a cluster URL of 249 characters (probe.<url> was 255)', () => {
    const url = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(55)}.c`;
    const dir = tempDir();
    const config = writeConfig(
      dir,
      `clusters:\n  - name: prod\n    clusterUrl: ${url}\n    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n` +
        '    tls: {source: existing}\n    migration: {to: haproxy, phase: 2}\n',
    );
    const r = runInProcess(['synth', '--config', config, '--out', path.join(dir, 'dist'), '--at', '2030-01-01']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`check: dig +short obe.${url} returns the new address`);
    expect(`obe.${url}`).toHaveLength(253);
  });

  test('path routing: DNS moves to the new inference Ingress, the only new object', () => {
    const text = summaryOf(
      '    runaiVersion: "2.20"\n    routing: path\n    inference: {domain: runai.example.com, tls: {source: existing}}\n    migration: {to: haproxy, phase: 2}\n',
    );
    expect(text).toContain('kubectl get ingress -n knative-serving knative-serving-haproxy -o jsonpath=');
  });

  describe('path routing, where no wildcard Ingress or certificate exists', () => {
    const PATH = (to: string, phase: number, extra = '') =>
      `    runaiVersion: "${to === 'gateway-api' ? '2.25' : '2.20'}"\n    routing: path\n` +
      `    migration: {to: ${to}, phase: ${phase}}\n${extra}`;
    const steps = (text: string) =>
      text
        .slice(text.indexOf('  migration to'))
        .split('\n')
        .filter((l) => /^ {4}\d\./.test(l));

    test('without inference, phase 1 has nothing to apply or probe: Run:ai moves its own Ingresses in phase 2', () => {
      const text = summaryOf(PATH('traefik', 1, '    runaiConfig: {via: helm-values}\n'));
      expect(text).toContain('  no Kubernetes objects to apply\n');
      expect(text).toContain(
        "    to undo phase 1: remove migration from the config; phase 1 added no objects, and nothing else changed (phase 1's Helm values file states the current settings)\n",
      );
      expect(steps(text)).toEqual([
        '    1. install the traefik ingress controller, watching IngressClass traefik',
        "    2. nothing serves through the new controller yet: with path routing Run:ai's own Ingresses move to it when Run:ai is told, in phase 2",
        "    3. lower the TTL of the DNS records for runai.example.com now, so that phase 2's change reaches every resolver soon; " +
          'then set migration.phase: 2 and synth again',
      ]);
    });

    test("without inference, phase 2 moves only the cluster URL, to the address of Run:ai's Ingresses of the new class", () => {
      const text = summaryOf(PATH('traefik', 2, '    runaiConfig: {via: helm-values}\n'));
      expect(text).not.toContain('*.runai.example.com');
      expect(text).toContain(
        "DNS: point runai.example.com at the new address (kubectl get ingress -A -o wide: the ADDRESS of Run:ai's Ingresses with class traefik, once Run:ai is told)",
      );
      expect(text).toContain('check: dig +short runai.example.com returns the new address, and curl -v https://runai.example.com/ answers');
    });

    test("to the Gateway API, phase 1 probes the Gateway's cluster URL listener with the cluster URL's certificate", () => {
      const text = summaryOf(PATH('gateway-api', 1, GATEWAY));
      expect(text).toContain(
        'check the new path before any DNS change: curl -v --resolve runai.example.com:443:<new address> https://runai.example.com/ ' +
          "(the address: kubectl get gateway -n runai runai-gateway -o jsonpath='{.status.addresses[0].value}') must show the runai.example.com certificate",
      );
      expect(text).not.toContain('*.runai.example.com');
    });

    test('with inference, phase 1 probes the new inference Ingress under the inference domain, and DNS moves both names', () => {
      const inference = '    inference: {domain: runai-inference.example.com, tls: {source: existing}}\n';
      expect(summaryOf(PATH('haproxy', 1, inference))).toContain(
        'curl -v --resolve probe.runai-inference.example.com:443:<new address> https://probe.runai-inference.example.com/ ',
      );
      expect(summaryOf(PATH('haproxy', 2, inference))).toContain(
        'DNS: point runai.example.com and *.runai-inference.example.com at the new address',
      );
      // To the Gateway API too: its inference listener serves the inference wildcard from phase 2.
      expect(summaryOf(PATH('gateway-api', 2, GATEWAY + inference))).toContain(
        'DNS: point runai.example.com and *.runai-inference.example.com at the new address',
      );
    });
  });

  test("phase 1 undoes by deleting every object it added: the new wildcard, inference and researchers' Ingresses (it named one)", () => {
    const text = summaryOf(cluster('haproxy', 1, SUBDOMAIN));
    const dir = /(\S+\/dist\/prod)\/ again/.exec(text)?.[1];
    const undo = text.slice(text.indexOf('to undo phase 1:')).split('\n').slice(0, 4);
    expect(undo).toEqual([
      `to undo phase 1: remove migration from the config, synth and kubectl apply --server-side --field-manager=runai-access -f ${dir}/ again ` +
        '(phase 1 also stated the current class in the RunaiConfig overlay), and delete the new objects (GitOps tools with pruning do both for you):',
      '      kubectl delete ingress -n runai runai-cluster-domain-star-ingress-haproxy',
      '      kubectl delete ingress -n knative-serving knative-serving-haproxy',
      '      kubectl delete ingress -n runai-team-a web1-haproxy',
    ]);
  });

  test('phase 1 with the settings in Helm values only (none applied in phase 1): nothing else to undo', () => {
    const text = summaryOf(cluster('haproxy', 1, '    runaiConfig: {via: helm-values}\n'));
    expect(text).toContain(
      "to undo phase 1: remove migration from the config and delete the new objects (GitOps tools with pruning do it for you); nothing else changed (phase 1's Helm values file states the current settings):",
    );
  });

  test('phase 1 to the Gateway API, self-hosted, with the settings in Helm values: both values files are named as stating the current settings', () => {
    const text = summaryOf(cluster('gateway-api', 1, `${GATEWAY}    deployment: self-hosted\n    runaiConfig: {via: helm-values}\n`));
    expect(text).toContain("nothing else changed (phase 1's Helm values files state the current settings):");
  });

  test('phase 1 with a cert-manager certificate undoes the Secret cert-manager issued too, which it keeps when its Certificate goes', () => {
    const text = summaryOf(
      cluster('gateway-api', 1, GATEWAY).replace(
        'inference: {domain: runai-inference.example.com, tls: {source: existing}}',
        'inference: {domain: runai-inference.example.com, tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}}',
      ),
    );
    const undo = text.slice(text.indexOf('to undo phase 1:'));
    expect(undo).toMatch(/kubectl delete certificate\.cert-manager\.io -n runai (\S+)\n\s+kubectl delete secret -n runai \S+/);
  });

  test('phase 1 to the Gateway API undoes by deleting the Gateway and its HTTPRoute', () => {
    const text = summaryOf(cluster('gateway-api', 1, GATEWAY));
    const undo = text
      .slice(text.indexOf('to undo phase 1:'))
      .split('\n')
      .slice(1, 3)
      .map((l) => l.trim());
    expect(undo.sort()).toEqual([
      'kubectl delete gateway.gateway.networking.k8s.io -n runai runai-gateway',
      'kubectl delete httproute.gateway.networking.k8s.io -n knative-serving knative-serving-httproute',
    ]);
  });

  test('phase 3 to the Gateway API on SaaS: the summary names the Gateway, and there is no control plane to disable ingress in', () => {
    const text = summaryOf(cluster('gateway-api', 3, GATEWAY));
    expect(text).toContain('prod: workspaces at https://<project>-<workload>.runai.example.com/ (Gateway API: runai/runai-gateway)');
    expect(text).toMatch(/disable Run:ai's ingress: helm upgrade runai-cluster /);
    expect(text).not.toContain('control plane');
  });

  test("phase 3 to the Gateway API says to delete the knative Ingress's inference Secret, which nothing reads or prunes any more", () => {
    const pki = new Pki(tempDir());
    pki.issue('ca', { cn: 'Inference Test CA', ca: true });
    pki.issue('inference', { cn: '*.runai-inference.example.com', dns: ['*.runai-inference.example.com'], issuer: 'ca' });
    const tls = `{source: files, certFile: ${pki.chain('inference-chain.pem', 'inference', 'ca')}, keyFile: ${pki.file('inference', 'key')}}`;
    const steps = summaryOf(cluster('gateway-api', 3, GATEWAY).replace('tls: {source: existing}}', `tls: ${tls}}`));
    expect(steps).toContain(
      "kubectl delete secret -n knative-serving runai-cluster-inference-tls-secret  (the knative Ingress's copy, which phase 3 no longer writes; " +
        'pruning leaves it unless commitPlaintextKey put it in git)',
    );
    // Another source's objects in knative-serving are named, each with what happens to its Secret.
    const external = summaryOf(
      cluster('gateway-api', 3, GATEWAY).replace(
        'tls: {source: existing}}',
        'tls: {source: external-secret, secretStoreRef: {name: vault}, remoteRef: {certificate: a, privateKey: b}}}',
      ),
    );
    expect(external).toMatch(/kubectl delete externalsecret\.external-secrets\.io -n knative-serving \S+ {2}\(.*its Secret goes with it\)/);
    expect(external).not.toContain('kubectl delete secret');
    const issued = summaryOf(
      cluster('gateway-api', 3, GATEWAY).replace(
        'tls: {source: existing}}',
        'tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}}',
      ),
    );
    expect(issued).toMatch(/kubectl delete certificate\.cert-manager\.io -n knative-serving \S+ {2}\(/);
    expect(issued).toContain(
      'kubectl delete secret -n knative-serving runai-cluster-inference-tls-secret  (cert-manager keeps the Secret of a deleted Certificate)',
    );
    // An existing Secret is the admin's: no step deletes it.
    expect(summaryOf(cluster('gateway-api', 3, GATEWAY))).not.toContain('kubectl delete secret');
  });

  test("leaving a finished migration renames the objects back, and synth names the suffixed ones to delete (phase 3's own deletions are not repeated)", () => {
    const dir = tempDir();
    const config = (lines: string) => writeConfig(dir, `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${lines}`);
    const synth = () =>
      runInProcess(['synth', '--config', path.join(dir, 'runai-access.yaml'), '--out', path.join(dir, 'dist'), '--at', '2030-01-01']);
    config(cluster('haproxy', 2, SUBDOMAIN));
    expect(synth().status).toBe(0);
    config(cluster('haproxy', 3, SUBDOMAIN));
    expect(synth().stderr).not.toContain('no longer written');
    config(
      cluster('haproxy', 3, SUBDOMAIN)
        .replace('ingress: {controller: nginx}', 'ingress: {controller: haproxy}')
        .replace(/ {4}migration: .*\n/, ''),
    );
    const leaving = synth().stderr;
    const stale = leaving
      .split('\n')
      .filter((l) => l.includes('no longer written'))
      .map((l) => /\(kubectl delete ([^)]+)\)/.exec(l)?.[1]);
    expect(stale).toEqual([
      'ingress -n knative-serving knative-serving-haproxy',
      'ingress -n runai runai-cluster-domain-star-ingress-haproxy',
      'ingress -n runai-team-a web1-haproxy',
    ]);
    // Same class before and after: nothing to say about it.
    expect(leaving).not.toContain('note: the Ingresses no longer written had class');
  });

  test('synth --quiet at phase 3 names the objects phase 3 no longer writes, with their kubectl delete: its steps are not printed', () => {
    const dir = tempDir();
    writeConfig(dir, `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${cluster('haproxy', 2, SUBDOMAIN)}`);
    const synth = (...flags: string[]) =>
      runInProcess([
        'synth',
        ...flags,
        '--config',
        path.join(dir, 'runai-access.yaml'),
        '--out',
        path.join(dir, 'dist'),
        '--at',
        '2030-01-01',
      ]);
    expect(synth('-q').status).toBe(0);
    writeConfig(dir, `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${cluster('haproxy', 3, SUBDOMAIN)}`);
    const r = synth('-q');
    expect(r.status).toBe(0);
    const removals = r.stderr.split('\n').filter((l) => !l.startsWith('warning: '));
    expect(removals.map((l) => /^prod: no longer written: \S+; the object stays .*\(kubectl delete ([^)]+)\)/.exec(l)?.[1])).toEqual([
      'ingress -n knative-serving knative-serving',
      'ingress -n runai runai-cluster-domain-star-ingress',
      'ingress -n runai-team-a web1',
      undefined,
    ]);
    // Said once: the next run has nothing to compare them with.
    expect(synth('-q').stderr).not.toContain('no longer written');
  });

  test('leaving a migration that used migration.className without that class in ingress.className: a note says the class changes', () => {
    const dir = tempDir();
    const config = (lines: string) => writeConfig(dir, `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${lines}`);
    const synth = () =>
      runInProcess(['synth', '--config', path.join(dir, 'runai-access.yaml'), '--out', path.join(dir, 'dist'), '--at', '2030-01-01'])
        .stderr;
    const phase3 = cluster('haproxy', 3).replace('phase: 3}', 'phase: 3, className: n42-gateway}');
    config(phase3);
    synth();
    const left = phase3.replace(/ {4}migration: .*\n/, '');
    config(left.replace('ingress: {controller: nginx}', 'ingress: {controller: haproxy}'));
    expect(synth()).toContain(
      '  note: the Ingresses no longer written had class n42-gateway; those written now have class haproxy: if the controller serving ' +
        'this cluster watches n42-gateway, set ingress.className to it',
    );
    config(phase3);
    synth();
    config(left.replace('ingress: {controller: nginx}', 'ingress: {controller: haproxy, className: n42-gateway}'));
    expect(synth()).not.toContain('note: the Ingresses no longer written had class');
  });

  test('phase 3 still names the Secrets its Ingresses read that runai-access does not write', () => {
    expect(summaryOf(cluster('haproxy', 3).replace(`tls: ${FILES}`, 'tls: {source: existing}'))).toContain(
      'note: Secret runai/runai-cluster-domain-star-tls-secret is read by the wildcard Ingress and not written by runai-access',
    );
    expect(summaryOf(cluster('haproxy', 3))).toContain(
      'note: Secret knative-serving/runai-cluster-inference-tls-secret is read by the inference Ingress and not written by runai-access',
    );
  });

  test('phase 3 says which objects to delete, in order after the apply', () => {
    const text = summaryOf(cluster('traefik', 3, SUBDOMAIN));
    const steps = text.slice(text.indexOf('migration to traefik, phase 3 of 3:'));
    expect(steps.indexOf('kubectl apply')).toBeLessThan(
      steps.indexOf('kubectl delete ingress -n runai runai-cluster-domain-star-ingress '),
    );
    expect(steps).toContain('kubectl delete ingress -n knative-serving knative-serving ');
    expect(steps).toContain('kubectl delete ingress -n runai-team-a web1 ');
    expect(steps).toContain('to roll back to phase 2: set migration.phase: 2');
  });
});

describe('check between two phases lists exactly the files that change', () => {
  const run = (to: string, extra: string) => {
    const dir = tempDir();
    const out = path.join(dir, 'dist');
    const write = (phase: number) =>
      writeConfig(dir, `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${cluster(to, phase, extra)}`);
    expect(runInProcess(['synth', '-q', '--config', write(1), '--out', out]).status).toBe(0);
    const diff = (phase: number) => {
      const r = runInProcess(['check', '--config', write(phase), '--out', out]);
      expect(r.status).toBe(1);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.replace(`${out}/prod/`, ''));
      expect(runInProcess(['synth', '-q', '--config', write(phase), '--out', out]).status).toBe(0);
      return lines;
    };
    return [diff(2), diff(3)];
  };

  test('haproxy, with the overlay: 1→2 the overlay; 2→3 the old Ingresses', () => {
    expect(run('haproxy', SUBDOMAIN)).toEqual([
      ['changed 20-runaiconfig-runai.yaml'],
      [
        'extra   10-ingress-knative-serving.yaml',
        'extra   10-ingress-runai-cluster-domain-star-ingress.yaml',
        'extra   40-ingress-runai-team-a-web1.yaml',
      ],
    ]);
  });

  test('gateway-api, self-hosted: 1→2 the two values files; 2→3 those and the old Ingresses', () => {
    expect(run('gateway-api', `${GATEWAY}    deployment: self-hosted\n`)).toEqual([
      ['changed helm/runai-cluster-values.yaml', 'changed helm/runai-control-plane-values.yaml'],
      [
        'extra   10-ingress-knative-serving.yaml',
        'extra   10-ingress-runai-cluster-domain-star-ingress.yaml',
        'changed helm/runai-cluster-values.yaml',
        'changed helm/runai-control-plane-values.yaml',
      ],
    ]);
  });
});

describe('every phase folder builds with kubectl kustomize and is schema-valid', () => {
  const VALIDATOR = path.join(__dirname, 'validate-models.mjs');
  const cases = ['haproxy', 'traefik', 'gateway-api'].flatMap((to) => [1, 2, 3].map((phase) => [to, phase] as const));
  /** Each case's objects as kubectl kustomize builds them, and the published-schema verdict on each. */
  const built = new Map<string, { keys: string[]; objects: any[]; results: { ok: boolean }[] }>();

  // Every phase synthesized and built with kubectl here; the published schemas then judge the
  // objects of all nine in one node process (it loads the ESM kubernetes-models once, not nine times).
  beforeAll(() => {
    const dir = tempDir();
    const all: any[] = [];
    for (const [to, phase] of cases) {
      const extra = to === 'gateway-api' ? `${GATEWAY}    deployment: self-hosted\n` : SUBDOMAIN;
      const at = path.join(dir, `${to}-${phase}`);
      fs.mkdirSync(at);
      const config = writeConfig(
        at,
        // A kustomization lists the Secret, so it must be committed (else synth refuses the pair).
        `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${cluster(to, phase, `${extra}    output: {kustomization: true}\n`)}`.replace(
          FILES,
          FILES.replace(/}$/, ', commitPlaintextKey: true}'),
        ),
      );
      const out = path.join(at, 'dist');
      expect(runInProcess(['synth', '-q', '--config', config, '--out', out]).status).toBe(0);
      const docs = yamlDocs(kubectl(['kustomize', path.join(out, 'prod')]));
      const objects = docs.filter((d) => d.kind !== 'RunaiConfig');
      built.set(`${to} ${phase}`, { keys: docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`), objects, results: [] });
      all.push(...objects);
    }
    const file = path.join(dir, 'objects.json');
    fs.writeFileSync(file, JSON.stringify(all));
    const results = JSON.parse(execFileSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8', cwd: path.join(__dirname, '..') }));
    expect(results).toHaveLength(all.length);
    let next = 0;
    for (const b of built.values()) b.results = results.slice(next, (next += b.objects.length));
  });

  test.each(cases)('%s, phase %s', (to, phase) => {
    const { keys, objects, results } = built.get(`${to} ${phase}`)!;
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(results.filter((r: { ok: boolean }) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(objects.length);
  });
});

test("phase 1 to the Gateway API also adds the inference Secret's copy in the Gateway's namespace, and its undo deletes it", () => {
  const pki = new Pki(tempDir());
  pki.issue('root', { cn: 'Root', ca: true });
  pki.issue('inference', { cn: 'inference', dns: ['*.runai-inference.example.com'], issuer: 'root' });
  pki.chain('inference-chain.pem', 'inference', 'root');
  const inference = `{source: files, certFile: ${path.join(pki.dir, 'inference-chain.pem')}, keyFile: ${pki.file('inference', 'key')}}`;
  const lines = cluster('gateway-api', 1, GATEWAY).replace('tls: {source: existing}}', `tls: ${inference}}`);
  const [out] = synthesize(loadOne(lines, { now: CHECK_AT }).clusters);
  expect(out.migration?.newObjects).toEqual([
    'gateway.gateway.networking.k8s.io -n runai runai-gateway',
    'httproute.gateway.networking.k8s.io -n knative-serving knative-serving-httproute',
    'secret -n runai runai-cluster-inference-tls-secret',
  ]);
});

test('phase 1 undo lists only what the migration built: a workload named like a new Ingress keeps its own, and a cert-manager copy is named', () => {
  const [haproxy] = synthesize(
    loadOne(cluster('haproxy', 1, '    expose: [{project: team-f, workload: web-haproxy, type: subdomain, ports: ["8080"]}]\n'), {
      now: CHECK_AT,
    }).clusters,
  );
  expect(haproxy.migration?.newObjects).toContain('ingress -n runai-team-f web-haproxy-haproxy');
  expect(haproxy.migration?.newObjects).not.toContain('ingress -n runai-team-f web-haproxy');
  const certManager = '{source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}';
  const lines = cluster('gateway-api', 1, GATEWAY).replace('tls: {source: existing}}', `tls: ${certManager}}`);
  const [gateway] = synthesize(loadOne(lines, { now: CHECK_AT }).clusters);
  expect(gateway.migration?.newObjects).toContain('certificate.cert-manager.io -n runai runai-cluster-inference-tls');
});

test.each([1, 2, 3])('with a kustomization.yaml, phase %s names kubectl apply -k in every step, as the apply line does', (phase) => {
  const dir = tempDir();
  const config = writeConfig(
    dir,
    `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${cluster('haproxy', phase, '    output: {kustomization: true}\n')}`.replace(
      FILES,
      FILES.replace(/}$/, ', commitPlaintextKey: true}'),
    ),
  );
  const r = runInProcess(['synth', '--config', config, '--out', path.join(dir, 'dist')]);
  expect(r.status).toBe(0);
  const applies = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('kubectl apply --server-side'));
  // The apply line, and phase 1's "adds", phase 2's overlay step, phase 3's apply.
  expect(applies.length).toBeGreaterThanOrEqual(2);
  for (const line of applies) expect(line).toMatch(/kubectl apply --server-side --field-manager=runai-access -k \S*prod\//);
});

test('a Run:ai before 2.25 told an ingress class is told to check the key, which Run:ai documents from 2.25', () => {
  const note = (lines: string) => emitted(lines).out.notes.filter((n) => n.includes('which Run:ai documents from 2.25'));
  expect(note(cluster('haproxy', 2, '    runaiConfig: {via: both}\n'))).toEqual([
    'the RunaiConfig overlay sets spec.global.ingress.ingressClass and the Helm values set clusterConfig.global.ingress.ingressClass ' +
      'haproxy, which Run:ai documents from 2.25; the docs of 2.18-2.24 read for this tool do not list it: check that your release ' +
      'takes it (kubectl explain runaiconfig.spec.global.ingress) before relying on it.',
  ]);
  // 2.25 documents it; nginx on 2.20 is the class Run:ai assumes, so none is set.
  expect(note(cluster('haproxy', 2).replace('"2.20"', '"2.25"'))).toEqual([]);
  expect(note(`    runaiVersion: "2.20"\n    tls: ${FILES}\n`)).toEqual([]);
});
