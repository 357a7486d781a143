/**
 * lib/config/keys-in-git.ts: a keyFile in a git work tree that git tracks, or would add, is a
 * warning of synth, validate and check (check exits 1 on a tracked one); the advice it gives mends
 * it; a demo cluster (a documentation name) is not asked about. With real git and openssl.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { keysInGit } from '../lib/config/keys-in-git';
import { loadConfig } from '../lib/config/load';
import { asNobody, bash, runCli, runInProcess, tempDir } from './helpers';
import { Pki } from './pki';

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const URL = 'runai.mycorp.io';

/** A repository with a config for `url` and its certificate and key in certs/ (neither committed nor ignored). */
function repository(url = URL): string {
  const dir = tempDir();
  git(dir, 'init', '-q');
  const pki = new Pki(path.join(dir, 'pki'));
  pki.issue('root', { cn: 'Root', ca: true });
  pki.issue('leaf', { cn: url, dns: [`*.${url}`, url], issuer: 'root' });
  fs.mkdirSync(path.join(dir, 'certs'));
  fs.copyFileSync(pki.chain('chain.pem', 'leaf', 'root'), path.join(dir, 'certs/fullchain.pem'));
  fs.copyFileSync(pki.file('leaf', 'key'), path.join(dir, 'certs/private.pem'));
  fs.rmSync(pki.dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'runai-access.yaml'),
    `clusters:\n  - name: prod\n    clusterUrl: ${url}\n    tls: {source: files, certFile: certs/fullchain.pem, keyFile: certs/private.pem}\n`,
  );
  return dir;
}

const NOT_IGNORED = (dir: string) =>
  `warning: runai-access.yaml: clusters[0].tls.keyFile: certs/private.pem is a private key in the git work tree ${dir} that no ` +
  `.gitignore lists, so git add -A commits it: add the line /certs/private.pem to ${dir}/.gitignore [key-file-not-ignored]\n`;
const ROTATE =
  'once committed, the history keeps the key: rotate it (or use tls.source sealed-secret, external-secret or cert-manager, whose keys stay out of git)';
const TRACKED = (dir: string) =>
  `warning: runai-access.yaml: clusters[0].tls.keyFile: certs/private.pem is a private key that git tracks in ${dir}: every clone ` +
  `of the repository has it; run git --literal-pathspecs -C ${dir} rm --cached -- certs/private.pem, add the line /certs/private.pem ` +
  `to ${dir}/.gitignore and commit; ${ROTATE} [key-file-tracked]\n`;

test('a key file git would add: validate and synth warn with the .gitignore line that mends it; --strict refuses', () => {
  const dir = repository();
  const validate = runInProcess(['validate', '-q'], { cwd: dir });
  expect([validate.status, validate.stderr]).toEqual([0, NOT_IGNORED(dir)]);
  const synth = runInProcess(['synth', '-q'], { cwd: dir });
  expect(synth.status).toBe(0);
  expect(synth.stderr).toContain(NOT_IGNORED(dir));
  const strict = runInProcess(['validate', '-q', '--strict'], { cwd: dir });
  expect(strict.status).toBe(2);
  expect(strict.stderr).toContain('so git add -A commits it: add the line /certs/private.pem to');
  expect(strict.stderr).toContain('(an error with --strict) [key-file-not-ignored]');
  // What it warns of: git add -A would stage the key.
  expect(git(dir, 'add', '-A', '--dry-run')).toContain("add 'certs/private.pem'");

  // Mended as it says: the line keeps the key out, and nothing more is said.
  fs.appendFileSync(path.join(dir, '.gitignore'), '/certs/private.pem\n');
  expect(git(dir, 'add', '-A', '--dry-run')).not.toContain('private.pem');
  const mended = runInProcess(['validate', '-q'], { cwd: dir });
  expect([mended.status, mended.stderr]).toEqual([0, '']);
});

