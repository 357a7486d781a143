/** Shared test helpers: temporary folders, demo certificates, openssl, kubectl and the CLI. */
import { execFileSync, spawnSync, SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { parseAllDocuments } from 'yaml';

import type { Io } from '../lib/cli/run';
import type { LoadedConfig } from '../lib/config/load';
import type { CheckOptions } from '../lib/config/spec';
import { InputError } from '../lib/model/errors';
import type { ClusterOutput } from '../lib/output/render';

export const ROOT = path.join(__dirname, '..');
/** The bundled CLI that npm run synth and the bin run. */
export const MAIN = path.join(ROOT, 'build', 'runai-access.js');
/** The launcher the npm scripts run (scripts/launcher.sh, copied by the build). */
export const LAUNCHER = path.join(ROOT, 'build', 'runai-access');
export const DEMO_CERT = path.join(ROOT, 'examples', 'certs', 'fullchain.pem');
export const DEMO_KEY = path.join(ROOT, 'examples', 'certs', 'private.pem');
export const DEMO_ROOT_CA = path.join(ROOT, 'examples', 'certs', 'demo-root-ca.pem');
/** Names the folder test/global-setup.js makes for the fixtures a jest run shares between suites. */
export const SHARED_FIXTURES_ENV = 'RUNAI_ACCESS_TEST_SHARED';

/** The body of the demo private key without its PEM armour: what must never leak. */
export const KEY_BODY_LINES = fs
  .readFileSync(DEMO_KEY, 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('-----'));

/**
 * Runs `bash args`, its output as text. Its stdin is /dev/null, not node's default pipe: bash reads
 * ~/.bashrc when its stdin is a socket (as under sshd), which node's pipes are, so a test would
 * otherwise run the user's .bashrc (here, pyenv's set-up: some 30 processes) and could see its output.
 */
export function bash(args: string[], options: SpawnSyncOptions = {}): SpawnSyncReturns<string> {
  return spawnSync('bash', args, { ...options, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const made: string[] = [];
/** A fresh temporary folder, removed after the test file finishes. */
export function tempDir(): string {
  // Lower-case hex, not mkdtemp's mixed-case suffix: a path like /tmp/x-sOEY1K/clone/certs/key
  // reads as random base64 to the redaction of messages, and tests compare messages exactly.
  const dir = path.join(os.tmpdir(), `runai-access-test-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a config file into `dir` and returns its path. */
export function writeConfig(dir: string, yaml: string, name = 'runai-access.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, yaml);
  return file;
}

/** A one-cluster config using the demo certificate files, with extra YAML lines for the cluster. */
export function demoConfig(extra = '', certFile = DEMO_CERT, keyFile = DEMO_KEY): string {
  return `clusters:
  - name: demo
    clusterUrl: runai.example.com
    tls: {source: files, certFile: ${certFile}, keyFile: ${keyFile}}
${extra}`;
}

/** Runs openssl with the given arguments in `cwd`. */
export function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/**
 * The environment of the kubectl the tests start: GOGC=off, as for any short-lived Go program,
 * since kubectl exits within a fraction of a second and its collector only costs it time.
 */
export const KUBECTL_ENV: NodeJS.ProcessEnv = { ...process.env, GOGC: 'off' };

/** Runs kubectl with the given arguments and returns stdout. */
export function kubectl(args: string[], cwd?: string): string {
  return execFileSync('kubectl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: KUBECTL_ENV });
}

/**
 * Runs the CLI as admins run it: `build/runai-access`, the launcher the npm scripts run, which
 * starts Node from the start-up snapshot (half the CPU of a start through runai-access.js; the
 * launcher tests compare the two ways). Tests about the package's own bin use {@link runLoader}.
 */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(LAUNCHER, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
  });
}

/** Runs the package's bin, `node build/runai-access.js …` (what npx and an installed package run). */
export function runLoader(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [MAIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
  });
}

/** Runs `node build/runai-access.js …` as the unprivileged uid 65534 (setpriv), for permission cases. */
export function asNobody(...args: string[]): SpawnSyncReturns<string> {
  return nodeAsNobody(MAIN, ...args);
}

/** Runs `node …` as the unprivileged uid 65534 (setpriv). */
export function nodeAsNobody(...args: string[]): SpawnSyncReturns<string> {
  return nodeAsNobodyIn({}, ...args);
}

/** {@link nodeAsNobody} in folder `cwd`, with `env` added to this process's environment. */
export function nodeAsNobodyIn(opts: { cwd?: string; env?: NodeJS.ProcessEnv }, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
  });
}

/**
 * Runs the CLI in this process: `run` from lib/cli/run.ts, which is all main.ts calls, with its
 * output captured and `cwd` as the working folder for the call. For the cases a process proves
 * nothing more for than the exit code and the two outputs: no signal, no environment variable,
 * no terminal, no npm. The launcher and the bundle keep their own tests through {@link runCli},
 * and the package's bin through {@link runLoader} (launcher.test.ts, key-leaks.test.ts) and
 * package.test.ts.
 */
export function runInProcess(args: string[], opts: { cwd?: string } = {}): { status: number; stdout: string; stderr: string } {
  // Loaded on first use: most suites that import these helpers never run the CLI.
  const { run } = require('../lib/cli/run') as typeof import('../lib/cli/run');
  let stdout = '';
  let stderr = '';
  const before = process.cwd();
  // Output that bypasses `io` (a write to the process's own streams, console, a warning) would
  // reach a terminal from the real CLI unseen by this capture: any such call fails the test.
  const bypasses = [
    jest.spyOn(process.stdout, 'write'),
    jest.spyOn(process.stderr, 'write'),
    jest.spyOn(process, 'emitWarning'),
    ...(['log', 'error', 'warn', 'info', 'debug'] as const).map((m) => jest.spyOn(console, m)),
  ];
  // run() is synchronous, so nothing else runs in this process while the folder is changed.
  process.chdir(opts.cwd ?? ROOT);
  try {
    const status = run(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
    const bypassed = bypasses.filter((s) => s.mock.calls.length > 0).map((s) => `${s.getMockName()}: ${JSON.stringify(s.mock.calls[0])}`);
    if (bypassed.length > 0) throw new Error(`runai-access ${args.join(' ')} wrote around its io: ${bypassed.join('; ')}`);
    return { status, stdout, stderr };
  } finally {
    process.chdir(before);
    for (const s of bypasses) s.mockRestore();
  }
}

/**
 * Runs the CLI in this process: the same code as the bundle, without a process per case, and
 * without {@link runInProcess}'s checks (working folder, output around io), for the tables of
 * thousands of cases in the reliability suites (their paths are absolute).
 */
export function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  // Loaded on first use, as in runInProcess.
  const { run } = require('../lib/cli/run') as typeof import('../lib/cli/run');
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  const status = run(args, io);
  return { status, stdout, stderr };
}

/** The first line of a stack trace in an output: a user error never prints one. */
export const STACK = /^\s+at /m;

/** A config of `n` clusters with an existing TLS Secret at c<i>.<domain>. */
export const fleet = (n: number, domain: string) =>
  `clusters:\n${Array.from({ length: n }, (_, i) => `  - {name: c${i}, clusterUrl: c${i}.${domain}, tls: {source: existing}}`).join('\n')}\n`;

/** Every file under `dir` with its bytes and mode, for byte-for-byte comparisons. */
export function treeOf(dir: string): Record<string, { content: string; mode: number }> {
  const out: Record<string, { content: string; mode: number }> = {};
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full, r);
      else out[r] = { content: fs.readFileSync(full, 'latin1'), mode: fs.statSync(full).mode & 0o777 };
    }
  };
  walk(dir, '');
  return out;
}

/** Parses every YAML document in `text`. */
export function yamlDocs(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

/** A config of one cluster `prod` at runai.example.com, with `lines` (indented four spaces) added to it. */
export function oneCluster(lines: string): string {
  return `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n${lines}`;
}

/** A valid cluster entry with `tls: existing`, and `extra` lines appended to it. */
export function existingCluster(extra = '', name = 'prod'): string {
  return `  - name: ${name}
    clusterUrl: runai.example.com
    tls: {source: existing}
${extra}`;
}

/** A config of one {@link existingCluster}`(extra)`. */
export const oneExisting = (extra = '') => `clusters:\n${existingCluster(extra)}`;

/** Parses {@link oneCluster}`(lines)` as `c.yaml`, relative paths against `/`. */
export function loadOne(lines: string, options: CheckOptions = {}): LoadedConfig {
  // Loaded on first use, as in runInProcess: the config's schemas and all they import are most of lib/.
  const { parseConfig } = require('../lib/config/load') as typeof import('../lib/config/load');
  return parseConfig(oneCluster(lines), 'c.yaml', '/', options);
}

/** The lines of the InputError `fn` throws (`path: message [code]`), or [] when it does not throw. */
export function problemLines(fn: () => unknown, withCodes = true): string[] {
  try {
    fn();
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}${withCodes && p.code ? ` [${p.code}]` : ''}`);
  }
}

/** The Kubernetes object files of a cluster's output (`NN-kind-name.yaml`), in file order. */
export function objectFiles(out: ClusterOutput): { path: string; doc: any }[] {
  return out.files.filter((f) => /^\d\d-.*\.yaml$/.test(f.path)).map((f) => ({ path: f.path, doc: yamlDocs(f.content)[0] }));
}

/** A cluster's objects, their `kind namespace/name` list, and its Helm values parsed (or undefined). */
export function emittedObjects(out: ClusterOutput) {
  const docs = objectFiles(out).map((f) => f.doc);
  const values = out.files.find((f) => f.path === 'helm/runai-cluster-values.yaml');
  return {
    out,
    docs,
    kinds: docs.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`),
    helm: values ? yamlDocs(values.content)[0] : undefined,
  };
}

/**
 * A folder for a config's successive versions: `synth(config, ...flags)` writes it as
 * runai-access.yaml, runs `synth --at 2030-01-01` there in this process (so paths print relative),
 * expects exit 0 and returns the stderr lines that `keep` keeps.
 */
export function synthSteps(keep: (line: string) => boolean = () => true) {
  const dir = tempDir();
  const synth = (config: string, ...flags: string[]) => {
    writeConfig(dir, config);
    const r = runInProcess(['synth', '--at', '2030-01-01T00:00:00Z', ...flags], { cwd: dir });
    expect(r.status).toBe(0);
    return r.stderr.split('\n').filter(keep);
  };
  return Object.assign(synth, { dir });
}
