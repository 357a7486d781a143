import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the line of a removed cluster folder says of its objects (these clusters write no RunaiConfig). */
const HELD_INGRESS =
  "; what it applied stays in that cluster unless a GitOps tool with pruning applied the folder (a renamed cluster's folder applies it again)";

import { restoreMarkerCommands } from '../lib/output/leftovers';
import {
  DEMO_CERT,
  DEMO_KEY,
  demoConfig,
  fleet,
  KEY_BODY_LINES,
  ROOT,
  runCli,
  runInProcess,
  STACK,
  tempDir,
  treeOf,
  writeConfig,
} from './helpers';

/** A folder holding a config that uses the demo certificates by relative path. */
function project(config = demoConfig('', 'certs/fullchain.pem', 'certs/private.pem')): { dir: string; config: string; out: string } {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'certs'));
  fs.copyFileSync(DEMO_CERT, path.join(dir, 'certs', 'fullchain.pem'));
  fs.copyFileSync(DEMO_KEY, path.join(dir, 'certs', 'private.pem'));
  return { dir, config: writeConfig(dir, config), out: path.join(dir, 'dist') };
}

describe('runai-access synth', () => {
  test('writes the cluster folder and prints a summary with the apply command on stderr', () => {
    const p = project();
    const r = runCli(['synth', '--config', p.config, '--out', p.out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(path.join(p.out, 'demo')).sort()).toEqual([
      '.gitignore',
      '00-secret-runai-cluster-domain-star-tls-secret.yaml',
      '10-ingress-runai-cluster-domain-star-ingress.yaml',
      'certificates.sha256',
      'helm',
    ]);
    expect(fs.readdirSync(path.join(p.out, 'demo', 'helm'))).toEqual(['runai-cluster-values.yaml']);
    expect(r.stderr).toContain(
      '  Run:ai profile 2.25 (no runaiVersion: the newest profile); defaults: ingress.controller haproxy, ingress.className haproxy, runaiConfig.via helm-values\n',
    );
    expect(r.stderr).toContain(`runai-access: wrote 1 cluster from ${p.config} to ${p.out}/`);
    expect(r.stderr).toContain(`    kubectl apply --server-side --field-manager=runai-access -f ${path.join(p.out, 'demo')}/\n`);
    expect(r.stderr).toContain('Secret runai/runai-cluster-domain-star-tls-secret (holds the private key, mode 0600)');
  });

  test('--quiet prints nothing on success', () => {
    const p = project();
    const r = runCli(['synth', '-q', '-c', p.config, '-o', p.out]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  test('legacy summary lists the steps in order: Secret, patch script, RunaiConfig', () => {
    const p = project(demoConfig('    runaiVersion: "2.10"\n    deployment: self-hosted', 'certs/fullchain.pem', 'certs/private.pem'));
    const r = runInProcess(['synth', '--config', p.config, '--out', p.out]);
    expect(r.status).toBe(0);
    const dir = path.join(p.out, 'demo');
    expect(r.stderr).toContain(
      [
        '  apply in this order, once Run:ai is installed (server-side, so the RunaiConfig overlay merges):',
        `    kubectl apply --server-side --field-manager=runai-access -f ${dir}/00-secret-runai-cluster-domain-star-tls-secret.yaml`,
        `    sh ${dir}/patches/apply-runai-backend-ingress-tls.sh`,
        `    kubectl apply --server-side --field-manager=runai-access -f ${dir}/20-runaiconfig-runai.yaml`,
      ].join('\n'),
    );
    expect(fs.statSync(path.join(dir, 'patches', 'apply-runai-backend-ingress-tls.sh')).mode & 0o777).toBe(0o755);
  });

  test('works as npm run -s synth -- --config F --out D', () => {
    const p = project();
    const r = spawnSync('npm', ['run', '-s', 'synth', '--', '--config', p.config, '--out', p.out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(p.out, 'demo', 'helm', 'runai-cluster-values.yaml'))).toBe(true);
  });

  test('gives byte-identical output under other time zones, locales and working directories', () => {
    const p = project();
    // Two output folders of one name: a header names a folder that is not dist.
    const a = path.join(p.dir, 'a', 'out');
    const b = path.join(p.dir, 'b', 'out');
    expect(runCli(['synth', '--config', p.config, '--out', a], { env: { TZ: 'UTC', LC_ALL: 'C' } }).status).toBe(0);
    expect(
      runCli(['synth', '--config', 'runai-access.yaml', '--out', b], {
        cwd: p.dir,
        env: { TZ: 'Pacific/Chatham', LC_ALL: 'tr_TR.UTF-8', LANG: 'tr_TR.UTF-8' },
      }).status,
    ).toBe(0);
    expect(treeOf(b)).toEqual(treeOf(a));
  });

  test('fails when the config is bad: exit 2, one line per problem, no stack, nothing written', () => {
    const p = project('clusters:\n  - {name: Demo, clusterUrl: "runai.example.com:443", tls: {source: existing}}\n');
    const r = runInProcess(['synth', '--config', p.config, '--out', p.out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      [
        `${p.config}: clusters[0].name: must be a DNS-1123 label: lower-case a-z, 0-9 and "-", not at either end, such as prod`,
        `${p.config}: clusters[0].clusterUrl: must not have a port; Run:ai serves workspaces on https port 443`,
        '',
      ].join('\n'),
    );
    expect(fs.existsSync(p.out)).toBe(false);
  });

  test('fails when the config file is missing, naming the default and where it was looked for', () => {
    const cwd = fs.realpathSync(tempDir());
    const r = runInProcess(['synth'], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `runai-access.yaml: does not exist (looked for ${path.join(cwd, 'runai-access.yaml')}); create it or pass --config FILE [file-missing]\n`,
    );
  });

  test.each(['UTF-16', 'UTF-16LE', 'UTF-16BE', 'UTF-32', 'UTF-32LE', 'UTF-32BE'])(
    'fails when the config is %s text, naming the encoding and an iconv command that fixes it (it said: must be a mapping)',
    (encoding) => {
      const p = project();
      const utf8 = fs.readFileSync(p.config);
      fs.writeFileSync(p.config, execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: utf8 }));
      const r = runInProcess(['synth', '--config', p.config, '--out', p.out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `${p.config}: is ${encoding} text; save it as UTF-8 (iconv -f ${encoding} -t UTF-8, or your editor's "Save with encoding")\n`,
      );
      // The command it names gives back the UTF-8 file.
      expect(execFileSync('iconv', ['-f', encoding, '-t', 'UTF-8', p.config])).toEqual(utf8);
    },
  );

  test.each([
    ['UTF-16LE', '中'],
    ['UTF-16LE', '一'], // U+4E00: its low byte is NUL, at an even offset
    ['UTF-16BE', '中文'], // no NUL in the first four bytes
    ['UTF-16BE', 'Ā'], // U+0100
    ['UTF-32LE', '一'],
    ['UTF-32BE', '一一'],
  ])(
    'fails when a %s config without a mark starts with %s, above U+00FF, naming the encoding by where its NULs fall',
    (encoding, first) => {
      const p = project();
      fs.writeFileSync(p.config, execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: `${first}: 1\n` }));
      const r = runInProcess(['synth', '--config', p.config, '--out', p.out]);
      expect([r.status, r.stderr]).toEqual([
        2,
        `${p.config}: is ${encoding} text; save it as UTF-8 (iconv -f ${encoding} -t UTF-8, or your editor's "Save with encoding")\n`,
      ]);
    },
  );

  test.each([
    ['Cyrillic', '# Конфигурация доступа к рабочим пространствам исследователей Run:ai\n'],
    // 관 (U+AD00) and 一 (U+4E00) have a NUL low byte: one NUL at the other parity.
    ['Korean', '# 연구자 작업 공간 접근 관리 설정 파일입니다 Run:ai 클러스터 구성\n'],
    ['Chinese', '# 研究人员工作空间访问配置 一 Run:ai 集群\n'],
  ])('fails when a UTF-16LE config opens with comment lines in %s: its NULs are few, but nearly all at odd offsets', (_script, line) => {
    const p = project();
    const comments = line.repeat(3);
    fs.writeFileSync(p.config, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'UTF-16LE'], { input: `${comments}clusters: []\n` }));
    const r = runInProcess(['validate', '--config', p.config]);
    expect([r.status, r.stderr]).toEqual([
      2,
      `${p.config}: is UTF-16LE text; save it as UTF-8 (iconv -f UTF-16LE -t UTF-8, or your editor's "Save with encoding")\n`,
    ]);
  });

  test('takes a UTF-8 config with a stray NUL in a comment, as before: one NUL names no wide encoding (it said UTF-16BE)', () => {
    const p = project();
    fs.appendFileSync(p.config, '# note\0\n');
    const r = runInProcess(['validate', '-q', '--config', p.config]);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  test('fails when the config ends its lines with a lone CR (classic Mac OS), and the tr command it names gives a config that works', () => {
    const p = project();
    const lf = fs.readFileSync(p.config, 'utf8');
    // Ending in one LF (an editor's final newline) still reads as lone CRs.
    fs.writeFileSync(p.config, `${lf.trimEnd().replace(/\n/g, '\r')}\n`);
    const r = runInProcess(['validate', '--config', p.config]);
    const command = "tr '\\r' '\\n' < old.yaml > new.yaml";
    expect([r.status, r.stderr]).toEqual([
      2,
      `${p.config}: ends its lines with a lone CR (classic Mac OS); save it with LF line ends (${command})\n`,
    ]);
    fs.renameSync(p.config, path.join(p.dir, 'old.yaml'));
    execFileSync('sh', ['-c', command], { cwd: p.dir });
    expect(fs.readFileSync(path.join(p.dir, 'new.yaml'), 'utf8')).toBe(`${lf.trimEnd()}\n`);
  });

  test('after a failed synth the previous dist/ is byte for byte as it was', () => {
    const p = project();
    expect(runInProcess(['synth', '--config', p.config, '--out', p.out]).status).toBe(0);
    const before = treeOf(p.out);
    fs.writeFileSync(path.join(p.dir, 'certs', 'private.pem'), 'not a key\n');
    const r = runInProcess(['synth', '--config', p.config, '--out', p.out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('clusters[0].tls.keyFile: certs/private.pem holds no PEM private key');
    expect(treeOf(p.out)).toEqual(before);
    expect(fs.readdirSync(p.dir).filter((e) => e.startsWith('.dist.'))).toEqual([]);
  });

  test('fails when the output cannot be written: exit 2, one line, no stack', () => {
    const p = project();
    const r = runInProcess(['synth', '--config', p.config, '--out', path.join(p.config, 'dist')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `--out: cannot write ${path.join(p.config, 'dist')}: a part of the path is a file, not a folder (ENOTDIR); no output was written\n`,
    );
  });

  test('fails when --out is a folder it did not write', () => {
    const p = project();
    const r = runInProcess(['synth', '--config', p.config, '--out', p.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `--out: ${p.dir} is not empty and has no .runai-access, the file by which synth knows a folder it wrote; refusing to replace it. ` +
        `Give a new or empty folder, or, if runai-access wrote this one, restore its marker (${restoreMarkerCommands(p.dir)})\n`,
    );
    expect(fs.existsSync(path.join(p.dir, 'certs', 'private.pem'))).toBe(true);
  });

  test("prints a warning that clusters share once, naming every cluster's index", () => {
    const dir = tempDir();
    const entry = (n: string, version = '    runaiVersion: "2.20"\n') =>
      `  - name: ${n}\n    clusterUrl: ${n}.example.com\n${version}    tls: {source: existing}\n`;
    fs.writeFileSync(path.join(dir, 'c.yaml'), `clusters:\n${entry('a')}${entry('b')}${entry('c')}${entry('d', '')}${entry('e')}`);
    const warnings = runInProcess(['synth', '-c', 'c.yaml'], { cwd: dir })
      .stderr.split('\n')
      .filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: c\.yaml: clusters\[0-2,4\]\.runaiVersion: ingress-nginx was retired .*\[controller-retired\]$/),
    ]);
  });

  test('with --strict, the warnings made errors are grouped the same way: exit 2, one line', () => {
    const dir = tempDir();
    const entry = (n: string) =>
      `  - name: ${n}\n    clusterUrl: ${n}.example.com\n    runaiVersion: "2.20"\n    tls: {source: existing}\n`;
    fs.writeFileSync(path.join(dir, 'c.yaml'), `clusters:\n${entry('a')}${entry('b')}${entry('c')}`);
    const r = runInProcess(['synth', '--strict', '-c', 'c.yaml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^c\.yaml: clusters\[0-2\]\.runaiVersion: ingress-nginx was retired .*\[controller-retired\]$/),
    ]);
  });

  describe('names the cluster folders and routing objects it removes', () => {
    const existing = (name: string) => `clusters:\n  - {name: ${name}, clusterUrl: ${name}.example.com, tls: {source: existing}}\n`;
    const synthIn = (dir: string, config: string) => runInProcess(['synth', '-c', config], { cwd: dir }).stderr.split('\n');
    /** The "no longer written" lines of a synth of `after`, when the output holds `before`'s. */
    const removalsAfter = (dir: string, config: string, before: string, after: string) => {
      fs.writeFileSync(path.join(dir, config), before);
      synthIn(dir, config);
      fs.writeFileSync(path.join(dir, config), after);
      return synthIn(dir, config).filter((l) => l.includes('no longer written'));
    };

    test('a cluster renamed or removed in the config: its folder, and why', () => {
      const dir = tempDir();
      fs.writeFileSync(
        path.join(dir, 'c.yaml'),
        `${existing('stage')}  - {name: qa, clusterUrl: qa.example.com, tls: {source: existing}}\n`,
      );
      expect(synthIn(dir, 'c.yaml')[1]).toBe('');
      fs.writeFileSync(path.join(dir, 'c.yaml'), existing('staging'));
      expect(synthIn(dir, 'c.yaml').slice(0, 3)).toEqual([
        'runai-access: wrote 1 cluster from c.yaml to dist/',
        `removed dist/qa/: c.yaml has no cluster qa any more${HELD_INGRESS}`,
        `removed dist/stage/: c.yaml has no cluster stage any more${HELD_INGRESS}`,
      ]);
      expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['.runai-access', 'staging']);
    });

    test('httpRedirect turned off: the redirect route and its Namespace are named, with their deletes', () => {
      const dir = tempDir();
      const config = (redirect: boolean) =>
        'clusters:\n  - name: g\n    clusterUrl: g.example.com\n    exposure: gateway-api\n' +
        `    gateway: {name: gw, namespace: runai, className: kgateway, httpRedirect: ${redirect}}\n    tls: {source: existing}\n`;
      fs.writeFileSync(path.join(dir, 'g.yaml'), config(true));
      synthIn(dir, 'g.yaml');
      fs.writeFileSync(path.join(dir, 'g.yaml'), config(false));
      expect(synthIn(dir, 'g.yaml').filter((l) => l.includes('no longer written'))).toEqual([
        '  no longer written: dist/g/00-namespace-runai-https-redirect.yaml; the object stays in the cluster until deleted ' +
          '(kubectl delete namespace runai-https-redirect), unless a GitOps tool with pruning applies this folder',
        '  no longer written: dist/g/15-httproute-https-redirect.yaml; the object stays in the cluster until deleted ' +
          '(kubectl delete httproute.gateway.networking.k8s.io -n runai-https-redirect https-redirect), unless a GitOps tool with pruning applies this folder',
      ]);
    });

    test('a renamed config: its earlier folders are its own, so the removals and the objects left are named as usual', () => {
      const dir = tempDir();
      const prod = (workloads: string[]) =>
        'clusters:\n  - name: prod\n    clusterUrl: prod.example.com\n    tls: {source: existing}\n    expose:\n' +
        workloads.map((w) => `      - {project: team-a, workload: ${w}, type: node-port, ports: ["8080"]}\n`).join('');
      fs.writeFileSync(
        path.join(dir, 'old.yaml'),
        `${prod(['nb1', 'nb2'])}  - {name: qa, clusterUrl: qa.example.com, tls: {source: existing}}\n`,
      );
      expect(runInProcess(['synth', '-q', '-c', 'old.yaml'], { cwd: dir }).status).toBe(0);
      fs.rmSync(path.join(dir, 'old.yaml'));
      fs.writeFileSync(path.join(dir, 'new.yaml'), prod(['nb1']));
      const lines = synthIn(dir, 'new.yaml');
      expect(lines).toContain(`removed dist/qa/: new.yaml has no cluster qa any more${HELD_INGRESS}`);
      expect(lines.filter((l) => l.includes('no longer written'))).toEqual([
        '  no longer written: dist/prod/30-service-runai-team-a-nb2.yaml; the object stays in the cluster until deleted ' +
          '(kubectl delete service -n runai-team-a nb2), unless a GitOps tool with pruning applies this folder',
      ]);
    });

    test('another config whose name the headers could not show (it looks like key text) is still another config', () => {
      const dir = tempDir();
      const hidden = `${KEY_BODY_LINES[0].replace(/[^A-Za-z0-9]/g, '').slice(0, 32)}.yaml`;
      fs.writeFileSync(path.join(dir, hidden), existing('prod'));
      fs.writeFileSync(path.join(dir, 'stage.yaml'), existing('stage'));
      synthIn(dir, hidden);
      expect(synthIn(dir, 'stage.yaml')[1]).toMatch(
        /^removed dist\/prod\/, written from <\d+ characters of .*, not shown>: an output folder holds the clusters of one config/,
      );
    });

    // `link/`, as a shell completes it, names where the link leads; synth replaces the link all the same.
    test.each(['link', 'link/'])(
      '--out a link to an earlier output (%s): the link is said to be replaced by a folder, and nothing of the folder it led to, left as it was',
      (given) => {
        const dir = tempDir();
        const expose = (workloads: string[]) =>
          `clusters:\n  - name: a\n    clusterUrl: a.example.com\n    tls: {source: existing}\n    expose:\n` +
          workloads.map((w) => `      - {project: p, workload: ${w}, type: node-port, ports: ["8080"]}\n`).join('');
        fs.writeFileSync(
          path.join(dir, 'c.yaml'),
          `${expose(['nb1', 'nb2'])}  - {name: b, clusterUrl: b.example.com, tls: {source: existing}}\n`,
        );
        expect(runInProcess(['synth', '-q', '-c', 'c.yaml', '--out', 'gen'], { cwd: dir }).status).toBe(0);
        fs.writeFileSync(path.join(dir, 'gen', 'README.md'), 'mine\n');
        const before = treeOf(path.join(dir, 'gen'));
        fs.symlinkSync('gen', path.join(dir, 'link'));
        fs.writeFileSync(path.join(dir, 'c.yaml'), expose(['nb1']));
        const r = runInProcess(['synth', '-q', '-c', 'c.yaml', '--out', given], { cwd: dir });
        expect([r.status, r.stderr]).toEqual([
          0,
          'replaced the link link (to gen) with a folder; the folder it leads to is left as it was\n',
        ]);
        expect(fs.lstatSync(path.join(dir, 'link')).isDirectory()).toBe(true);
        expect(treeOf(path.join(dir, 'gen'))).toEqual(before);
        // Said once: the next synth replaces a folder.
        expect(runInProcess(['synth', '-q', '-c', 'c.yaml', '--out', given], { cwd: dir }).stderr).toBe('');
      },
    );

    test('with --quiet, only these lines: no later run repeats them', () => {
      const dir = tempDir();
      const config = (workloads: string[], extra = '') =>
        `clusters:\n  - name: prod\n    clusterUrl: prod.example.com\n    tls: {source: existing}\n    expose:\n` +
        `${workloads.map((w) => `      - {project: team-a, workload: ${w}, type: node-port, ports: ["8080"]}\n`).join('')}${extra}`;
      fs.writeFileSync(path.join(dir, 'c.yaml'), config(['nb1', 'nb2'], existing('qa').replace('clusters:\n', '')));
      const quiet = () => runInProcess(['synth', '-q', '-c', 'c.yaml'], { cwd: dir });
      expect([quiet().status, quiet().stderr]).toEqual([0, '']);
      fs.writeFileSync(path.join(dir, 'c.yaml'), config(['nb1']));
      const r = quiet();
      expect([r.status, r.stderr.split('\n')]).toEqual([
        0,
        [
          `removed dist/qa/: c.yaml has no cluster qa any more${HELD_INGRESS}`,
          'prod: no longer written: dist/prod/30-service-runai-team-a-nb2.yaml; the object stays in the cluster until deleted ' +
            '(kubectl delete service -n runai-team-a nb2), unless a GitOps tool with pruning applies this folder',
          '',
        ],
      ]);
      expect(quiet().stderr).toBe('');
    });

    test("another config's clusters in the same output folder: named with the config that wrote them", () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'prod.yaml'), existing('prod'));
      fs.writeFileSync(path.join(dir, 'stage.yaml'), existing('stage'));
      synthIn(dir, 'prod.yaml');
      expect(synthIn(dir, 'stage.yaml').slice(0, 2)).toEqual([
        'runai-access: wrote 1 cluster from stage.yaml to dist/',
        'removed dist/prod/, written from prod.yaml: an output folder holds the clusters of one config (give each config its own --out)',
      ]);
    });

    test('a routing object dropped from a kept folder: its file, and the kubectl delete that removes it from the cluster', () => {
      const dir = tempDir();
      const expose = (workloads: string[]) =>
        `clusters:\n  - name: prod\n    clusterUrl: prod.example.com\n    tls: {source: existing}\n    expose:\n${workloads.map((w) => `      - {project: team-a, workload: ${w}, type: node-port, ports: ["8080"]}\n`).join('')}`;
      fs.writeFileSync(path.join(dir, 'c.yaml'), expose(['nb1', 'nb2']));
      synthIn(dir, 'c.yaml');
      fs.writeFileSync(path.join(dir, 'c.yaml'), expose(['nb1']));
      expect(synthIn(dir, 'c.yaml').filter((l) => l.includes('no longer written'))).toEqual([
        '  no longer written: dist/prod/30-service-runai-team-a-nb2.yaml; the object stays in the cluster until deleted ' +
          '(kubectl delete service -n runai-team-a nb2), unless a GitOps tool with pruning applies this folder',
      ]);
    });

    test('an object whose file is renamed (two names that clash) is not named; one that moves namespace in the same file is', () => {
      const dir = tempDir();
      const entries = (extra: string) =>
        `clusters:\n  - name: c\n    clusterUrl: c.example.com\n    tls: {source: existing}\n    expose:\n` +
        `      - {project: a, workload: b-c, type: node-port, ports: ["8888"]}\n${extra}`;
      fs.writeFileSync(path.join(dir, 'c.yaml'), entries(''));
      synthIn(dir, 'c.yaml');
      fs.writeFileSync(path.join(dir, 'c.yaml'), entries('      - {project: a-b, workload: c, type: node-port, ports: ["8888"]}\n'));
      const renamed = synthIn(dir, 'c.yaml');
      expect(fs.readdirSync(path.join(dir, 'dist', 'c'))).toContain('30-service-runai-a.b-c.yaml');
      expect(renamed.filter((l) => l.includes('no longer written'))).toEqual([]);

      const gateway = (namespace: string) =>
        `clusters:\n  - name: g\n    clusterUrl: g.example.com\n    exposure: gateway-api\n` +
        `    gateway: {name: gw, namespace: ${namespace}, className: kgateway}\n    tls: {source: existing}\n`;
      expect(removalsAfter(dir, 'g.yaml', gateway('edge'), gateway('edge2'))).toEqual([
        '  no longer written: Gateway edge/gw (dist/g/10-gateway-gw.yaml holds another object now); the object stays in the cluster until deleted ' +
          '(kubectl delete gateway.gateway.networking.k8s.io -n edge gw), unless a GitOps tool with pruning applies this folder; ' +
          'delete it only once DNS points at the address that serves the cluster now; a GitOps tool with pruning deletes it at the ' +
          'first sync unless told not to (README "Leaving ingress-nginx")',
      ]);
    });

    test('a TLS source switch: the old source object to delete without its Secret, and the annotation the Sealed Secrets controller needs to take one over', () => {
      const dir = tempDir();
      const controller = path.join(ROOT, 'test', 'fixtures', 'corpus', 'sealed-secrets-controller.pem');
      const tls = {
        files: `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`,
        sealed: `{source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${controller}}`,
        external: '{source: external-secret, secretStoreRef: {name: vault}, remoteRef: {certificate: a, privateKey: b}}',
      };
      const config = (source: string) => `clusters:\n  - name: c\n    clusterUrl: runai.example.com\n    tls: ${source}\n`;
      const stale = () => synthIn(dir, 'c.yaml').filter((l) => l.includes('no longer written'));
      const secret = 'secret -n runai runai-cluster-domain-star-tls-secret';
      const annotate = `before the SealedSecret is applied: kubectl annotate ${secret} sealedsecrets.bitnami.com/managed=true`;
      fs.writeFileSync(path.join(dir, 'c.yaml'), config(tls.files));
      synthIn(dir, 'c.yaml');
      fs.writeFileSync(path.join(dir, 'c.yaml'), config(tls.sealed));
      expect(stale()).toEqual([
        '  no longer written: dist/c/00-secret-runai-cluster-domain-star-tls-secret.yaml; its SealedSecret now makes that Secret; ' +
          `the Sealed Secrets controller takes over a Secret it did not create only when told to, ${annotate}`,
      ]);
      // The SealedSecret owns its Secret: deleted plainly (or pruned), it takes the Secret the new source uses with it.
      fs.writeFileSync(path.join(dir, 'c.yaml'), config(tls.external));
      expect(stale()).toEqual([
        '  no longer written: dist/c/00-sealedsecret-runai-cluster-domain-star-tls-secret.yaml; it still writes Secret ' +
          'runai/runai-cluster-domain-star-tls-secret, which the new source uses: delete it and keep the Secret ' +
          '(kubectl delete sealedsecret.bitnami.com -n runai runai-cluster-domain-star-tls-secret --cascade=orphan); a GitOps tool with pruning ' +
          'deletes both, and the Secret is missing until the new source makes it again',
      ]);
      // To an existing Secret: nothing this config writes makes it again once it is pruned.
      fs.writeFileSync(path.join(dir, 'c.yaml'), config('{source: existing}'));
      expect(stale()).toEqual([
        expect.stringMatching(
          /\(kubectl delete externalsecret\.external-secrets\.io -n runai \S+ --cascade=orphan\); a GitOps tool with pruning deletes both, and nothing this config writes makes the Secret again$/,
        ),
      ]);
      fs.writeFileSync(path.join(dir, 'c.yaml'), config(tls.external));
      synthIn(dir, 'c.yaml');
      // From ESO to Sealed Secrets: both, the orphaning delete and the annotation.
      fs.writeFileSync(path.join(dir, 'c.yaml'), config(tls.sealed));
      expect(stale()).toEqual([
        expect.stringMatching(
          new RegExp(`--cascade=orphan\\); the Sealed Secrets controller .*${annotate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; a GitOps`),
        ),
      ]);
    });

    test('a source object whose Secret nothing reads now (routing: path): delete both, not "keep the Secret the new source uses" (there is none)', () => {
      const dir = tempDir();
      const cluster = (more: string) => `clusters:\n  - name: c\n    clusterUrl: runai.example.com\n    ${more}\n`;
      const certManager = cluster('tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}');
      expect(removalsAfter(dir, 'c.yaml', certManager, cluster('routing: path'))).toEqual([
        '  no longer written: dist/c/00-certificate-runai-cluster-domain-star-tls.yaml; nothing written now makes or reads the Secret ' +
          'it writes, runai/runai-cluster-domain-star-tls-secret, which holds a private key: delete both (kubectl delete ' +
          'certificate.cert-manager.io -n runai runai-cluster-domain-star-tls, then kubectl delete secret -n runai ' +
          'runai-cluster-domain-star-tls-secret --ignore-not-found, which a Certificate leaves behind)',
        '  no longer written: dist/c/10-ingress-runai-cluster-domain-star-ingress.yaml; the object stays in the cluster until deleted ' +
          '(kubectl delete ingress -n runai runai-cluster-domain-star-ingress), unless a GitOps tool with pruning applies this folder',
      ]);
    });

    // runai-access.yaml into dist writes the default header (no flags in its command), which names runai-access.yaml.
    test.each(['two.yaml', 'runai-access.yaml'])(
      "another config's folder of the same name: taken over, said once; its objects are that config's to name (%s)",
      (second) => {
        const dir = tempDir();
        const expose = (workload: string) =>
          `clusters:\n  - name: c\n    clusterUrl: c.example.com\n    tls: {source: existing}\n    expose:\n` +
          `      - {project: a, workload: ${workload}, type: node-port, ports: ["8080"]}\n`;
        fs.writeFileSync(path.join(dir, 'one.yaml'), expose('nb1'));
        fs.writeFileSync(path.join(dir, second), expose('nb2'));
        synthIn(dir, 'one.yaml');
        const lines = synthIn(dir, second);
        expect(lines.filter((l) => l.includes('no longer written'))).toEqual([]);
        // The folder is named as taken over, once: then it is this config's.
        expect(lines.filter((l) => l.startsWith('replaced'))).toEqual([
          'replaced dist/c/, written from one.yaml: an output folder holds the clusters of one config (give each config its own ' +
            `--out); the objects it held that ${second} does not write are not named, and stay in the cluster until deleted`,
        ]);
        expect(synthIn(dir, second).filter((l) => l.startsWith('replaced'))).toEqual([]);
      },
    );

    test('the same config by another name (a link to it, then the file itself): its folders, objects and dropped clusters are named as its own', () => {
      const dir = tempDir();
      const config = (workload: string, extra = '') =>
        `clusters:\n  - name: c\n    clusterUrl: c.example.com\n    tls: {source: existing}\n    expose:\n` +
        `      - {project: a, workload: ${workload}, type: node-port, ports: ["8080"]}\n${extra}`;
      fs.writeFileSync(path.join(dir, 'real.yaml'), config('nb1', '  - {name: qa, clusterUrl: qa.example.com, tls: {source: existing}}\n'));
      fs.symlinkSync('real.yaml', path.join(dir, 'link.yaml'));
      synthIn(dir, 'real.yaml');
      fs.writeFileSync(path.join(dir, 'real.yaml'), config('nb2'));
      const lines = synthIn(dir, 'link.yaml');
      expect(lines.filter((l) => /^(replaced|removed)|no longer written/.test(l))).toEqual([
        `removed dist/qa/: link.yaml has no cluster qa any more${HELD_INGRESS}`,
        '  no longer written: dist/c/30-service-runai-a-nb1.yaml; the object stays in the cluster until deleted ' +
          '(kubectl delete service -n runai-a nb1), unless a GitOps tool with pruning applies this folder',
      ]);
      // And back, from the link's output to the file's: still one config.
      fs.writeFileSync(path.join(dir, 'real.yaml'), config('nb3'));
      expect(synthIn(dir, 'real.yaml').filter((l) => /^(replaced|removed)|no longer written/.test(l))).toEqual([
        expect.stringMatching(/^ {2}no longer written: dist\/c\/30-service-runai-a-nb2\.yaml;/),
      ]);
    });

    test('a removal is named by the synth that makes it, not again by the next', () => {
      const dir = tempDir();
      fs.writeFileSync(
        path.join(dir, 'c.yaml'),
        `${existing('prod')}  - {name: qa, clusterUrl: qa.example.com, tls: {source: existing}}\n`,
      );
      synthIn(dir, 'c.yaml');
      fs.writeFileSync(path.join(dir, 'c.yaml'), existing('prod'));
      expect(synthIn(dir, 'c.yaml').filter((l) => l.startsWith('removed'))).toEqual([
        `removed dist/qa/: c.yaml has no cluster qa any more${HELD_INGRESS}`,
      ]);
      expect(synthIn(dir, 'c.yaml').filter((l) => l.startsWith('removed'))).toEqual([]);
    });

    test('--out given with a trailing slash (dist/, as a shell completes it): the folders it removed are named without a double slash', () => {
      const dir = tempDir();
      fs.writeFileSync(
        path.join(dir, 'c.yaml'),
        `${existing('prod')}  - {name: qa, clusterUrl: qa.example.com, tls: {source: existing}}\n`,
      );
      expect(runInProcess(['synth', '-q', '-c', 'c.yaml', '--out', 'dist/'], { cwd: dir }).status).toBe(0);
      fs.writeFileSync(path.join(dir, 'c.yaml'), existing('prod'));
      fs.writeFileSync(path.join(dir, 'dist', 'README.md'), 'mine\n');
      expect(runInProcess(['synth', '-q', '-c', 'c.yaml', '--out', 'dist/'], { cwd: dir }).stderr.split('\n')).toEqual([
        `removed dist/qa/: c.yaml has no cluster qa any more${HELD_INGRESS}`,
        'removed dist/README.md, which runai-access did not write: synth replaces all of dist; keep files of your own outside it',
        '',
      ]);
    });
  });
});

