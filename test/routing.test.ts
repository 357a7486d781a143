/** Platform, routing, ingress controller and private CA: config rules and what each emits. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { workspaceUrls } from '../lib/cli/workspace-url';
import { synthesize } from '../lib/output/render';
import { DEMO_CERT, DEMO_KEY, DEMO_ROOT_CA, emittedObjects, loadOne, oneCluster, problemLines, runInProcess, tempDir } from './helpers';

const FILES = `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`;

// Run:ai 2.20 (profile 2.18-2.24): ingress-nginx and the overlay by default; the 2.25 defaults are in release-profiles.test.ts.
const load = (lines: string) => loadOne(`    runaiVersion: "2.20"\n${lines}`);
// (The controller-retired warning these 2.20 clusters get is tested in release-profiles.test.ts.)
const problems = (lines: string) => problemLines(() => load(lines)).filter((l) => !l.endsWith('[controller-retired]'));
/** `kind namespace/name` of each object, the objects by kind, and the Helm values. */
function emitted(lines: string) {
  const e = emittedObjects(synthesize(load(lines).clusters)[0]);
  return { ...e, get: (kind: string) => e.docs.filter((d) => d.kind === kind) };
}

const NO_CERTIFICATE =
  'holds no CERTIFICATE block that Go reads; give the CA certificate (or bundle) in PEM, each block starting with ' +
  'BEGIN CERTIFICATE at the start of its line (a TRUSTED CERTIFICATE block, from openssl x509 -trustout, is skipped)';

