/**
 * Private keys never reach any output: the demo key pasted into the config in the ways people
 * paste things, and a path that works but names a key line (what the CLI prints and writes);
 * then, a table of the reliability suite, key text in every field (see the README's Safety
 * section).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  cli,
  DEMO_CERT,
  DEMO_KEY,
  demoConfig,
  KEY_BODY_LINES,
  ROOT,
  runCli,
  runInProcess,
  runLoader,
  STACK,
  tempDir,
  writeConfig,
} from './helpers';
import { Pki } from './pki';

describe('private keys never reach any output', () => {
  const key = fs.readFileSync(DEMO_KEY, 'utf8');
  const indented = key
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  const cases: [string, string][] = [
    ['the key pasted as clusterUrl', `clusters:\n  - name: a\n    tls: {source: existing}\n    clusterUrl: |\n${indented}\n`],
    [
      'the key pasted as name',
      `clusters:\n  - clusterUrl: runai.example.com\n    tls: {source: existing}\n    name: "${key.replace(/\n/g, '\\n')}"\n`,
    ],
    [
      'the key pasted as a runaiVersion',
      `clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}, runaiVersion: "${key.replace(/\n/g, ' ')}"}\n`,
    ],
    [
      'the key pasted as an annotation key',
      `clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}, ingress: {annotations: {"${key.replace(/\n/g, ' ')}": x}}}\n`,
    ],
    [
      'the key pasted as an unknown key',
      `clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}, "${key.replace(/\n/g, '')}": 1}\n`,
    ],
    ['the key as broken YAML', `clusters: [\n${key}`],
    ['the key file as certFile', demoConfig('', DEMO_KEY, DEMO_KEY)],
    ['the key pasted as certFile', demoConfig('', `"${key.replace(/\n/g, '\\n')}"`, DEMO_KEY)],
    [
      'the key pasted as a cluster name twice',
      `clusters:\n${[0, 1].map(() => `  - {name: "${key.replace(/\n/g, '')}", clusterUrl: runai.example.com, tls: {source: existing}}`).join('\n')}\n`,
    ],
    ['the key file as the config', key],
  ];

  /** Runs synth, check and validate on `config`; each exits 2 and quotes no part of the key. */
  const expectNoKey = (config: string, cli: typeof runInProcess) => {
    const dir = tempDir();
    const file = writeConfig(dir, config);
    for (const command of ['synth', 'check', 'validate']) {
      const r = cli([command, '--config', file, ...(command === 'validate' ? [] : ['--out', path.join(dir, 'dist')])]);
      expect(r.status).toBe(2);
      const output = r.stdout + r.stderr;
      for (const line of KEY_BODY_LINES) expect(output).not.toContain(line);
      for (const line of KEY_BODY_LINES) expect(output).not.toContain(line.slice(8, 40));
      expect(output).not.toMatch(STACK);
    }
  };

  // The CLI's code in this process: what it prints is all it decides.
  test.each(cases)('with %s', (_name, config) => expectNoKey(config, runInProcess));

  // Paths that name a key line and work: what a successful run prints, and what it writes.
  describe('in a path that works: the config, the output folder, init DIR', () => {
    // A file name cannot hold "/", which a key line may: as base64url does, it is written "_" here.
    const keyLine = KEY_BODY_LINES[0].replace(/\//g, '_');
    const noKey = (text: string) => {
      for (const line of [...KEY_BODY_LINES, keyLine]) expect(text).not.toContain(line.slice(8, 40));
    };
    let dir: string;
    let config: string;
    let out: string;
    const objects = () => fs.readdirSync(path.join(out, 'demo')).filter((f) => f.endsWith('.yaml'));
    beforeAll(() => {
      dir = tempDir();
      config = writeConfig(dir, demoConfig(), `${keyLine}.yaml`);
      out = path.join(dir, keyLine);
    });

    test.each([
      ['synth, then synth with nothing to rewrite', () => [['synth'], ['synth']]],
      ['check, up to date and after an edit', () => [['check'], ['check']]],
      ['validate and validate --json', () => [['validate'], ['validate', '--json']]],
    ])('%s', (_, runs) => {
      expect(runInProcess(['synth', '-q', '--config', config, '--out', out], { cwd: dir }).status).toBe(0);
      for (const [i, args] of runs().entries()) {
        if (args[0] === 'check' && i === 1) fs.appendFileSync(path.join(out, 'demo', objects()[0]), '#');
        const flags = args[0] === 'validate' ? ['--config', config] : ['--config', config, '--out', out];
        const r = runInProcess([...args, ...flags], { cwd: dir });
        expect(r.status).toBe(args[0] === 'check' && i === 1 ? 1 : 0);
        noKey(r.stdout + r.stderr);
      }
      for (const f of objects()) noKey(fs.readFileSync(path.join(out, 'demo', f), 'utf8').split('\n')[0]);
    });

    test('the delivery files synth names, and the note of a check without keys', () => {
      const delivery = `${demoConfig()}delivery:\n  repoURL: https://git.example.com/gitops.git\n  argocd: {}\n`;
      const dconfig = writeConfig(dir, delivery, 'delivery.yaml');
      const dout = path.join(dir, 'd', keyLine);
      const synth = runInProcess(['synth', '--config', dconfig, '--out', dout]);
      expect(synth.status).toBe(0);
      expect(synth.stderr).toContain('_delivery/argocd-applicationset.yaml');
      noKey(synth.stdout + synth.stderr);
      const keyless = writeConfig(dir, demoConfig('', DEMO_CERT, path.join(dir, 'absent.pem')), 'keyless.yaml');
      const check = runInProcess(['check', '--config', keyless, '--out', dout]);
      expect(check.stderr).toContain('note: not verified:');
      noKey(check.stdout + check.stderr);
    });

    test('init', () => {
      const r = runInProcess(['init', path.join(dir, 'repo', keyLine)]);
      expect(r.status).toBe(0);
      noKey(r.stdout + r.stderr);
    });

    test("a certificate whose subject is a key line: validate's report and JSON", () => {
      const pki = new Pki(tempDir());
      const cert = pki.issue('leaf', { cn: keyLine, dns: ['*.runai.example.com'] });
      const file = writeConfig(pki.dir, demoConfig('', cert, pki.file('leaf', 'key')));
      for (const args of [['validate'], ['validate', '--json']]) {
        const r = runInProcess([...args, '--config', file, '--warn-days', '0']);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain('<not shown>');
        noKey(r.stdout + r.stderr);
      }
    });

    test("the lock's holder, when its lock file holds key lines", () => {
      const lock = path.join(dir, 'lockdir', '.dist.lock');
      fs.mkdirSync(path.dirname(lock));
      fs.writeFileSync(
        lock,
        JSON.stringify({ pid: 1, host: KEY_BODY_LINES[1], started: `${KEY_BODY_LINES[2]}\nerror: forged`, nonce: 'a' }),
      );
      const r = runCli(['synth', '--config', config, '--out', path.join(dir, 'lockdir', 'dist')], {
        cwd: dir,
        env: { RUNAI_ACCESS_LOCK_WAIT: '0.2' }, // long enough for the line that says it waits
      });
      expect(r.status).toBe(2);
      noKey(r.stdout + r.stderr);
      expect(r.stderr).not.toContain('\nerror: forged');
    });
  });

  // And through the bundled entry point, which adds how the process starts and ends (exit code,
  // what node itself prints): the two cases that hand the key's text to the YAML parser.
  test.each(cases.filter(([name]) => name === 'the key file as the config' || name === 'the key as broken YAML'))(
    'through node build/runai-access.js, with %s',
    (_name, config) => expectNoKey(config, (args) => runLoader(args) as ReturnType<typeof runInProcess>),
  );
});

