/**
 * Release profiles: one table, contiguous from 2.9 to the newest documented release, each row
 * with its sources; the profile picks a cluster's defaults, every report names it, a cluster on
 * ingress-nginx gets `controller-retired`, and the README's table is generated from it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NEWEST_PROFILE, profileFor, profilesMarkdown, RELEASE_PROFILES, RunaiVersion } from '../lib';
import { synthesize } from '../lib/output/render';
import { emittedObjects, loadOne, problemLines, ROOT, runInProcess, tempDir, writeConfig } from './helpers';

describe('the profile table', () => {
  test('starts at 2.9, has no gap or overlap, and ends at the newest row', () => {
    expect(RELEASE_PROFILES[0].first.text).toBe('2.9');
    for (let i = 1; i < RELEASE_PROFILES.length; i++) {
      const prev = RELEASE_PROFILES[i - 1].last;
      const next = RELEASE_PROFILES[i].first;
      expect([next.major, next.minor]).toEqual([prev.major, prev.minor + 1]);
    }
    expect(NEWEST_PROFILE.id).toBe('2.25');
  });

  test('every row cites https sources', () => {
    for (const p of RELEASE_PROFILES) for (const s of [p.source, ...(p.alsoSources ?? [])]) expect(s).toMatch(/^https:\/\/[^ ]+$/);
  });

  test.each([
    ['2.9', '2.9-2.12', 'legacy-patch', 'nginx', 'overlay', false],
    ['2.12.4', '2.9-2.12', 'legacy-patch', 'nginx', 'overlay', false],
    ['2.13', '2.13-2.17', 'dedicated-ingress', 'nginx', 'overlay', false],
    ['2.20', '2.18-2.24', 'dedicated-ingress', 'nginx', 'overlay', false],
    ['2.25', '2.25', 'dedicated-ingress', 'haproxy', 'helm-values', true],
  ])('Run:ai %s: profile %s, %s, %s, via %s, subdomainSupport default %s', (v, id, wiring, controller, via, subdomains) => {
    const { profile, note } = profileFor(RunaiVersion.parse(v));
    expect([profile.id, profile.wiring, profile.controller.name, profile.runaiConfigVia, profile.subdomainSupportDefault]).toEqual([
      id,
      wiring,
      controller,
      via,
      subdomains,
    ]);
    expect(note).toBeUndefined();
  });

  test('no version: the newest; a newer version: the newest, with a note saying so', () => {
    expect(profileFor().profile).toBe(NEWEST_PROFILE);
    const newer = profileFor(RunaiVersion.parse('3.0'));
    expect(newer.profile).toBe(NEWEST_PROFILE);
    expect(newer.note).toBe(
      "Run:ai 3.0 is newer than the newest release profile (2.25, the newest release whose docs were read); its defaults apply: check them against your release's docs",
    );
  });
});

describe('each profile decides the objects and what Run:ai is told', () => {
  const FILES = '{source: existing}';
  const emitted = (lines: string) => {
    const loaded = loadOne(`    tls: ${FILES}\n    inference: {domain: inf.example.com, tls: {source: existing}}\n${lines}`);
    return { ...emittedObjects(synthesize(loaded.clusters)[0]), warnings: loaded.warnings };
  };
  const classes = (docs: any[]) => docs.filter((d) => d.kind === 'Ingress').map((d) => d.spec.ingressClassName);

  test('2.25 and no version: every Ingress has class haproxy, told to Run:ai by the Helm values', () => {
    for (const lines of ['', '    runaiVersion: "2.25"\n']) {
      const { docs, kinds, helm } = emitted(lines);
      expect(classes(docs)).toEqual(['haproxy', 'haproxy']);
      expect(kinds).not.toContain('RunaiConfig runai/runai');
      expect(helm).toEqual({ clusterConfig: { global: { subdomainSupport: true, ingress: { ingressClass: 'haproxy' } } } });
    }
  });

  test('2.13-2.24: nginx on every Ingress, the overlay, and Run:ai is not told a class (nginx is its default)', () => {
    for (const v of ['2.13', '2.24']) {
      const { docs, helm } = emitted(`    runaiVersion: "${v}"\n`);
      expect(classes(docs)).toEqual(['nginx', 'nginx']);
      expect(docs.find((d) => d.kind === 'RunaiConfig').spec).toEqual({ global: { subdomainSupport: true } });
      expect(helm).toBeUndefined();
    }
  });

  test('an explicit controller and via win over the profile', () => {
    const { docs, helm } = emitted('    ingress: {controller: nginx}\n    runaiConfig: {via: both}\n');
    expect(classes(docs)).toEqual(['nginx', 'nginx']);
    // 2.25's docs disagree about Run:ai's default class, so it is stated even for nginx.
    expect(docs.find((d) => d.kind === 'RunaiConfig').spec.global.ingress).toEqual({ ingressClass: 'nginx' });
    expect(helm.clusterConfig.global.ingress).toEqual({ ingressClass: 'nginx' });
  });
});

describe('controller-retired', () => {
  const codes = (lines: string) => loadOne(`    tls: {source: existing}\n${lines}`).warnings.map((w) => `${w.path} ${w.code}`);

  test('warns for ingress-nginx, set or defaulted by the profile, naming the date and the migration', () => {
    expect(codes('    ingress: {controller: nginx}\n')).toEqual(['clusters[0].ingress.controller controller-retired']);
    expect(codes('    runaiVersion: "2.20"\n')).toEqual(['clusters[0].runaiVersion controller-retired']);
    const [w] = loadOne('    tls: {source: existing}\n    runaiVersion: "2.20"\n').warnings;
    expect(w.message).toBe(
      'ingress-nginx was retired in March 2026: no releases or security fixes since (https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/); move with migration: {to: haproxy | traefik, phase: 1}, or to gateway-api once Run:ai is 2.25 or later (README "Leaving ingress-nginx")',
    );
    expect(loadOne('    tls: {source: existing}\n    runaiVersion: "2.10"\n').warnings[0].message).toContain(
      'upgrade Run:ai to 2.13 or later, then move with migration',
    );
    // Run:ai 2.25 takes the Gateway API: it is one of the targets there.
    expect(
      loadOne('    tls: {source: existing}\n    runaiVersion: "2.25"\n    ingress: {controller: nginx}\n').warnings[0].message,
    ).toContain('; move with migration: {to: haproxy | traefik | gateway-api, phase: 1} (README');
  });

  test('no warning on haproxy, the Gateway API, OpenShift, or during a migration', () => {
    expect(codes('')).toEqual([]);
    expect(
      codes('    exposure: gateway-api\n    gateway: {name: g, namespace: runai, className: kgateway}\n    runaiVersion: "2.25"\n'),
    ).toEqual([]);
    expect(loadOne('    platform: openshift\n    runaiVersion: "2.20"\n').warnings).toEqual([]);
    expect(codes('    runaiVersion: "2.20"\n    migration: {to: haproxy, phase: 1}\n')).toEqual([]);
  });

  test('fails with --strict, as an error line with its code, exit 2', () => {
    expect(problemLines(() => loadOne('    tls: {source: existing}\n    runaiVersion: "2.20"\n', { strict: true }))).toEqual([
      'clusters[0].runaiVersion: ingress-nginx was retired in March 2026: no releases or security fixes since (https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/); move with migration: {to: haproxy | traefik, phase: 1}, or to gateway-api once Run:ai is 2.25 or later (README "Leaving ingress-nginx") (an error with --strict) [controller-retired]',
    ]);
    const dir = tempDir();
    const config = writeConfig(
      dir,
      'clusters:\n  - {name: a, clusterUrl: runai.example.com, runaiVersion: "2.20", tls: {source: existing}}\n',
    );
    const plain = runInProcess(['validate', '--json', '--config', config]);
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout).findings.map((f: { code: string; severity: string }) => [f.code, f.severity])).toEqual([
      ['controller-retired', 'warning'],
    ]);
    const strict = runInProcess(['validate', '--strict', '--config', config]);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toMatch(
      /clusters\[0\]\.runaiVersion: ingress-nginx was retired .*\(an error with --strict\) \[controller-retired\]\n$/,
    );
  });
});

describe('validate and the summary name the profile and every default it chose', () => {
  const dir = tempDir();
  const config = writeConfig(
    dir,
    'clusters:\n' +
      '  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}}\n' +
      '  - {name: b, clusterUrl: runai.example.com, runaiVersion: "3.0", ingress: {className: edge}, tls: {source: existing}}\n',
  );

  test('validate text', () => {
    const text = runInProcess(['validate', '--config', config]).stdout;
    expect(text).toContain(
      '\n  Run:ai profile 2.25 (no runaiVersion: the newest profile); defaults: ingress.controller haproxy, ingress.className haproxy, runaiConfig.via helm-values\n',
    );
    expect(text).toContain(
      "\n  Run:ai profile 2.25 (runaiVersion 3.0: the newest profile); defaults: ingress.controller haproxy, runaiConfig.via helm-values; Run:ai 3.0 is newer than the newest release profile (2.25, the newest release whose docs were read); its defaults apply: check them against your release's docs\n",
    );
  });

  test('validate --json', () => {
    const [a, b] = JSON.parse(runInProcess(['validate', '--json', '--config', config]).stdout).clusters;
    expect(a.profile).toEqual({
      id: '2.25',
      reason: 'no runaiVersion: the newest profile',
      note: null,
      source: NEWEST_PROFILE.source,
      defaults: { 'ingress.controller': 'haproxy', 'ingress.className': 'haproxy', 'runaiConfig.via': 'helm-values' },
    });
    expect(b.profile.defaults).toEqual({ 'ingress.controller': 'haproxy', 'runaiConfig.via': 'helm-values' });
    expect(b.profile.note).toMatch(/^Run:ai 3\.0 is newer than the newest release profile/);
    expect(b.ingress).toEqual({ controller: 'haproxy', className: 'edge' });
  });

  test('the synth summary', () => {
    const r = runInProcess(['synth', '--config', config, '--out', path.join(dir, 'dist')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'a: workspaces at https://<project>-<workload>.runai.example.com/ (dedicated wildcard Ingress)\n  Run:ai profile 2.25 (no runaiVersion: the newest profile); defaults: ingress.controller haproxy, ingress.className haproxy, runaiConfig.via helm-values\n',
    );
    expect(r.stderr).toContain(
      // The summary names the real folder, so the command can be pasted.
      `note: Helm-managed Run:ai: merge helm/runai-cluster-values.yaml into the cluster release values (helm upgrade runai-cluster runai/runai-cluster -n runai --reuse-values -f ${path.join(dir, 'dist', 'a')}/helm/runai-cluster-values.yaml)`,
    );
  });
});

test('the README\'s "Run:ai versions" table is the one generated from the profiles (run npm run build && npm run docs)', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = '<!-- release-profiles:start (generated by npm run docs) -->\n';
  const from = readme.indexOf(start) + start.length;
  expect(readme.slice(from, readme.indexOf('\n<!-- release-profiles:end -->'))).toBe(profilesMarkdown());
  for (const p of RELEASE_PROFILES) expect(readme).toContain(`| ${p.id} |`);
});