describe('routing: path', () => {
  test('emits only the overlay, with subdomainSupport: false', () => {
    const { kinds, get, out } = emitted('    routing: path\n');
    expect(kinds).toEqual(['RunaiConfig runai/runai']);
    expect(get('RunaiConfig')[0].spec).toEqual({ global: { subdomainSupport: false } });
    expect(out.notes[0]).toBe(
      'path routing: workspaces get https://runai.example.com/<project>/<workload>; they need no wildcard certificate, DNS record or Ingress.',
    );
  });
  test('with inference serving, the note says its host names still need DNS, beside the Ingress written for them', () => {
    const { kinds, out } = emitted('    routing: path\n    inference: {domain: infer.example.com, tls: {source: existing}}\n');
    expect(kinds).toContain('Ingress knative-serving/knative-serving');
    expect(out.notes[0]).toBe(
      'path routing: workspaces get https://runai.example.com/<project>/<workload>; they need no wildcard certificate, DNS record or ' +
        'Ingress; inference serving still needs a DNS record for *.infer.example.com, with the certificate and routing written for it.',
    );
  });
  test('url prints the path-based URL only', () => {
    const [c] = load('    routing: path\n').clusters;
    expect(workspaceUrls(c, 'team-a', 'nb1')).toEqual({
      pathBased: 'https://runai.example.com/team-a/nb1',
      notes: ['cluster prod has routing: path, so Run:ai gives path-based URLs only'],
    });
  });
  test('fails when a wildcard tls or ingress annotations are configured', () => {
    expect(problems(`    routing: path\n    tls: ${FILES}\n    ingress: {className: nginx, annotations: {a: b}}\n`)).toEqual([
      'clusters[0].tls: is not used with routing: path, which needs no wildcard certificate or Ingress; remove tls',
      'clusters[0].ingress.annotations: is not used with routing: path, which writes no wildcard Ingress for them to act on ' +
        '(controller and className set the class Run:ai and the inference Ingress use); remove ingress.annotations',
    ]);
  });
  test('the ingress controller sets the class Run:ai is told and the inference Ingress gets', () => {
    // A 2.20 cluster already on HAProxy: ingress-nginx was the profile's default, and path routing refused to be told otherwise.
    const { get } = emitted(
      '    routing: path\n    ingress: {controller: haproxy}\n    inference: {domain: infer.example.com, tls: {source: existing}}\n',
    );
    expect(get('RunaiConfig')[0].spec.global).toEqual({ subdomainSupport: false, ingress: { ingressClass: 'haproxy' } });
    expect(get('Ingress').map((i) => i.spec.ingressClassName)).toEqual(['haproxy']);
    const codes = (lines: string) => load(`    routing: path\n${lines}`).warnings.map((w) => w.code);
    expect(codes('')).toContain('controller-retired');
    expect(codes('    ingress: {controller: haproxy}\n')).not.toContain('controller-retired');
  });
  test('an empty annotations mapping, as in the bundled example, is not refused', () => {
    expect(problems('    routing: path\n    ingress: {className: nginx, annotations: {}}\n')).toEqual([]);
    expect(problems('    routing: path\n    ingress: {className: nginx, annotations: {a: b}}\n')).toHaveLength(1);
  });
  test('a className alone sets the class, with the profile controller', () => {
    const { get } = emitted(
      '    routing: path\n    ingress: {className: edge}\n    inference: {domain: infer.example.com, tls: {source: existing}}\n',
    );
    expect(get('RunaiConfig')[0].spec.global.ingress).toEqual({ ingressClass: 'edge' });
    expect(get('Ingress')[0].spec.ingressClassName).toBe('edge');
  });
  test('validate --json shows the ingress class it uses', () => {
    const dir = tempDir();
    const json = (lines: string, version = '2.20') => {
      fs.writeFileSync(path.join(dir, 'c.yaml'), oneCluster(`    runaiVersion: "${version}"\n    routing: path\n${lines}`));
      return JSON.parse(runInProcess(['validate', '--json', '--config', 'c.yaml'], { cwd: dir }).stdout).clusters[0].ingress;
    };
    expect(json('    ingress: {controller: haproxy}\n')).toEqual({ controller: 'haproxy', className: 'haproxy' });
    expect(json('')).toEqual({ controller: 'nginx', className: 'nginx' });
    // With the Gateway API no Ingress class acts.
    expect(json('    exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n', '2.25')).toBeNull();
  });
  test('fails when ingress is configured with a Run:ai before 2.13, once', () => {
    expect(
      problemLines(() => loadOne('    runaiVersion: "2.11"\n    routing: path\n    ingress: {className: nginx, annotations: {a: b}}\n')),
    ).toEqual([
      'clusters[0].ingress: is not used with runaiVersion "2.11": before 2.13 the existing ingress is patched and no wildcard Ingress ' +
        'is created; remove ingress',
    ]);
  });
  test('fails when a workload is exposed by subdomain', () => {
    expect(problems('    routing: path\n    expose: [{project: a, workload: w, type: subdomain, ports: ["80"]}]\n')).toEqual([
      'clusters[0].expose[0].type: subdomain needs routing: host; use port-forward, node-port or load-balancer',
    ]);
  });
  test('fails when routing is neither host nor path', () => {
    expect(problems(`    routing: subdomain\n    tls: ${FILES}\n`)).toEqual(['clusters[0].routing: must be one of: host, path']);
  });
});

describe('platform: openshift', () => {
  test('emits the overlay and no TLS Secret or Ingress, and says why', () => {
    const { kinds, out } = emitted('    platform: openshift\n');
    expect(kinds).toEqual(['RunaiConfig runai/runai']);
    expect(out.notes[0]).toMatch(/^OpenShift: its router serves TLS for routes/);
  });
  test('fails when tls or ingress settings are given', () => {
    expect(problems(`    platform: openshift\n    tls: ${FILES}\n    ingress: {controller: haproxy}\n`)).toEqual([
      'clusters[0].tls: is not used on OpenShift, whose router serves TLS and routes; remove tls',
      'clusters[0].ingress: is not used on OpenShift, whose router serves TLS and routes; remove ingress',
    ]);
  });
  test('fails when the platform is unknown', () => {
    expect(problems(`    platform: eks\n    tls: ${FILES}\n`)).toEqual(['clusters[0].platform: must be one of: kubernetes, openshift']);
  });
  test('host routing on Kubernetes still requires tls', () => {
    expect(problems('    routing: host\n')).toEqual([
      'clusters[0].tls: is required: where the wildcard certificate comes from ({source: files, certFile, keyFile}, {source: cert-manager, issuerRef}, ...)',
    ]);
  });
});

