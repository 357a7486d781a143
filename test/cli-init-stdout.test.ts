/**
 * `init`, `synth --stdout` and the messages and headers that name the real --config and --out,
 * through the CLI's run() in this process (`runInProcess`, and `run` with a stand-in terminal for
 * init's questions); init without a terminal through the real entry point.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { INIT_FILES } from '../lib/cli/init';
import { run } from '../lib/cli/run';
import { MARKER_TEXT } from '../lib/output/leftovers';
import {
  asNobody,
  DEMO_CERT,
  DEMO_KEY,
  KEY_BODY_LINES,
  kubectl,
  ROOT,
  runCli,
  runInProcess,
  tempDir,
  writeConfig,
  yamlDocs,
} from './helpers';

const SOURCES = ['files', 'existing', 'cert-manager', 'sealed-secret', 'external-secret'];

describe('init', () => {
  test('writes the config, .gitignore, both CI workflows and a README, each as promised', () => {
    const dir = path.join(tempDir(), 'gitops');
    const r = runInProcess([
      'init',
      dir,
      '--cluster-url',
      'https://runai.mycorp.com/',
      '--deployment',
      'self-hosted',
      '--runai-version',
      '2.18',
    ]);
    expect(r.status).toBe(0);
    for (const f of INIT_FILES) expect(fs.existsSync(path.join(dir, f))).toBe(true);
    const config = fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8');
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/runai-access/schema/runai-access.schema.json');
    expect(parse(config)).toEqual({
      clusters: [
        {
          name: 'runai',
          clusterUrl: 'runai.mycorp.com',
          deployment: 'self-hosted',
          runaiVersion: '2.18',
          tls: { source: 'files', certFile: 'certs/fullchain.pem', keyFile: 'certs/private.key' },
        },
      ],
    });
    const gitignore = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n');
    expect(gitignore).toEqual(expect.arrayContaining(['*.key', 'node_modules/']));
    expect(gitignore).not.toContain('dist/');
    const github = parse(fs.readFileSync(path.join(dir, '.github/workflows/runai-access.yml'), 'utf8'));
    expect(github.jobs.check.steps.filter((s: { run?: string }) => s.run).map((s: { run: string }) => s.run)).toEqual([
      'npm ci',
      './node_modules/.bin/runai-access validate --warn-days 30',
      './node_modules/.bin/runai-access check',
    ]);
    const gitlab = parse(fs.readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8'));
    expect(gitlab['runai-access'].script).toEqual([
      'npm ci',
      './node_modules/.bin/runai-access validate --warn-days 30',
      './node_modules/.bin/runai-access check',
    ]);
  });

  test.each(SOURCES)('the scaffolded config for tls source %s is valid', (source) => {
    const dir = tempDir();
    expect(runInProcess(['init', dir, '--tls-source', source]).status).toBe(0);
    const needsFiles = source === 'files' || source === 'sealed-secret';
    const r = runInProcess(['validate', '-q', '--require-keys'], { cwd: dir });
    if (!needsFiles) expect([r.status, r.stderr]).toEqual([0, '']);
    // With files, the only problems are the files the admin still has to put in place.
    else expect(r.stderr.split('\n').filter((l) => l && !/does not exist \(looked for [^)]*\) \[file-missing\]$/.test(l))).toEqual([]);
  });

  test('says to install runai-access first in a folder whose package.json does not list it, since its CI runs the installed bin', () => {
    const bare = path.join(tempDir(), 'bare');
    expect(runInProcess(['init', bare]).stderr).toContain(
      `next: install runai-access in ${bare}, which its CI runs from node_modules: npm init -y && npm install --save-dev --save-exact <path to runai-access-0.1.0.tgz> (README "GitOps")\n`,
    );
    const installed = tempDir();
    fs.writeFileSync(
      path.join(installed, 'package.json'),
      JSON.stringify({ devDependencies: { 'runai-access': 'file:runai-access-0.1.0.tgz' } }),
    );
    expect(runInProcess(['init', installed]).stderr).not.toContain('next: install runai-access');
  });

  test('asks for missing settings on a terminal and uses the answers; empty answers take the defaults', () => {
    const dir = tempDir();
    const questions: string[] = [];
    const answers = ['runai.lab.example.org', '', '2.21', 'existing'];
    const err: string[] = [];
    const code = run(['init', dir], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => err.push(t) },
      prompt: (q) => {
        questions.push(q);
        return answers.shift();
      },
    });
    expect(code).toBe(0);
    expect(questions).toEqual([
      'Run:ai cluster URL (host name) [runai.example.com]: ',
      'control plane (saas | self-hosted) [saas]: ',
      'Run:ai version, such as 2.20 (empty: current): ',
      'TLS source (files | existing | cert-manager | sealed-secret | external-secret) [files]: ',
    ]);
    expect(parse(fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8')).clusters[0]).toEqual({
      name: 'runai',
      clusterUrl: 'runai.lab.example.org',
      deployment: 'saas',
      runaiVersion: '2.21',
      tls: { source: 'existing' },
    });
  });

  test('without a terminal it asks nothing and uses the defaults', () => {
    const dir = tempDir();
    // A process whose stdin is a pipe, not a terminal: the entry point must not prompt.
    expect(runCli(['init', dir]).status).toBe(0);
    expect(parse(fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8')).clusters[0]).toMatchObject({
      clusterUrl: 'runai.example.com',
      deployment: 'saas',
      tls: { source: 'files' },
    });
  });

  test('fails when any file it would write exists, and writes nothing (exit 2)', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.github/workflows/runai-access.yml'), 'mine\n');
    const r = runInProcess(['init', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `init: ${path.join(dir, '.github/workflows/runai-access.yml')} already exists; init never overwrites a file: move it away or init another folder\n`,
    );
    expect(fs.readdirSync(dir)).toEqual(['.github']);
    expect(fs.readFileSync(path.join(dir, '.github/workflows/runai-access.yml'), 'utf8')).toBe('mine\n');
  });

  test.each([
    ['a regular file', () => writeConfig(tempDir(), 'x: 1\n', 'notes.txt'), 'a regular file'],
    ['a device', () => '/dev/null', 'a character device'],
  ])('fails when DIR is %s: one line naming it, and nothing written (exit 2)', (_, make, what) => {
    const dir = make();
    const before = fs.statSync(dir);
    const r = runInProcess(['init', dir]);
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: `init: ${dir} is ${what}, not a folder; give a folder (init makes it when it does not exist)\n`,
    });
    const after = fs.statSync(dir);
    expect([after.isFile(), after.isCharacterDevice(), after.size, after.mtimeMs]).toEqual([
      before.isFile(),
      before.isCharacterDevice(),
      before.size,
      before.mtimeMs,
    ]);
  });

  describe('a write that fails midway (a full disk, stood in for by a spy on fs.writeFileSync that throws ENOSPC)', () => {
    const realFs = jest.requireActual<typeof import('node:fs')>('node:fs');
    /** Runs init with ENOSPC on .gitlab-ci.yml, the fourth file, after three were written. */
    const initWithFullDisk = (dir: string) => {
      const write = realFs.writeFileSync;
      const spy = jest.spyOn(realFs, 'writeFileSync').mockImplementation((file, ...rest) => {
        if (String(file).endsWith('.gitlab-ci.yml')) {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: String(file) });
        }
        return write(file, ...rest);
      });
      try {
        return runInProcess(['init', dir]);
      } finally {
        spy.mockRestore();
      }
    };

    test('fails in a new DIR: one line, and DIR is removed again (exit 2)', () => {
      const parent = tempDir();
      const dir = path.join(parent, 'repo');
      expect(initWithFullDisk(dir)).toEqual({
        status: 2,
        stdout: '',
        stderr: `init: cannot write ${path.join(dir, '.gitlab-ci.yml')}: no space left on device (ENOSPC); init wrote nothing\n`,
      });
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    test('fails in a DIR with an empty .github: only what was there before is left (exit 2)', () => {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, '.github'));
      expect(initWithFullDisk(dir).stderr).toBe(
        `init: cannot write ${path.join(dir, '.gitlab-ci.yml')}: no space left on device (ENOSPC); init wrote nothing\n`,
      );
      expect(fs.readdirSync(dir)).toEqual(['.github']);
      expect(fs.readdirSync(path.join(dir, '.github'))).toEqual([]);
    });
  });

  test('fails when a folder init writes in is a file (.github), and writes nothing (exit 2)', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.github'), 'mine\n');
    const r = runInProcess(['init', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `init: ${path.join(dir, '.github')} is a regular file, not a folder; give a folder (init makes it when it does not exist)\n`,
    );
    expect(fs.readdirSync(dir)).toEqual(['.github']);
  });

  describe('run as uid 65534 with setpriv, where a folder cannot be written', () => {
    test('fails when DIR cannot be made: one line, no stack (exit 2)', () => {
      const parent = tempDir();
      fs.chmodSync(parent, 0o755); // root's: the unprivileged user may look, not write
      const r = asNobody('init', path.join(parent, 'repo'));
      expect(r).toMatchObject({ status: 2, stdout: '' });
      expect(r.stderr).toBe(`init: cannot write ${path.join(parent, 'repo')}: permission denied (EACCES); init wrote nothing\n`);
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    test('fails when .github cannot be written into, and takes back the files it wrote before (exit 2)', () => {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, '.github'), { mode: 0o555 });
      fs.chownSync(dir, 65534, 65534);
      fs.chownSync(path.join(dir, '.github'), 65534, 65534);
      const r = asNobody('init', dir);
      expect(r).toMatchObject({ status: 2, stdout: '' });
      expect(r.stderr).toBe(
        `init: cannot write ${path.join(dir, '.github', 'workflows')}: permission denied (EACCES); init wrote nothing\n`,
      );
      // runai-access.yaml and .gitignore come first in INIT_FILES: they were written, then removed.
      expect(INIT_FILES.indexOf('.github/workflows/runai-access.yml')).toBe(2);
      expect(fs.readdirSync(dir)).toEqual(['.github']);
      expect(fs.readdirSync(path.join(dir, '.github'))).toEqual([]);
    });
  });

  test('fails when a setting is invalid, one line per flag (exit 2)', () => {
    const dir = tempDir();
    const r = runInProcess([
      'init',
      dir,
      '--cluster-url',
      'runai.example.com:8443',
      '--deployment',
      'cloud',
      '--runai-version',
      '2.x',
      '--tls-source',
      'vault',
    ]);
    expect(r.status).toBe(2);
    expect(
      r.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':').slice(0, 2).join(':')),
    ).toEqual(['init: --cluster-url', 'init: --deployment', 'init: --runai-version', 'init: --tls-source']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('fails when given two folders (exit 2)', () => {
    const r = runInProcess(['init', 'a', 'b'], { cwd: tempDir() });
    expect([r.status, r.stderr]).toEqual([2, 'runai-access: b: unexpected argument; options take the form --config FILE\n']);
  });
});

