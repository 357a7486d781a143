import * as fs from 'node:fs';

import { App, Chart } from 'cdk8s';

import { ExposedWorkload, ExposedWorkloadProps } from '../lib/constructs/exposed-workload';
import { InferenceHttpRoute, RunaiGateway } from '../lib/constructs/gateway';
import { ExternalTlsSecret, SealedTlsSecret, WildcardCertificate } from '../lib/constructs/gitops-tls';
import { InferenceIngress } from '../lib/constructs/inference-ingress';
import { LegacyIngressTlsPatch } from '../lib/constructs/legacy-ingress-patch';
import { PrivateCaSecrets } from '../lib/constructs/private-ca';
import { arrayOf, checkPropTypes, oneOf, optional } from '../lib/constructs/prop-types';
import { RunaiAccessChart } from '../lib/constructs/runai-access-chart';
import { RunaiConfigOverlay } from '../lib/constructs/runai-config-overlay';
import { RunaiHelmValues } from '../lib/constructs/runai-helm-values';
import { RunaiTlsSecret } from '../lib/constructs/tls-secret';
import { TlsSource } from '../lib/constructs/tls-source';
import { WildcardIngress } from '../lib/constructs/wildcard-ingress';
import { ControlPlane } from '../lib/model/control-plane';
import { ValidationError } from '../lib/model/errors';
import { ExposeType } from '../lib/model/expose';
import { Migration } from '../lib/model/migration';
import { RunaiVersion } from '../lib/model/runai-version';
import { DEMO_CERT, DEMO_KEY, DEMO_ROOT_CA, KEY_BODY_LINES } from './helpers';
import { untypedChart as chart, validationMessage as message } from './untyped-callers';

describe('RunaiAccessChart props of the wrong JavaScript type', () => {
  test('fails when clusterUrl is a number: the prop, the type expected and the type received', () => {
    expect(message(chart({ clusterUrl: 5 }))).toBe('clusterUrl: must be a string, got the number 5');
  });

  test('fails when runaiVersion is a string instead of RunaiVersion.parse(...)', () => {
    expect(message(chart({ runaiVersion: '2.20' }))).toBe('runaiVersion: must be an instance of RunaiVersion, got the string "2.20"');
  });

  test('fails when the props are not an object', () => {
    expect(message(() => new RunaiAccessChart(new App(), 'prod', undefined as never))).toBe('props: must be an object, got nothing');
  });

  test('fails naming every wrong prop at once, nested ones by their path', () => {
    const text = message(
      chart({
        gateway: { name: 'gw', className: 'haproxy' },
        inference: { domain: 'inference.example.com', tls: 'files' },
        runaiConfigVia: 'helm',
        gitops: { argocd: 'yes' },
        ingressAnnotations: { 'a.example.com/x': 1 },
        privateCa: { caPem: 'PEM' },
      }),
    );
    expect(text.split('; ')).toEqual([
      'privateCa.caPem: must be an instance of Uint8Array, got the string "PEM"',
      'inference.tls: must be an object, got the string "files"',
      'gateway.namespace: must be a string, got nothing',
      'ingressAnnotations: must be an object of string values, got an object',
      "runaiConfigVia: must be one of 'overlay', 'helm-values', 'both', got the string \"helm\"",
      'gitops.argocd: must be a boolean, got the string "yes"',
    ]);
  });

  test('fails when an expose entry has its type as a string, and names the entry', () => {
    const entry = { project: 'team-a', workload: 'nb', type: 'node-port', ports: [{ port: 8888, targetPort: 8888 }] };
    expect(message(chart({ expose: [entry] }))).toBe('expose[0].type: must be an instance of ExposeType, got the string "node-port"');
  });

  test('fails without showing a private key pasted where a version belongs', () => {
    const key = fs.readFileSync(DEMO_KEY, 'utf8');
    const text = message(chart({ runaiVersion: key }));
    expect(text).toMatch(/^runaiVersion: must be an instance of RunaiVersion, got the string <\d+ characters of PEM text, not shown>$/);
    for (const line of KEY_BODY_LINES) expect(text).not.toContain(line);
  });

  test("takes a TlsSource of the caller's own, an object of its shape that TypeScript takes for one (it was refused as no instance)", () => {
    const own: TlsSource = {
      kind: 'vault',
      emitsPlaintextKey: false,
      bind: (_scope, t) => RunaiTlsSecret.fromExisting(t.namespace, t.name),
    };
    const c = new RunaiAccessChart(new App(), 'prod', { clusterUrl: 'runai.example.com', tls: own });
    expect(c.secret).toEqual({ name: 'runai-cluster-domain-star-tls-secret', namespace: 'runai' });
    expect(message(chart({ tls: { kind: 'vault', emitsPlaintextKey: false } }))).toBe('tls.bind: must be a function, got nothing');
  });

  test('takes every prop of its right type, a class given through a subclass too', () => {
    const c = chart({
      runaiVersion: RunaiVersion.parse('2.20'),
      runaiConfigVia: 'both',
      gitops: { argocd: false },
      ingressAnnotations: { 'a.example.com/x': 'y' },
      privateCa: { caPem: fs.readFileSync(DEMO_ROOT_CA) }, // a Buffer is a Uint8Array
    })();
    expect(c.overlay).toBeDefined();
    expect(c.privateCa).toBeDefined();
  });
});

