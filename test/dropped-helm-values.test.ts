/**
 * Helm values a synth stops setting: `helm upgrade --reuse-values -f FILE`, as the summary prints
 * it, keeps every value a release was given, so a key the new file leaves out stays as it was (a
 * cluster moved back from the Gateway API would stay on it). The summary and `--quiet` name such
 * keys once, with the `--set` that undoes them where the chart default is known.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { chartDefault } from '../lib/output/dropped-helm-values';
import { DEMO_ROOT_CA, runInProcess, synthSteps, tempDir, writeConfig } from './helpers';

const CA = DEMO_ROOT_CA;
const cluster = (extra = '') =>
  'clusters:\n  - name: runai\n    clusterUrl: runai.acme.test\n    deployment: self-hosted\n    runaiVersion: "2.25"\n' +
  `    tls: {source: existing}\n${extra}`;
const GATEWAY = '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n';
const project = () => synthSteps((l) => l.includes('helm values: '));

const CLUSTER_UNDO =
  'helm values: dist/runai/helm/runai-cluster-values.yaml no longer sets clusterConfig.global.gatewayAPI.enabled (was true), ' +
  'clusterConfig.global.ingress.enabled (was false), which helm upgrade --reuse-values keeps in the release: undo it with ' +
  'helm upgrade runai-cluster runai/runai-cluster -n runai --reuse-values -f dist/runai/helm/runai-cluster-values.yaml ' +
  '--set clusterConfig.global.gatewayAPI.enabled=false,clusterConfig.global.ingress.enabled=true (which also applies the file)';
const CONTROL_PLANE_UNDO =
  'helm values: dist/runai/helm/runai-control-plane-values.yaml is no longer written; it set global.gatewayAPI.enabled (was true), ' +
  'global.ingress.enabled (was false), which helm upgrade --reuse-values keeps in the release: undo it with ' +
  'helm upgrade runai-backend runai-backend/control-plane -n runai-backend --reuse-values --set global.gatewayAPI.enabled=false,global.ingress.enabled=true';

test('every switch the values files set has a chart default to go back to when it is dropped', () => {
  // Every switch: the Gateway API (exposure, and each phase of a migration to it) and a private CA.
  const migration = (phase: number) =>
    `    ingress: {controller: nginx}\n    migration: {to: gateway-api, phase: ${phase}}\n` +
    GATEWAY.replace('    exposure: gateway-api\n', '');
  const configs = [cluster(GATEWAY), ...[1, 2, 3].map((p) => cluster(migration(p))), cluster(`    privateCa: {caFile: ${CA}}\n`)];
  const switches = new Set<string>();
  const leaves = (value: unknown, key: string): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) leaves(v, key ? `${key}.${k}` : k);
    } else if (key.endsWith('.enabled')) switches.add(key);
  };
  for (const config of configs) {
    const dir = tempDir();
    writeConfig(dir, config);
    expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
    const helm = path.join(dir, 'dist', 'runai', 'helm');
    for (const file of fs.readdirSync(helm)) leaves(parse(fs.readFileSync(path.join(helm, file), 'utf8')), '');
  }
  expect([...switches].sort()).toEqual([
    'clusterConfig.global.gatewayAPI.enabled',
    'clusterConfig.global.ingress.enabled',
    'global.customCA.enabled',
    'global.gatewayAPI.enabled',
    'global.ingress.enabled',
  ]);
  for (const key of switches) expect({ key, reset: chartDefault(key) }).toEqual({ key, reset: expect.any(Boolean) });
});

test('back from the Gateway API to the wildcard Ingress: both releases are told to turn the Gateway API off and ingress on', () => {
  const synth = project();
  synth(cluster(GATEWAY), '-q');
  expect(synth(cluster())).toEqual([`  ${CLUSTER_UNDO}`, `  ${CONTROL_PLANE_UNDO}`]);
  // Said once: the next synth has nothing to compare with.
  expect(synth(cluster())).toEqual([]);
});

test('with --quiet too, each line named with its cluster, since no summary says them', () => {
  const synth = project();
  synth(cluster(GATEWAY), '-q');
  expect(synth(cluster(), '-q')).toEqual([`runai: ${CLUSTER_UNDO}`, `runai: ${CONTROL_PLANE_UNDO}`]);
});

test('a private CA removed: global.customCA.enabled back to false', () => {
  const synth = project();
  synth(cluster(`    privateCa: {caFile: ${CA}}\n`), '-q');
  expect(synth(cluster(), '-q')).toEqual([
    'runai: helm values: dist/runai/helm/runai-cluster-values.yaml no longer sets global.customCA.enabled (was true), which helm upgrade ' +
      '--reuse-values keeps in the release: undo it with helm upgrade runai-cluster runai/runai-cluster -n runai --reuse-values ' +
      '-f dist/runai/helm/runai-cluster-values.yaml --set global.customCA.enabled=false (which also applies the file)',
  ]);
});

test('nothing to undo: into the Gateway API (the ingress class of a release whose ingress is now off), and a switch dropped at its default', () => {
  const synth = project();
  synth(cluster(), '-q');
  expect(synth(cluster(GATEWAY), '-q')).toEqual([]);
  // Phase 1 states gatewayAPI.enabled: false, the chart's default: leaving the migration there changes nothing.
  const phase1 = cluster(
    '    ingress: {controller: nginx}\n    migration: {to: gateway-api, phase: 1}\n' + GATEWAY.replace('    exposure: gateway-api\n', ''),
  );
  synth(phase1, '-q');
  expect(synth(cluster('    ingress: {controller: nginx}\n'), '-q')).toEqual([]);
});

test("Run:ai's ingress class is set to the class the Ingresses now have; a key of no known value is named for the admin to set", () => {
  const synth = project();
  synth(cluster(), '-q');
  // 2.25 by Helm values, then 2.17 by the RunaiConfig overlay: the Helm values file goes, with what it set.
  expect(synth(cluster().replace('"2.25"', '"2.17"'), '-q')).toEqual([
    'runai: helm values: dist/runai/helm/runai-cluster-values.yaml is no longer written; it set clusterConfig.global.subdomainSupport (was true), ' +
      'clusterConfig.global.ingress.ingressClass (was "haproxy"), which helm upgrade --reuse-values keeps in the release: undo it with ' +
      'helm upgrade runai-cluster runai/runai-cluster -n runai --reuse-values --set clusterConfig.global.ingress.ingressClass=nginx; ' +
      'set clusterConfig.global.subdomainSupport as the release needs',
  ]);
});

test.each([
  ['beside its objects', cluster(GATEWAY), cluster()],
  // runai-access.yaml into dist writes the default header (no flags in its command), which names runai-access.yaml.
  ['beside its objects, then the default config', cluster(GATEWAY), cluster(), 'runai-access.yaml'],
  // A folder of Helm values alone: its owner is read from the values file's own header.
  [
    'alone in its folder',
    cluster('    routing: path\n').replace('    tls: {source: existing}\n', ''),
    cluster().replace('    deployment: self-hosted\n', '    platform: openshift\n').replace('    tls: {source: existing}\n', ''),
  ],
])("another config's Helm values %s: that config's to name", (_where, one, two, second = 'two.yaml') => {
  const dir = tempDir();
  writeConfig(dir, one, 'one.yaml');
  writeConfig(dir, two, second);
  expect(runInProcess(['synth', '-q', '-c', 'one.yaml'], { cwd: dir }).status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'dist', 'runai', 'helm', 'runai-cluster-values.yaml'))).toBe(true);
  const r = runInProcess(['synth', '-q', '-c', second], { cwd: dir });
  expect(r.status).toBe(0);
  expect(r.stderr).not.toContain('helm values: ');
});

test('a FIFO where a values file was: not read (synth would wait for a writer forever), and synth replaces it', () => {
  const synth = project();
  synth(cluster(GATEWAY), '-q');
  const values = path.join(synth.dir, 'dist', 'runai', 'helm', 'runai-cluster-values.yaml');
  fs.rmSync(values);
  execFileSync('mkfifo', [values]);
  expect(synth(cluster(), '-q')).toEqual([`runai: ${CONTROL_PLANE_UNDO}`]);
  expect(fs.lstatSync(values).isFile()).toBe(true);
});

test("in a migration's phase 2, Run:ai's class is the migration's: a dropped ingressClass is not set back to the old controller's", () => {
  const synth = project();
  const phase2 = (version: string) =>
    `clusters:\n  - name: runai\n    clusterUrl: runai.acme.test\n    runaiVersion: "${version}"\n    tls: {source: existing}\n` +
    '    ingress: {controller: haproxy}\n    migration: {to: traefik, phase: 2}\n';
  synth(phase2('2.25'), '-q');
  // 2.24 tells Run:ai by the RunaiConfig overlay: traefik, as the dropped Helm value did; nothing to undo.
  expect(synth(phase2('2.24'), '-q').join('\n')).not.toContain('ingressClass=haproxy');
});

test('a key added to a values file by hand, of other characters (a line break, an escape, shell): named in quotes, never in a --set', () => {
  const synth = project();
  synth(cluster(GATEWAY), '-q');
  const values = path.join(synth.dir, 'dist', 'runai', 'helm', 'runai-cluster-values.yaml');
  fs.appendFileSync(values, '"$(touch pwned)\\n\\u001b[2Kx.ingress.ingressClass": evil\n');
  const [line, ...more] = synth(cluster(), '-q');
  expect(more).toEqual([`runai: ${CONTROL_PLANE_UNDO}`]);
  expect(line).toBe(
    `runai: ${CLUSTER_UNDO.replace(' (was false), which', ' (was false), "$(touch pwned)\\n\\u001b[2Kx.ingress.ingressClass" (was "evil"), which')}; ` +
      'set "$(touch pwned)\\n\\u001b[2Kx.ingress.ingressClass" as the release needs',
  );
});

test('a hand-added Helm key and value with a C1 control character (U+009B, a one-byte escape) are escaped too', () => {
  const synth = project();
  synth(cluster(GATEWAY), '-q');
  const values = path.join(synth.dir, 'dist', 'runai', 'helm', 'runai-cluster-values.yaml');
  fs.appendFileSync(values, '"k\\u009b2J": "v\\u009b31m"\n');
  const lines = synth(cluster(), '-q');
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  expect(lines[0]).toContain('"k\\x9b2J" (was "v\\x9b31m")');
});