describe('runai-access check', () => {
  let p: ReturnType<typeof project>;
  beforeEach(() => {
    p = project();
    expect(runInProcess(['synth', '-q', '--config', p.config, '--out', p.out]).status).toBe(0);
  });
  const check = () => runInProcess(['check', '--config', p.config, '--out', p.out]);
  const demo = (f: string) => path.join(p.out, 'demo', f);

  test('exits 0 when dist/ matches the config', () => {
    const r = check();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`${p.out} is up to date with ${p.config}\n`);
  });

  test('reports drift after a file in dist/ is edited, and lists it', () => {
    fs.appendFileSync(demo('10-ingress-runai-cluster-domain-star-ingress.yaml'), '# edited\n');
    const r = check();
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`changed ${demo('10-ingress-runai-cluster-domain-star-ingress.yaml')}\n`);
    expect(r.stderr).toBe(`${p.out} differs from ${p.config} in 1 file; run: npx runai-access synth --config ${p.config} --out ${p.out}\n`);
  });

  test('reports missing, extra and mode drift', () => {
    fs.rmSync(demo('10-ingress-runai-cluster-domain-star-ingress.yaml'));
    fs.writeFileSync(demo('99-extra.yaml'), 'x: 1\n');
    fs.chmodSync(demo('00-secret-runai-cluster-domain-star-tls-secret.yaml'), 0o644);
    const r = check();
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `mode    ${demo('00-secret-runai-cluster-domain-star-tls-secret.yaml')}`,
      `missing ${demo('10-ingress-runai-cluster-domain-star-ingress.yaml')}`,
      `extra   ${demo('99-extra.yaml')}`,
      '',
    ]);
  });

  test('reports drift when the config changes', () => {
    fs.writeFileSync(p.config, demoConfig('    subdomainSupport: false', 'certs/fullchain.pem', 'certs/private.pem'));
    const r = check();
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`changed ${demo('helm/runai-cluster-values.yaml')}\n`);
  });

  test('fails when the config is bad, with exit 2 rather than drift, and says why', () => {
    fs.writeFileSync(p.config, 'clusters: []\n');
    const r = check();
    expect(r.status).toBe(2);
    expect(r).toMatchObject({ stdout: '', stderr: `${p.config}: clusters: must list at least one cluster\n` });
  });
});

