import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { workspaceUrls } from '../lib/cli/workspace-url';
import { parseConfig } from '../lib/config/load';
import { ClusterSpec } from '../lib/config/spec';
import { InputError } from '../lib/model/errors';
import { parseTlsPair, summarize } from '../lib/tls/inspect';
import { asNobody, DEMO_CERT, DEMO_KEY, demoConfig, runInProcess, tempDir, writeConfig } from './helpers';
import { Pki } from './pki';

const base = parseConfig('clusters:\n  - {name: prod, clusterUrl: runai.example.com, tls: {source: existing}}\n', 'c.yaml', '/')
  .clusters[0];

function messages(fn: () => unknown): string[] {
  try {
    fn();
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) => p.message);
  }
}

test('host-based and path-based URLs, with a note when the certificate was not checked', () => {
  expect(workspaceUrls(base, 'team-a', 'nb1')).toEqual({
    hostBased: 'https://team-a-nb1.runai.example.com/',
    pathBased: 'https://runai.example.com/team-a/nb1',
    notes: ['the certificate of cluster prod is not read here (tls.source: existing), so it was not checked'],
  });
});

test("fails when the cluster's certificate does not cover the host", () => {
  const pki = new Pki(tempDir());
  pki.issue('other', { cn: 'other', dns: ['*.other.example.com'] });
  const pair = parseTlsPair(fs.readFileSync(pki.file('other')), fs.readFileSync(pki.file('other', 'key')));
  const cluster: ClusterSpec = {
    ...base,
    tls: {
      source: 'files',
      certificatePem: Buffer.from(''),
      privateKeyPem: Buffer.from(''),
      certificate: summarize(pair)!,
      commitPlaintextKey: false,
    },
  };
  // The config's field, where it is mended, not --cluster, which chose the right cluster.
  expect(() => workspaceUrls(cluster, 'team-a', 'nb1', 'gitops/runai-access.yaml')).toThrow(InputError);
  const problems = (() => {
    try {
      return workspaceUrls(cluster, 'team-a', 'nb1', 'gitops/runai-access.yaml') && [];
    } catch (e) {
      return (e as InputError).problems.map((p) => `${p.source}: ${p.path}: ${p.message}`);
    }
  })();
  expect(problems).toEqual([
    'gitops/runai-access.yaml: clusters[0].tls.certFile: the certificate of cluster prod (names: *.other.example.com) does not cover ' +
      'team-a-nb1.runai.example.com: it needs *.runai.example.com, which covers every workspace of the cluster',
  ]);
});

test('fails when a name is not a DNS label, naming each flag', () => {
  expect(messages(() => workspaceUrls(base, '-a', 'B'))).toEqual([
    '--project: "-a" is not a Run:ai name: a DNS label of a-z, 0-9 and "-"',
    '--workload: "B" is not a Run:ai name: a DNS label of a-z, 0-9 and "-"',
  ]);
});

test('fails when a name of the right characters is longer than a DNS label: the length is named, not the characters', () => {
  expect(messages(() => workspaceUrls(base, 'a'.repeat(64), 'nb.1'.repeat(16)))).toEqual([
    `--project: "${'a'.repeat(64)}" is not a Run:ai name: 64 characters, where a DNS label has at most 63`,
    `--workload: "${'nb.1'.repeat(16)}" is not a Run:ai name: a DNS label of a-z, 0-9 and "-"`,
  ]);
});

test('url works in a clone without the private key, as check and validate do', () => {
  const dir = tempDir();
  const config = writeConfig(dir, demoConfig('', DEMO_CERT, path.join(dir, 'missing.key')));
  const r = runInProcess(['url', '--config', config, '--cluster', 'demo', '--project', 'team-a', '--workload', 'nb1']);
  expect(r.stdout).toBe('host-based: https://team-a-nb1.runai.example.com/\npath-based: https://runai.example.com/team-a/nb1\n');
  expect(r.status).toBe(0);
});

test("url never reads the private key: one it may not read (root's 0600 key, run as uid 65534 with setpriv) does not stop it", () => {
  const dir = tempDir();
  fs.chmodSync(dir, 0o755);
  const cert = path.join(dir, 'fullchain.pem');
  const key = path.join(dir, 'private.key');
  fs.copyFileSync(DEMO_CERT, cert);
  fs.copyFileSync(DEMO_KEY, key);
  fs.chmodSync(cert, 0o644);
  fs.chmodSync(key, 0o600);
  const config = writeConfig(dir, demoConfig('', cert, key));
  fs.chmodSync(config, 0o644);
  const r = asNobody('url', '--config', config, '--cluster', 'demo', '--project', 'team-a', '--workload', 'nb1');
  expect([r.status, r.stdout, r.stderr]).toEqual([
    0,
    'host-based: https://team-a-nb1.runai.example.com/\npath-based: https://runai.example.com/team-a/nb1\n',
    '',
  ]);
  // synth, which needs it, says it cannot read it.
  expect(asNobody('validate', '--config', config).stderr).toMatch(/private\.key .*permission denied/);
});

