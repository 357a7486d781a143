/**
 * The names and values every construct writes are held to the rules the API server (and the
 * config) applies, and no message shows a key pasted where a name belongs (lib/constructs/prop-types.ts
 * checkNames, and each construct's own checks).
 */
import * as fs from 'node:fs';

import { App, Chart } from 'cdk8s';

import { ExposedWorkload, ExposedWorkloadProps } from '../lib/constructs/exposed-workload';
import { InferenceHttpRoute, RunaiGateway } from '../lib/constructs/gateway';
import { ExternalTlsSecret, WildcardCertificate } from '../lib/constructs/gitops-tls';
import { InferenceIngress } from '../lib/constructs/inference-ingress';
import { PrivateCaSecrets } from '../lib/constructs/private-ca';
import { RunaiConfigOverlay } from '../lib/constructs/runai-config-overlay';
import { RunaiHelmValues } from '../lib/constructs/runai-helm-values';
import { RunaiTlsSecret } from '../lib/constructs/tls-secret';
import { TlsSource } from '../lib/constructs/tls-source';
import { WildcardIngress } from '../lib/constructs/wildcard-ingress';
import { ExposeType } from '../lib/model/expose';
import { DEMO_CERT, DEMO_KEY, DEMO_ROOT_CA, KEY_BODY_LINES } from './helpers';
import { untypedChart as chart, validationMessage as message } from './untyped-callers';

describe('every exported construct refuses names the API server would, naming each prop', () => {
  const scope = () => new Chart(new App(), 'c');
  const star = { name: 'runai-cluster-domain-star-tls-secret', namespace: 'runai' };
  const pem = { certificatePem: fs.readFileSync(DEMO_CERT), privateKeyPem: fs.readFileSync(DEMO_KEY) };
  const cases: [string, () => unknown, string][] = [
    [
      'RunaiTlsSecret',
      () => new RunaiTlsSecret(scope(), 's', { namespace: 'Team A', name: 'Star_Secret', ...pem }),
      'name: "Star_Secret" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx; ' +
        'namespace: "Team A" must be a lower-case DNS label: a-z, 0-9 and "-", such as runai',
    ],
    [
      'WildcardIngress',
      () => new WildcardIngress(scope(), 'i', { clusterUrl: 'runai.example.com', secret: star, name: 'BAD_NAME' }),
      'name: "BAD_NAME" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx',
    ],
    [
      'InferenceIngress',
      () =>
        new InferenceIngress(scope(), 'i', {
          domain: 'inference.example.com',
          secret: { ...star, namespace: 'knative-serving' },
          ingressClassName: 'Bad Class',
        }),
      'ingressClassName: "Bad Class" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx',
    ],
    [
      'InferenceHttpRoute',
      () => new InferenceHttpRoute(scope(), 'r', { gateway: { name: 'gw', namespace: 'Edge' }, domain: 'inference.example.com' }),
      'gateway.namespace: "Edge" must be a lower-case DNS label: a-z, 0-9 and "-", such as runai',
    ],
    [
      'WildcardCertificate',
      () =>
        new WildcardCertificate(scope(), 'c', {
          namespace: 'runai',
          clusterUrl: 'runai.example.com',
          issuerRef: { name: 'Lets Encrypt', kind: 'ClusterIssuer' },
        }),
      'issuerRef.name: "Lets Encrypt" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx',
    ],
    [
      'ExternalTlsSecret',
      () =>
        new ExternalTlsSecret(scope(), 'e', {
          namespace: 'runai',
          secretStoreRef: { name: 'Vault Store', kind: 'SecretStore' },
          remoteRef: { certificate: 'crt', privateKey: 'key' },
        }),
      'secretStoreRef.name: "Vault Store" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx',
    ],
    [
      'ExposedWorkload',
      () =>
        new ExposedWorkload(scope(), 'w', {
          project: 'Team A',
          workload: '1nb',
          type: ExposeType.PORT_FORWARD,
          ports: [{ port: 80, targetPort: 80 }],
        }),
      'project: "Team A" must be a lower-case DNS label: a-z, 0-9 and "-", such as runai; ' +
        'workload: "1nb" must be a lower-case DNS-1035 label: a-z, 0-9 and "-", starting with a letter, such as nb1',
    ],
    [
      'RunaiConfigOverlay',
      () => new RunaiConfigOverlay(scope(), 'o', { ingressClass: 'HAProxy' }),
      'ingressClass: "HAProxy" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx',
    ],
  ];
  test.each(cases)('fails when a %s name is not one the API server takes', (_name, make, expected) => {
    expect(message(make)).toBe(expected);
  });

  describe('ExposedWorkload holds every name and value it writes to the rules the config applies', () => {
    const base: ExposedWorkloadProps = {
      project: 'team-a',
      workload: 'nb',
      type: ExposeType.NODE_PORT,
      ports: [{ port: 80, targetPort: 8080 }],
    };
    const expose = (props: Partial<ExposedWorkloadProps>) => () => new ExposedWorkload(scope(), 'w', { ...base, ...props });
    test.each([
      [
        'a selector key cdk8s cannot write (it threw from cdk8s) or the API server refuses',
        { selector: { constructor: 'x', 'a b/c/d': 'y' } },
        'selector.constructor: "constructor" is a name cdk8s, which renders the manifests, cannot take; choose another, such as example.com/constructor; ' +
          'selector.a b/c/d: must be a label key such as app.kubernetes.io/part-of: it has more than one "/"; only a prefix and a name, such as example.com/name',
      ],
      [
        "a source range Go's ParseCIDR refuses",
        { type: ExposeType.LOAD_BALANCER, loadBalancerSourceRanges: ['10.0.0.0/8', 'junk'] },
        'loadBalancerSourceRanges[1]: "junk" is not a CIDR; use an address and prefix such as 10.0.0.0/8 or 2001:db8::/32',
      ],
      [
        'a port that is not a whole number',
        { ports: [{ port: 80.5, targetPort: 80 }] },
        'ports: port 80.5 must be a whole number from 1 to 65535',
      ],
      [
        'a port name that is not a DNS label',
        { ports: [{ port: 80, targetPort: 80, name: 'Not_A_Name' }] },
        'ports[0].name: "Not_A_Name" must be a lower-case DNS label: a-z, 0-9 and "-", such as runai',
      ],
      [
        "a subdomain Ingress's name or class",
        {
          type: ExposeType.SUBDOMAIN,
          clusterUrl: 'runai.example.com',
          ingressClassName: 'Bad Class',
          ingresses: [{ nameSuffix: '_BAD', ingressClassName: 'Not Valid' }],
        },
        'ingressClassName: "Bad Class" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx; ' +
          'ingresses[0].nameSuffix: "nb_BAD" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx; ' +
          'ingresses[0].ingressClassName: "Not Valid" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx',
      ],
      [
        'a project whose namespace runai-<project> is too long, blamed on the project (no namespace was given)',
        { project: 'p'.repeat(60) },
        `project: makes the namespace runai-${'p'.repeat(60)} longer than 63 characters; shorten it or set namespace`,
      ],
    ] as [string, Partial<ExposedWorkloadProps>, string][])('fails for %s', (_, props, expected) => {
      expect(message(expose(props))).toBe(expected);
    });
  });

  test('fails when InferenceHttpRoute has a domain that is not a host name', () => {
    expect(
      message(() => new InferenceHttpRoute(scope(), 'r', { gateway: { name: 'gw', namespace: 'runai' }, domain: 'Not A Host' })),
    ).toMatch(/^domain: "Not A Host" must be a lower-case host name such as runai-inference\.example\.com; it /);
  });
});