describe('ingress.controller', () => {
  test.each([['haproxy'], ['traefik']])(
    "%s: its class on the Ingress and in the overlay's spec.global.ingress.ingressClass",
    (controller) => {
      const { get, out } = emitted(`    tls: ${FILES}\n    ingress: {controller: ${controller}}\n`);
      expect(get('Ingress')[0].spec.ingressClassName).toBe(controller);
      expect(get('RunaiConfig')[0].spec.global).toEqual({ subdomainSupport: true, ingress: { ingressClass: controller } });
      expect(out.notes[0]).toMatch(new RegExp(`^ingress controller ${controller}: `));
    },
  );
  test("nginx: the overlay names no class (Run:ai's default)", () => {
    expect(emitted(`    tls: ${FILES}\n`).get('RunaiConfig')[0].spec.global).toEqual({ subdomainSupport: true });
  });
  test('other: the className given, everywhere', () => {
    const { get } = emitted(
      `    tls: ${FILES}\n    ingress: {controller: other, className: contour}\n    expose: [{project: a, workload: w, type: subdomain, ports: ["80"]}]\n`,
    );
    expect(get('Ingress').map((i) => i.spec.ingressClassName)).toEqual(['contour', 'contour']);
    expect(get('RunaiConfig')[0].spec.global.ingress).toEqual({ ingressClass: 'contour' });
  });
  test('the Helm values carry the class too when the setting goes by Helm', () => {
    const { helm } = emitted(`    tls: ${FILES}\n    ingress: {controller: haproxy}\n    runaiConfig: {via: both}\n`);
    expect(helm).toEqual({ clusterConfig: { global: { subdomainSupport: true, ingress: { ingressClass: 'haproxy' } } } });
  });
  test('fails when controller is other without className, or unknown', () => {
    expect(problems(`    tls: ${FILES}\n    ingress: {controller: other}\n`)).toEqual([
      'clusters[0].ingress.className: is required with controller: other; name the IngressClass your controller watches',
    ]);
    expect(problems(`    tls: ${FILES}\n    ingress: {controller: envoy}\n`)).toEqual([
      'clusters[0].ingress.controller: must be one of: nginx, haproxy, traefik, other',
    ]);
  });
});

