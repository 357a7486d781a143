/**
 * An Ingress still written with another class, outside a migration: a controller that watches only
 * the old class stops serving it once applied. A `runaiVersion` raised to 2.25 in a config that sets
 * no `ingress.controller` does this (the 2.25 profile defaults to HAProxy); the synth that changes it
 * says so once, with --quiet too.
 */
import { runInProcess, tempDir, writeConfig } from './helpers';

const cluster = (extra: string) => `clusters:\n  - name: runai\n    clusterUrl: runai.acme.test\n    tls: {source: existing}\n${extra}`;

/** A folder; `synth(config, ...flags)` writes the config, runs synth there and returns its "ingress class changed" lines. */
function project() {
  const dir = tempDir();
  return (config: string, ...flags: string[]) => {
    writeConfig(dir, config);
    const r = runInProcess(['synth', ...flags], { cwd: dir });
    expect(r.status).toBe(0);
    return r.stderr.split('\n').filter((l) => l.includes('ingress class changed'));
  };
}

const WILDCARD = 'dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml';

test('runaiVersion 2.18 to 2.25 without ingress.controller: named once, with the profile whose default moved it', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.18"\n'), '-q');
  expect(synth(cluster('    runaiVersion: "2.25"\n'), '-q')).toEqual([
    `runai: ingress class changed: ${WILDCARD}, from nginx to haproxy, the default of Run:ai profile 2.25 (this config sets no ` +
      'ingress.controller): a controller that watches only the old class stops serving it once applied, and Run:ai is told the new ' +
      'class too; if the cluster still runs that controller, set ingress.controller (or ingress.className) to keep it, or move in ' +
      'phases with migration (README "Leaving ingress-nginx")',
  ]);
  expect(synth(cluster('    runaiVersion: "2.25"\n'), '-q')).toEqual([]);
});

test('an explicit controller change is named in the summary too, without the profile; every Ingress of the cluster whose class moves', () => {
  const synth = project();
  const expose = '    expose:\n      - {project: team-a, workload: nb, type: subdomain, ports: ["8888"]}\n';
  synth(cluster(`    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n${expose}`), '-q');
  const lines = synth(cluster(`    runaiVersion: "2.20"\n    ingress: {controller: traefik}\n${expose}`));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^ {2}ingress class changed: dist\/runai\/10-ingress-\S+\.yaml, dist\/runai\/\S+-ingress-\S+\.yaml, from nginx to traefik: /,
  );
  expect(lines[0]).not.toContain('default of Run:ai profile');
});

test('nothing said when the class stays, or during a migration, whose phases move the class on purpose', () => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n'), '-q');
  expect(synth(cluster('    runaiVersion: "2.24"\n    ingress: {controller: nginx}\n'), '-q')).toEqual([]);
  for (const phase of [1, 2, 3])
    expect(
      synth(cluster(`    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n    migration: {to: haproxy, phase: ${phase}}\n`)),
    ).toEqual([]);
});