test('a key file git tracks: synth and validate warn, check in a clone exits 1, never "up to date"; the advice mends it', () => {
  const dir = repository();
  fs.writeFileSync(path.join(dir, '.gitignore'), '/dist/\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'the key, by mistake');
  const validate = runInProcess(['validate', '-q'], { cwd: dir });
  expect([validate.status, validate.stderr]).toEqual([0, TRACKED(dir)]);
  const json = JSON.parse(runInProcess(['validate', '--json'], { cwd: dir }).stdout);
  expect(json.findings).toEqual([
    expect.objectContaining({ code: 'key-file-tracked', severity: 'warning', cluster: 'prod', field: 'clusters[0].tls.keyFile' }),
  ]);

  // check in a clone, whose output folder is up to date: the key in git alone makes it exit 1.
  fs.writeFileSync(path.join(dir, '.gitignore'), '');
  expect(runInProcess(['synth', '-q'], { cwd: dir }).stderr).toContain(TRACKED(dir));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'dist');
  const clone = path.join(tempDir(), 'clone');
  git(dir, 'clone', '-q', dir, clone);
  // The clone has the key, so the plaintext-key Secret git ignores is written there too.
  expect(runInProcess(['synth', '-q'], { cwd: clone }).stderr).toBe(TRACKED(clone));
  const check = runInProcess(['check'], { cwd: clone });
  expect([check.status, check.stdout]).toEqual([1, '']);
  expect(check.stderr).toContain(TRACKED(clone));
  expect(check.stderr).not.toContain('up to date');

  // Mended as the warning says, in the clone: the key is kept, untracked and ignored.
  git(clone, 'rm', '-q', '--cached', '--', 'certs/private.pem');
  fs.appendFileSync(path.join(clone, '.gitignore'), '/certs/private.pem\n');
  git(clone, 'add', '-A');
  expect(git(clone, 'status', '--porcelain')).toBe('M  .gitignore\nD  certs/private.pem\n');
  expect(fs.existsSync(path.join(clone, 'certs/private.pem'))).toBe(true);
  const mended = runInProcess(['check'], { cwd: clone });
  expect([mended.status, mended.stderr]).toEqual([0, 'dist is up to date with runai-access.yaml\n']);
});

test('a demo cluster (a name reserved for documentation) is not asked about: the bundled example commits its key on purpose', () => {
  const dir = repository('runai.example.com');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'demo');
  expect(runInProcess(['validate', '-q'], { cwd: dir })).toEqual({ status: 0, stdout: '', stderr: '' });
  // This repository's own example: its demo key is tracked here.
  expect(git(path.join(__dirname, '..'), 'ls-files', 'examples/certs/private.pem')).toBe('examples/certs/private.pem\n');
  expect(runInProcess(['validate', '-q']).stderr).not.toContain('key-file');
  // The names RFC 2606 reserves, and no more: a real name that merely ends alike is asked about.
  const loaded = (url: string) =>
    keysInGit(
      [{ file: path.join(dir, 'certs/private.pem'), source: 'c', path: 'clusters[0].tls.keyFile', given: 'k' }],
      [{ index: 0, name: 'prod', clusterUrl: url } as never],
      'c',
    );
  for (const url of ['runai.example.com', 'a.example.net', 'example.org', 'runai.example', 'runai.test', 'x.invalid', 'runai.localhost'])
    expect([url, loaded(url).problems]).toEqual([url, []]);
  for (const url of ['runai.myexample.com', 'runai.example.co', 'runai.contest', 'example.com.mycorp.io'])
    expect([url, loaded(url).problems.map((p) => p.code)]).toEqual([url, ['key-file-tracked']]);
  // An inference key is judged by the inference domain, not the cluster URL.
  const inference = (clusterUrl: string, domain: string) =>
    keysInGit(
      [{ file: path.join(dir, 'certs/private.pem'), source: 'c', path: 'clusters[0].inference.tls.keyFile', given: 'k' }],
      [{ index: 0, name: 'prod', clusterUrl, inference: { domain } } as never],
      'c',
    ).problems.map((p) => p.code);
  expect(inference('runai.example.com', 'inference.mycorp.io')).toEqual(['key-file-tracked']);
  expect(inference('runai.mycorp.io', 'inference.example.com')).toEqual([]);
});