test('fails without showing a private key pasted as an annotation or a selector key (the library printed it whole)', () => {
  const key = fs.readFileSync(DEMO_KEY, 'utf8');
  const line = KEY_BODY_LINES[1];
  const messages = [
    message(chart({ tls: TlsSource.existing(), ingressAnnotations: { [key]: 'x' } })),
    message(chart({ tls: TlsSource.existing(), ingressAnnotations: { [`a.b/${line}`]: 'x' } })),
    message(
      chart({
        tls: TlsSource.existing(),
        expose: [
          { project: 'a', workload: 'w', type: ExposeType.PORT_FORWARD, ports: [{ port: 80, targetPort: 80 }], selector: { [line]: 'x' } },
        ],
      }),
    ),
  ];
  expect(messages[0]).toMatch(/^annotations: <\d+ characters of PEM text, not shown>: must be an annotation key/);
  for (const text of messages) for (const body of KEY_BODY_LINES) expect(text).not.toContain(body);
});

describe('PrivateCaSecrets holds its caPem to the rules of the config caFile', () => {
  const scope = () => new Chart(new App(), 'c');
  test.each([
    [
      'a private key (it went into the Opaque Secret)',
      () => Buffer.concat([fs.readFileSync(DEMO_ROOT_CA), fs.readFileSync(DEMO_KEY)]),
      'caPem: holds a private key; give only the CA certificate',
    ],
    [
      'a leaf certificate',
      () => fs.readFileSync(DEMO_CERT).subarray(0, fs.readFileSync(DEMO_CERT).indexOf('-----END CERTIFICATE-----') + 26),
      "caPem: holds a certificate that is not a CA (basicConstraints CA:TRUE); give the CA that signed the cluster's certificates",
    ],
    [
      'no certificate Go reads',
      () => Buffer.from('junk\n'),
      'caPem: holds no CERTIFICATE block that Go reads; give the CA certificate (or bundle) in PEM, each block starting with ' +
        'BEGIN CERTIFICATE at the start of its line (a TRUSTED CERTIFICATE block, from openssl x509 -trustout, is skipped)',
    ],
  ])('fails when caPem holds %s', (_, pem, expected) => {
    expect(message(() => new PrivateCaSecrets(scope(), 'ca', { caPem: pem() }))).toBe(expected);
  });
  test('takes the CA certificate', () => {
    expect(new PrivateCaSecrets(scope(), 'ca', { caPem: fs.readFileSync(DEMO_ROOT_CA) }).secrets).toHaveLength(1);
  });
});

