/**
 * `synth --stdout`, SealedSecrets kept and edited, check's advice, and the messages and headers
 * that name the real --config and --out, through the CLI's run() in this process. `init` is in
 * init.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { MARKER_TEXT } from '../lib/output/leftovers';
import { DEMO_CERT, DEMO_KEY, KEY_BODY_LINES, kubectl, ROOT, runInProcess, tempDir, writeConfig, yamlDocs } from './helpers';

/** A config of one cluster `a` with an existing TLS Secret, for Run:ai `version`. */
const oneCluster = (version: string) =>
  `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    runaiVersion: "${version}"\n    tls: {source: existing}\n`;

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

test('check names an extra file on one line whatever its name holds: a line break or an escape cannot forge a drift line', () => {
  const dir = tempDir();
  writeConfig(dir, `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n`);
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
  fs.writeFileSync(path.join(dir, 'dist', 'a', 'evil\n\u001b[31mchanged dist-x'), '');
  const r = runInProcess(['check', '-q'], { cwd: dir });
  expect(r).toMatchObject({ status: 1, stdout: 'extra   dist/a/evil\\n\\x1b[31mchanged dist-x\n' });
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
        'warning: runai-access.yaml: clusters[1].runaiVersion: ingress-nginx was retired in March 2026: no releases or security fixes since (https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/); upgrade Run:ai to 2.13 or later, then move with migration: {to: haproxy | traefik, phase: 1}, or to gateway-api once Run:ai is 2.25 or later (README "Leaving ingress-nginx") [controller-retired]',
        'note: left out a: Secret runai/runai-cluster-domain-star-tls-secret (holds the private key); add --include-secrets to print it',
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

  test("with --cluster, prints only that cluster's objects (for kubectl diff against its context), and its notes", () => {
    const dir = tempDir();
    config(dir);
    const r = runInProcess(['synth', '--stdout', '--cluster', 'b'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(yamlDocs(r.stdout).map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['RunaiConfig/runai/runai']);
    expect(r.stderr).not.toContain('left out a:');
    expect(r.stderr).toContain('note: not printed b: patches/apply-researcher-service-ingress-tls.sh');
    expect(r.stderr).toContain('warning: runai-access.yaml: clusters[1].runaiVersion: ingress-nginx was retired');
    // b's warning is not a's.
    const a = runInProcess(['synth', '--stdout', '--cluster', 'a'], { cwd: dir });
    expect(yamlDocs(a.stdout).map((d) => d.kind)).toEqual(['Ingress', 'Service']);
    expect(a.stderr).not.toContain('clusters[1]');
    expect(a.stderr).toContain('note: left out a: Secret runai/runai-cluster-domain-star-tls-secret');
  });

  test("with --cluster, another cluster's certificate problem does not stop it, nor url; synth of every cluster still fails", () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'runai-access.yaml'),
      `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n` +
        `  - name: b\n    clusterUrl: runai.example.org\n    tls: {source: files, certFile: missing.pem, keyFile: ${DEMO_KEY}}\n` +
        `    expose: [{project: p, workload: w, type: load-balancer, ports: ["8888"]}]\n`,
    );
    const missing = /^runai-access\.yaml: clusters\[1\]\.tls\.certFile: missing\.pem does not exist/m;
    const a = runInProcess(['synth', '--stdout', '--cluster', 'a'], { cwd: dir });
    expect(a.status).toBe(0);
    expect(a.stderr).toContain('note: left out a: Secret runai/runai-cluster-domain-star-tls-secret');
    expect(a.stderr).not.toMatch(/clusters\[1\]|missing\.pem|warning/);
    expect(yamlDocs(a.stdout).map((d) => d.kind)).toEqual(['Ingress']);
    const url = runInProcess(['url', '--cluster', 'a', '--project', 'p', '--workload', 'w'], { cwd: dir });
    expect([url.status, url.stdout]).toEqual([
      0,
      'host-based: https://p-w.runai.example.com/\npath-based: https://runai.example.com/p/w\n',
    ]);
    // b's own: the problem under b's place in the config, and b's warning.
    const b = runInProcess(['synth', '--stdout', '--cluster', 'b'], { cwd: dir });
    expect([b.status, b.stdout]).toEqual([2, '']);
    expect(b.stderr).toMatch(missing);
    expect(b.stderr).toContain('clusters[1].expose[0]: load balancer');
    const all = runInProcess(['synth'], { cwd: dir });
    expect(all.status).toBe(2);
    expect(all.stderr).toMatch(missing);
    expect(fs.readdirSync(dir)).toEqual(['runai-access.yaml']);
  });

  test.each([
    [['--stdout', '--cluster', 'c'], 'runai-access: --cluster: c is not a cluster of runai-access.yaml; clusters: a, b\n'],
    [['--cluster', 'a'], "runai-access: --cluster: only with --stdout; synth writes every cluster's folder\n"],
  ])('fails when synth is given %j (exit 2), writing nothing', (flags, message) => {
    const dir = tempDir();
    config(dir);
    const r = runInProcess(['synth', ...flags], { cwd: dir });
    expect([
      r.status,
      r.stdout,
      r.stderr
        .split('\n')
        .filter((l) => !l.startsWith('warning:'))
        .join('\n'),
    ]).toEqual([2, '', message]);
    expect(fs.readdirSync(dir)).toEqual(['runai-access.yaml']);
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
    fs.writeFileSync(path.join(dir, 'conf', 'prod.yaml'), oneCluster('2.10'));
    expect(runInProcess(['synth', '-q', '--config', 'conf/prod.yaml', '--out', 'out/prod'], { cwd: dir }).status).toBe(0);
    const command = 'npx runai-access synth --config conf/prod.yaml --out out/prod';
    // The header names the config from the folder that holds the output folder, never the output folder itself.
    const header =
      '# Generated by runai-access: change its config (../conf/prod.yaml) and run `npx runai-access synth --config ../conf/prod.yaml --out prod` beside the output folder instead of editing this file.';
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

test('an output folder not named dist is named in the header: the command it gives writes that folder', () => {
  const dir = tempDir();
  writeConfig(dir, oneCluster('2.20'));
  expect(runInProcess(['synth', '-q', '--out', 'oc'], { cwd: dir }).status).toBe(0);
  const header = fs.readFileSync(path.join(dir, 'oc/a/10-ingress-runai-cluster-domain-star-ingress.yaml'), 'utf8').split('\n')[0];
  expect(header).toBe(
    '# Generated by runai-access: change its config (runai-access.yaml) and run `npx runai-access synth --out oc` beside the output folder instead of editing this file.',
  );
  // The command as given, run where the header says, finds the folder up to date.
  expect(runInProcess(['check', '-q', '--out', 'oc'], { cwd: dir }).status).toBe(0);
});

test('the same output folder reached through a link gets the same bytes, so check passes however --out is spelled', () => {
  const dir = tempDir();
  const repo = path.join(dir, 'repo');
  fs.mkdirSync(path.join(repo, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'conf', 'prod.yaml'), oneCluster('2.20'));
  fs.symlinkSync(repo, path.join(dir, 'link'));
  expect(runInProcess(['synth', '-q', '--config', 'conf/prod.yaml', '--out', 'dist'], { cwd: repo }).status).toBe(0);
  const header = fs.readFileSync(path.join(repo, 'dist/a/10-ingress-runai-cluster-domain-star-ingress.yaml'), 'utf8').split('\n')[0];
  expect(header).toContain('change its config (conf/prod.yaml)');
  // The same folder through the link: it read ../link/... before, and every file differed.
  expect(runInProcess(['check', '--config', 'conf/prod.yaml', '--out', path.join(dir, 'link', 'dist')], { cwd: repo }).status).toBe(0);
  expect(runInProcess(['synth', '-q', '--config', 'conf/prod.yaml', '--out', path.join(dir, 'link', 'dist')], { cwd: repo }).status).toBe(
    0,
  );
  expect(fs.readFileSync(path.join(repo, 'dist/a/10-ingress-runai-cluster-domain-star-ingress.yaml'), 'utf8').split('\n')[0]).toBe(header);
});

test('a config that is a link keeps the default header: the link is the config, as it was before headers related physical folders', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'configs'));
  fs.writeFileSync(path.join(dir, 'configs', 'prod.yaml'), oneCluster('2.20'));
  fs.symlinkSync(path.join('configs', 'prod.yaml'), path.join(dir, 'runai-access.yaml'));
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'dist/a/10-ingress-runai-cluster-domain-star-ingress.yaml'), 'utf8').split('\n')[0]).toBe(
    '# Generated by runai-access: change its config (runai-access.yaml) and run `npx runai-access synth` instead of editing this file.',
  );
});