test('outside a git work tree git is not asked, and nothing is said', () => {
  const dir = repository();
  fs.rmSync(path.join(dir, '.git'), { recursive: true });
  // With no git on the way to the files, a broken GIT_DIR would be reported if git were started.
  const r = runCli(['validate', '-q'], { cwd: dir, env: { ...process.env, GIT_DIR: path.join(dir, 'none') } });
  expect([r.status, r.stderr]).toEqual([0, '']);
});

test('where git cannot be asked, synth, validate and check say the key files were not verified, and the command that says why', () => {
  const dir = repository();
  // git refuses the repository: its .git names a folder that is none.
  fs.rmSync(path.join(dir, '.git'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.git'), `gitdir: ${path.join(dir, 'no-such-git-dir')}\n`);
  const note = `note: not verified: whether git tracks the key files in ${dir} (git ls-files exited 128: run git -C ${dir} ls-files to see why)\n`;
  const validate = runInProcess(['validate', '-q'], { cwd: dir });
  expect([validate.status, validate.stderr]).toEqual([0, note]);
  const json = JSON.parse(runInProcess(['validate', '--json'], { cwd: dir }).stdout);
  expect(json.notes).toEqual([note.slice('note: '.length, -1)]);
  expect(runInProcess(['synth', '-q'], { cwd: dir }).stderr).toContain(note);
  const check = runInProcess(['check'], { cwd: dir });
  expect(check.status).toBe(0);
  expect(check.stderr).toContain(note);
  expect(check.stderr).toContain('in everything it could verify');
  // The command it names shows why.
  expect(spawnSync('git', ['-C', dir, 'ls-files'], { encoding: 'utf8' }).stderr).toContain('not a git repository');
});

test('a repository another user owns: the note gives the safe.directory setting that lets git read it', () => {
  const dir = repository();
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'the key');
  // As nobody, in root's repository (a CI container whose checkout another uid made).
  expect(spawnSync('chmod', ['-R', 'a+rX', dir]).status).toBe(0);
  const r = asNobody('validate', '-q', '--config', path.join(dir, 'runai-access.yaml'));
  expect([r.status, r.stderr]).toEqual([
    0,
    `note: not verified: whether git tracks the key files in ${dir} (git ls-files exited 128: run git -C ${dir} ls-files to see ` +
      `why; the repository is another user's: git config --global --add safe.directory ${dir} lets git read it)\n`,
  ]);
});

test("git's own variables (a hook's GIT_DIR, GIT_INDEX_FILE) do not send it to another repository", () => {
  const dir = repository();
  const other = tempDir();
  git(other, 'init', '-q');
  fs.mkdirSync(path.join(other, 'certs'));
  fs.writeFileSync(path.join(other, 'certs/private.pem'), 'not the key');
  git(other, 'add', '-A');
  git(other, 'commit', '-qm', 'a file of the same name');
  const env = { ...process.env, GIT_DIR: path.join(other, '.git'), GIT_INDEX_FILE: '.git/index', GIT_WORK_TREE: other };
  const r = runCli(['validate', '-q'], { cwd: dir, env });
  expect([r.status, r.stderr]).toEqual([0, NOT_IGNORED(dir)]);
});

test('links: the key file where a link leads is asked about, in its own repository', () => {
  // A link to a folder: the key behind it is tracked.
  const dir = repository();
  fs.renameSync(path.join(dir, 'certs'), path.join(dir, 'secrets'));
  fs.symlinkSync('secrets', path.join(dir, 'certs'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'the key, behind a link');
  expect(runInProcess(['validate', '-q'], { cwd: dir }).stderr).toContain(
    `certs/private.pem is a private key that git tracks in ${dir}: every clone of the repository has it; run git ` +
      `--literal-pathspecs -C ${dir} rm --cached -- secrets/private.pem, add the line /secrets/private.pem to ${dir}/.gitignore`,
  );

  // A link that git tracks, to a key outside any work tree: a clone has a link to nothing, not the key.
  const linked = repository();
  const outside = path.join(tempDir(), 'private.pem');
  fs.renameSync(path.join(linked, 'certs/private.pem'), outside);
  fs.symlinkSync(outside, path.join(linked, 'certs/private.pem'));
  git(linked, 'add', '-A');
  git(linked, 'commit', '-qm', 'a link to the key');
  expect(runInProcess(['validate', '-q'], { cwd: linked })).toEqual({ status: 0, stdout: '', stderr: '' });
});

test('a key name with pattern characters: the git rm the warning gives untracks that file alone', () => {
  const dir = repository();
  fs.renameSync(path.join(dir, 'certs/private.pem'), path.join(dir, 'certs/key[1].pem'));
  fs.writeFileSync(path.join(dir, 'certs/key1.pem'), 'another file, which the pattern key[1].pem matches');
  const config = path.join(dir, 'runai-access.yaml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('certs/private.pem', "'certs/key[1].pem'"));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'both');
  const warning = runInProcess(['validate', '-q'], { cwd: dir }).stderr;
  const command = /; run (git .*?), add the line (\S+) to /.exec(warning);
  expect(command?.slice(1)).toEqual([`git --literal-pathspecs -C ${dir} rm --cached -- 'certs/key[1].pem'`, '/certs/key\\[1].pem']);
  expect(bash(['-c', command![1]]).status).toBe(0);
  expect(git(dir, 'status', '--porcelain')).toBe('D  certs/key[1].pem\n?? certs/key[1].pem\n');
  fs.appendFileSync(path.join(dir, '.gitignore'), `${command![2]}\n`);
  expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('D  certs/key[1].pem\n?? .gitignore\n');
});

test('only a .gitignore counts: .git/info/exclude keeps the key out of this clone alone', () => {
  const dir = repository();
  fs.appendFileSync(path.join(dir, '.git/info/exclude'), '/certs/private.pem\n');
  expect(runInProcess(['validate', '-q'], { cwd: dir }).stderr).toBe(NOT_IGNORED(dir));
});

test('a tracked key a .gitignore already lists: the warning says the line keeps nothing out, and to untrack it', () => {
  const dir = repository();
  fs.writeFileSync(path.join(dir, '.gitignore'), '/certs/private.pem\n');
  git(dir, 'add', '-A', '-f');
  git(dir, 'commit', '-qm', 'added with -f');
  expect(runInProcess(['validate', '-q'], { cwd: dir }).stderr).toBe(
    `warning: runai-access.yaml: clusters[0].tls.keyFile: certs/private.pem is a private key that git tracks in ${dir}: every clone ` +
      `of the repository has it; a .gitignore lists it, which keeps out only files git does not track yet. Run git ` +
      `--literal-pathspecs -C ${dir} rm --cached -- certs/private.pem and commit; ${ROTATE} [key-file-tracked]\n`,
  );
});

test('loadConfig asks git only with askGit, and not when the config has an error', () => {
  const dir = repository();
  const config = path.join(dir, 'runai-access.yaml');
  expect(loadConfig(config).warnings).toEqual([]);
  expect(loadConfig(config, { askGit: true }).warnings.map((w) => w.code)).toEqual(['key-file-not-ignored']);
  // A certificate file that is missing: the run stops there, and git is not started for a warning.
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('fullchain.pem', 'missing.pem'));
  let message = '';
  try {
    loadConfig(config, { askGit: true });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain('certs/missing.pem');
  expect(message).not.toContain('key-file');
});
