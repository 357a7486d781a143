import { Testing } from 'cdk8s';

import { RunaiTlsSecret } from '../lib/constructs/tls-secret';
import { WildcardIngress, WildcardIngressProps } from '../lib/constructs/wildcard-ingress';
import { ValidationError } from '../lib/model/errors';
import { testChart } from './chart-scope';

function ingress(props: Partial<WildcardIngressProps> = {}) {
  const chart = testChart();
  new WildcardIngress(chart, 'Ingress', { clusterUrl: 'runai.example.com', secret: RunaiTlsSecret.fromExisting('runai'), ...props });
  const manifests = Testing.synth(chart);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

describe('WildcardIngress', () => {
  test('is the dedicated Ingress of Run:ai 2.13+: host-only wildcard rule and tls with the star secret', () => {
    expect(ingress()).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'runai-cluster-domain-star-ingress', namespace: 'runai' },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: '*.runai.example.com' }],
        tls: [{ hosts: ['*.runai.example.com'], secretName: 'runai-cluster-domain-star-tls-secret' }],
      },
    });
  });

  test('the rule has no http block, so it routes nothing itself', () => {
    expect(ingress().spec.rules[0]).not.toHaveProperty('http');
  });

  test('fails when a kubernetes.io/ingress.class annotation differs from ingressClassName, which the API server refuses on create', () => {
    expect(() => ingress({ ingressClassName: 'haproxy', annotations: { 'kubernetes.io/ingress.class': 'nginx' } })).toThrow(
      new ValidationError(
        'annotations: kubernetes.io/ingress.class: is "nginx", but the Ingress\'s ingressClassName is haproxy, and the API server ' +
          'refuses an Ingress whose two differ; remove the annotation (ingressClassName replaces it), or make the two the same class',
      ),
    );
    expect(() => ingress({ ingressClassName: 'haproxy', annotations: { 'kubernetes.io/ingress.class': 'haproxy' } })).not.toThrow();
    expect(() => ingress({ ingressClassName: null, annotations: { 'kubernetes.io/ingress.class': 'nginx' } })).not.toThrow();
  });

  test('fails when an annotation key is not one the API server takes, or the annotations are over 256 KiB', () => {
    expect(() => ingress({ annotations: { 'a..b/c': 'x' } })).toThrow(
      new ValidationError(
        'annotations: a..b/c: must be an annotation key such as example.com/owner: its prefix (before "/") must be a DNS subdomain: ' +
          'lower-case a-z, 0-9, "-" and ".", each dot-separated part starting and ending with a letter or digit',
      ),
    );
    expect(() => ingress({ annotations: { 'example.com/a': 'x'.repeat(256 * 1024) } })).toThrow(
      /^annotations: they hold 262157 bytes of keys and values; the API server takes at most 262144 \(256 KiB\) on one object$/,
    );
    expect(ingress({ annotations: { 'Example.com/Owner': 'team' } }).metadata.annotations).toEqual({ 'Example.com/Owner': 'team' });
  });

  test('fails when the ingress class is not a name the API server takes', () => {
    expect(() => ingress({ ingressClassName: 'Bad_Class' })).toThrow(
      new ValidationError('ingressClassName: "Bad_Class" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx'),
    );
  });

  test('null leaves ingressClassName out', () => {
    expect(ingress({ ingressClassName: null }).spec).not.toHaveProperty('ingressClassName');
  });

  test('takes another ingress class', () => {
    expect(ingress({ ingressClassName: 'haproxy' }).spec.ingressClassName).toBe('haproxy');
  });

  test('adds annotations, and none when there are none', () => {
    const annotations = { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' };
    expect(ingress({ annotations }).metadata.annotations).toEqual(annotations);
    expect(ingress({ annotations: {} }).metadata).not.toHaveProperty('annotations');
  });

  test('fails when the secret is in another namespace', () => {
    expect(() => ingress({ secret: RunaiTlsSecret.fromExisting('runai-backend') })).toThrow(
      new ValidationError(
        'secret: namespace "runai-backend" must be "runai", the namespace of the ingress; an ingress can only use a tls secret of its own namespace',
      ),
    );
  });

  test('fails when clusterUrl is not a normalized host name', () => {
    expect(() => ingress({ clusterUrl: 'https://runai.example.com/' })).toThrow(
      new ValidationError('clusterUrl: "https://runai.example.com/" must be a lower-case host name such as runai.example.com'),
    );
    expect(() => ingress({ clusterUrl: 'Runai.example.com' })).toThrow(/clusterUrl: "Runai.example.com" must be a lower-case host name/);
    expect(() => ingress({ clusterUrl: 'runai' })).toThrow(/single-label/);
  });
});
