/**
 * An Ingress still written with another class: a controller that watches only the old class stops
 * serving it once applied. A `runaiVersion` raised to 2.25 in a config that sets no
 * `ingress.controller` does this (the 2.25 profile defaults to HAProxy), in a migration too; the
 * synth that changes it says so once, with --quiet too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { synthSteps, tempDir } from './helpers';

const cluster = (extra: string) => `clusters:\n  - name: runai\n    clusterUrl: runai.acme.test\n    tls: {source: existing}\n${extra}`;
const project = () => synthSteps((l) => l.includes('ingress class changed'));
const WILDCARD = 'dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml';

test('runaiVersion 2.18 to 2.25 without ingress.controller: named once, with the profile whose default moved it', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.18"\n'), '-q');
  expect(synth(cluster('    runaiVersion: "2.25"\n'), '-q')).toEqual([
    `runai: ingress class changed: ${WILDCARD}, from nginx to haproxy, the default of Run:ai profile 2.25 (this config sets no ` +
      'ingress.controller): a controller that watches only the old class stops serving it once applied, and Run:ai is told the new ' +
      'class too; if the cluster still runs that controller, set ingress.controller: nginx to keep it, or move in ' +
      'phases with migration (README "Leaving ingress-nginx")',
  ]);
  expect(synth(cluster('    runaiVersion: "2.25"\n'), '-q')).toEqual([]);
});

test('the same bump in a migration: the Ingresses it leaves change class, and the advice names the controller to keep', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.24"\n    migration: {to: traefik, phase: 1}\n'), '-q');
  const [line, ...more] = synth(cluster('    runaiVersion: "2.25"\n    migration: {to: traefik, phase: 1}\n'), '-q');
  expect(more).toEqual([]);
  expect(line).toMatch(
    new RegExp(`^runai: ingress class changed: ${WILDCARD}(, \\S+)*, from nginx to haproxy, the default of Run:ai profile 2.25 `),
  );
  expect(line).toMatch(/; if the cluster still runs that controller, set ingress.controller to the controller the migration leaves$/);
});

test('an explicit controller change is stated in the summary, every Ingress whose class moves, without advice to undo it', () => {
  const synth = project();
  const expose = '    expose:\n      - {project: team-a, workload: nb, type: subdomain, ports: ["8888"]}\n';
  synth(cluster(`    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n${expose}`), '-q');
  expect(synth(cluster(`    runaiVersion: "2.20"\n    ingress: {controller: traefik}\n${expose}`))).toEqual([
    `  ingress class changed: ${WILDCARD}, dist/runai/40-ingress-runai-team-a-nb.yaml, from nginx to traefik`,
  ]);
});

test('a class the config sets (ingress.className) is the change the admin made: stated in the summary, without advice to undo it', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.25"\n'), '-q');
  expect(synth(cluster('    runaiVersion: "2.25"\n    ingress: {className: haproxy-internal}\n'))).toEqual([
    `  ingress class changed: ${WILDCARD}, from haproxy to haproxy-internal`,
  ]);
});

test("a class that is no controller's own is kept by naming it: the advice gives ingress.className", () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.25"\n    ingress: {controller: other, className: acme-lb}\n'), '-q');
  const [line] = synth(cluster('    runaiVersion: "2.25"\n'), '-q');
  expect(line).toContain(
    'from acme-lb to haproxy, the default of Run:ai profile 2.25 (this config sets no ingress.controller): a controller that watches ' +
      'only the old class stops serving it once applied, and Run:ai is told the new class too; if the cluster still runs that ' +
      'controller, set ingress.className: acme-lb (and ingress.controller to the controller that watches it) to keep it',
  );
});

test('nothing said when the class stays, nor between the phases of a migration, whose Ingresses keep their classes', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n'), '-q');
  expect(synth(cluster('    runaiVersion: "2.24"\n    ingress: {controller: nginx}\n'), '-q')).toEqual([]);
  for (const phase of [1, 2, 3, 2, 1])
    expect(
      synth(cluster(`    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n    migration: {to: haproxy, phase: ${phase}}\n`)),
    ).toEqual([]);
});

describe('with routing: path no Ingress is written: the class Run:ai is told (overlay, Helm values) is what changes', () => {
  const pathRouted = (version: string, extra = '') =>
    `clusters:\n  - name: runai\n    clusterUrl: runai.acme.test\n    routing: path\n    runaiVersion: "${version}"\n${extra}`;
  const advice =
    "from none (Run:ai's default, nginx) to haproxy, the default of Run:ai profile 2.25 (this config sets no ingress.controller): a " +
    'controller that watches only the old class stops serving the Ingresses Run:ai makes for workspaces once applied; if the ' +
    'cluster still runs that controller, set ingress.controller: nginx to keep it, or move in phases with migration (README "Leaving ingress-nginx")';

  test('written by both, the bump names both files, once', () => {
    const synth = project();
    const both = '    runaiConfig: {via: both}\n';
    synth(pathRouted('2.20', both), '-q');
    expect(synth(pathRouted('2.25', both), '-q')).toEqual([
      `runai: ingress class changed (told to Run:ai): dist/runai/helm/runai-cluster-values.yaml, dist/runai/20-runaiconfig-runai.yaml, ${advice}`,
    ]);
    expect(synth(pathRouted('2.25', both), '-q')).toEqual([]);
  });

  test("the profiles' own ways: the overlay (2.20) gives way to the Helm values (2.25), which are named", () => {
    const synth = project();
    synth(pathRouted('2.20'), '-q');
    expect(synth(pathRouted('2.25'), '-q')).toEqual([
      `runai: ingress class changed (told to Run:ai): dist/runai/helm/runai-cluster-values.yaml, ${advice}`,
    ]);
  });

  test('nothing said between the phases of a migration, which move the class Run:ai is told by design', () => {
    const synth = project();
    for (const phase of [1, 2, 3, 2, 1])
      expect(synth(pathRouted('2.20', `    ingress: {controller: nginx}\n    migration: {to: haproxy, phase: ${phase}}\n`))).toEqual([]);
  });

  test('a Helm values folder that is a link to another place is not read, as no previous file is read through a link', () => {
    const synth = project();
    const helmOnly = (ingress: string) => pathRouted('2.25', `    runaiConfig: {via: helm-values}\n${ingress}`);
    synth(helmOnly('    ingress: {controller: nginx}\n'), '-q');
    const helm = path.join(synth.dir, 'dist', 'runai', 'helm');
    const elsewhere = path.join(tempDir(), 'helm');
    fs.renameSync(helm, elsewhere);
    fs.symlinkSync(elsewhere, helm);
    expect(synth(helmOnly(''), '-q')).toEqual([]);
    // Read where it is a folder: the same change is named.
    const plain = project();
    plain(helmOnly('    ingress: {controller: nginx}\n'), '-q');
    expect(plain(helmOnly(''), '-q')).toEqual([
      expect.stringMatching(
        /^runai: ingress class changed \(told to Run:ai\): dist\/runai\/helm\/runai-cluster-values.yaml, from nginx to haproxy, /,
      ),
    ]);
  });
});

test('with Ingresses written, the line names them alone: what Run:ai is told follows in its words', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.20"\n    runaiConfig: {via: both}\n'), '-q');
  const [line, ...more] = synth(cluster('    runaiVersion: "2.25"\n    runaiConfig: {via: both}\n'), '-q');
  expect(more).toEqual([]);
  expect(line).toMatch(
    new RegExp(`^runai: ingress class changed: ${WILDCARD}, from nginx to haproxy, .*, and Run:ai is told the new class too; `),
  );
});