test('synth --stdout --out D prints the SealedSecret D holds (the ciphertext is kept while the inputs are unchanged) and headers that name D', () => {
  const dir = tempDir();
  const controller = path.join(ROOT, 'test', 'fixtures', 'corpus', 'sealed-secrets-controller.pem');
  fs.mkdirSync(path.join(dir, 'cfg'));
  writeConfig(
    path.join(dir, 'cfg'),
    `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${controller}}\n`,
  );
  const out = path.join(dir, 'repo', 'dist');
  expect(runInProcess(['synth', '-q', '--config', 'cfg/runai-access.yaml', '--out', out], { cwd: dir }).status).toBe(0);
  const sealedFile = fs.readdirSync(path.join(out, 'a')).find((f) => f.includes('sealedsecret'))!;
  const written = fs.readFileSync(path.join(out, 'a', sealedFile), 'utf8');
  const sealed = (text: string) => yamlDocs(text).find((d) => d.kind === 'SealedSecret');
  const printed = runInProcess(['synth', '--stdout', '--config', 'cfg/runai-access.yaml', '--out', out], { cwd: dir });
  expect(printed.status).toBe(0);
  expect(sealed(printed.stdout)).toEqual(sealed(written));
  expect(printed.stdout).toContain(written.split('\n')[0]); // the header, naming the config from D
  const elsewhere = runInProcess(['synth', '--stdout', '--config', 'cfg/runai-access.yaml'], { cwd: dir });
  expect(sealed(elsewhere.stdout).spec.encryptedData).not.toEqual(sealed(written).spec.encryptedData);
});

