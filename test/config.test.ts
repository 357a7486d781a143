import * as fs from 'node:fs';
import * as path from 'node:path';

import { MAX_INPUT_BYTES } from '../lib/config/input-files';
import { loadConfig, parseConfig } from '../lib/config/load';
import { configSchema } from '../lib/config/schema';
import { ControlPlane } from '../lib/model/control-plane';
import { InputError } from '../lib/model/errors';
import { ClusterMode } from '../lib/model/mode';
import { DEMO_CERT, DEMO_KEY, demoConfig, openssl, tempDir, writeConfig } from './helpers';

/** The problem lines a config produces, or [] when it is valid. */
function problems(yaml: string, baseDir = '/'): string[] {
  try {
    parseConfig(yaml, 'runai-access.yaml', baseDir);
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.message.split('\n');
  }
}

/** A valid cluster entry with `tls: existing`, and `extra` lines appended to it. */
function cluster(extra = '', name = 'prod'): string {
  return `  - name: ${name}
    clusterUrl: runai.example.com
    tls: {source: existing}
${extra}`;
}

const one = (extra = '') => `clusters:\n${cluster(extra)}`;

describe('defaults and normalization', () => {
  test('applies every default: those of the newest release profile (2.25) without runaiVersion', () => {
    const [c] = parseConfig(one(), 'runai-access.yaml', '/').clusters;
    expect(c).toEqual({
      name: 'prod',
      clusterUrl: 'runai.example.com',
      deployment: ControlPlane.SAAS,
      mode: ClusterMode.of(),
      runaiVersion: undefined,
      platform: 'kubernetes',
      exposure: 'ingress',
      routing: 'host',
      ingressController: 'haproxy',
      ingressClassName: 'haproxy',
      ingressAnnotations: {},
      tls: { source: 'existing' },
      privateCa: undefined,
      subdomainSupport: true,
      expose: [],
      runaiConfigVia: 'helm-values',
      gitops: { argocd: true, flux: true },
      output: { kustomization: false },
    });
  });

  test.each([
    ['2.13', 'nginx', 'overlay', '2.13-2.17'],
    ['2.24', 'nginx', 'overlay', '2.18-2.24'],
    ['2.25', 'haproxy', 'helm-values', '2.25'],
    ['2.26', 'haproxy', 'helm-values', '2.25'],
  ])('runaiVersion %s: controller %s, runaiConfig.via %s (profile %s)', (version, controller, via, profile) => {
    const [c] = parseConfig(one(`    runaiVersion: "${version}"`), 'x.yaml', '/').clusters;
    expect([c.ingressController, c.ingressClassName, c.runaiConfigVia, c.mode.profile.id]).toEqual([controller, controller, via, profile]);
  });

  test('an explicit controller, className and via win over the profile', () => {
    const [c] = parseConfig(
      one('    ingress: {controller: traefik, className: edge}\n    runaiConfig: {via: overlay}'),
      'x.yaml',
      '/',
    ).clusters;
    expect([c.ingressController, c.ingressClassName, c.runaiConfigVia]).toEqual(['traefik', 'edge', 'overlay']);
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
    expect(c.ingressClassName).toBeNull();
  });

  test('reads the version and deployment', () => {
    const [c] = parseConfig(one('    runaiVersion: "2.10"\n    deployment: self-hosted'), 'x.yaml', '/').clusters;
    expect(c.runaiVersion?.text).toBe('2.10');
    expect(c.runaiVersion?.needsLegacyPatch).toBe(true);
    expect(c.deployment).toBe(ControlPlane.SELF_HOSTED);
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

describe('config rules', () => {
  test('reports every problem at once, one line each, naming file and field', () => {
    expect(
      problems(`clusters:
  - name: Prod
    clusterUrl: https://runai.example.com:443/
    runaiVersion: 2.10
    deployment: cloud
    tls: {source: existing}
    colour: blue
`),
    ).toEqual([
      'runai-access.yaml: clusters[0].name: must be a DNS-1123 label: lower-case a-z, 0-9 and "-", not at either end, such as prod',
      'runai-access.yaml: clusters[0].clusterUrl: must not have a port; Run:ai serves workspaces on https port 443',
      'runai-access.yaml: clusters[0].deployment: must be one of: saas, self-hosted',
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted string: YAML reads an unquoted 2.10 as a number; write runaiVersion: "2.10"',
      'runai-access.yaml: clusters[0].colour: unknown key; allowed keys here: name, clusterUrl, deployment, runaiVersion, platform, routing, ingress, exposure, gateway, tls, clusterTls, inference, privateCa, subdomainSupport, expose, migration, runaiConfig, gitops, output',
    ]);
  });

  test('fails when clusters is missing', () => {
    expect(problems('other: 1')).toEqual([
      'runai-access.yaml: clusters: is required: a list of clusters, each with name, clusterUrl and tls',
      'runai-access.yaml: other: unknown key; allowed keys here: clusters, delivery',
    ]);
  });
  test('fails when clusters is empty', () => {
    expect(problems('clusters: []')).toEqual(['runai-access.yaml: clusters: must list at least one cluster']);
  });
  test('fails when clusters is not a list', () => {
    expect(problems('clusters: 3')).toEqual(['runai-access.yaml: clusters: must be a list of clusters, got the number 3']);
  });
  test('fails when a cluster is not a mapping', () => {
    expect(problems('clusters: [prod]')).toEqual([
      'runai-access.yaml: clusters[0]: must be a mapping with name, clusterUrl and tls, got a string',
    ]);
  });
  test('fails when the file is not a mapping', () => {
    expect(problems('- 1')).toEqual(['runai-access.yaml: must be a mapping with a clusters list, got a list']);
  });
  test('fails when the file is empty', () => {
    expect(problems('# nothing\n')).toEqual(['runai-access.yaml: is empty; expected a mapping with a clusters list']);
  });
  test('fails when the YAML is malformed, with the line', () => {
    expect(problems('clusters: [\n')).toEqual([expect.stringMatching(/^runai-access\.yaml: line \d+, column \d+: invalid YAML: /)]);
  });
  test("fails when the file holds a second YAML document, in our words rather than the library's", () => {
    expect(problems(`clusters:\n${cluster()}---\nclusters: []\n`)).toEqual([
      'runai-access.yaml: line 5, column 1: starts a second YAML document (a --- line); the config is one document: remove the line or what follows it',
    ]);
  });
  test.each([
    ['!!binary', 'clusters:\n  - !!binary aGVsbG8=\n'],
    ['!!set', 'clusters: !!set {a}\n'],
    ['!!timestamp', 'clusters:\n  - {name: a, clusterUrl: !!timestamp 2001-12-14}\n'],
    ['a custom tag', 'clusters:\n  - !vault secret/runai\n'],
  ])('fails in one line when a value has the YAML tag %s, not one line per byte of it', (_, yaml) => {
    expect(problems(yaml)).toEqual([
      expect.stringMatching(
        /^runai-access\.yaml: line \d+, column \d+: uses a YAML tag \(such as !!binary, !!set or a custom !tag\) that runai-access does not read; write the plain value$/,
      ),
    ]);
  });
  test('reads YAML 1.2 whatever a %YAML 1.1 directive asks: the tags stay refused, and yes stays a string', () => {
    expect(problems('%YAML 1.1\n---\nclusters:\n  - !!binary aGVsbG8=\n')).toEqual([
      expect.stringMatching(
        /: uses a YAML tag \(such as !!binary, !!set or a custom !tag\) that runai-access does not read; write the plain value$/,
      ),
    ]);
    expect(problems(`%YAML 1.1\n---\n${one('    subdomainSupport: yes\n')}`)).toEqual([
      expect.stringMatching(/^runai-access\.yaml: clusters\[0\]\.subdomainSupport: /),
    ]);
  });
  test('reads the core tags as usual: !!str makes 2.20 a string', () => {
    expect(parseConfig(one('    runaiVersion: !!str 2.20\n'), 'runai-access.yaml', '/').clusters[0].runaiVersion?.text).toBe('2.20');
  });
  test('fails when a mapping uses the merge key <<, naming it rather than describing it', () => {
    expect(problems(`clusters:\n  - <<: {deployment: saas}\n${cluster().replace('  - ', '    ')}`)).toEqual([
      'runai-access.yaml: line 2, column 5: uses a YAML merge key (<<), which runai-access does not read; write the keys out',
    ]);
  });
  test('fails when the YAML is nested too deeply for the parser, in words', () => {
    expect(problems(`clusters: ${'['.repeat(1200)}${']'.repeat(1200)}\n`)).toEqual([
      expect.stringMatching(/^runai-access\.yaml: line 1, column \d+: is nested too deeply to read; a config needs a few levels$/),
    ]);
    const pathological = problems('['.repeat(200000));
    expect(pathological.length).toBeLessThanOrEqual(6);
    expect(pathological[0]).toMatch(/^runai-access\.yaml: line 1, column \d+: (is nested too deeply|invalid YAML: )/);
  });
  test('fails when a key is duplicated', () => {
    expect(problems(`clusters:\n${cluster()}    name: again\n`)).toEqual([
      'runai-access.yaml: line 5, column 5: invalid YAML: Map keys must be unique',
    ]);
  });
  test('fails when aliases expand too far (billion laughs)', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    expect(problems(bomb.join('\n'))).toEqual(['runai-access.yaml: uses too many YAML aliases; write the values out']);
  });

  test('fails when name is missing', () => {
    expect(problems('clusters:\n  - {clusterUrl: runai.example.com, tls: {source: existing}}')).toEqual([
      'runai-access.yaml: clusters[0].name: is required',
    ]);
  });
  test('fails when name is longer than 63 characters', () => {
    expect(problems(`clusters:\n${cluster('', 'a'.repeat(64))}`)).toEqual([
      'runai-access.yaml: clusters[0].name: must be at most 63 characters',
    ]);
  });
  test('fails when two clusters share a name, even when other fields are wrong', () => {
    expect(problems(`clusters:\n${cluster()}${cluster('    deployment: x', 'prod')}`)).toEqual([
      'runai-access.yaml: clusters[1].deployment: must be one of: saas, self-hosted',
      'runai-access.yaml: clusters[1].name: "prod" is already the name of clusters[0]; names must be unique',
    ]);
  });
  test('fails when clusterUrl is missing', () => {
    expect(problems('clusters:\n  - {name: a, tls: {source: existing}}')).toEqual([
      'runai-access.yaml: clusters[0].clusterUrl: is required',
    ]);
  });
  test('fails when clusterUrl is not a string', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: 42, tls: {source: existing}}')).toEqual([
      'runai-access.yaml: clusters[0].clusterUrl: must be a host name such as runai.example.com, got the number 42',
    ]);
  });
  test.each([
    ['https://runai.example.com/runai', 'must not have a path'],
    ['https://runai.example.com/?x=1', 'must not have a query'],
    ['10.1.2.3', 'not an IP address'],
    ['"*.runai.example.com"', 'must not contain "*"'],
    ['runai', 'single-label name'],
    [`${'a'.repeat(64)}.example.com`, 'DNS allows at most 63'],
    [Array(4).fill('a'.repeat(63)).join('.'), 'at most 251 are allowed'],
  ])('fails when clusterUrl is %s', (url, message) => {
    const lines = problems(`clusters:\n  - {name: a, clusterUrl: ${url}, tls: {source: existing}}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^runai-access\.yaml: clusters\[0\]\.clusterUrl: /);
    expect(lines[0]).toContain(message);
  });
  test('fails when runaiVersion is a bare number, quoting exactly what was written', () => {
    expect(problems(one('    runaiVersion: 2.20'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted string: YAML reads an unquoted 2.20 as a number; write runaiVersion: "2.20"',
    ]);
    expect(problems(one('    runaiVersion: 2.9'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted string: YAML reads an unquoted 2.9 as a number; write runaiVersion: "2.9"',
    ]);
    expect(problems('clusters:\n  - {name: a, clusterUrl: a.b, runaiVersion: 2.10, tls: {source: existing}}')).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted string: YAML reads an unquoted 2.10 as a number; write runaiVersion: "2.10"',
    ]);
  });
  test('the schema alone, without the source text, still says to quote the version', () => {
    const r = configSchema.safeParse({ clusters: [{ name: 'a', clusterUrl: 'a.b', runaiVersion: 2.2, tls: { source: 'existing' } }] });
    expect(r.success ? [] : r.error.issues.map((i) => i.message)).toEqual([
      'must be a quoted string such as "2.20", got the number 2.2: YAML reads an unquoted version as a number; quote it',
    ]);
  });
  test.each([
    [
      'a key indented deeper than the one above',
      'clusters:\n  - name: prod\n    clusterUrl: a.b\n     tls: {source: existing}\n',
      'line 4, column 6: is indented more than the key on line 3 (column 5); keys of one mapping start in the same column, so move it to column 5, or give line 3 no value to make this a nested mapping',
    ],
    [
      'a key indented less than its siblings',
      'clusters:\n  - name: prod\n    clusterUrl: a.b\n  tls: {source: existing}\n',
      'line 4, column 1: is not indented like the keys above it; keys of one mapping start in the same column',
    ],
    [
      'a list item key out of line',
      'clusters:\n  - name: prod\n   clusterUrl: a.b\n',
      'line 3, column 1: is not indented like the keys of the list item above it (after its "- "); keys of one mapping start in the same column',
    ],
  ])('fails on %s, pointing at the line to fix in plain words', (_what, yaml, line) => {
    expect(problems(yaml)).toEqual([`runai-access.yaml: ${line}`]);
  });
  test('fails when runaiVersion is not a version', () => {
    expect(problems(one('    runaiVersion: latest'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: "latest" is not a Run:ai version; use major.minor such as "2.20"',
    ]);
  });
  test('fails when runaiVersion is older than 2.9', () => {
    expect(problems(one('    runaiVersion: "2.8"'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: "2.8" is too old; host-based routing needs Run:ai 2.9 or later',
    ]);
  });
  test('fails when ingress is set for a legacy version, which creates no Ingress', () => {
    expect(problems(one('    runaiVersion: "2.12"\n    ingress: {className: nginx}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress: is not used with runaiVersion "2.12": before 2.13 the existing ingress is patched and no wildcard Ingress is created; remove ingress',
    ]);
  });
  test('fails when deployment is not saas or self-hosted', () => {
    expect(problems(one('    deployment: SaaS'))).toEqual(['runai-access.yaml: clusters[0].deployment: must be one of: saas, self-hosted']);
  });
  test('fails when ingress.className is not an IngressClass name', () => {
    expect(problems(one('    ingress: {className: Nginx}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.className: must be an IngressClass name (lower-case DNS subdomain), such as nginx',
    ]);
  });
  test('fails when an annotation value is not a string', () => {
    expect(problems(one('    ingress: {annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 0}}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.annotations.nginx.ingress.kubernetes.io/proxy-body-size: must be a string, got the number 0; quote the value',
    ]);
  });
  test('fails when an annotation key is not a Kubernetes key', () => {
    expect(problems(one('    ingress: {annotations: {"bad key": "x"}}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.annotations."bad key": must be an annotation key such as nginx.ingress.kubernetes.io/ssl-redirect',
    ]);
  });
  test('fails when ingress has an unknown key', () => {
    expect(problems(one('    ingress: {class: nginx}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.class: unknown key; allowed keys here: controller, className, annotations',
    ]);
  });
  test('fails when tls is missing', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com}')).toEqual([
      'runai-access.yaml: clusters[0].tls: is required: where the wildcard certificate comes from ({source: files, certFile, keyFile}, {source: cert-manager, issuerRef}, ...)',
    ]);
  });
  test('fails when tls.source is unknown', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: vault}}')).toEqual([
      'runai-access.yaml: clusters[0].tls.source: must be one of: files, existing, cert-manager, sealed-secret, external-secret',
    ]);
  });
  test('fails when tls.source is missing', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {certFile: a.pem}}')).toEqual([
      'runai-access.yaml: clusters[0].tls.source: is required: one of files, existing, cert-manager, sealed-secret, external-secret',
    ]);
  });
  test('fails when tls files lacks keyFile and has a misspelt key', () => {
    expect(
      problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: files, certFile: a.pem, keyfile: b.pem}}'),
    ).toEqual([
      'runai-access.yaml: clusters[0].tls.keyFile: is required',
      'runai-access.yaml: clusters[0].tls.keyfile: unknown key; allowed keys here: source, certFile, keyFile, commitPlaintextKey',
    ]);
  });
  test('fails when tls existing has file keys', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing, certFile: a.pem}}')).toEqual([
      'runai-access.yaml: clusters[0].tls.certFile: unknown key; allowed keys here: source',
    ]);
  });
  test('fails when subdomainSupport is not a boolean', () => {
    expect(problems(one('    subdomainSupport: "yes"'))).toEqual([
      'runai-access.yaml: clusters[0].subdomainSupport: must be true or false, got a string',
    ]);
  });
});

describe('input files', () => {
  function loadProblems(file: string): string[] {
    try {
      loadConfig(file);
      return [];
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return e.message.split('\n');
    }
  }

  test('fails when the config file does not exist', () => {
    expect(loadProblems('/nonexistent/runai-access.yaml')).toEqual([
      '/nonexistent/runai-access.yaml: does not exist; create it or pass --config FILE [file-missing]',
    ]);
  });
  test('fails when the config file is a directory', () => {
    const dir = tempDir();
    expect(loadProblems(dir)).toEqual([`${dir}: is a directory; give a file [file-is-directory]`]);
  });
  test('fails when the config file is larger than 1 MiB', () => {
    const file = writeConfig(tempDir(), `# ${'x'.repeat(MAX_INPUT_BYTES)}\n`);
    expect(loadProblems(file)).toEqual([`${file}: is ${MAX_INPUT_BYTES + 3} bytes; at most 1048576 (1 MiB) are allowed [file-too-large]`]);
  });
  test('fails when a certificate file does not exist or is a directory, naming both fields', () => {
    const dir = tempDir();
    const file = writeConfig(dir, demoConfig('', 'missing.pem', dir));
    expect(loadProblems(file)).toEqual([
      `${file}: clusters[0].tls.certFile: missing.pem does not exist (looked for ${path.join(path.dirname(file), 'missing.pem')}) [file-missing]`,
      `${file}: clusters[0].tls.keyFile: ${dir} is a directory; give a file [file-is-directory]`,
    ]);
  });
  test('fails when a certificate file cannot be read', () => {
    if (process.getuid?.() === 0) {
      // root reads any file; use a path through a file instead, which fails like an unreadable one.
      const file = writeConfig(tempDir(), demoConfig('', `${DEMO_CERT}/x`));
      expect(loadProblems(file)).toEqual([
        `${file}: clusters[0].tls.certFile: ${DEMO_CERT}/x does not exist: a part of its path is a file, not a folder [file-missing]`,
      ]);
      return;
    }
    const dir = tempDir();
    const locked = path.join(dir, 'locked.pem');
    fs.copyFileSync(DEMO_CERT, locked);
    fs.chmodSync(locked, 0o000);
    const file = writeConfig(dir, demoConfig('', locked));
    expect(loadProblems(file)).toEqual([
      `${file}: clusters[0].tls.certFile: ${locked} cannot be read: permission denied [file-unreadable]`,
    ]);
  });

  describe('certificates', () => {
    let dir: string;
    beforeAll(() => {
      dir = tempDir();
      openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'other.pem');
      openssl(dir, 'pkey', '-in', DEMO_KEY, '-aes256', '-passout', 'pass:secret', '-out', 'encrypted.pem');
      openssl(dir, 'x509', '-in', DEMO_CERT, '-outform', 'DER', '-out', 'cert.der');
      fs.writeFileSync(
        path.join(dir, 'two-keys.pem'),
        fs.readFileSync(DEMO_KEY, 'utf8') + fs.readFileSync(path.join(dir, 'other.pem'), 'utf8'),
      );
      fs.writeFileSync(path.join(dir, 'broken-cert.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      fs.writeFileSync(path.join(dir, 'broken-key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
      fs.writeFileSync(path.join(dir, 'empty.pem'), '');
    });
    const check = (cert: string, key: string) => loadProblems(writeConfig(dir, demoConfig('', cert, key)));
    const at = (field: string) => `${path.join(dir, 'runai-access.yaml')}: clusters[0].tls.${field}: `;

    test('accepts the demo pair', () => {
      expect(check(DEMO_CERT, DEMO_KEY)).toEqual([]);
    });
    test('fails when the key does not match the leaf certificate', () => {
      expect(check(DEMO_CERT, 'other.pem')).toEqual([
        `${at('keyFile')}other.pem does not match the first (leaf) certificate in certFile; give the private key of that certificate [key-mismatch]`,
      ]);
    });
    test('fails when the key is encrypted, saying how to decrypt it', () => {
      expect(check(DEMO_CERT, 'encrypted.pem')).toEqual([
        `${at('keyFile')}encrypted.pem is encrypted; decrypt it first with: openssl pkey -in encrypted.pem -out private.pem [key-encrypted]`,
      ]);
    });
    test('fails when the key file holds two keys', () => {
      expect(check(DEMO_CERT, 'two-keys.pem')).toEqual([
        `${at('keyFile')}two-keys.pem holds 2 private keys; give only the key of the leaf certificate [key-multiple]`,
      ]);
    });
    test('fails when the key file holds a certificate', () => {
      expect(check(DEMO_CERT, DEMO_CERT)).toEqual([
        `${at('keyFile')}${DEMO_CERT} holds a certificate, not a private key; keyFile must be the PEM private key (private.pem) [key-no-pem]`,
      ]);
    });
    test('fails when the key block cannot be read', () => {
      expect(check(DEMO_CERT, 'broken-key.pem')).toEqual([
        `${at('keyFile')}broken-key.pem holds a PEM private key block that cannot be read as PKCS#1, PKCS#8 or SEC1; export it again as unencrypted PEM [key-invalid]`,
      ]);
    });
    test('fails when the certificate file is DER, not PEM', () => {
      expect(check('cert.der', DEMO_KEY)).toEqual([
        `${at('certFile')}cert.der holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM certificate chain, leaf first [cert-no-pem]`,
      ]);
    });
    test('fails when the certificate file is empty', () => {
      expect(check('empty.pem', 'empty.pem')).toEqual([
        `${at('certFile')}empty.pem holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM certificate chain, leaf first [cert-no-pem]`,
        `${at('keyFile')}empty.pem holds no PEM private key (-----BEGIN PRIVATE KEY-----); give the unencrypted PEM key of the leaf certificate [key-no-pem]`,
      ]);
    });
    test('fails when the certificate and key files are swapped', () => {
      expect(check(DEMO_KEY, DEMO_CERT)).toEqual([
        `${at('certFile')}${DEMO_KEY} holds a private key, not a certificate; certFile must be the PEM certificate chain (fullchain.pem) and keyFile the key [cert-no-pem]`,
        `${at('keyFile')}${DEMO_CERT} holds a certificate, not a private key; keyFile must be the PEM private key (private.pem) [key-no-pem]`,
      ]);
    });
    test('fails when a certificate block is not a valid certificate', () => {
      expect(check('broken-cert.pem', DEMO_KEY)).toEqual([
        `${at('certFile')}broken-cert.pem certificate 1 of 1 is not a valid X.509 certificate [cert-invalid]`,
      ]);
    });
  });
});
