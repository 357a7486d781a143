/** Certificate findings through the CLI's run() (in this process): warnings, --strict, --json, --at. */
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';
import { runInProcess, tempDir, treeOf, writeConfig } from './helpers';
import { CHECK_AT, Pki } from './pki';

let pki: Pki;
let dir: string;
const URL = 'runai.example.com';

beforeAll(() => {
  dir = tempDir();
  pki = new Pki(path.join(dir, 'pki'));
  pki.issue('root', { cn: 'Root', ca: true });
  pki.issue('no-apex', { cn: 'no-apex', dns: [`*.${URL}`], issuer: 'root' });
  pki.issue('expired', { cn: 'expired', dns: [`*.${URL}`, URL], issuer: 'root', end: '20210101000000Z' });
  pki.issue('good', { cn: 'good', dns: [`*.${URL}`, URL], issuer: 'root', end: '20300115000000Z' });
  pki.chain('no-apex-chain.pem', 'no-apex', 'root');
  pki.chain('expired-chain.pem', 'expired', 'root');
  pki.chain('good-chain.pem', 'good', 'root');
});

/** A config with one cluster per named leaf, each using `<leaf>-chain.pem` and `<leaf>.key`. */
function config(...leaves: string[]): string {
  return writeConfig(
    dir,
    `clusters:\n${leaves
      .map(
        (leaf, i) => `  - name: c${i}
    clusterUrl: ${URL}
    tls: {source: files, certFile: pki/${leaf}-chain.pem, keyFile: pki/${leaf}.key}\n`,
      )
      .join('')}`,
    `${leaves.join('-')}.yaml`,
  );
}