test('a SealedSecret ciphertext edited by hand is drift: check exits 1, synth seals again', () => {
  const dir = tempDir();
  const controller = path.join(ROOT, 'test', 'fixtures', 'corpus', 'sealed-secrets-controller.pem');
  writeConfig(
    dir,
    `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${controller}}\n`,
  );
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
  const file = path.join(
    'dist',
    'a',
    fs.readdirSync(path.join(dir, 'dist', 'a')).find((f) => f.includes('sealedsecret'))!,
  );
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  fs.writeFileSync(path.join(dir, file), text.replace(/tls\.key: \S+/, 'tls.key: AAAA'));
  expect(runInProcess(['check', '-q'], { cwd: dir })).toMatchObject({ status: 1, stdout: `changed ${file}\n` });
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
  expect(fs.readFileSync(path.join(dir, file), 'utf8')).not.toContain('tls.key: AAAA');
  expect(runInProcess(['check', '-q'], { cwd: dir }).status).toBe(0);
});

test("check's advice when the output lost its marker: restore it first, since synth will not replace the folder without it", () => {
  const dir = tempDir();
  writeConfig(dir, `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n`);
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
  fs.rmSync(path.join(dir, 'dist', '.runai-access'));
  const r = runInProcess(['check', '-q'], { cwd: dir });
  expect(r).toMatchObject({ status: 1, stdout: 'missing dist/.runai-access\n' });
  expect(r.stderr).toBe(
    'dist differs from runai-access.yaml in 1 file; restore dist/.runai-access (git checkout -- dist/.runai-access), without which synth will not replace the folder, then run: npx runai-access synth\n',
  );
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(2); // what the advice works around
  fs.writeFileSync(path.join(dir, 'dist', '.runai-access'), MARKER_TEXT);
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
  expect(runInProcess(['check', '-q'], { cwd: dir }).status).toBe(0);
});