describe('ExposedWorkload props of the wrong JavaScript type', () => {
  const base: ExposedWorkloadProps = {
    project: 'team-a',
    workload: 'nb',
    type: ExposeType.NODE_PORT,
    ports: [{ port: 80, targetPort: 8080 }],
  };
  const expose = (props: Record<string, unknown>) => () =>
    new ExposedWorkload(new Chart(new App(), 'c'), 'nb', { ...base, ...props } as never);

  test('fails when a port is a string and a source range list is not an array', () => {
    expect(message(expose({ ports: [{ port: '80', targetPort: 8080 }], loadBalancerSourceRanges: '10.0.0.0/8' }))).toBe(
      'ports[0].port: must be a number, got the string "80"; loadBalancerSourceRanges: must be an array, got the string "10.0.0.0/8"',
    );
  });

  test('fails when targetPort is neither a number nor a string, and when the selector holds a number', () => {
    expect(message(expose({ ports: [{ port: 80, targetPort: true }], selector: { app: 1 } }))).toBe(
      'ports[0].targetPort: must be a number or a string, got a boolean; selector: must be an object of string values, got an object',
    );
  });

  test('takes a named targetPort and a null ingress class', () => {
    const w = expose({ ports: [{ port: 80, targetPort: 'http' }], ingressClassName: null })();
    expect(w.service.toJson().spec.ports[0].targetPort).toBe('http');
  });
});

describe('checkPropTypes', () => {
  test('a Map is not an object of string values (cdk8s would drop its entries), and a hole in an array is reported', () => {
    const kinds = { labels: 'string-record' as const, ports: arrayOf({ port: 'number' }) };
    expect(() => checkPropTypes({ labels: new Map([['a', 'b']]), ports: new Array(1) }, kinds)).toThrow(
      new ValidationError('labels: must be an object of string values, got a Map; ports[0]: must be an object, got nothing'),
    );
    expect(() => checkPropTypes({ labels: Object.assign(Object.create(null), { a: 'b' }), ports: [{ port: 80 }] }, kinds)).not.toThrow();
  });

  test('an array of items and one of a list of strings, each item by its index', () => {
    const kinds = { items: arrayOf({ via: oneOf(['a', 'b']) }), note: optional('string') };
    expect(() => checkPropTypes({ items: [{ via: 'a' }, { via: 'b' }] }, kinds)).not.toThrow();
    expect(() => checkPropTypes({ items: [{ via: 'a' }, { via: 'c' }], note: null }, kinds)).toThrow(
      new ValidationError("items[1].via: must be one of 'a', 'b', got the string \"c\"; note: must be a string, got null"),
    );
  });
});