describe('warnings', () => {
  test('loadConfig returns warnings with their code and cluster, and the config still loads', () => {
    const loaded = loadConfig(config('no-apex'), { now: CHECK_AT });
    expect(loaded.clusters).toHaveLength(1);
    expect(loaded.warnings).toEqual([
      expect.objectContaining({
        code: 'leaf-apex-not-covered',
        severity: 'warning',
        cluster: 'c0',
        path: 'clusters[0].tls.certFile',
      }),
    ]);
  });

  test('--strict turns warnings into errors', () => {
    expect(() => loadConfig(config('no-apex'), { now: CHECK_AT, strict: true })).toThrow(InputError);
    try {
      loadConfig(config('no-apex'), { now: CHECK_AT, strict: true });
    } catch (e) {
      expect((e as InputError).problems).toEqual([
        expect.objectContaining({
          code: 'leaf-apex-not-covered',
          severity: 'error',
          message: expect.stringMatching(/\(an error with --strict\)$/),
        }),
      ]);
    }
  });

  test('synth prints the warning, even with --quiet, and writes the output', () => {
    const out = path.join(dir, 'dist-warn');
    const r = runInProcess(['synth', '-q', '--config', config('no-apex'), '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `warning: ${path.join(dir, 'no-apex.yaml')}: clusters[0].tls.certFile: pki/no-apex-chain.pem does not cover ${URL} itself (names: *.${URL}); fine when the cluster's own certificate covers it [leaf-apex-not-covered]\n`,
    );
    expect(fs.existsSync(path.join(out, 'c0', '00-secret-runai-cluster-domain-star-tls-secret.yaml'))).toBe(true);
  });

  test('synth --strict fails with exit 2 and leaves the old output as it was', () => {
    const out = path.join(dir, 'dist-strict');
    expect(runInProcess(['synth', '-q', '--config', config('good'), '--out', out, '--at', '2029-01-01']).status).toBe(0);
    const before = treeOf(out);
    const r = runInProcess(['synth', '--strict', '--config', config('no-apex'), '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^.*: clusters\[0\]\.tls\.certFile: .* \(an error with --strict\) \[leaf-apex-not-covered\]\n$/);
    expect(treeOf(out)).toEqual(before);
  });

  test('--warn-days and --at decide when expiry is near', () => {
    const file = config('good');
    const soon = runInProcess(['validate', '-q', '--config', file, '--at', '2030-01-01T00:00:00Z']);
    expect(soon.status).toBe(0);
    expect(soon.stderr).toContain('expires on 2030-01-15T00:00:00Z, in 14 days; renew it soon [leaf-expires-soon]');
    expect(runInProcess(['validate', '-q', '--config', file, '--at', '2030-01-01', '--warn-days', '10']).stderr).toBe('');
    expect(runInProcess(['validate', '-q', '--config', file, '--at', '2030-01-02', '--strict']).status).toBe(2);
  });
});

describe('errors', () => {
  test('an expired leaf stops synth with exit 2 and its code, whatever today is', () => {
    const out = path.join(dir, 'dist-expired');
    const r = runInProcess(['synth', '--config', config('expired'), '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${path.join(dir, 'expired.yaml')}: clusters[0].tls.certFile: pki/expired-chain.pem expired on 2021-01-01T00:00:00Z; renew it [leaf-expired]\n`,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  test('fails when the PEM lines are indented, with the whole fix and the code: the fix is no key text to redact', () => {
    fs.writeFileSync(path.join(dir, 'indented.pem'), fs.readFileSync(pki.file('good'), 'latin1').replace(/^-----/gm, '  -----'));
    const file = writeConfig(
      dir,
      `clusters:\n  - {name: a, clusterUrl: ${URL}, tls: {source: files, certFile: indented.pem, keyFile: ${pki.file('good', 'key')}}}\n`,
      'indented.yaml',
    );
    const r = runInProcess(['validate', '--config', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${file}: clusters[0].tls.certFile: indented.pem has a certificate that kubectl and the ingress controllers do not see: ` +
        "each PEM block's BEGIN and END lines must start at the beginning of their line; remove the leading spaces or text [cert-pem-misplaced]\n",
    );
  });

  test("every cluster's problems are reported at once", () => {
    const r = runInProcess(['validate', '--config', config('expired', 'no-apex'), '--at', '2030-01-01']);
    expect(r.status).toBe(2);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .map((l) => /\[([a-z-]+)\]$/.exec(l)?.[1]),
      // (The two clusters share one URL here, which is said too.)
    ).toEqual(['leaf-expired', 'leaf-apex-not-covered', 'cluster-url-shared']);
  });
  test('a file two clusters name and that is missing is said for both: one line naming both, one JSON finding each', () => {
    const dir = tempDir();
    const named = (name: string) =>
      `  - name: ${name}\n    clusterUrl: ${name}.example.com\n    tls: {source: files, certFile: missing.pem, keyFile: k.pem}\n`;
    const file = writeConfig(
      dir,
      `clusters:\n${named('a')}  - name: b\n    clusterUrl: b.example.com\n    tls: {source: existing}\n${named('c')}`,
    );
    const r = runInProcess(['validate', '--config', file]);
    expect([r.status, r.stderr]).toEqual([
      2,
      `${file}: clusters[0,2].tls.certFile: missing.pem does not exist (looked for ${path.join(dir, 'missing.pem')}) [file-missing]\n`,
    ]);
    const json = JSON.parse(runInProcess(['validate', '--json', '--config', file]).stdout);
    expect(json.findings.map((f: { cluster: string; field: string }) => `${f.cluster} ${f.field}`)).toEqual([
      'a clusters[0].tls.certFile',
      'c clusters[2].tls.certFile',
    ]);
  });
});

describe('validate --json', () => {
  test('prints what was checked and every finding, exit 0', () => {
    const r = runInProcess(['validate', '--json', '--config', config('no-apex'), '--at', '2030-01-01T00:00:00Z']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report).toEqual({
      ok: true,
      config: path.join(dir, 'no-apex.yaml'),
      checkedAt: '2030-01-01T00:00:00.000Z',
      clusters: [
        {
          name: 'c0',
          clusterUrl: URL,
          deployment: 'saas',
          platform: 'kubernetes',
          routing: 'host',
          wiring: 'dedicated-ingress',
          ingress: { controller: 'haproxy', className: 'haproxy' },
          profile: {
            id: '2.25',
            reason: 'no runaiVersion: the newest profile',
            note: null,
            source: 'https://run-ai-docs.nvidia.com/self-hosted/getting-started/installation/install-using-helm/system-requirements',
            defaults: { 'ingress.controller': 'haproxy', 'ingress.className': 'haproxy', 'runaiConfig.via': 'helm-values' },
          },
          migration: null,
          tls: expect.objectContaining({ source: 'files', dnsNames: [`*.${URL}`], validTo: '2040-01-01T00:00:00.000Z', chainLength: 2 }),
          clusterTls: null,
          inference: null,
        },
      ],
      findings: [
        {
          code: 'leaf-apex-not-covered',
          severity: 'warning',
          cluster: 'c0',
          file: path.join(dir, 'no-apex.yaml'),
          field: 'clusters[0].tls.certFile',
          // Where certFile is: "    tls: {source: files, certFile: …" on the cluster's third line.
          line: 4,
          column: 26,
          message: expect.stringContaining('does not cover runai.example.com itself'),
        },
      ],
      notes: [],
    });
  });

  test('prints errors as JSON on stdout with exit 2, config problems included', () => {
    const bad = writeConfig(
      dir,
      `clusters:\n  - {name: Bad, clusterUrl: ${URL}, tls: {source: files, certFile: pki/expired-chain.pem, keyFile: pki/expired.key}}\n`,
      'bad.yaml',
    );
    const r = runInProcess(['validate', '--json', '--config', bad]);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings.map((f: { code: string; field: string }) => [f.code, f.field])).toEqual([['config', 'clusters[0].name']]);
    // A YAML problem's place is its own: the field is the field a script can look up (it held "(line 2, column 20)").
    const yaml = writeConfig(
      dir,
      `clusters:\n  - {name: c0, clusterUrl: ${URL}, runaiVersion: 0x14, tls: {source: existing}}\n`,
      'hex.yaml',
    );
    expect(JSON.parse(runInProcess(['validate', '--json', '--config', yaml]).stdout).findings).toEqual([
      expect.objectContaining({ code: 'config', field: 'clusters[0].runaiVersion', line: 2, column: 61 }),
    ]);
    const tab = writeConfig(dir, 'clusters:\n\t- name: c0\n', 'tab.yaml');
    expect(JSON.parse(runInProcess(['validate', '--json', '--config', tab]).stdout).findings).toEqual([
      expect.objectContaining({ code: 'config', field: '', line: 2, column: 1 }),
    ]);
    const expired = JSON.parse(runInProcess(['validate', '--json', '--config', config('expired')]).stdout);
    expect(expired.findings.map((f: { code: string; cluster: string }) => [f.code, f.cluster])).toEqual([['leaf-expired', 'c0']]);
  });

  test('each finding of a field says where the field is: a value, an unknown key, a key left out (where what holds it is), a key with dots', () => {
    const file = writeConfig(
      dir,
      [
        'clusters:',
        '  - name: a',
        '    clusterUrl: runai',
        '    tls: {source: existing}',
        '  - name: b',
        `    clusterUrl: ${URL}`,
        '    tlss: {source: existing}',
        '  - name: c',
        `    clusterUrl: ${URL}`,
        '    tls:',
        '      source: files',
        '      keyFile: pki/good.key',
        '',
      ].join('\n'),
      'places.yaml',
    );
    const places = (config: string) =>
      JSON.parse(runInProcess(['validate', '--json', '--config', config]).stdout).findings.map(
        (f: { field: string; line: number; column: number }) => `${f.field} ${f.line}:${f.column}`,
      );
    expect(places(file)).toEqual([
      'clusters[0].clusterUrl 3:5',
      'clusters[1].tlss 7:5',
      // Left out: the place is that of what holds it, tls, and the cluster (where its first key is).
      'clusters[2].tls.certFile 10:5',
      'clusters[1].tls 5:5',
    ]);
    const warned = writeConfig(
      dir,
      `clusters:\n  - name: d\n    clusterUrl: ${URL}\n    tls: {source: existing}\n    ingress:\n      annotations:\n        kubernetes.io/ingress.class: nginx\n`,
      'warned.yaml',
    );
    expect(places(warned)).toEqual(['clusters[0].ingress.annotations.kubernetes.io/ingress.class 7:9']);
    // A byte-order mark is no column of line 1: an editor puts clusterz at 1:1.
    const bom = path.join(dir, 'bom.yaml');
    fs.writeFileSync(bom, '\ufeffclusterz: []\n');
    expect(places(bom)).toEqual(['clusterz 1:1']);
  });

  test("a config problem of a cluster names that cluster, as its certificate's findings do; a name the schema refuses is not repeated", () => {
    const file = writeConfig(
      dir,
      `clusters:\n  - {name: ok, clusterUrl: ${URL}, tls: {source: existing}}\n  - {name: lab, clusterUrl: lab.example.com, tls: {source: existing}, routingMode: host}\n` +
        '  - {name: Bad, clusterUrl: bad.example.com, tls: {source: existing}}\n',
      'named.yaml',
    );
    const report = JSON.parse(runInProcess(['validate', '--json', '--config', file]).stdout);
    expect(report.findings.map((f: { cluster: string | null; field: string }) => [f.field, f.cluster])).toEqual([
      ['clusters[1].routingMode', 'lab'],
      ['clusters[2].name', null],
    ]);
  });
});

test('validate names the Gateway API mode of a cluster', () => {
  const file = writeConfig(
    dir,
    'clusters:\n  - {name: gw, clusterUrl: runai.example.com, exposure: gateway-api, gateway: {name: runai-gateway, namespace: runai, className: kgateway}, tls: {source: existing}}\n',
    'gw.yaml',
  );
  const r = runInProcess(['validate', '--config', file]);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('gw  runai.example.com  (saas, Gateway API runai/runai-gateway)');
});

test("a byte-order mark's fix names the certificate file as reached from the folder the command runs in, and works as written (it said FILE)", () => {
  const parent = tempDir();
  const certs = path.join(parent, 'repo', 'certs');
  fs.mkdirSync(certs, { recursive: true });
  const cert = path.join(certs, 'my chain.pem');
  fs.writeFileSync(cert, Buffer.concat([Buffer.from('\ufeff'), fs.readFileSync(path.join(dir, 'pki', 'good-chain.pem'))]));
  fs.copyFileSync(path.join(dir, 'pki', 'good.key'), path.join(certs, 'good.key'));
  writeConfig(
    path.join(parent, 'repo'),
    `clusters:\n  - name: prod\n    clusterUrl: ${URL}\n    tls: {source: files, certFile: "certs/my chain.pem", keyFile: certs/good.key}\n`,
  );
  const validate = () => runInProcess(['validate', '--config', 'repo/runai-access.yaml', '--at', '2029-06-01'], { cwd: parent });
  const r = validate();
  expect(r.status).toBe(2);
  // The config names it from its own folder; the command, run from parent, from there.
  const quoted = "'repo/certs/my chain.pem'";
  const command = `tail -c +4 ${quoted} > ${quoted}.new && mv ${quoted}.new ${quoted}`;
  expect(/certs\/my chain\.pem starts with a UTF-8 byte-order mark, .*\((tail -c .*?)\), or save/.exec(r.stderr)?.[1]).toBe(command);
  execSync(command, { cwd: parent, shell: '/bin/sh' });
  expect(fs.readFileSync(cert, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  expect(validate()).toMatchObject({ status: 0, stderr: expect.not.stringContaining('byte-order mark') });
});

test('a fix command names a file whose name holds "$&" or "$$" as it is (a replacement pattern made it another name)', () => {
  const parent = tempDir();
  const cert = path.join(parent, 'a$&b$$.pem');
  fs.writeFileSync(cert, Buffer.concat([Buffer.from('\ufeff'), fs.readFileSync(path.join(dir, 'pki', 'good-chain.pem'))]));
  fs.copyFileSync(path.join(dir, 'pki', 'good.key'), path.join(parent, 'good.key'));
  writeConfig(
    parent,
    `clusters:\n  - name: prod\n    clusterUrl: ${URL}\n    tls: {source: files, certFile: "a$&b$$.pem", keyFile: good.key}\n`,
  );
  const r = runInProcess(['validate', '--at', '2029-06-01'], { cwd: parent });
  expect(r.stderr).toContain("(tail -c +4 'a$&b$$.pem' > 'a$&b$$.pem'.new && mv 'a$&b$$.pem'.new 'a$&b$$.pem')");
});

test("a certificate's own text that says FILE stays as it is: only fix commands have the file's name put in", () => {
  pki.issue('file-word', { cn: 'FILE', dns: ['FILE.example.org'], issuer: 'root', end: '20300115000000Z' });
  pki.chain('file-word-chain.pem', 'file-word', 'root');
  const r = runInProcess(['validate', '--config', config('file-word'), '--at', '2029-06-01']);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('FILE.example.org');
  expect(r.stderr).not.toContain('file-word-chain.pem.example.org');
});