test('paths that are plain to a person but not to shownBare, such as "clusters (prod)" or "zürich", are shown and written as they are', () => {
  const dir = tempDir();
  for (const sub of ['clusters (prod)', 'sites/zürich']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
    const config = writeConfig(
      path.join(dir, sub),
      `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n`,
    );
    const out = path.join(dir, sub, 'out');
    const r = runInProcess(['synth', '--config', config, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`from ${config} to ${out}/`);
    const header = fs
      .readFileSync(
        path.join(
          out,
          'a',
          fs.readdirSync(path.join(out, 'a')).find((f) => f.endsWith('.yaml'))!,
        ),
        'utf8',
      )
      .split('\n')[0];
    expect(header).not.toContain('not shown');
    fs.appendFileSync(path.join(out, 'a', '.gitignore'), '#');
    expect(runInProcess(['check', '--config', config, '--out', out]).stderr).toContain(`${out} differs from ${config}`);
  }
});

describe('synth --stdout', () => {
  const config = (dir: string) =>
    fs.writeFileSync(
      path.join(dir, 'runai-access.yaml'),
      `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n    expose: [{project: p, workload: w, type: port-forward, ports: ["8888"]}]\n  - name: b\n    clusterUrl: runai.example.org\n    runaiVersion: "2.10"\n    tls: {source: existing}\n`,
    );

  test('prints every object as multi-document YAML, leaves the key out with a note, and writes nothing', () => {
    const dir = tempDir();
    config(dir);
    const r = runInProcess(['synth', '--stdout'], { cwd: dir });
    expect(r.status).toBe(0);
    const docs = yamlDocs(r.stdout);
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      // a takes the 2.25 profile: subdomainSupport goes by Helm values, so its folder has no RunaiConfig.
      'Ingress/runai/runai-cluster-domain-star-ingress',
      'Service/runai-p/w',
      'RunaiConfig/runai/runai',
    ]);
    expect(r.stdout).not.toMatch(/PRIVATE KEY|tls\.key/);
    for (const line of KEY_BODY_LINES) expect(r.stdout).not.toContain(line);
    expect(r.stderr).toBe(
      [
        'warning: runai-access.yaml: clusters[1].runaiVersion: ingress-nginx was retired in March 2026: no releases or security fixes since (https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/); upgrade Run:ai to 2.13 or later, then move with migration: {to: haproxy | traefik | gateway-api, phase: 1} (README "Leaving ingress-nginx") [controller-retired]',
        'note: left out a: Secret runai/runai-cluster-domain-star-tls-secret (holds the private key, mode 0600); add --include-secrets to print it',
        'note: not printed a: helm/runai-cluster-values.yaml (Helm values fragment for the Run:ai cluster release); write the folder with synth to use it',
        'note: not printed b: patches/apply-researcher-service-ingress-tls.sh (applies that patch unless ingress runai/researcher-service-ingress already has it); write the folder with synth to use it',
        '',
      ].join('\n'),
    );
    expect(fs.readdirSync(dir)).toEqual(['runai-access.yaml']);
  });

  test('with --include-secrets, the Secret comes first, exactly as kubectl create secret tls writes it', () => {
    const dir = tempDir();
    config(dir);
    const r = runInProcess(['synth', '--stdout', '--include-secrets'], { cwd: dir });
    expect(r.status).toBe(0);
    const docs = yamlDocs(r.stdout);
    expect(docs[0]).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/tls' });
    const reference = yamlDocs(
      kubectl(['create', 'secret', 'tls', 'x', '--cert', DEMO_CERT, '--key', DEMO_KEY, '--dry-run=client', '-o', 'yaml']),
    )[0];
    expect(docs[0].data).toEqual(reference.data);
    expect(docs).toHaveLength(4);
  });

  test('fails when --include-secrets is given without --stdout (exit 2)', () => {
    const dir = tempDir();
    config(dir);
    const r = runInProcess(['synth', '--include-secrets'], { cwd: dir });
    expect([r.status, r.stderr]).toEqual([
      2,
      'runai-access: --include-secrets: only with --stdout; synth writes every Secret to its folder\n',
    ]);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});

describe('messages and headers name the real --config and --out', () => {
  test('generated files name the config and check advice names both', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'conf'));
    fs.writeFileSync(
      path.join(dir, 'conf', 'prod.yaml'),
      `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    runaiVersion: "2.10"\n    tls: {source: existing}\n`,
    );
    expect(runInProcess(['synth', '-q', '--config', 'conf/prod.yaml', '--out', 'out/prod'], { cwd: dir }).status).toBe(0);
    const command = 'npx runai-access synth --config conf/prod.yaml --out out/prod';
    // The header names the config from the folder that holds the output folder, never the output folder itself.
    const header =
      '# Generated by runai-access: change its config (../conf/prod.yaml) and run `npx runai-access synth --config ../conf/prod.yaml` beside the output folder instead of editing this file.';
    expect(fs.readFileSync(path.join(dir, 'out/prod/a/20-runaiconfig-runai.yaml'), 'utf8').split('\n')[0]).toBe(header);
    expect(fs.readFileSync(path.join(dir, 'out/prod/a/patches/apply-researcher-service-ingress-tls.sh'), 'utf8').split('\n')[1]).toBe(
      header,
    );
    expect(runInProcess(['check', '-c', 'conf/prod.yaml', '-o', 'out/prod'], { cwd: dir }).status).toBe(0);
    fs.appendFileSync(path.join(dir, 'conf', 'prod.yaml'), '    subdomainSupport: false\n');
    const r = runInProcess(['check', '-c', 'conf/prod.yaml', '-o', 'out/prod'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter((l) => !l.includes('[controller-retired]'))).toEqual([
      `out/prod differs from conf/prod.yaml in 1 file; run: ${command}`,
      '',
    ]);
  });
});
