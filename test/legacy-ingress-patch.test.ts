import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { isPatchScript, LegacyIngressTlsPatch, readPatchScript } from '../lib/constructs/legacy-ingress-patch';
import { RunaiTlsSecret } from '../lib/constructs/tls-secret';
import { ControlPlane } from '../lib/model/control-plane';
import { ValidationError } from '../lib/model/errors';
import { testChart } from './chart-scope';
import { kubectl, tempDir, yamlDocs } from './helpers';

function patch(deployment: ControlPlane, secretNamespace = deployment.legacyNamespace) {
  return new LegacyIngressTlsPatch(testChart(), 'P', {
    clusterUrl: 'runai.example.com',
    deployment,
    secret: RunaiTlsSecret.fromExisting(secretNamespace),
  });
}

/** The existing Run:ai ingress as a cluster would have it, with its own tls entry. */
function existingIngress(name: string, namespace: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  ingressClassName: nginx
  rules:
    - host: runai.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: researcher-service, port: {number: 4180}}}}]}
  tls: [{hosts: [runai.example.com], secretName: runai-cluster-domain-tls-secret}]
`;
}

const WILDCARD_TLS = { hosts: ['*.runai.example.com'], secretName: 'runai-cluster-domain-star-tls-secret' };

describe('LegacyIngressTlsPatch', () => {
  test('SaaS patches researcher-service-ingress in runai, exactly as the Run:ai docs do', () => {
    const p = patch(ControlPlane.SAAS);
    expect([p.ingressName, p.namespace]).toEqual(['researcher-service-ingress', 'runai']);
    expect(p.operations).toEqual([{ op: 'add', path: '/spec/tls/-', value: WILDCARD_TLS }]);
  });

  test('self-hosted patches runai-backend-ingress in runai-backend', () => {
    const p = patch(ControlPlane.SELF_HOSTED);
    expect([p.ingressName, p.namespace]).toEqual(['runai-backend-ingress', 'runai-backend']);
    expect(p.operations[0].value).toEqual(WILDCARD_TLS);
  });

  test('writes the patch as JSON and the script beside it, in patches/, out of kubectl apply -f', () => {
    const files = patch(ControlPlane.SAAS).outputFiles();
    expect(files.map((f) => [f.path, f.mode])).toEqual([
      ['patches/researcher-service-ingress-tls.json', 0o644],
      ['patches/researcher-service-ingress-tls-create.json', 0o644],
      ['patches/apply-researcher-service-ingress-tls.sh', 0o755],
    ]);
    expect(JSON.parse(files[0].content)).toEqual([{ op: 'add', path: '/spec/tls/-', value: WILDCARD_TLS }]);
    expect(JSON.parse(files[1].content)).toEqual([{ op: 'add', path: '/spec/tls', value: [WILDCARD_TLS] }]);
    expect(files[2].content.startsWith('#!/bin/sh\n')).toBe(true);
  });

  test.each([ControlPlane.SAAS, ControlPlane.SELF_HOSTED])(
    'its script reads back as the Ingress, namespace and host it patches (what a later synth names when the patch goes): %s',
    (deployment) => {
      const p = patch(deployment);
      const script = p.outputFiles().find((f) => f.path === p.scriptPath)!;
      expect(isPatchScript(path.basename(script.path))).toBe(true);
      expect(readPatchScript(script.content)).toEqual({ ingress: p.ingressName, namespace: p.namespace, host: '*.runai.example.com' });
      // The folder's other files, a name with no Ingress in it, and a script without those lines are none.
      expect(p.outputFiles().filter((f) => isPatchScript(path.basename(f.path)))).toEqual([script]);
      expect(isPatchScript('apply-tls.sh')).toBe(false);
      expect(readPatchScript(script.content.replace(/^host=.*\n/m, ''))).toBeUndefined();
      // A line edited by hand to a name the API server refuses (shell, an escape, a value over two lines) is none either.
      for (const [line, value] of [
        ['ingress', 'x $(touch pwned)'],
        ['namespace', 'runai\u001b[2K'],
        ['host', '*.runai.example.com\nrm -rf'],
        ['ingress', 'Runai-Backend-Ingress'],
      ]) {
        expect(readPatchScript(script.content.replace(new RegExp(`^${line}='[^']*'$`, 'm'), `${line}='${value}'`))).toBeUndefined();
      }
    },
  );

  test('fails when the secret is not in the patched ingress namespace', () => {
    expect(() => patch(ControlPlane.SELF_HOSTED, 'runai')).toThrow(
      new ValidationError(
        'secret: namespace "runai" must be "runai-backend", the namespace of runai-backend-ingress; an ingress can only use a tls secret of its own namespace',
      ),
    );
  });

  test('fails when clusterUrl is not a normalized host name', () => {
    expect(
      () =>
        new LegacyIngressTlsPatch(testChart(), 'P', {
          clusterUrl: 'https://runai.example.com',
          deployment: ControlPlane.SAAS,
          secret: RunaiTlsSecret.fromExisting('runai'),
        }),
    ).toThrow(/clusterUrl: "https:\/\/runai.example.com" must be a lower-case host name/);
  });

  test.each([ControlPlane.SAAS, ControlPlane.SELF_HOSTED])(
    'the JSON patch applies with real kubectl (%p) and appends the wildcard entry',
    (deployment) => {
      const dir = tempDir();
      const p = patch(deployment);
      fs.writeFileSync(path.join(dir, 'ingress.yaml'), existingIngress(p.ingressName, p.namespace));
      fs.writeFileSync(path.join(dir, 'patch.json'), p.outputFiles()[0].content);
      const out = yamlDocs(
        kubectl(['patch', '-f', 'ingress.yaml', '--local', '--type', 'json', '--patch-file', 'patch.json', '-o', 'yaml'], dir),
      )[0];
      expect(out.spec.tls).toEqual([{ hosts: ['runai.example.com'], secretName: 'runai-cluster-domain-tls-secret' }, WILDCARD_TLS]);
    },
  );

  describe('the apply script, against an ingress kept by real kubectl --local', () => {
    let dir: string;
    let run: (...args: string[]) => string;
    let ingress: string;
    const state = () => yamlDocs(fs.readFileSync(path.join(dir, 'state.yaml'), 'utf8'))[0];

    beforeAll(() => {
      dir = tempDir();
      const p = patch(ControlPlane.SAAS);
      fs.mkdirSync(path.join(dir, 'patches'));
      for (const f of p.outputFiles()) fs.writeFileSync(path.join(dir, f.path), f.content, { mode: f.mode });
      ingress = existingIngress(p.ingressName, p.namespace);
      // A kubectl that stands in for the cluster: it logs its arguments and answers get and
      // patch with the real kubectl working on state.yaml.
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(
        path.join(bin, 'kubectl'),
        `#!/bin/sh
set -eu
printf '%s\\n' "$*" >> "$FAKE_DIR/log"
verb=; out=; file=
while [ $# -gt 0 ]; do
  case "$1" in
    get|patch) [ -n "$verb" ] || verb=$1 ;;
    -o) shift; out=$1 ;;
    --patch-file) shift; file=$1 ;;
  esac
  shift
done
real=$REAL_KUBECTL
case "$verb" in
  get) exec "$real" patch -f "$FAKE_DIR/state.yaml" --local --type merge -p '{}' -o "$out" ;;
  patch) "$real" patch -f "$FAKE_DIR/state.yaml" --local --type json --patch-file "$file" -o yaml > "$FAKE_DIR/next.yaml"
         mv "$FAKE_DIR/next.yaml" "$FAKE_DIR/state.yaml"; echo "ingress patched" ;;
esac
`,
        { mode: 0o755 },
      );
      const real = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
      run = (...args) =>
        execFileSync('sh', [path.join(dir, 'patches', 'apply-researcher-service-ingress-tls.sh'), ...args], {
          cwd: '/',
          encoding: 'utf8',
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_DIR: dir, REAL_KUBECTL: real },
        });
    });

    // Each test starts from the ingress as Run:ai made it, whatever ran before.
    beforeEach(() => {
      fs.writeFileSync(path.join(dir, 'state.yaml'), ingress);
      fs.rmSync(path.join(dir, 'log'), { force: true });
    });

    test('adds the wildcard entry when it is missing, from any working directory', () => {
      expect(run()).toBe('ingress patched\n');
      expect(state().spec.tls).toHaveLength(2);
      expect(state().spec.tls[1]).toEqual(WILDCARD_TLS);
    });

    test('does nothing on a second run: no duplicate entry', () => {
      expect(run()).toBe('ingress patched\n');
      expect(run()).toBe('ingress runai/researcher-service-ingress already has tls for *.runai.example.com; nothing to do\n');
      expect(state().spec.tls).toHaveLength(2);
    });

    test('creates the tls array when the ingress has none, then stays idempotent', () => {
      fs.writeFileSync(path.join(dir, 'state.yaml'), ingress.replace(/ {2}tls: .*\n/, ''));
      expect(state().spec.tls).toBeUndefined();
      expect(run()).toBe('ingress patched\n');
      expect(state().spec.tls).toEqual([WILDCARD_TLS]);
      expect(run()).toBe('ingress runai/researcher-service-ingress already has tls for *.runai.example.com; nothing to do\n');
      expect(state().spec.tls).toEqual([WILDCARD_TLS]);
    });

    test('passes extra arguments to every kubectl call', () => {
      run('--context', 'prod');
      const log = fs.readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n');
      expect(log).toHaveLength(2);
      expect(log[0]).toMatch(/^--context prod get ingress researcher-service-ingress -n runai -o jsonpath=/);
      expect(log[1]).toMatch(/^--context prod patch ingress researcher-service-ingress -n runai --type json --patch-file /);
    });
  });
});