describe('runai-access validate', () => {
  test('fails in one line (exit 2), not a stack, when the current folder was removed after the shell entered it', () => {
    const dir = tempDir();
    const r = spawnSync(
      'sh',
      [
        '-c',
        `mkdir gone && cd gone && rmdir ../gone && exec "${process.execPath}" "${path.join(ROOT, 'build', 'runai-access.js')}" validate`,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect({ status: r.status, stderr: r.stderr.split('\n').filter((l) => l.startsWith('runai-access')) }).toEqual({
      status: 2,
      stderr: ['runai-access: the current folder no longer exists (removed or replaced since the shell entered it); cd into it again'],
    });
    expect(r.stderr).not.toMatch(STACK);
  });
  test('exits 0 for a valid config, prints a report and writes nothing', () => {
    const p = project();
    const r = runInProcess(['validate', '--config', p.config, '--at', '2030-01-01'], { cwd: p.dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, 6)).toEqual([
      `${p.config}: 1 cluster valid, 0 warnings`,
      '',
      'demo  runai.example.com  (saas, dedicated wildcard Ingress)',
      '  Run:ai profile 2.25 (no runaiVersion: the newest profile); defaults: ingress.controller haproxy, ingress.className haproxy, runaiConfig.via helm-values',
      '  certificate CN=*.runai.example.com, names *.runai.example.com, runai.example.com',
      expect.stringMatching(/^ {2}valid until 2126-\d\d-\d\dT\d\d:\d\d:\d\dZ \(3\d{4} days\), chain of 3, sha256 [0-9A-F:]{95}$/),
    ]);
    expect(fs.readdirSync(p.dir).sort()).toEqual(['certs', 'runai-access.yaml']);
  });

  test('fails when the key does not match the certificate', () => {
    const p = project(demoConfig('', 'certs/fullchain.pem', 'certs/other.pem'));
    spawnSync('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      path.join(p.dir, 'certs', 'other.pem'),
    ]);
    const r = runInProcess(['validate', '--config', p.config]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${p.config}: clusters[0].tls.keyFile: certs/other.pem does not match the first (leaf) certificate in certFile; give the private key of that certificate [key-mismatch]\n`,
    );
  });
});

describe('flags', () => {
  test.each([
    [
      ['synth', '--foo'],
      'runai-access: --foo: unknown option; allowed: --config, --out, --strict, --warn-days, --at, --quiet, --stdout, --include-secrets, --cluster, --help',
    ],
    [
      ['--foo'],
      'runai-access: --foo: unknown option; allowed: --config, --out, --strict, --warn-days, --at, --json, --cluster, --project, --workload, --quiet, --stdout, --include-secrets, --require-keys, --cluster-url, --deployment, --runai-version, --tls-source, --help, --version',
    ],
    [['synth', '--config'], 'runai-access: --config: needs a value'],
    [['synth', '--quiet=yes'], 'runai-access: --quiet: takes no value'],
    [['deploy'], 'runai-access: deploy: unknown command; allowed: synth, check, validate, url, init, doctor'],
    [[''], 'runai-access: "": unknown command; allowed: synth, check, validate, url, init, doctor'],
    [[' '], 'runai-access: " ": unknown command; allowed: synth, check, validate, url, init, doctor'],
    // doctor's options are known: to another command they are "not an option of" it, as --json is to synth.
    [
      ['url', '--cluster', 'prod', '--port', '8443'],
      'runai-access: --port: not an option of url; allowed: --config, --cluster, --project, --workload, --at, --help',
    ],
    [
      ['synth', '--context', 'x'],
      'runai-access: --context: not an option of synth; allowed: --config, --out, --strict, --warn-days, --at, --quiet, --stdout, --include-secrets, --cluster, --help',
    ],
    [[], 'runai-access: a command is required: synth, check, validate, url, init, doctor (see --help)'],
    [['synth', 'extra'], 'runai-access: extra: unexpected argument; options take the form --config FILE (see --help)'],
    [
      ['validate', '--out', 'dist'],
      'runai-access: --out: not an option of validate; allowed: --config, --strict, --warn-days, --at, --json, --quiet, --require-keys, --help',
    ],
    [
      ['synth', '--json'],
      'runai-access: --json: not an option of synth; allowed: --config, --out, --strict, --warn-days, --at, --quiet, --stdout, --include-secrets, --cluster, --help',
    ],
    [
      ['validate', '--warn-days', '-1'],
      'runai-access: --warn-days: needs a whole number of days from 0 to 3650; what follows it starts with "-"',
    ],
    [['validate', '--warn-days=-1'], 'runai-access: --warn-days: must be a whole number of days from 0 to 3650, got -1'],
    [['validate', '--warn-days', 'soon'], 'runai-access: --warn-days: must be a whole number of days from 0 to 3650, got soon'],
    [['validate', '--warn-days', '4000'], 'runai-access: --warn-days: must be a whole number of days from 0 to 3650, got 4000'],
    [['validate', '--at', 'tomorrow'], 'runai-access: --at: must be an ISO 8601 time such as 2027-01-31T00:00:00Z, got tomorrow'],
    [
      ['validate', '--at', '2027-02-30T00:00:00Z'],
      'runai-access: --at: must be an ISO 8601 time such as 2027-01-31T00:00:00Z, got 2027-02-30T00:00:00Z',
    ],
    [
      ['validate', '--at', '2027-03-01T00:00:00'],
      'runai-access: --at: needs a time zone (Z or +HH:MM): without one, each machine would read another time, got 2027-03-01T00:00:00',
    ],
    [
      ['validate', '--at', '2016-12-31T23:59:60Z'],
      'runai-access: --at: names a leap second (:60), which the dates certificates are checked with do not have; give :59, got 2016-12-31T23:59:60Z',
    ],
    [['validate', '--at='], 'runai-access: --at: must be an ISO 8601 time such as 2027-01-31T00:00:00Z, got ""'],
    [['validate', '--warn-days='], 'runai-access: --warn-days: must be a whole number of days from 0 to 3650, got ""'],
    [['init', '--deployment=', 'repo'], 'init: --deployment: must be one of: saas, self-hosted; got ""'],
    [['synth', '--config', ''], 'runai-access: --config: needs a non-empty path'],
    [['url', '--cluster', '', '--project', 'p', '--workload', 'w'], 'runai-access: --cluster: needs a non-empty value'],
    [['url', '--cluster', 'c', '--project=', '--workload', 'w'], 'runai-access: --project: needs a non-empty value'],
    [['url', '--cluster', 'c', '--project', 'p', '--workload', ''], 'runai-access: --workload: needs a non-empty value'],
    [['synth', '-c', 'a.yaml', '--config', 'b.yaml'], 'runai-access: --config: is given twice; give it once'],
    [['validate', '-q', '--quiet'], 'runai-access: --quiet: is given twice; give it once'],
  ])('fails when the arguments are %j: exit 2 and one line', (args, line) => {
    const r = runInProcess(args, { cwd: tempDir() });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.stderr).not.toMatch(STACK);
  });

  test('fails when --cluster names no cluster of a fleet: the nearest name offered, ten names listed and the rest counted (url, doctor)', () => {
    const dir = tempDir();
    writeConfig(dir, fleet(14, 'example.com'));
    const url = runInProcess(['url', '--cluster', 'c133', '--project', 'p', '--workload', 'w'], { cwd: dir });
    expect([url.status, url.stderr]).toEqual([
      2,
      'runai-access: --cluster: c133 is not a cluster of runai-access.yaml; did you mean c13? clusters: c0, c1, c2, c3, c4, c5, c6, ' +
        'c7, c8, c9 and 4 more\n',
    ]);
    const doctor = runCli(['doctor', '--no-kube'], { cwd: dir });
    expect([doctor.status, doctor.stderr]).toEqual([
      2,
      'runai-access: --cluster: runai-access.yaml has 14 clusters; name the one to check: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 4 more\n',
    ]);
  });

  test('--at takes years 0001 to 0099 as they are (Date.UTC reads them as 1900 to 1999): the certificate is checked then, not yet valid', () => {
    const dir = tempDir();
    writeConfig(dir, demoConfig());
    const r = runInProcess(['validate', '-q', '--at', '0099-06-01T00:00:00Z'], { cwd: dir });
    expect(r.stderr).not.toContain('--at:');
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(/^runai-access.yaml: clusters\[0\].tls.certFile: \S+ is not valid until \S+ \[leaf-not-yet-valid\]\n/),
    ]);
  });

  test.each([
    ['synth', ['config', 'out', 'strict', 'warn-days', 'at', 'stdout', 'include-secrets', 'cluster', 'quiet', 'help']],
    ['check', ['config', 'out', 'strict', 'warn-days', 'at', 'require-keys', 'quiet', 'help']],
    ['validate', ['config', 'strict', 'warn-days', 'at', 'json', 'require-keys', 'quiet', 'help']],
    ['url', ['config', 'at', 'cluster', 'project', 'workload', 'help']],
    ['init', ['cluster-url', 'deployment', 'runai-version', 'tls-source', 'quiet', 'help']],
  ])('%s --help lists the options it takes, and no other (exit 0)', (command, options) => {
    const r = runInProcess([command, '--help']);
    expect(r.status).toBe(0);
    const synopsis = command === 'init' ? 'init \\[DIR\\]' : command;
    expect(r.stdout).toMatch(new RegExp(`^usage: runai-access ${synopsis} \\[options\\]\n\n${command} `));
    expect([...new Set([...r.stdout.matchAll(/--([a-z-]+)/g)].map((m) => m[1]))].sort()).toEqual([...options].sort());
  });

  test.each([
    [
      'synth',
      [
        '0    written or already up to date',
        '2    bad input (config, certificate, flag, output folder): nothing written, unless it says so',
        '130  stopped by Ctrl-C: nothing written, or the output folder whole (143: SIGTERM, 129: SIGHUP)',
      ],
    ],
    ['check', ['0  up to date', '1  drift, or a private key in git', '2  bad input (config, certificate, flag, output folder)']],
    ['validate', ['0  valid', '2  bad input (config, certificate, flag)']],
    ['url', ['0  ok', '2  bad input (config, flag, a name Run:ai refuses, a host the certificate does not cover)']],
    ['init', ['0  written', '2  bad input (flag, answer, a file already there): nothing written']],
  ])('%s --help speaks of that command alone: no option names another command, the exit codes are its own', (command, exits) => {
    const r = runInProcess([command, '--help']);
    const options = r.stdout.slice(r.stdout.indexOf('\noptions:\n'), r.stdout.indexOf('\nexit codes:'));
    expect(options).not.toMatch(/\b(synth|check|validate|url|init|doctor)(, [a-z]+)*:/);
    expect(r.stdout.endsWith(`\n\nexit codes:\n${exits.map((e) => `  ${e}\n`).join('')}`)).toBe(true);
    expect(r.stdout.split('\n').filter((line) => line.length > 100)).toEqual([]);
    // Each option's words start in one column, on its line or the next, and no line is wider than 100.
    for (const line of options.split('\n').slice(2, -1)) {
      expect(line.length).toBeLessThanOrEqual(100);
      expect(line).toMatch(/^( {2}-\w, --[a-z-]+| {6}--[a-z-]+| {22}\S)/);
    }
  });

  test.each([
    [['init', 'd1', '--help'], 'init'],
    [['init', '-h', 'd1'], 'init'],
    [['synth', '--help', 'extra'], 'synth'],
    [['url', '--help', 'x'], 'url'],
  ])('%j prints the usage of %s, runs nothing and exits 0', (args, command) => {
    const dir = tempDir();
    const r = runInProcess(args, { cwd: dir });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout.startsWith(`usage: runai-access ${command} `)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('an unknown command with --help is refused as without it (exit 2)', () => {
    const r = runInProcess(['bogus', '--help'], { cwd: tempDir() });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^runai-access: bogus: unknown command; /);
  });

  test('--help prints the usage and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: runai-access <command> \[options\]/);
    expect(r.stdout).toContain(
      'exit codes:\n  0    ok\n  1    drift or a private key in git (check), a check that failed (doctor)\n  2    bad input',
    );
    expect(r.stdout.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });
});