describe('key text in every field never reaches any output', () => {
  const KEYS = [DEMO_KEY, path.join(ROOT, 'test', 'fixtures', 'keys', 'test-only-rsa-2048.pem')].map((f) => fs.readFileSync(f, 'utf8'));
  const LINES = KEYS.flatMap((k) => k.split('\n').filter((l) => l && !l.startsWith('-----')));
  /**
   * Any 16 characters in a row of a key line, in any case: more than that in an output is a leak
   * (a host name is lower-cased before it is checked, and must not carry a key line out that way).
   */
  const WINDOW = 16;
  const windows = new Set(
    LINES.flatMap((l) => Array.from({ length: l.length - WINDOW + 1 }, (_, i) => l.slice(i, i + WINDOW).toLowerCase())),
  );
  const leak = (text: string) => {
    const lower = text.toLowerCase();
    for (let i = 0; i + WINDOW <= lower.length; i++) if (windows.has(lower.slice(i, i + WINDOW))) return text.slice(i, i + WINDOW);
    return undefined;
  };
  const pieces = (sep: RegExp) => [...new Set(LINES.flatMap((l) => l.split(sep)).filter((p) => p.length > 0))];
  /** The shapes key text is pasted in: whole PEM blocks, single lines, and lines split at "/", at "+", and at both. */
  const SHAPES: [string, string[]][] = [
    ['whole PEM blocks', KEYS],
    ['single lines', LINES],
    ['lines split at "/"', pieces(/\//)],
    ['lines split at "+"', pieces(/\+/)],
    ['lines split at "/" and "+"', pieces(/[/+]/)],
  ];
  const q = (v: string) => JSON.stringify(v);
  const c = (fields: string) => `  - {name: a, clusterUrl: runai.example.com, ${fields}}`;
  /** Each field, as a cluster entry holding value `v` there (a key or a value of the config). */
  const FIELDS: [string, (v: string) => string][] = [
    ['name', (v) => `  - {name: ${q(v)}, clusterUrl: runai.example.com, tls: {source: existing}}`],
    ['clusterUrl', (v) => `  - {name: a, clusterUrl: ${q(v)}, tls: {source: existing}}`],
    ['runaiVersion', (v) => c(`tls: {source: existing}, runaiVersion: ${q(v)}`)],
    ['deployment', (v) => c(`tls: {source: existing}, deployment: ${q(v)}`)],
    ['tls.source', (v) => c(`tls: {source: ${q(v)}}`)],
    ['tls.certFile', (v) => c(`tls: {source: files, certFile: ${q(v)}, keyFile: ${DEMO_KEY}}`)],
    ['tls.keyFile', (v) => c(`tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${q(v)}}`)],
    [
      'tls.controllerCertFile',
      (v) => c(`tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${q(v)}}`),
    ],
    ['privateCa.caFile', (v) => c(`tls: {source: existing}, privateCa: {caFile: ${q(v)}}`)],
    ['ingress.className', (v) => c(`tls: {source: existing}, ingress: {className: ${q(v)}}`)],
    ['an ingress annotation key', (v) => c(`tls: {source: existing}, ingress: {annotations: {${q(v)}: x}}`)],
    [
      'a certificate label key',
      (v) => c(`tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}, secretTemplate: {labels: {${q(v)}: x}}}`),
    ],
    ['an expose port', (v) => c(`tls: {source: existing}, expose: [{project: p, workload: w, type: node-port, ports: [${q(v)}]}]`)],
    ['an expose project', (v) => c(`tls: {source: existing}, expose: [{project: ${q(v)}, workload: w, type: node-port, ports: ["80"]}]`)],
    [
      'an expose selector key',
      (v) => c(`tls: {source: existing}, expose: [{project: p, workload: w, type: subdomain, ports: ["80"], selector: {${q(v)}: x}}]`),
    ],
    [
      'a load balancer source range',
      (v) =>
        c(
          `tls: {source: existing}, expose: [{project: p, workload: w, type: load-balancer, ports: ["80"], loadBalancerSourceRanges: [${q(v)}]}]`,
        ),
    ],
    ['inference.domain', (v) => c(`tls: {source: existing}, inference: {domain: ${q(v)}}`)],
    ['an unknown key', (v) => c(`tls: {source: existing}, ${q(v)}: 1`)],
    ['a list used as a key', (v) => c(`tls: {source: existing}, [${q(v)}]: 1`)],
  ];
  const COMMANDS = (config: string, dir: string) => [
    ['synth', '--config', config, '--out', path.join(dir, 'dist')],
    ['check', '--config', config, '--out', path.join(dir, 'dist')],
    ['validate', '--config', config],
    ['validate', '--json', '--config', config],
    ['url', '--config', config, '--cluster', 'a', '--project', 'p', '--workload', 'w'],
  ];
  const expectNoLeak = (args: string[]) => {
    const r = cli(...args);
    expect([0, 1, 2]).toContain(r.status);
    expect(leak(r.stdout + r.stderr)).toBeUndefined();
    expect(r.stderr).not.toMatch(STACK);
  };

  test.each(FIELDS.flatMap(([field, entry]) => SHAPES.map(([shape, values]) => [field, shape, entry, values] as const)))(
    'in %s, as %s: no 16 characters of a key line in the output of synth, check, validate, validate --json or url',
    (_field, _shape, entry, values) => {
      // One config holds every value of the shape, one cluster each: every problem is reported in one run.
      const dir = tempDir();
      const config = writeConfig(dir, `clusters:\n${values.map(entry).join('\n')}\n`);
      for (const args of COMMANDS(config, dir)) expectNoLeak(args);
    },
  );

  test.each(SHAPES)('as the --config path, and as url --cluster, --project and --workload: as %s', (_shape, values) => {
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n${c('tls: {source: existing}')}\n`);
    for (const v of values) {
      for (const args of COMMANDS(v, dir)) expectNoLeak(args);
      for (const flag of ['--cluster', '--project', '--workload']) {
        const args = ['url', '--config', config, '--cluster', 'a', '--project', 'p', '--workload', 'w'];
        args[args.indexOf(flag) + 1] = v;
        expectNoLeak(args);
      }
    }
  });

  test('the key file itself as the config: no key text, and the yaml library prints no warning of its own', () => {
    const dir = tempDir();
    const warn = jest.spyOn(process, 'emitWarning');
    try {
      for (const key of KEYS) for (const args of COMMANDS(writeConfig(dir, key), dir)) expectNoLeak(args);
      const config = writeConfig(dir, `clusters:\n${c(`tls: {source: existing}, [${q(LINES[0])}]: 1`)}\n`);
      expect(cli('validate', '--config', config)).toEqual({
        status: 2,
        stdout: '',
        stderr: `${config}: clusters[0] (line 2, column 71): invalid YAML: a mapping key must be a plain value, not a list or a mapping\n`,
      });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