describe('every exported construct refuses props of the wrong JavaScript type, naming each', () => {
  const scope = () => new Chart(new App(), 'c');
  const star = { name: 'runai-cluster-domain-star-tls-secret', namespace: 'runai' };
  const url = 'runai.example.com';
  const key = fs.readFileSync(DEMO_KEY, 'utf8');
  const cases: [string, () => unknown, string][] = [
    [
      'RunaiTlsSecret',
      () => new RunaiTlsSecret(scope(), 's', { namespace: 'runai', certificatePem: 5, privateKeyPem: key } as never),
      'certificatePem: must be a Uint8Array or a string, got the number 5',
    ],
    [
      'WildcardIngress',
      () => new WildcardIngress(scope(), 'i', { clusterUrl: url, secret: star.name } as never),
      'secret: must be an object, got the string "runai-cluster-domain-star-tls-secret"',
    ],
    [
      'InferenceIngress',
      () => new InferenceIngress(scope(), 'i', { domain: 'inference.example.com', secret: star, ingressClassName: 5 } as never),
      'ingressClassName: must be a string or null, got the number 5',
    ],
    [
      'LegacyIngressTlsPatch',
      () => new LegacyIngressTlsPatch(scope(), 'p', { clusterUrl: url, deployment: 'saas', secret: star } as never),
      'deployment: must be an instance of ControlPlane, got the string "saas"',
    ],
    [
      'RunaiGateway',
      () =>
        new RunaiGateway(scope(), 'g', {
          name: 'runai-gateway',
          namespace: 'runai',
          className: 'kgateway',
          clusterUrl: url,
          clusterSecret: star,
          inference: { domain: 'inference.example.com' },
        } as never),
      'inference.secret: must be an object, got nothing',
    ],
    [
      'InferenceHttpRoute',
      () => new InferenceHttpRoute(scope(), 'r', { gateway: 'runai-gateway', domain: 'inference.example.com' } as never),
      'gateway: must be an object, got the string "runai-gateway"',
    ],
    [
      'RunaiConfigOverlay',
      () => new RunaiConfigOverlay(scope(), 'o', { argocd: 'false' } as never),
      'argocd: must be a boolean, got the string "false"',
    ],
    ['RunaiHelmValues', () => new RunaiHelmValues(scope(), 'v', { values: [] } as never), 'values: must be an object, got an array'],
    [
      'PrivateCaSecrets',
      () =>
        new PrivateCaSecrets(scope(), 'ca', {
          caPem: fs.readFileSync(DEMO_ROOT_CA),
          deployment: ControlPlane.SAAS,
          platform: 'kubernetes',
        } as never),
      'platform: must be an instance of Platform, got the string "kubernetes"',
    ],
    [
      'WildcardCertificate',
      () => new WildcardCertificate(scope(), 'c', { namespace: 'runai', clusterUrl: url, issuerRef: { name: 'le', kind: 7 } } as never),
      'issuerRef.kind: must be a string, got the number 7',
    ],
    [
      'ExternalTlsSecret',
      () =>
        new ExternalTlsSecret(scope(), 'e', {
          namespace: 'runai',
          secretStoreRef: { name: 'vault', kind: 'SecretStore' },
          remoteRef: { certificate: 'crt', privateKey: 'key' },
          apiVersion: 'v1',
        } as never),
      "apiVersion: must be one of 'external-secrets.io/v1', 'external-secrets.io/v1beta1', got the string \"v1\"",
    ],
  ];
  test.each(cases)('fails when a %s prop has the wrong type', (_name, make, expected) => {
    expect(message(make)).toBe(expected);
  });

  test('fails when SealedTlsSecret gets its key as a string, without showing the key', () => {
    const text = message(
      () =>
        new SealedTlsSecret(scope(), 's', {
          namespace: 'runai',
          certificatePem: fs.readFileSync(DEMO_CERT),
          privateKeyPem: key,
          controllerKey: 'not a key',
          controllerFingerprint: 'ab',
        } as never),
    );
    expect(text).toMatch(
      /^privateKeyPem: must be an instance of Uint8Array, got the string <\d+ characters of PEM text, not shown>; controllerKey: must be an instance of KeyObject, got the string "not a key"$/,
    );
    for (const line of KEY_BODY_LINES) expect(text).not.toContain(line);
  });
});

test('fails when Migration.of or RunaiVersion.parse get what only JavaScript can pass (a migration to nowhere wrote no wildcard Ingress)', () => {
  expect(message(() => Migration.of('bogus' as never, 5 as never))).toBe(
    'migration.to: must be one of: haproxy, traefik, gateway-api, got "bogus"; migration.phase: must be 1, 2 or 3, got 5',
  );
  expect(message(() => Migration.of('haproxy', Number.NaN as never))).toBe('migration.phase: must be 1, 2 or 3, got NaN');
  expect(message(() => Migration.of('haproxy', '2' as never))).toBe('migration.phase: must be 1, 2 or 3, got "2"');
  expect(message(() => RunaiVersion.parse(2.1 as never))).toBe('runaiVersion: must be a string such as "2.20", got a number');
  expect(message(() => RunaiVersion.parse(null as never))).toBe('runaiVersion: must be a string such as "2.20", got null');
});
