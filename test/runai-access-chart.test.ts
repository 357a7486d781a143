import * as fs from 'node:fs';

import { App, Testing } from 'cdk8s';

import { RunaiAccessChart, RunaiAccessChartProps } from '../lib/constructs/runai-access-chart';
import { TlsSource } from '../lib/constructs/tls-source';
import { ControlPlane } from '../lib/model/control-plane';
import { ValidationError } from '../lib/model/errors';
import { ExposeType } from '../lib/model/expose';
import { RunaiVersion } from '../lib/model/runai-version';
import { DEMO_CERT, DEMO_KEY } from './helpers';

const files = TlsSource.fromPem({ certificatePem: fs.readFileSync(DEMO_CERT), privateKeyPem: fs.readFileSync(DEMO_KEY) });

function build(props: Partial<RunaiAccessChartProps> = {}) {
  const chart = new RunaiAccessChart(new App(), 'prod', { clusterUrl: 'runai.example.com', tls: files, ...props });
  const manifests = Testing.synth(chart);
  const find = (kind: string) => manifests.filter((m) => m.kind === kind);
  return { chart, manifests, kinds: manifests.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`), find };
}

describe('RunaiAccessChart', () => {
  test('SaaS, current Run:ai: Secret and dedicated Ingress in runai, and (2.25 profile) the Helm values, no overlay', () => {
    const { kinds, find, chart } = build();
    expect(kinds).toEqual(['Secret runai/runai-cluster-domain-star-tls-secret', 'Ingress runai/runai-cluster-domain-star-ingress']);
    expect(find('Ingress')[0].spec.ingressClassName).toBe('haproxy');
    expect(chart.helmValues?.values).toEqual({
      clusterConfig: { global: { subdomainSupport: true, ingress: { ingressClass: 'haproxy' } } },
    });
    expect(find('Ingress')[0].spec.tls[0].secretName).toBe(find('Secret')[0].metadata.name);
    expect(chart.legacyPatch).toBeUndefined();
  });

  test('self-hosted, current Run:ai: still runai, where the dedicated Ingress lives', () => {
    const { kinds } = build({ deployment: ControlPlane.SELF_HOSTED, runaiVersion: RunaiVersion.parse('2.18') });
    expect(kinds).toEqual([
      'Secret runai/runai-cluster-domain-star-tls-secret',
      'Ingress runai/runai-cluster-domain-star-ingress',
      'RunaiConfig runai/runai',
    ]);
  });

  test('2.13 is the first version with the dedicated Ingress', () => {
    expect(build({ runaiVersion: RunaiVersion.parse('2.13') }).find('Ingress')).toHaveLength(1);
  });

  test('legacy SaaS (2.12): no Ingress; Secret in runai beside researcher-service-ingress, and its patch', () => {
    const { kinds, chart } = build({ runaiVersion: RunaiVersion.parse('2.12') });
    expect(kinds).toEqual(['Secret runai/runai-cluster-domain-star-tls-secret', 'RunaiConfig runai/runai']);
    expect(chart.legacyPatch?.ingressName).toBe('researcher-service-ingress');
    expect(chart.legacyPatch?.namespace).toBe('runai');
  });

  test('legacy self-hosted (2.9): Secret in runai-backend beside runai-backend-ingress, and its patch', () => {
    const { kinds, chart } = build({ deployment: ControlPlane.SELF_HOSTED, runaiVersion: RunaiVersion.parse('2.9') });
    expect(kinds).toEqual(['Secret runai-backend/runai-cluster-domain-star-tls-secret', 'RunaiConfig runai/runai']);
    expect(chart.legacyPatch?.ingressName).toBe('runai-backend-ingress');
    expect(chart.legacyPatch?.namespace).toBe('runai-backend');
    expect(chart.secret?.namespace).toBe(chart.legacyPatch?.namespace);
  });

  test('existing secret: no Secret emitted; the Ingress still references the standard name', () => {
    const { kinds, find } = build({ tls: TlsSource.existing(), runaiConfigVia: 'overlay' });
    expect(kinds).toEqual(['Ingress runai/runai-cluster-domain-star-ingress', 'RunaiConfig runai/runai']);
    expect(find('Ingress')[0].spec.tls[0].secretName).toBe('runai-cluster-domain-star-tls-secret');
  });

  test('class omitted: the Ingress has no ingressClassName', () => {
    expect(build({ ingressClassName: null }).find('Ingress')[0].spec).not.toHaveProperty('ingressClassName');
  });

  test('subdomainSupport false: no overlay when Run:ai needs no class either', () => {
    const { kinds, chart } = build({ subdomainSupport: false, runaiVersion: RunaiVersion.parse('2.20') });
    expect(kinds).not.toContain('RunaiConfig runai/runai');
    expect(chart.overlay).toBeUndefined();
    expect(chart.helmValues).toBeUndefined();
  });

  test('subdomainSupport false leaves only that setting out: the class Run:ai must be told is still written (it was dropped with it)', () => {
    const { find, chart } = build({ subdomainSupport: false, runaiConfigVia: 'both' });
    expect(find('RunaiConfig')[0].spec).toEqual({ global: { ingress: { ingressClass: 'haproxy' } } });
    expect(chart.helmValues?.values).toEqual({ clusterConfig: { global: { ingress: { ingressClass: 'haproxy' } } } });
  });

  test('fails when ingress settings are given with the legacy patch', () => {
    expect(() => build({ runaiVersion: RunaiVersion.parse('2.10'), ingressAnnotations: {} })).toThrow(
      new ValidationError(
        'ingressAnnotations: is not used with runaiVersion "2.10": before 2.13 the existing ingress is patched and no wildcard Ingress is created; remove ingressAnnotations',
      ),
    );
  });

  test('fails when the version is older than 2.9', () => {
    expect(() => RunaiVersion.parse('2.8')).toThrow(
      new ValidationError('runaiVersion: "2.8" is too old; host-based routing needs Run:ai 2.9 or later'),
    );
  });
});

test('two Services whose namespace and workload join alike with a hyphen (runai-team-a/nb, runai-team/a-nb) are two constructs', () => {
  const port = { type: ExposeType.PORT_FORWARD, ports: [{ port: 8888, targetPort: 8888 }] };
  const { kinds, chart } = build({
    expose: [
      { project: 'team-a', workload: 'nb', ...port },
      { project: 'team', workload: 'a-nb', ...port },
    ],
  });
  expect(kinds.filter((k) => k.startsWith('Service'))).toEqual(['Service runai-team-a/nb', 'Service runai-team/a-nb']);
  expect(chart.exposed.map((e) => e.node.id)).toEqual(['Expose-runai-team-a.nb', 'Expose-runai-team.a-nb']);
});