describe('the apply script with --file, without a cluster (real kubectl patch --local)', () => {
  let dir: string;
  const p = patch(ControlPlane.SELF_HOSTED);
  const script = () => path.join(dir, p.scriptPath);
  const run = (...args: string[]) =>
    spawnSync('sh', [script(), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });

  beforeAll(() => {
    dir = tempDir();
    fs.mkdirSync(path.join(dir, 'patches'));
    for (const f of p.outputFiles()) fs.writeFileSync(path.join(dir, f.path), f.content, { mode: f.mode });
    fs.writeFileSync(path.join(dir, 'with-tls.yaml'), existingIngress(p.ingressName, p.namespace));
    fs.writeFileSync(path.join(dir, 'no-tls.yaml'), existingIngress(p.ingressName, p.namespace).replace(/ {2}tls: .*\n/, ''));
  });

  test('appends the wildcard entry to an ingress with tls, and prints it unchanged the second time', () => {
    const once = run('--file', 'with-tls.yaml');
    expect(once.status).toBe(0);
    const patched = yamlDocs(once.stdout)[0];
    expect(patched.spec.tls).toEqual([{ hosts: ['runai.example.com'], secretName: 'runai-cluster-domain-tls-secret' }, WILDCARD_TLS]);
    expect(patched.spec.rules).toEqual(yamlDocs(existingIngress(p.ingressName, p.namespace))[0].spec.rules);
    fs.writeFileSync(path.join(dir, 'once.yaml'), once.stdout);
    const twice = run('--file=once.yaml');
    expect(twice.status).toBe(0);
    expect(yamlDocs(twice.stdout)[0]).toEqual(patched);
    expect(twice.stderr).toBe('ingress runai-backend/runai-backend-ingress already has tls for *.runai.example.com; printed unchanged\n');
  });

  test("creates the tls array on an ingress without tls, where the docs' add /spec/tls/- fails", () => {
    const docsPatch = spawnSync(
      'kubectl',
      ['patch', '--local', '-f', 'no-tls.yaml', '--type', 'json', '--patch-file', p.patchPath, '-o', 'yaml'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(docsPatch.status).not.toBe(0);
    const once = run('--file', 'no-tls.yaml');
    expect(once.status).toBe(0);
    expect(yamlDocs(once.stdout)[0].spec.tls).toEqual([WILDCARD_TLS]);
    fs.writeFileSync(path.join(dir, 'once-no-tls.yaml'), once.stdout);
    expect(yamlDocs(run('--file', 'once-no-tls.yaml').stdout)[0].spec.tls).toEqual([WILDCARD_TLS]);
  });

  test('fails when --file names no file, or another object', () => {
    expect(run('--file').status).toBe(2);
    expect(run('--file').stderr).toBe("--file: needs an ingress YAML file that exists, got ''\n");
    expect(run('--file', 'missing.yaml').status).toBe(2);
    fs.writeFileSync(path.join(dir, 'other.yaml'), existingIngress('someone-else', p.namespace));
    const other = run('--file', 'other.yaml');
    expect([other.status, other.stderr]).toEqual([2, '--file: other.yaml does not hold ingress runai-backend-ingress\n']);
    expect(other.stdout).toBe('');
  });

  test('fails when --file is empty, as `kubectl get … > FILE` leaves it without a cluster: says how to fill it (exit 2)', () => {
    fs.writeFileSync(path.join(dir, 'empty.yaml'), '');
    const r = run('--file', 'empty.yaml');
    expect([r.status, r.stdout, r.stderr]).toEqual([
      2,
      '',
      '--file: empty.yaml is empty; save the ingress in it first: kubectl get ingress runai-backend-ingress -n runai-backend -o yaml > empty.yaml\n',
    ]);
  });

  test('fails when --file is given empty (--file "", --file=, an unset variable): never the live cluster by mistake (exit 2)', () => {
    for (const args of [['--file', ''], ['--file='], ['--request-timeout=2s', '--server=https://127.0.0.1:9', '--file', '']]) {
      const r = run(...args);
      expect([r.status, r.stdout, r.stderr]).toEqual([2, '', "--file: needs an ingress YAML file that exists, got ''\n"]);
    }
  });

  test("a file name with a backslash is printed as it is (printf, not dash's echo), and the hint keeps the kubectl arguments given", () => {
    fs.writeFileSync(path.join(dir, 'x\\cy.yaml'), '');
    const r = run('--context', 'prod', '--file', 'x\\cy.yaml');
    expect([r.status, r.stderr]).toEqual([
      2,
      '--file: x\\cy.yaml is empty; save the ingress in it first: kubectl --context prod get ingress runai-backend-ingress -n runai-backend -o yaml > x\\cy.yaml\n',
    ]);
  });

  test('fails when --file is no Kubernetes object: kubectl says why, then one line of the script (exit 2)', () => {
    fs.writeFileSync(path.join(dir, 'text.yaml'), 'just some text\n');
    const r = run('--file', 'text.yaml');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      '--file: kubectl could not read text.yaml as ingress runai-backend-ingress (its message is above)',
    );
  });

  test("fails when the cluster cannot be read: after kubectl's message, a line that names the ingress and the two ways on (exit 1)", () => {
    // With no kubeconfig and no arguments, kubectl tries localhost:8080 (nothing listens on it here).
    const bare = run();
    expect([bare.status, bare.stdout]).toEqual([1, '']);
    expect(bare.stderr.trimEnd().split('\n').at(-1)).toBe(
      "could not read ingress runai-backend/runai-backend-ingress from the cluster (kubectl's message is above): pass --context NAME, " +
        'or patch a saved copy with --file',
    );
    // Given kubectl's arguments (a --context), the line points at them instead of asking for one, and does not print them (a token).
    const token = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ';
    const r = run('--request-timeout=2s', '--server=https://127.0.0.1:9', `--token=${token}`);
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      "could not read ingress runai-backend/runai-backend-ingress from the cluster (kubectl's message is above): check the " +
        'kubectl arguments given to this script, or patch a saved copy with --file',
    );
    expect(r.stderr).not.toContain(token);
  });
});