describe('privateCa', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    fs.copyFileSync(DEMO_ROOT_CA, path.join(dir, 'ca.pem'));
    fs.writeFileSync(path.join(dir, 'leaf.pem'), fs.readFileSync(DEMO_CERT));
    fs.writeFileSync(path.join(dir, 'with-key.pem'), Buffer.concat([fs.readFileSync(DEMO_ROOT_CA), fs.readFileSync(DEMO_KEY)]));
    fs.writeFileSync(path.join(dir, 'junk.pem'), 'junk\n');
    fs.writeFileSync(
      path.join(dir, 'x509.pem'),
      fs.readFileSync(DEMO_ROOT_CA, 'utf8').replace(/(BEGIN|END) CERTIFICATE/g, '$1 X509 CERTIFICATE'),
    );
    fs.writeFileSync(path.join(dir, 'bom.pem'), Buffer.concat([Buffer.from('\ufeff'), fs.readFileSync(DEMO_ROOT_CA)]));
    fs.writeFileSync(
      path.join(dir, 'bom-comment.pem'),
      Buffer.concat([Buffer.from('\ufeff# Demo root CA\n'), fs.readFileSync(DEMO_ROOT_CA)]),
    );
    execFileSync('openssl', ['x509', '-in', DEMO_ROOT_CA, '-trustout', '-out', path.join(dir, 'trusted.pem')]);
  });
  const ca = (file: string) => `    privateCa: {caFile: ${path.join(dir, file)}}\n`;

  test("runai-ca-cert in runai with Run:ai's labels, key runai-ca.pem, and global.customCA.enabled in the Helm values", () => {
    const { get, helm, out } = emitted(`    tls: ${FILES}\n${ca('ca.pem')}`);
    const [secret] = get('Secret').filter((s) => s.metadata.name === 'runai-ca-cert');
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'runai-ca-cert', namespace: 'runai', labels: { 'run.ai/cluster-wide': 'true', 'run.ai/name': 'runai-ca-cert' } },
      data: { 'runai-ca.pem': fs.readFileSync(DEMO_ROOT_CA).toString('base64') },
    });
    expect(helm).toEqual({ global: { customCA: { enabled: true } } });
    expect(out.notes).toContain('private CA: install or upgrade Run:ai with global.customCA.enabled: true (in the Helm values fragment).');
  });
  test('also in runai-backend for self-hosted, and in openshift-monitoring (no labels) on OpenShift', () => {
    const selfHosted = emitted(`    tls: ${FILES}\n    deployment: self-hosted\n${ca('ca.pem')}`).kinds.filter((k) =>
      k.includes('runai-ca-cert'),
    );
    expect(selfHosted.sort()).toEqual(['Secret runai-backend/runai-ca-cert', 'Secret runai/runai-ca-cert']);
    const openshift = emitted(`    platform: openshift\n${ca('ca.pem')}`);
    // Same name in several namespaces: the file names carry the namespace, and sort by it.
    expect(openshift.kinds).toEqual(['Secret openshift-monitoring/runai-ca-cert', 'Secret runai/runai-ca-cert', 'RunaiConfig runai/runai']);
    expect(openshift.get('Secret')[0].metadata).toEqual({ name: 'runai-ca-cert', namespace: 'openshift-monitoring' });
    expect(openshift.out.files.map((f) => f.path).slice(0, 2)).toEqual([
      '00-secret-runai-ca-cert-openshift-monitoring.yaml',
      '00-secret-runai-ca-cert-runai.yaml',
    ]);
  });
  test('fails when the file is not a CA, not a certificate, or holds a key', () => {
    expect(problems(`    tls: ${FILES}\n${ca('leaf.pem')}`)).toEqual([
      `clusters[0].privateCa.caFile: ${path.join(dir, 'leaf.pem')} holds a certificate that is not a CA (basicConstraints CA:TRUE); give the CA that signed the cluster's certificates [ca-not-ca]`,
    ]);
    expect(problems(`    tls: ${FILES}\n${ca('junk.pem')}`)).toEqual([
      `clusters[0].privateCa.caFile: ${path.join(dir, 'junk.pem')} ${NO_CERTIFICATE} [ca-invalid]`,
    ]);
    expect(problems(`    tls: ${FILES}\n${ca('with-key.pem')}`)).toEqual([
      `clusters[0].privateCa.caFile: ${path.join(dir, 'with-key.pem')} holds a private key; give only the CA certificate [ca-has-key]`,
    ]);
  });
  test('fails when Go would not read the file: a TRUSTED CERTIFICATE block (openssl -trustout) or a byte-order mark', () => {
    // Both went through with the construct's own message (caPem: …), or with the mark copied into the Secret.
    expect(fs.readFileSync(path.join(dir, 'trusted.pem'), 'utf8')).toMatch(/^-----BEGIN TRUSTED CERTIFICATE-----\n/);
    expect(problems(`    tls: ${FILES}\n${ca('trusted.pem')}`)).toEqual([
      `clusters[0].privateCa.caFile: ${path.join(dir, 'trusted.pem')} holds a BEGIN TRUSTED CERTIFICATE block, a label Go skips, ` +
        `and no CERTIFICATE block: convert it with: openssl x509 -in ${path.join(dir, 'trusted.pem')} > ${path.join(dir, 'trusted.pem')}.new && mv ${path.join(dir, 'trusted.pem')}.new ${path.join(dir, 'trusted.pem')} [ca-invalid]`,
    ]);
    expect(problems(`    tls: ${FILES}\n${ca('bom.pem')}`)).toEqual([
      `clusters[0].privateCa.caFile: ${path.join(dir, 'bom.pem')} starts with a UTF-8 byte-order mark, which hides its first certificate from Go; ` +
        `remove the first 3 bytes (tail -c +4 ${path.join(dir, 'bom.pem')} > ${path.join(dir, 'bom.pem')}.new && mv ${path.join(dir, 'bom.pem')}.new ${path.join(dir, 'bom.pem')}), or save the file as UTF-8 without BOM [ca-bom]`,
    ]);
  });
  test('the TRUSTED CERTIFICATE fix works as written: run by sh on a copy, the file is then read', () => {
    const copy = path.join(dir, 'trusted-copy.pem');
    fs.copyFileSync(path.join(dir, 'trusted.pem'), copy);
    const [line] = problems(`    tls: ${FILES}\n${ca('trusted-copy.pem')}`);
    execFileSync('sh', ['-c', /convert it with: (.*) \[ca-invalid\]$/.exec(line)![1]]);
    expect(fs.readFileSync(copy, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(problems(`    tls: ${FILES}\n${ca('trusted-copy.pem')}`)).toEqual([]);
  });
  test.each([
    ['X509 CERTIFICATE', 'x509.pem', () => 'change its BEGIN and END lines to CERTIFICATE'],
    [
      'TRUSTED CERTIFICATE',
      'trusted.pem',
      (file: string) => `convert it with: openssl x509 -in ${file} > ${file}.new && mv ${file}.new ${file}`,
    ],
  ])(
    'fails when a byte-order mark comes before its %s block: both in one run (the label was said only once the mark was gone)',
    (label, block, fix) => {
      const file = path.join(dir, `bom-${block}`);
      fs.writeFileSync(file, Buffer.concat([Buffer.from('\ufeff'), fs.readFileSync(path.join(dir, block))]));
      expect(problems(`    tls: ${FILES}\n${ca(`bom-${block}`)}`)).toEqual([
        `clusters[0].privateCa.caFile: ${file} starts with a UTF-8 byte-order mark and a BEGIN ${label} block, a label Go skips: ` +
          `remove the first 3 bytes (tail -c +4 ${file} > ${file}.new && mv ${file}.new ${file}), or save the file as UTF-8 without BOM; then ${fix(file)} [ca-bom]`,
      ]);
      // Without the mark, the label is said alone.
      expect(problems(`    tls: ${FILES}\n${ca(block)}`)).toEqual([
        `clusters[0].privateCa.caFile: ${path.join(dir, block)} holds a BEGIN ${label} block, a label Go skips, and no CERTIFICATE block: ${fix(path.join(dir, block))} [ca-invalid]`,
      ]);
      // Mended as the messages say, it is taken: the fix works.
      execFileSync('openssl', ['x509', '-in', path.join(dir, block), '-out', file]);
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(problems(`    tls: ${FILES}\n${ca(`bom-${block}`)}`)).toEqual([]);
    },
  );
  test('takes a file whose byte-order mark is on a comment line: Go finds the BEGIN line after it (it was refused as ca-bom)', () => {
    expect(problems(`    tls: ${FILES}\n${ca('bom-comment.pem')}`)).toEqual([]);
    const objects = emittedObjects(synthesize(load(`    tls: ${FILES}\n${ca('bom-comment.pem')}`).clusters)[0]);
    expect(objects.docs.filter((o) => o.metadata.name === 'runai-ca-cert')).toHaveLength(1);
  });
});