test("url prints the URLs when the cluster's certificate has expired (a warning, which synth refuses), and says nothing of the key it never reads", () => {
  const dir = tempDir();
  const otherKey = path.join(dir, 'other.key');
  fs.writeFileSync(otherKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const config = writeConfig(dir, demoConfig('', DEMO_CERT, otherKey));
  const args = ['--config', config, '--at', '2200-01-01'];
  const r = runInProcess(['url', ...args, '--cluster', 'demo', '--project', 'team-a', '--workload', 'nb1']);
  expect([r.status, r.stdout]).toEqual([
    0,
    'host-based: https://team-a-nb1.runai.example.com/\npath-based: https://runai.example.com/team-a/nb1\n',
  ]);
  const codes = r.stderr.split('\n').map((l) => (l.startsWith('warning: ') ? /\[([a-z-]+)\]$/.exec(l)?.[1] : l));
  expect(codes).toEqual(['leaf-expired', 'chain-expired', 'chain-expired', '']);
  const synth = runInProcess(['synth', ...args, '--out', path.join(dir, 'dist')]);
  expect(synth.status).toBe(2);
  expect(synth.stderr).toMatch(/\[key-mismatch\]$/m);
  expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  // A certFile with no certificate in it: the URLs, and why the host's coverage was not checked (it said OpenShift's router).
  const garbage = path.join(dir, 'garbage.pem');
  fs.writeFileSync(garbage, 'not a certificate\n');
  const unread = runInProcess([
    'url',
    '--config',
    writeConfig(dir, demoConfig('', garbage, otherKey)),
    '--cluster',
    'demo',
    '--project',
    'p',
    '--workload',
    'w',
  ]);
  expect(unread.status).toBe(0);
  expect(unread.stderr).toMatch(/^warning: .*certFile: .*garbage\.pem holds no PEM certificate.*\[cert-no-pem\]$/m);
  expect(unread.stderr).toMatch(
    /^note: the certificate of cluster demo is not read here \(its certFile could not be read\), so it was not checked$/m,
  );
});

test('fails when the host is longer than a host name may be, on a cluster URL of 249 characters (it printed one)', () => {
  // At 249 characters, the longest the config takes with routing: host, the shortest workspace label (a-b) fits: 253 in all.
  const url = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(55)}.c`;
  const long = parseConfig(`clusters:\n  - {name: prod, clusterUrl: ${url}, tls: {source: existing}}\n`, 'c.yaml', '/').clusters[0];
  expect(messages(() => workspaceUrls(long, 'team-a', 'nb1'))).toEqual([
    `--workload: the host team-a-nb1.${url} is 260 characters; a host name has at most 253, so no workspace has it`,
  ]);
  expect(workspaceUrls(long, 'a', 'b').hostBased).toBe(`https://a-b.${url}/`);
});

test("fails when the cluster's certificate does not cover the host, through the CLI: the config's field, not --cluster (it blamed the flag)", () => {
  const dir = tempDir();
  const config = writeConfig(dir, demoConfig('').replace('clusterUrl: runai.example.com', 'clusterUrl: my.corp.com'));
  expect(fs.readFileSync(config, 'utf8')).toContain('clusterUrl: my.corp.com');
  const r = runInProcess(['url', '--config', config, '--cluster', 'demo', '--project', 'x', '--workload', 'y']);
  expect([r.status, r.stdout]).toEqual([2, '']);
  // One line: the certificate's coverage warning says the same of every workspace (it came first).
  expect(r.stderr.split('\n')).toHaveLength(2);
  // Its other warnings are still said.
  const expired = runInProcess(['url', '--config', config, '--at', '2200-01-01', '--cluster', 'demo', '--project', 'x', '--workload', 'y']);
  expect(expired.stderr).toMatch(/^warning: .*\[leaf-expired\]$/m);
  expect(expired.stderr).not.toContain('[leaf-host-not-covered]');
  expect(r.stderr.split('\n').at(-2)).toBe(
    `${config}: clusters[0].tls.certFile: the certificate of cluster demo (names: *.runai.example.com, runai.example.com) does not cover ` +
      'x-y.my.corp.com: it needs *.my.corp.com, which covers every workspace of the cluster',
  );
});