test("the chart names an expose entry's problems by its index", () => {
  const entry = { project: 'Team A', workload: 'nb', type: ExposeType.PORT_FORWARD, ports: [{ port: 80, targetPort: 80 }] };
  expect(message(chart({ expose: [{ ...entry, project: 'team-a' }, entry] }))).toBe(
    'expose[1]: project: "Team A" must be a lower-case DNS label: a-z, 0-9 and "-", such as runai',
  );
});

describe('objects the API server or a CRD would refuse, which the config refuses too', () => {
  const scope = () => new Chart(new App(), 'c');
  const base: ExposedWorkloadProps = {
    project: 'team-a',
    workload: 'nb',
    type: ExposeType.NODE_PORT,
    ports: [{ port: 80, targetPort: 8080 }],
  };
  test.each([
    [
      'a numeric targetPort out of range',
      [{ port: 80, targetPort: 70000 }],
      'ports: targetPort 70000 must be a port number from 1 to 65535',
    ],
    [
      'a named targetPort of 16 characters',
      [{ port: 80, targetPort: 'namedporttoolong' }],
      'ports: targetPort "namedporttoolong" must be a port number',
    ],
    ['a named targetPort with capitals', [{ port: 80, targetPort: 'Http_Bad' }], 'ports: targetPort "Http_Bad" must be a port number'],
    [
      'one nodePort twice in the Service',
      [
        { port: 80, targetPort: 80, nodePort: 30001 },
        { port: 81, targetPort: 81, nodePort: 30001 },
      ],
      'ports: nodePort 30001 is given twice; node ports are unique in a cluster',
    ],
  ] as [string, ExposedWorkloadProps['ports'], string][])('fails for %s', (_, ports, expected) => {
    expect(message(() => new ExposedWorkload(scope(), 'w', { ...base, ports }))).toMatch(
      new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  test('fails when an HTTPRoute sectionName is not a DNS subdomain (the Gateway API CRD pattern)', () => {
    expect(
      message(
        () =>
          new InferenceHttpRoute(scope(), 'r', {
            gateway: { name: 'gw', namespace: 'runai' },
            sectionName: 'Bad Section',
            domain: 'inference.example.com',
          }),
      ),
    ).toBe('sectionName: "Bad Section" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx');
  });

  test('fails when RunaiGateway gets the cluster URL as the inference domain: two listeners for one hostname (the chart refused it, the construct did not)', () => {
    const star = { name: 'runai-cluster-domain-star-tls-secret', namespace: 'runai' };
    expect(
      message(
        () =>
          new RunaiGateway(scope(), 'g', {
            name: 'runai-gateway',
            namespace: 'runai',
            className: 'kgateway',
            clusterUrl: 'a.example.com',
            clusterSecret: star,
            workloadsSecret: star,
            inference: { domain: 'a.example.com', secret: star },
          }),
      ),
    ).toMatch(/^inference\.domain: is the cluster's own host a\.example\.com; with the Gateway API inference needs a domain of its own/);
  });
});

describe('what a library caller can do that the config cannot, refused in words', () => {
  const scope = () => new Chart(new App(), 'c');
  test('fails when RunaiHelmValues gets a path outside the cluster folder or a release name of two lines (it wrote YAML out of the comment)', () => {
    const values = { clusterConfig: { global: { subdomainSupport: true } } };
    // values.yaml at the folder's top would be read by kubectl apply -f as an object.
    for (const path of ['../../escape.yaml', '/tmp/abs.yaml', 'helm/values.txt', 'values.yaml']) {
      expect(message(() => new RunaiHelmValues(scope(), `v${path.length}`, { values, path }))).toBe(
        `path: "${path}" must be a relative path in a subfolder of the cluster folder, such as helm/values.yaml`,
      );
    }
    expect(message(() => new RunaiHelmValues(scope(), 'v', { values, release: 'x\nkind: Secret\n' }))).toBe(
      'release: must be one line: it goes into a comment of the values file',
    );
  });

  test('fails when a TlsSource subclass binds no Secret (the chart left the wildcard wiring out without a word)', () => {
    class Nothing extends TlsSource {
      public readonly kind = 'nothing';
      public readonly emitsPlaintextKey = false;
      public bind(): never {
        return undefined as never;
      }
    }
    expect(message(chart({ tls: new Nothing() }))).toBe(
      "tls: its TlsSource's bind() made no Secret (no name and namespace); it must return the Secret it makes",
    );
  });

  test('fails naming the chart prop whose TlsSource is at fault: tls, clusterTls and inference.tls take one each', () => {
    const notPem = TlsSource.fromPem({ certificatePem: 'not a certificate', privateKeyPem: fs.readFileSync(DEMO_KEY) });
    const inference = { domain: 'inference.example.com', tls: notPem };
    const [tls, clusterTls, inferenceTls] = [{ tls: notPem }, { clusterTls: notPem }, { inference }].map((props) => message(chart(props)));
    expect(tls).toMatch(/^tls: certificatePem: /);
    expect(clusterTls).toMatch(/^clusterTls: certificatePem: /);
    expect(inferenceTls).toMatch(/^inference\.tls: certificatePem: /);
    expect(inferenceTls.slice('inference.tls: '.length)).toBe(tls.slice('tls: '.length));
    // A domain that is no host name is the domain's fault, not its TlsSource's (cert-manager's Certificate names it).
    const issuer = TlsSource.certManager({ issuerRef: { name: 'le', kind: 'ClusterIssuer' } });
    expect(message(chart({ inference: { domain: 'Bad.Domain', tls: issuer } }))).toBe(
      'inference.domain: "Bad.Domain" must be a lower-case host name such as runai-inference.example.com',
    );
  });

  test('fails when two expose entries make one Service, or two Ingresses of a workload share a suffix (constructs threw its own error)', () => {
    const entry = { project: 'a', workload: 'b', type: ExposeType.PORT_FORWARD, ports: [{ port: 80, targetPort: 80 }] };
    expect(message(chart({ expose: [entry, entry] }))).toBe(
      'expose[1].workload: Service runai-a/b is already expose[0]; give each workload one entry',
    );
    // As the config refuses them: one node port in two entries, and one subdomain host from two pairs.
    const nodePort = (workload: string) => ({
      ...entry,
      workload,
      type: ExposeType.NODE_PORT,
      ports: [{ port: 80, targetPort: 80, nodePort: 30080 }],
    });
    expect(message(chart({ expose: [nodePort('b'), nodePort('c')] }))).toBe(
      'expose[1].ports[0].nodePort: 30080 is already used by expose[0].ports[0]; node ports are unique in a cluster',
    );
    const subdomain = (project: string, workload: string) => ({ ...entry, project, workload, type: ExposeType.SUBDOMAIN });
    expect(message(chart({ expose: [subdomain('a-b', 'c'), subdomain('a', 'b-c')] }))).toBe(
      'expose[1].workload: subdomain a-b-c is already the subdomain of expose[0]',
    );
    const w = { ...entry, type: ExposeType.SUBDOMAIN, clusterUrl: 'runai.example.com' };
    const twice = [
      { nameSuffix: '-x', ingressClassName: 'haproxy' },
      { nameSuffix: '-x', ingressClassName: 'traefik' },
    ];
    expect(message(() => new ExposedWorkload(scope(), 'w', { ...w, ingresses: twice }))).toBe(
      'ingresses[1].nameSuffix: "-x" is already ingresses[0]\'s',
    );
  });
});

test("fails when ExposedWorkload is put in Run:ai's own namespace (the chart refused it, the construct alone did not)", () => {
  const w = { project: 'a', workload: 'b', type: ExposeType.PORT_FORWARD, ports: [{ port: 80, targetPort: 80 }] };
  expect(message(() => new ExposedWorkload(new Chart(new App(), 'c'), 'w', { ...w, namespace: 'runai' }))).toBe(
    "namespace: runai is a namespace which holds Run:ai's own Services and Ingresses (such as the one a legacy install patches): " +
      "an object of the same name would replace one of them; expose a workload in its project's namespace, such as runai-team-a",
  );
});
