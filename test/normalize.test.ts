/** Defaults and normalization of a cluster entry (lib/config/normalize.ts), read through parseConfig. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig, parseConfig } from '../lib/config/load';
import { ControlPlane } from '../lib/model/control-plane';
import { ClusterMode } from '../lib/model/mode';
import { DEMO_CERT, DEMO_KEY, demoConfig, oneExisting as one, tempDir, writeConfig } from './helpers';

describe('defaults and normalization', () => {
  test('applies every default: those of the newest release profile (2.25) without runaiVersion', () => {
    const [c] = parseConfig(one(), 'runai-access.yaml', '/').clusters;
    expect(c).toEqual({
      name: 'prod',
      index: 0,
      clusterUrl: 'runai.example.com',
      mode: ClusterMode.of(),
      runaiVersion: undefined,
      gateway: undefined,
      ingressAnnotations: {},
      tls: { source: 'existing' },
      clusterTls: undefined,
      inference: undefined,
      privateCa: undefined,
      subdomainSupport: true,
      expose: [],
      gitops: { argocd: true, flux: true },
      output: { kustomization: false },
    });
    // The settings are the mode's alone, with the 2.25 profile's defaults.
    const m = c.mode;
    expect([m.controlPlane, m.platform.name, m.api.name, m.routing.name, m.controller.name, m.ingressClassName, m.runaiConfigVia]).toEqual([
      ControlPlane.SAAS,
      'kubernetes',
      'ingress',
      'host',
      'haproxy',
      'haproxy',
      'helm-values',
    ]);
  });

  test.each([
    ['2.13', 'nginx', 'overlay', '2.13-2.17'],
    ['2.24', 'nginx', 'overlay', '2.18-2.24'],
    ['2.25', 'haproxy', 'helm-values', '2.25'],
    ['2.26', 'haproxy', 'helm-values', '2.25'],
  ])('runaiVersion %s: controller %s, runaiConfig.via %s (profile %s)', (version, controller, via, profile) => {
    const [c] = parseConfig(one(`    runaiVersion: "${version}"`), 'x.yaml', '/').clusters;
    expect([c.mode.controller.name, c.mode.ingressClassName, c.mode.runaiConfigVia, c.mode.profile.id]).toEqual([
      controller,
      controller,
      via,
      profile,
    ]);
  });

  test('an explicit controller, className and via win over the profile', () => {
    const [c] = parseConfig(
      one('    ingress: {controller: traefik, className: edge}\n    runaiConfig: {via: overlay}'),
      'x.yaml',
      '/',
    ).clusters;
    expect([c.mode.controller.name, c.mode.ingressClassName, c.mode.runaiConfigVia]).toEqual(['traefik', 'edge', 'overlay']);
    expect(c.mode.profileDefaults).toEqual([]);
  });

  test('normalizes https://Host/ to the lower-case host', () => {
    const [c] = parseConfig(
      `clusters:\n  - {name: a, clusterUrl: "HTTPS://Runai.Example.com/", tls: {source: existing}}`,
      'x.yaml',
      '/',
    ).clusters;
    expect(c.clusterUrl).toBe('runai.example.com');
  });

  test('keeps className null, so the Ingress leaves it out', () => {
    const [c] = parseConfig(one('    ingress: {className: null}'), 'x.yaml', '/').clusters;
    expect(c.mode.ingressClassName).toBeNull();
  });

  test.each([
    ['HAProxy (the 2.25 default), which serves a class-less Ingress only as the default class', '', ['clusters[0].ingress.className']],
    ['not for nginx (2.20)', '    runaiVersion: "2.20"\n', []],
    ['not for HAProxy with its class', '', [], 'haproxy'],
  ])(
    'ingress-class-none, a warning for an Ingress without a class, only where the controller needs one: %s',
    (_name, version, paths, className = 'null') => {
      const { warnings } = parseConfig(one(`${version}    ingress: {className: ${className}}`), 'x.yaml', '/');
      expect(warnings.filter((w) => w.code === 'ingress-class-none').map((w) => w.path)).toEqual(paths);
    },
  );

  test.each([
    [
      'with inference, names the inference Ingress',
      '    inference: {domain: infer.example.com, tls: {source: existing}}\n',
      /^null writes the inference Ingress without a class, and Run:ai is told no class/,
    ],
    [
      'without inference, says what Run:ai is told',
      '',
      /^null tells Run:ai no class, so the Ingresses it makes for workspaces take its own default \(nginx in Run:ai's docs\), which the HAProxy Ingress Controller does not serve: set className: haproxy$/,
    ],
  ])('ingress-class-none with routing: path %s', (_name, inference, message) => {
    const { warnings } = parseConfig(
      'clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    routing: path\n    ingress: {className: null}\n' + inference,
      'x.yaml',
      '/',
    );
    const found = warnings.filter((w) => w.code === 'ingress-class-none');
    expect(found.map((w) => w.path)).toEqual(['clusters[0].ingress.className']);
    expect(found[0].message).toMatch(message);
  });

  test('no ingress-class-none with routing: path and no inference while a migration tells Run:ai its new class', () => {
    const { warnings } = parseConfig(
      'clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    routing: path\n    runaiVersion: "2.25"\n' +
        '    ingress: {controller: haproxy, className: null}\n    migration: {to: traefik, phase: 2}\n',
      'x.yaml',
      '/',
    );
    expect(warnings.filter((w) => w.code === 'ingress-class-none')).toEqual([]);
  });

  test('ingress-class-none says Run:ai is told no class either, so its own workspace Ingresses take its default', () => {
    const { warnings } = parseConfig(one('    ingress: {className: null}'), 'x.yaml', '/');
    const [w] = warnings.filter((p) => p.code === 'ingress-class-none');
    expect(w.message).toMatch(
      /^null writes the Ingresses without a class, and Run:ai is told no class, so the Ingresses it makes for workspaces take its own default \(nginx in Run:ai's docs\); the HAProxy/,
    );
  });

  test.each([
    ['warns for via: overlay on 2.25, whose docs manage Run:ai through Helm values alone', '', 'overlay', ['clusters[0].runaiConfig.via']],
    ['not for via: both on 2.25 (the Helm values are written too)', '', 'both', []],
    ['not for via: overlay on 2.20, whose docs patch the RunaiConfig', '    runaiVersion: "2.20"\n', 'overlay', []],
  ])('runaiconfig-overlay-under-helm: %s', (_name, version, via, paths) => {
    const { warnings } = parseConfig(one(`${version}    runaiConfig: {via: ${via}}`), 'x.yaml', '/');
    const found = warnings.filter((w) => w.code === 'runaiconfig-overlay-under-helm');
    expect(found.map((w) => w.path)).toEqual(paths);
    for (const w of found)
      expect(w.message).toMatch(
        /^overlay patches the RunaiConfig that Helm renders, and Run:ai 2\.25 says to manage configurations exclusively through Helm values/,
      );
  });

  test('reads the version and deployment', () => {
    const [c] = parseConfig(one('    runaiVersion: "2.10"\n    deployment: self-hosted'), 'x.yaml', '/').clusters;
    expect(c.runaiVersion?.text).toBe('2.10');
    expect(c.runaiVersion?.needsLegacyPatch).toBe(true);
    expect(c.mode.controlPlane).toBe(ControlPlane.SELF_HOSTED);
  });

  test('resolves certificate paths relative to the config file, not the working directory', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'certs'));
    fs.copyFileSync(DEMO_CERT, path.join(dir, 'certs', 'fullchain.pem'));
    fs.copyFileSync(DEMO_KEY, path.join(dir, 'certs', 'private.pem'));
    const file = writeConfig(dir, demoConfig('', 'certs/fullchain.pem', 'certs/private.pem'));
    const [c] = loadConfig(file).clusters;
    expect(c.tls).toEqual({
      source: 'files',
      certificatePem: fs.readFileSync(DEMO_CERT),
      privateKeyPem: fs.readFileSync(DEMO_KEY),
      certificate: expect.objectContaining({
        subject: 'CN=*.runai.example.com',
        dnsNames: ['*.runai.example.com', 'runai.example.com'],
        chainLength: 3,
      }),
      commitPlaintextKey: false,
    });
  });
});
