/**
 * The GitOps loop from a fresh clone: `init` through the real entry point, then synth, commit,
 * clone without keys, `check` (exit 0, one line per thing not verified), then a real change
 * (exit 1); `kubectl kustomize` in the clone; `validate` without keys; `--require-keys`. The
 * commands after `init` run in this process (`runInProcess`: the code main.ts calls, in the
 * clone's folder): they are judged by exit code and output, which a process adds nothing to.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { App, Chart, Testing } from 'cdk8s';

import { SealedTlsSecret } from '../lib';
import { ciphertextDigest, ciphertextsOnlyDigest, sealingLabel, sealValue } from '../lib/tls/sealing';
import {
  DEMO_CERT,
  DEMO_KEY,
  DEMO_ROOT_CA,
  KEY_BODY_LINES,
  kubectl,
  MAIN,
  nodeAsNobodyIn,
  ROOT,
  runCli,
  runInProcess,
  tempDir,
  yamlDocs,
} from './helpers';
import { CHECK_AT, Pki } from './pki';

const CONTROLLER_CERT = path.join(ROOT, 'test', 'fixtures', 'corpus', 'sealed-secrets-controller.pem');
const SECRET = '00-secret-runai-cluster-domain-star-tls-secret.yaml';
const SEALED = '00-sealedsecret-runai-cluster-domain-star-tls-secret.yaml';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `init` a repository in a temp folder with the demo certificate, synth and commit it; returns a clone. */
function repoAndClone(initArgs: string[], setup: (repo: string) => void = () => undefined): { repo: string; clone: string } {
  const root = tempDir();
  const repo = path.join(root, 'repo');
  const init = runCli(['init', repo, '--cluster-url', 'runai.example.com', ...initArgs]);
  expect([init.status, init.stderr]).toEqual([0, expect.stringContaining('wrote')]);
  fs.mkdirSync(path.join(repo, 'certs'));
  fs.copyFileSync(DEMO_CERT, path.join(repo, 'certs', 'fullchain.pem'));
  fs.copyFileSync(DEMO_KEY, path.join(repo, 'certs', 'private.key'));
  setup(repo);
  const synth = runInProcess(['synth', '-q'], { cwd: repo });
  expect([synth.status, synth.stderr]).toEqual([0, '']);
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'runai-access');
  const clone = path.join(root, 'clone');
  git(root, 'clone', '-q', repo, clone);
  return { repo, clone };
}

describe('files source: check in a clone without the private key', () => {
  let repo: string;
  let clone: string;
  beforeAll(() => ({ repo, clone } = repoAndClone(['--tls-source', 'files'])));

  test('git add -A commits neither the key nor the plaintext Secret, but dist/ and the digest file', () => {
    const committed = git(repo, 'ls-files').trim().split('\n');
    expect(committed).not.toContain('certs/private.key');
    expect(committed).not.toContain(`dist/runai/${SECRET}`);
    expect(committed).toEqual(
      expect.arrayContaining([
        'certs/fullchain.pem',
        'dist/runai/certificates.sha256',
        'dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml',
      ]),
    );
    expect(fs.existsSync(path.join(clone, 'certs', 'private.key'))).toBe(false);
    const digests = fs.readFileSync(path.join(clone, 'dist/runai/certificates.sha256'), 'utf8');
    expect(digests).not.toMatch(/PRIVATE KEY/);
    const sha = execFileSync('sha256sum', [DEMO_CERT], { encoding: 'utf8' }).split(' ')[0];
    expect(digests).toContain(`${SECRET} tls.crt sha256:${sha}\n`);
  });

  test('check exits 0 and names, one line each, what it could not verify and why', () => {
    const r = runInProcess(['check'], { cwd: clone });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'note: not verified: the private key certs/private.key (clusters[0].tls.keyFile of runai-access.yaml) is missing; the objects made from it are checked without their key half',
      `note: not verified: dist/runai/${SECRET} is not here (its .gitignore keeps it out of git); its certificate is checked through dist/runai/certificates.sha256`,
      'dist is up to date with runai-access.yaml in everything it could verify',
      '',
    ]);
  });

  test('check in the original repository, keys present, is fully up to date', () => {
    const r = runInProcess(['check'], { cwd: repo });
    expect([r.status, r.stderr]).toEqual([0, 'dist is up to date with runai-access.yaml\n']);
  });

  test('validate --warn-days 30 (what CI runs) passes without the key', () => {
    const r = runInProcess(['validate', '--warn-days', '30', '-q'], { cwd: clone });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('note: runai-access.yaml: clusters[0].tls.keyFile: certs/private.key is missing');
  });

  test('fails when --require-keys is given and the key is missing (exit 2)', () => {
    const r = runInProcess(['check', '--require-keys'], { cwd: clone });
    expect([r.status, r.stderr]).toEqual([
      2,
      `runai-access.yaml: clusters[0].tls.keyFile: certs/private.key does not exist (looked for ${path.join(clone, 'certs', 'private.key')}) [file-missing]\n`,
    ]);
    expect(runInProcess(['validate', '--require-keys'], { cwd: clone }).status).toBe(2);
  });

  test('with the key present, the git-ignored Secret is reported missing (exit 1), --require-keys or not', () => {
    const withKey = path.join(path.dirname(clone), 'clone-with-key');
    git(path.dirname(clone), 'clone', '-q', repo, withKey);
    fs.copyFileSync(DEMO_KEY, path.join(withKey, 'certs', 'private.key'));
    // With the key here, synth would write the Secret: its absence is drift, with or without --require-keys.
    const plain = runInProcess(['check'], { cwd: withKey });
    expect([plain.status, plain.stdout]).toEqual([1, `missing dist/runai/${SECRET}\n`]);
    expect(plain.stderr).not.toContain('not verified');
    const r = runInProcess(['check', '--require-keys'], { cwd: withKey });
    expect([r.status, r.stdout]).toEqual([1, `missing dist/runai/${SECRET}\n`]);
    // Only a file git keeps out: synth mends it, and there is nothing to commit.
    expect(r.stderr).toBe('dist differs from runai-access.yaml in 1 file; run: npx runai-access synth\n');
  });

  test('fails when a branch switch left a plaintext-key Secret that nothing keeps out of git (exit 1): a note says git add -A would commit it', () => {
    const copy = path.join(path.dirname(clone), 'branches');
    git(path.dirname(clone), 'clone', '-q', repo, copy);
    fs.copyFileSync(DEMO_KEY, path.join(copy, 'certs', 'private.key'));
    git(copy, 'checkout', '-q', '-b', 'second-cluster');
    fs.appendFileSync(
      path.join(copy, 'runai-access.yaml'),
      '  - name: second\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: certs/fullchain.pem, keyFile: certs/private.key}\n',
    );
    expect(runInProcess(['synth', '-q'], { cwd: copy }).status).toBe(0);
    git(copy, 'add', '-A');
    git(copy, 'commit', '-qm', 'a second cluster');
    // Back on main: dist/second/.gitignore went with the branch, the Secret git ignored stays, now not ignored.
    git(copy, 'checkout', '-q', 'main');
    const stray = `dist/second/${SECRET}`;
    expect(git(copy, 'status', '--porcelain', '--untracked-files=all')).toContain(`?? ${stray}\n`);
    const r = runInProcess(['check'], { cwd: copy });
    expect([r.status, r.stdout]).toEqual([1, `extra   ${stray}\n`]);
    expect(r.stderr).toContain(
      `note: ${stray} holds a private key, and git neither tracks nor ignores it: git add -A would commit it; synth removes it (do not commit before)\n`,
    );
    expect(r.stderr).not.toContain('PRIVATE KEY');
    // Done as said: synth removes it, and check is clean.
    expect(runInProcess(['synth', '-q'], { cwd: copy }).status).toBe(0);
    expect(fs.existsSync(path.join(copy, stray))).toBe(false);
    expect(runInProcess(['check', '-q'], { cwd: copy })).toMatchObject({ status: 0, stdout: '' });
  });

  test('fails when the config is edited in the clone: drift, exit 1, advice names the command', () => {
    const copy = path.join(path.dirname(clone), 'clone-edit');
    git(path.dirname(clone), 'clone', '-q', repo, copy);
    fs.appendFileSync(path.join(copy, 'runai-access.yaml'), '    ingress: {className: haproxy-internal}\n');
    const r = runInProcess(['check'], { cwd: copy });
    expect(r.status).toBe(1);
    // The class is on the Ingress, and Run:ai is told it in the Helm values (the 2.25 profile's way).
    expect(r.stdout).toBe(
      'changed dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml\nchanged dist/runai/helm/runai-cluster-values.yaml\n',
    );
    // A clone has the committed folder: synth alone leaves CI's check failing.
    expect(r.stderr).toContain(
      'dist differs from runai-access.yaml in 2 files; run where the private keys are: npx runai-access synth, and commit dist\n',
    );
  });

  test('the advice does not say to commit a folder git ignores (applied from here, not from git)', () => {
    const local = path.join(tempDir(), 'local');
    fs.cpSync(repo, local, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
    fs.appendFileSync(path.join(local, '.gitignore'), 'dist/\n');
    git(local, 'init', '-q');
    git(local, 'add', '-A');
    git(local, 'commit', '-qm', 'config only');
    fs.appendFileSync(path.join(local, 'runai-access.yaml'), '    ingress: {className: haproxy-internal}\n');
    const r = runInProcess(['check', '-q'], { cwd: local });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('dist differs from runai-access.yaml in 2 files; run: npx runai-access synth\n');
    // Nor when the folder is not there (git's dist/ pattern matches only a folder).
    fs.rmSync(path.join(local, 'dist'), { recursive: true });
    const gone = runInProcess(['check', '-q'], { cwd: local });
    expect([gone.status, gone.stderr]).toEqual([1, expect.stringMatching(/ in \d+ files; run: npx runai-access synth\n$/)]);
    // Up to date again: the folder git ignores is not called uncommitted, the edited config is.
    fs.copyFileSync(DEMO_KEY, path.join(local, 'certs', 'private.key'));
    expect(runInProcess(['synth', '-q'], { cwd: local }).status).toBe(0);
    expect(runInProcess(['check', '-q'], { cwd: local })).toEqual({
      status: 0,
      stdout: '',
      stderr: "note: runai-access.yaml differs from git's last commit, which a clone has: commit it\n",
    });
  });

  test("fails in a clone when a rule of the user's .gitignore kept a file synth writes out of the commit (exit 1): the notes name the rule and git add -f", () => {
    const root = tempDir();
    const local = path.join(root, 'local');
    fs.cpSync(repo, local, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
    fs.appendFileSync(path.join(local, '.gitignore'), '# charts are built in CI\nhelm/\n');
    git(local, 'init', '-q');
    git(local, 'add', '-A');
    git(local, 'commit', '-qm', 'runai-access');
    const values = 'dist/runai/helm/runai-cluster-values.yaml';
    const line = fs.readFileSync(path.join(local, '.gitignore'), 'utf8').trimEnd().split('\n').length;
    const rule = `by .gitignore:${line} (helm/): git add leaves it out, so a clone lacks it; git add -f ${values}, or change that rule\n`;
    // Here the folder is up to date; what a commit left out is said, with why git add leaves it out.
    expect(runInProcess(['check', '-q'], { cwd: local })).toEqual({
      status: 0,
      stdout: '',
      stderr: `note: 1 file in dist differs from git's last commit, which a clone has: commit it\nnote: git ignores ${values}, ${rule}`,
    });
    // From a folder below, the .gitignore is named from there.
    expect(
      runInProcess(['check', '-q', '-c', '../runai-access.yaml', '--out', '../dist'], { cwd: path.join(local, 'certs') }).stderr,
    ).toContain(`note: git ignores ../${values}, by ../.gitignore:${line} (helm/)`);
    const clone = path.join(root, 'clone');
    git(root, 'clone', '-q', local, clone);
    const r = runInProcess(['check'], { cwd: clone });
    expect([r.status, r.stdout]).toEqual([1, `missing ${values}\n`]);
    expect(r.stderr).toContain(`note: git ignores ${values}, ${rule}`);
    // Done as the note says, where the change was made: the next clone passes, and nothing is left to say.
    execFileSync('sh', ['-c', `git add -f ${values}`], { cwd: local });
    git(local, 'commit', '-qm', 'helm values');
    expect(runInProcess(['check', '-q'], { cwd: local })).toEqual({ status: 0, stdout: '', stderr: '' });
    const mended = path.join(root, 'mended');
    git(root, 'clone', '-q', local, mended);
    expect(runInProcess(['check', '-q'], { cwd: mended })).toMatchObject({ status: 0, stdout: '' });
  });

  test('a rule that ignores many files synth writes is said once, with how many; a file a later "!" rule takes back is not counted', () => {
    const local = path.join(tempDir(), 'local');
    fs.cpSync(repo, local, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
    git(local, 'init', '-q');
    fs.writeFileSync(path.join(local, '.git', 'info', 'exclude'), 'dist/runai/*\n!dist/runai/certificates.sha256\n');
    git(local, 'add', '-A');
    git(local, 'commit', '-qm', 'runai-access');
    // Left out: the cluster's .gitignore, its Ingress and its Helm values (the Secret is the .gitignore's, not counted).
    expect(git(local, 'ls-files', 'dist')).toBe('dist/.runai-access\ndist/runai/certificates.sha256\n');
    const r = runInProcess(['check', '-q'], { cwd: local });
    expect([r.status, r.stdout]).toEqual([0, '']);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('note: git ignores'))).toEqual([
      'note: git ignores 3 files synth writes in dist, such as dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml, by ' +
        '.git/info/exclude:1 (dist/runai/*): git add leaves them out, so a clone lacks them; git add -f ' +
        'dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml dist/runai/helm/runai-cluster-values.yaml dist/runai/.gitignore, ' +
        'or change that rule',
    ]);
    // Run as it says: those three are added, never the plaintext-key Secret beside them (git add -f dist would add it).
    const add = /; (git add -f [^,]+), or change that rule$/m.exec(r.stderr)![1];
    execFileSync('sh', ['-c', add], { cwd: local });
    expect(git(local, 'diff', '--cached', '--name-only')).toBe(
      'dist/runai/.gitignore\ndist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml\ndist/runai/helm/runai-cluster-values.yaml\n',
    );
    // More than three: each of them, never the folder whole.
    git(local, 'rm', '-r', '-q', '--cached', 'dist');
    fs.writeFileSync(path.join(local, '.git', 'info', 'exclude'), 'dist/*/*\n');
    expect(runInProcess(['check', '-q'], { cwd: local }).stderr).toContain(
      'note: git ignores 4 files synth writes in dist, such as dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml, by ' +
        '.git/info/exclude:1 (dist/*/*): git add leaves them ' +
        'out, so a clone lacks them; git add -f each of them, never dist whole (-f adds the private keys its .gitignore keeps out too), ' +
        'or change that rule\n',
    );
  });

  test('check where synth ran but git has not committed: up to date (exit 0), and a note says a clone has what was last committed', () => {
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    fs.appendFileSync(path.join(repo, 'runai-access.yaml'), '    ingress: {className: haproxy-internal}\n');
    try {
      expect(runInProcess(['synth', '-q'], { cwd: repo }).status).toBe(0);
      const r = runInProcess(['check'], { cwd: repo });
      const note = "note: 2 files in dist and runai-access.yaml differ from git's last commit, which a clone has: commit them\n";
      expect(r).toEqual({ status: 0, stdout: '', stderr: `dist is up to date with runai-access.yaml\n${note}` });
      // Staged is not committed either; the plaintext Secret git ignores is not counted.
      git(repo, 'add', '-A');
      expect(runInProcess(['check', '-q'], { cwd: repo }).stderr).toBe(note);
      // The folder committed alone: the config is not (a clone's check would fail).
      git(repo, 'reset', '-q');
      git(repo, 'add', 'dist');
      git(repo, 'commit', '-qm', 'dist only');
      expect(runInProcess(['check', '-q'], { cwd: repo }).stderr).toBe(
        "note: runai-access.yaml differs from git's last commit, which a clone has: commit it\n",
      );
      git(repo, 'commit', '-qam', 'config');
      expect(runInProcess(['check', '-q'], { cwd: repo })).toEqual({ status: 0, stdout: '', stderr: '' });
      // A file removed and the removal not committed is a difference too; the exec bit another.
      const helm = path.join(repo, 'dist/runai/helm/runai-cluster-values.yaml');
      git(repo, 'mv', 'dist/runai/helm/runai-cluster-values.yaml', 'dist/runai/helm/renamed.yaml');
      git(repo, 'commit', '-qm', 'renamed');
      fs.renameSync(path.join(repo, 'dist/runai/helm/renamed.yaml'), helm);
      git(repo, 'add', '-N', 'dist/runai/helm/runai-cluster-values.yaml');
      expect(runInProcess(['check', '-q'], { cwd: repo }).stderr).toBe(
        "note: 2 files in dist differ from git's last commit, which a clone has: commit them\n",
      );
    } finally {
      git(repo, 'reset', '-q', '--hard', head);
      expect(runInProcess(['synth', '-q'], { cwd: repo }).status).toBe(0);
    }
  });

  test('a cluster added in the clone: its digest file is missing too, and the note about its Secret says so, not that it is checked', () => {
    const copy = path.join(path.dirname(clone), 'clone-renamed');
    git(path.dirname(clone), 'clone', '-q', repo, copy);
    const config = path.join(copy, 'runai-access.yaml');
    const text = fs.readFileSync(config, 'utf8');
    expect(text).toMatch(/^ {2}- name: runai$/m);
    fs.writeFileSync(config, text.replace(/^( {2}- name: )runai$/m, '$1second'));
    const r = runInProcess(['check'], { cwd: copy });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('missing dist/second/certificates.sha256\n');
    expect(r.stderr).toContain(
      `note: not verified: dist/second/${SECRET} is not here (its .gitignore keeps it out of git); its certificate would be checked ` +
        'through dist/second/certificates.sha256, which is missing too\n',
    );
  });
  test('fails when a committed file is edited by hand (exit 1)', () => {
    const copy = path.join(path.dirname(clone), 'clone-hand');
    git(path.dirname(clone), 'clone', '-q', repo, copy);
    const file = path.join(copy, 'dist/runai/helm/runai-cluster-values.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('subdomainSupport: true', 'subdomainSupport: false'));
    const r = runInProcess(['check'], { cwd: copy });
    expect([r.status, r.stdout]).toEqual([1, 'changed dist/runai/helm/runai-cluster-values.yaml\n']);
  });

  test('fails when the certificate is replaced in the clone: its digest no longer matches (exit 1)', () => {
    const copy = path.join(path.dirname(clone), 'clone-cert');
    git(path.dirname(clone), 'clone', '-q', repo, copy);
    const pki = new Pki(tempDir());
    pki.issue('other', { cn: 'runai.example.com', dns: ['*.runai.example.com', 'runai.example.com'] });
    fs.copyFileSync(pki.file('other'), path.join(copy, 'certs', 'fullchain.pem'));
    const r = runInProcess(['check', '-q'], { cwd: copy });
    expect([r.status, r.stdout]).toEqual([1, 'changed dist/runai/certificates.sha256\n']);
  });
});

describe('CRLF line ends that no checkout made: what synth would rewrite is drift', () => {
  const INGRESS = 'dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml';
  let repo: string;
  let root: string;
  beforeAll(() => {
    ({ repo } = repoAndClone(['--tls-source', 'existing']));
    root = path.dirname(repo);
  });
  const toCrlf = (file: string) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
  /** A clean/smudge filter that stores the Ingress as rot13 (as git-crypt or LFS store something else), set in `dir`'s config. */
  const ROT13 = 'tr a-zA-Z n-za-mN-ZA-M';
  const rot13Filter = (dir: string) => {
    git(dir, 'config', 'filter.rot.clean', ROT13);
    git(dir, 'config', 'filter.rot.smudge', ROT13);
  };
  const UP_TO_DATE = { status: 0, stdout: '', stderr: 'dist is up to date with runai-access.yaml\n' };

  test('a clone with core.autocrlf true in its config (its CRLF from the checkout) passes', () => {
    const clone = path.join(root, 'autocrlf');
    git(root, '-c', 'core.autocrlf=true', 'clone', '-q', repo, clone);
    git(clone, 'config', 'core.autocrlf', 'true');
    expect(fs.readFileSync(path.join(clone, INGRESS), 'utf8')).toContain('\r\n');
    expect(runInProcess(['check'], { cwd: clone })).toMatchObject({ status: 0, stdout: '' });
  });

  test('fails when a file was committed with CRLF line ends (exit 1): every clone has them, and synth rewrites every line', () => {
    const committed = path.join(root, 'committed-crlf');
    git(root, 'clone', '-q', repo, committed);
    toCrlf(path.join(committed, INGRESS));
    git(committed, '-c', 'core.autocrlf=false', 'commit', '-qam', 'an editor saved CRLF');
    expect(git(committed, 'ls-files', '--eol', INGRESS)).toMatch(/^i\/crlf /);
    // Git for Windows' settings check it out unchanged (autocrlf converts only what the index holds as LF).
    const clone = path.join(root, 'committed-crlf-clone');
    git(root, '-c', 'core.autocrlf=true', 'clone', '-q', committed, clone);
    git(clone, 'config', 'core.autocrlf', 'true');
    const r = runInProcess(['check', '-q'], { cwd: clone });
    expect([r.status, r.stdout]).toEqual([1, `changed ${INGRESS}\n`]);
    expect(runInProcess(['check', '-q'], { cwd: committed }).stdout).toBe(`changed ${INGRESS}\n`);
  });

  test('fails when a file git holds with LF is given CRLF after the checkout, core.autocrlf unset (exit 1): git status shows it changed', () => {
    const clone = path.join(root, 'edited-crlf');
    git(root, 'clone', '-q', repo, clone);
    toCrlf(path.join(clone, INGRESS));
    expect(git(clone, 'status', '--porcelain')).toBe(` M ${INGRESS}\n`);
    const r = runInProcess(['check', '-q'], { cwd: clone });
    expect([r.status, r.stdout]).toEqual([1, `changed ${INGRESS}\n`]);
  });

  test('CRLF that git would store as LF is the same, whatever is staged: a file staged with other content, and one not tracked yet', () => {
    const clone = path.join(root, 'staged-other');
    git(root, 'clone', '-q', repo, clone);
    git(clone, 'config', 'core.autocrlf', 'true');
    const file = path.join(clone, INGRESS);
    const committed = fs.readFileSync(file, 'utf8');
    fs.appendFileSync(file, '# staged\n');
    git(clone, 'add', INGRESS);
    fs.writeFileSync(file, committed.replace(/\n/g, '\r\n'));
    expect(runInProcess(['check', '-q'], { cwd: clone })).toMatchObject({ status: 0, stdout: '' });
    // Not tracked: removed from git's index, CRLF on disk; git add would store synth's LF.
    git(clone, 'rm', '-q', '--cached', '-f', INGRESS);
    expect(runInProcess(['check', '-q'], { cwd: clone })).toMatchObject({ status: 0, stdout: '' });
  });

  test('fails when a file git does not track has CRLF line ends (exit 1): no checkout wrote it', () => {
    const fresh = path.join(root, 'untracked');
    fs.cpSync(repo, fresh, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
    git(fresh, 'init', '-q');
    toCrlf(path.join(fresh, INGRESS));
    const r = runInProcess(['check', '-q'], { cwd: fresh });
    expect([r.status, r.stdout]).toEqual([1, `changed ${INGRESS}\n`]);
  });

  test('synth in a clone with core.autocrlf true writes LF: check passes, and nothing is called uncommitted (git status calls the files changed)', () => {
    const clone = path.join(root, 'autocrlf-synth');
    git(root, '-c', 'core.autocrlf=true', 'clone', '-q', repo, clone);
    git(clone, 'config', 'core.autocrlf', 'true');
    expect(runInProcess(['synth', '-q'], { cwd: clone }).status).toBe(0);
    expect(fs.readFileSync(path.join(clone, INGRESS), 'utf8')).not.toContain('\r\n');
    // git's cached sizes are the CRLF files': it lists them from those alone.
    expect(git(clone, 'status', '--porcelain')).toContain(` M ${INGRESS}\n`);
    expect(git(clone, 'diff', '--name-only', 'HEAD')).toBe('');
    expect(runInProcess(['check'], { cwd: clone })).toEqual(UP_TO_DATE);
  });

  test('fails for a file committed with CRLF also where git cannot be asked about line ends: the check says so in a note (exit 0)', () => {
    const committed = path.join(root, 'crlf-another-user');
    git(root, 'clone', '-q', repo, committed);
    toCrlf(path.join(committed, INGRESS));
    git(committed, '-c', 'core.autocrlf=false', 'commit', '-qam', 'an editor saved CRLF');
    fs.chmodSync(root, 0o755);
    const home = tempDir();
    fs.chmodSync(home, 0o777);
    // The repository is root's: git refuses another user's (dubious ownership), and the CRLF cannot be judged.
    const r = nodeAsNobodyIn({ cwd: committed, env: { HOME: home } }, MAIN, 'check', '-q');
    expect([r.status, r.stdout]).toEqual([0, '']);
    expect(r.stderr).toBe(
      "note: not verified: whether the CRLF line ends of a file in dist come from git's checkout (git ls-files exited 128: run " +
        `git -C ${committed} ls-files to see why; the repository is another user's: git config --global --add safe.directory ` +
        `${committed} lets git read it); counted as the same as synth's LF\n`,
    );
    // As the owner, it is drift, and a note says it is only the line ends.
    const own = runInProcess(['check'], { cwd: committed });
    expect([own.status, own.stdout]).toEqual([1, `changed ${INGRESS}\n`]);
    expect(own.stderr).toContain(
      `note: ${INGRESS} differs only in CRLF line ends that git does not turn into synth's LF (committed with them, or written where git's settings keep them): synth writes LF\n`,
    );
  });

  test("a file git stores through a filter (git-crypt, LFS) is judged by git's filter: nothing uncommitted, and a CRLF clone passes", () => {
    const filtered = path.join(root, 'filtered');
    git(root, 'clone', '-q', repo, filtered);
    rot13Filter(filtered);
    fs.writeFileSync(path.join(filtered, '.gitattributes'), 'dist/**/10-ingress-*.yaml filter=rot\n');
    git(filtered, 'add', '.gitattributes');
    git(filtered, 'add', '--renormalize', 'dist');
    git(filtered, 'commit', '-qm', 'filtered');
    expect(git(filtered, 'cat-file', '-p', `HEAD:${INGRESS}`)).toContain('ncvIrefvba: argjbexvat.x8f.vb/i1');
    expect(runInProcess(['check'], { cwd: filtered })).toEqual(UP_TO_DATE);
    const crlf = path.join(root, 'filtered-crlf');
    git(
      root,
      '-c',
      'core.autocrlf=true',
      '-c',
      `filter.rot.clean=${ROT13}`,
      '-c',
      `filter.rot.smudge=${ROT13}`,
      'clone',
      '-q',
      filtered,
      crlf,
    );
    git(crlf, 'config', 'core.autocrlf', 'true');
    rot13Filter(crlf);
    expect(fs.readFileSync(path.join(crlf, INGRESS), 'utf8')).toContain('apiVersion: networking.k8s.io/v1\r\n');
    expect(runInProcess(['check'], { cwd: crlf })).toEqual(UP_TO_DATE);
  });

  test('a config and an output folder reached through links, and a folder named like pathspec magic, are what git tracks: nothing uncommitted', () => {
    const linked = path.join(root, 'linked');
    git(root, 'clone', '-q', repo, linked);
    fs.mkdirSync(path.join(linked, 'conf'));
    fs.renameSync(path.join(linked, 'runai-access.yaml'), path.join(linked, 'conf', 'real.yaml'));
    fs.symlinkSync('conf/real.yaml', path.join(linked, 'runai-access.yaml'));
    fs.symlinkSync('.', path.join(linked, 'here'));
    expect(runInProcess(['synth', '-q', '--out', ':magic'], { cwd: linked }).status).toBe(0);
    git(linked, 'add', '-A');
    git(linked, 'commit', '-qm', 'moved');
    const quiet = { status: 0, stdout: '', stderr: '' };
    expect(runInProcess(['check', '-q'], { cwd: linked })).toEqual(quiet);
    expect(runInProcess(['check', '-q', '--config', 'here/runai-access.yaml', '--out', 'here/dist'], { cwd: linked })).toEqual(quiet);
    expect(runInProcess(['check', '-q', '--out', ':magic'], { cwd: linked })).toEqual(quiet);
    fs.appendFileSync(path.join(linked, 'conf', 'real.yaml'), '# edited\n');
    expect(runInProcess(['check', '-q', '--out', 'here/:magic'], { cwd: linked }).stderr).toBe(
      "note: runai-access.yaml differs from git's last commit, which a clone has: commit it\n",
    );
  });

  test('a config committed with CRLF line ends, in a checkout with core.autocrlf true: git commits it as it is, so nothing is uncommitted', () => {
    const crlfConfig = path.join(root, 'crlf-config');
    git(root, 'clone', '-q', repo, crlfConfig);
    toCrlf(path.join(crlfConfig, 'runai-access.yaml'));
    git(crlfConfig, '-c', 'core.autocrlf=false', 'commit', '-qam', 'an editor saved the config with CRLF');
    git(crlfConfig, 'config', 'core.autocrlf', 'true');
    expect(git(crlfConfig, 'status', '--porcelain')).toBe('');
    expect(runInProcess(['check', '-q'], { cwd: crlfConfig })).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test('fails when a file git stores through a filter was committed with CRLF line ends (exit 1), with core.autocrlf unset too', () => {
    const filtered = path.join(root, 'filtered-committed-crlf');
    git(root, 'clone', '-q', repo, filtered);
    rot13Filter(filtered);
    fs.writeFileSync(path.join(filtered, '.gitattributes'), 'dist/**/10-ingress-*.yaml filter=rot\n');
    toCrlf(path.join(filtered, INGRESS));
    git(filtered, 'add', '-A');
    git(filtered, 'commit', '-qm', 'filtered, with CRLF');
    expect(git(filtered, 'status', '--porcelain')).toBe('');
    const r = runInProcess(['check', '-q'], { cwd: filtered });
    expect([r.status, r.stdout]).toEqual([1, `changed ${INGRESS}\n`]);
  });

  test("outside a git work tree (an export), CRLF line ends count as a checkout's: git archive applies core.autocrlf too", () => {
    const exported = path.join(root, 'exported');
    fs.mkdirSync(exported);
    const archive = spawnSync('sh', ['-c', 'git -c core.autocrlf=true archive HEAD | tar -x -C "$0"', exported], { cwd: repo });
    expect(archive.status).toBe(0);
    expect(fs.readFileSync(path.join(exported, INGRESS), 'utf8')).toContain('\r\n');
    expect(runInProcess(['check', '-q'], { cwd: exported })).toMatchObject({ status: 0, stdout: '' });
  });
});

describe('a certificate with CRLF line ends in a repository where git stores LF (* text=auto)', () => {
  const crlf = (dir: string) => {
    fs.writeFileSync(path.join(dir, '.gitattributes'), '* text=auto\n');
    const pem = fs.readFileSync(DEMO_CERT, 'latin1');
    fs.writeFileSync(path.join(dir, 'certs', 'fullchain.pem'), pem.replace(/\n/g, '\r\n'), 'latin1');
  };

  test('sealed-secret: check passes in the clone as where the key is; the certificate is sealed with LF line ends', () => {
    const { repo, clone } = repoAndClone(['--tls-source', 'sealed-secret'], (dir) => {
      fs.copyFileSync(CONTROLLER_CERT, path.join(dir, 'certs', 'sealed-secrets-controller.pem'));
      crlf(dir);
    });
    for (const cwd of [repo, clone]) {
      const r = runInProcess(['check', '-q'], { cwd });
      expect({ cwd, status: r.status, stdout: r.stdout }).toEqual({ cwd, status: 0, stdout: '' });
    }
    // Where the key is, with the file's line ends made LF: the same sealing, kept (a checkout with either line ends agrees).
    fs.writeFileSync(path.join(repo, 'certs', 'fullchain.pem'), fs.readFileSync(DEMO_CERT));
    const again = runInProcess(['check', '-q'], { cwd: repo });
    expect([again.status, again.stdout]).toEqual([0, '']);
  });

  test("check passes in the clone as where the key is: the digest is the certificate's, not its line ends'", () => {
    const { repo, clone } = repoAndClone(['--tls-source', 'files'], (dir) => {
      fs.writeFileSync(path.join(dir, '.gitattributes'), '* text=auto\n');
      const pem = fs.readFileSync(DEMO_CERT, 'latin1');
      fs.writeFileSync(path.join(dir, 'certs', 'fullchain.pem'), pem.replace(/\n/g, '\r\n'), 'latin1');
    });
    // git stored the certificate with LF: the clone's copy differs from the repository's in bytes only.
    expect(fs.readFileSync(path.join(repo, 'certs', 'fullchain.pem'), 'latin1')).toContain('\r\n');
    expect(fs.readFileSync(path.join(clone, 'certs', 'fullchain.pem'), 'latin1')).not.toContain('\r');
    for (const cwd of [repo, clone]) {
      const r = runInProcess(['check', '-q'], { cwd });
      expect({ cwd, status: r.status, stdout: r.stdout }).toEqual({ cwd, status: 0, stdout: '' });
    }
    // The Secret holds the certificate with LF line ends, as in git: the same from either checkout.
    const secret = yamlDocs(fs.readFileSync(path.join(repo, 'dist', 'runai', SECRET), 'utf8'))[0];
    expect(Buffer.from(secret.data['tls.crt'], 'base64')).toEqual(fs.readFileSync(DEMO_CERT));
  });
});

describe('committed Secrets (runai-ca-cert, commitPlaintextKey) from CRLF files in a repository where git stores LF', () => {
  const CA_SECRET = '00-secret-runai-ca-cert.yaml';
  const toCrlf = (from: string, to: string) => fs.writeFileSync(to, fs.readFileSync(from, 'latin1').replace(/\n/g, '\r\n'), 'latin1');
  let repo: string;
  let clone: string;
  beforeAll(
    () =>
      ({ repo, clone } = repoAndClone(['--tls-source', 'files'], (dir) => {
        fs.writeFileSync(path.join(dir, '.gitattributes'), '* text=auto\n');
        toCrlf(DEMO_CERT, path.join(dir, 'certs', 'fullchain.pem'));
        toCrlf(DEMO_KEY, path.join(dir, 'certs', 'private.key'));
        toCrlf(DEMO_ROOT_CA, path.join(dir, 'certs', 'ca.pem'));
        const config = path.join(dir, 'runai-access.yaml');
        const text = fs.readFileSync(config, 'utf8').replace(/^( +)keyFile: .*$/m, '$&\n$1commitPlaintextKey: true');
        fs.writeFileSync(config, `${text}    privateCa:\n      caFile: certs/ca.pem\n`);
      })),
  );

  test('check exits 0 in the clone (LF files, no key) as in the repository (CRLF files): the Secrets do not hold line ends of a checkout', () => {
    expect(fs.readFileSync(path.join(repo, 'certs', 'ca.pem'), 'latin1')).toContain('\r\n');
    expect(fs.readFileSync(path.join(clone, 'certs', 'ca.pem'), 'latin1')).not.toContain('\r');
    for (const cwd of [repo, clone]) {
      const r = runInProcess(['check', '-q'], { cwd });
      expect({ cwd, status: r.status, stdout: r.stdout }).toEqual({ cwd, status: 0, stdout: '' });
    }
  });

  test("the Secrets are kubectl's from the LF files: create secret tls, and create secret generic --from-file", () => {
    const ours = (file: string) => yamlDocs(fs.readFileSync(path.join(repo, 'dist', 'runai', file), 'utf8'))[0].data;
    const theirs = (...args: string[]) => yamlDocs(kubectl(['create', 'secret', ...args, '--dry-run=client', '-o', 'yaml']))[0].data;
    expect(ours(SECRET)).toEqual(theirs('tls', 'x', '--cert', DEMO_CERT, '--key', DEMO_KEY));
    expect(ours(CA_SECRET)).toEqual(theirs('generic', 'x', `--from-file=runai-ca.pem=${DEMO_ROOT_CA}`));
  });

  test('fails when a committed Secret holds the CRLF bytes an earlier version wrote (exit 1: synth mends it)', () => {
    const copy = path.join(path.dirname(clone), 'old-crlf');
    git(path.dirname(clone), 'clone', '-q', clone, copy);
    const file = path.join(copy, 'dist', 'runai', CA_SECRET);
    const crlf = Buffer.from(fs.readFileSync(DEMO_ROOT_CA, 'latin1').replace(/\n/g, '\r\n'), 'latin1').toString('base64');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^( +runai-ca\.pem: ).*$/m, `$1${crlf}`));
    const r = runInProcess(['check', '-q'], { cwd: copy });
    expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${CA_SECRET}\n`]);
  });
});

describe('files source with commitPlaintextKey: a clone without the key file', () => {
  let clone: string;
  beforeAll(
    () =>
      ({ clone } = repoAndClone(['--tls-source', 'files'], (repo) => {
        const config = path.join(repo, 'runai-access.yaml');
        fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^( +)keyFile: .*$/m, '$&\n$1commitPlaintextKey: true'));
      })),
  );

  test('check exits 0, and says the committed Secret holds the key of its certificate, the key file itself not compared', () => {
    expect(fs.existsSync(path.join(clone, 'dist', 'runai', SECRET))).toBe(true);
    const r = runInProcess(['check'], { cwd: clone });
    expect([r.status, r.stdout]).toEqual([0, '']);
    expect(r.stderr.split('\n')).toEqual([
      `note: the private key certs/private.key (clusters[0].tls.keyFile of runai-access.yaml) is missing; dist/runai/${SECRET} holds a key that matches its certificate (the key file itself is not compared)`,
      'dist is up to date with runai-access.yaml in everything it could verify',
      '',
    ]);
  });

  test("fails when the committed key is swapped for another valid key (exit 1): it is not the certificate's", () => {
    const copy = path.join(path.dirname(clone), 'swapped');
    git(path.dirname(clone), 'clone', '-q', clone, copy);
    const file = path.join(copy, 'dist', 'runai', SECRET);
    const other = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'keys', 'test-only-rsa-2048.pem')).toString('base64');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^( +tls\.key: ).*$/m, `$1${other}`));
    const r = runInProcess(['check', '-q'], { cwd: copy });
    expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SECRET}\n`]);
  });

  test.each([
    ['a second key after it (which the Secret would carry into the cluster)', (key: string, other: string) => key + other],
    ['a byte-order mark before it (kubectl does not see the key)', (key: string) => `\ufeff${key}`],
  ])("fails when the committed key is the certificate's with %s (exit 1): synth refuses such a key file", (_, edit) => {
    const copy = path.join(path.dirname(clone), `edited-${_.length}`);
    git(path.dirname(clone), 'clone', '-q', clone, copy);
    const file = path.join(copy, 'dist', 'runai', SECRET);
    const other = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'keys', 'test-only-rsa-2048.pem'), 'utf8');
    const text = fs.readFileSync(file, 'utf8');
    const key = Buffer.from(/^ +tls\.key: (.*)$/m.exec(text)![1], 'base64').toString('utf8');
    fs.writeFileSync(file, text.replace(/^( +tls\.key: ).*$/m, `$1${Buffer.from(edit(key, other)).toString('base64')}`));
    const r = runInProcess(['check', '-q'], { cwd: copy });
    expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SECRET}\n`]);
  });
});

describe('sealed-secret source with a kustomization: a clone without keys', () => {
  let clone: string;
  let repo: string;
  beforeAll(
    () =>
      ({ clone, repo } = repoAndClone(['--tls-source', 'sealed-secret'], (repo) => {
        fs.copyFileSync(CONTROLLER_CERT, path.join(repo, 'certs', 'sealed-secrets-controller.pem'));
        fs.appendFileSync(path.join(repo, 'runai-access.yaml'), '    output: {kustomization: true}\n');
      })),
  );

  test('check exits 0: the SealedSecret is compared without its ciphertext, its certificate through the digest', () => {
    const r = runInProcess(['check'], { cwd: clone });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('note: not verified: the private key certs/private.key');
    expect(fs.readFileSync(path.join(clone, 'dist/runai/certificates.sha256'), 'utf8')).toMatch(
      new RegExp(`${SEALED} tls.crt sha256:[0-9a-f]{64} controller=([0-9A-F]{2}:){31}[0-9A-F]{2}\\n`),
    );
  });

  test('check exits 0 in a clone with core.autocrlf true (CRLF line ends), the SealedSecret compared without its key', () => {
    const crlf = path.join(path.dirname(clone), 'crlf');
    git(path.dirname(clone), '-c', 'core.autocrlf=true', 'clone', '-q', repo, crlf);
    git(crlf, 'config', 'core.autocrlf', 'true');
    const sealed = fs.readdirSync(path.join(crlf, 'dist/runai')).find((f) => f.includes('sealedsecret'))!;
    expect(fs.readFileSync(path.join(crlf, 'dist/runai', sealed), 'utf8')).toContain('\r\n');
    // It reported the SealedSecret changed: its header lines kept their CR.
    const r = runInProcess(['check'], { cwd: crlf });
    expect([r.status, r.stdout]).toEqual([0, '']);
  });

  test('a SealedSecret sealed again where the key is and copied in, not committed: up to date without the key, and the note says it is not committed', () => {
    const copy = path.join(path.dirname(clone), 'resealed');
    git(path.dirname(clone), 'clone', '-q', repo, copy);
    const sealed = path.join(repo, 'dist/runai', SEALED);
    const before = fs.readFileSync(sealed);
    // Gone, synth seals afresh: another ciphertext for the same key.
    fs.rmSync(sealed);
    try {
      expect(runInProcess(['synth', '-q'], { cwd: repo }).status).toBe(0);
      expect(fs.readFileSync(sealed).equals(before)).toBe(false);
      fs.copyFileSync(sealed, path.join(copy, 'dist/runai', SEALED));
      const r = runInProcess(['check', '-q'], { cwd: copy });
      expect([r.status, r.stdout]).toEqual([0, '']);
      expect(r.stderr).toContain("note: 1 file in dist differs from git's last commit, which a clone has: commit it\n");
    } finally {
      fs.writeFileSync(sealed, before);
    }
  });

  test('fails when the SealedSecret was committed with CRLF line ends (exit 1), though it is compared without its key', () => {
    const committed = path.join(path.dirname(clone), 'sealed-committed-crlf');
    git(path.dirname(clone), 'clone', '-q', repo, committed);
    const file = path.join(committed, 'dist/runai', SEALED);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    git(committed, '-c', 'core.autocrlf=false', 'commit', '-qam', 'an editor saved CRLF');
    const r = runInProcess(['check', '-q'], { cwd: committed });
    expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
  });

  test('kubectl kustomize of the committed folder works in the clone', () => {
    const built = yamlDocs(kubectl(['kustomize', path.join(clone, 'dist/runai')]));
    // The 2.25 profile tells Run:ai through Helm values (helm/, not an object), so no RunaiConfig.
    expect(built.map((o) => o.kind).sort()).toEqual(['Ingress', 'SealedSecret']);
  });

  test.each(['tls.key', 'tls.crt'])(
    "fails when the SealedSecret's %s ciphertext is edited by hand, though the key is not here to seal again (exit 1)",
    (value) => {
      const file = path.join(clone, 'dist/runai', SEALED);
      const before = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, before.replace(new RegExp(`${value.replace('.', '\\.')}: \\S+`), `${value}: AAAA`));
      try {
        const r = runInProcess(['check', '-q'], { cwd: clone });
        expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
      } finally {
        fs.writeFileSync(file, before);
      }
      expect(runInProcess(['check', '-q'], { cwd: clone }).status).toBe(0);
    },
  );

  test.each(['tls.key', 'tls.crt'])(
    "fails when one character of the SealedSecret's %s ciphertext is changed (same form and length, a value the controller cannot open)",
    (value) => {
      const file = path.join(clone, 'dist/runai', SEALED);
      const before = fs.readFileSync(file, 'utf8');
      const line = new RegExp(`(${value.replace('.', '\\.')}: )(\\S{40})(\\S)`);
      fs.writeFileSync(
        file,
        before.replace(line, (_m, head, start, c) => `${head}${start}${c === 'A' ? 'B' : 'A'}`),
      );
      expect(fs.readFileSync(file, 'utf8')).not.toBe(before);
      try {
        const r = runInProcess(['check', '-q'], { cwd: clone });
        expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
      } finally {
        fs.writeFileSync(file, before);
      }
    },
  );

  test('fails when the ciphertexts and their sealed-as digest were moved in from another SealedSecret (the controller cannot open them here)', () => {
    const file = path.join(clone, 'dist/runai', SEALED);
    const before = fs.readFileSync(file, 'utf8');
    // A sealing of the same certificate and key, for the same controller, as another namespace's
    // strict-scope Secret: the same form and lengths, and a digest that matches its own ciphertexts.
    const chart = new Chart(new App(), 'other');
    new SealedTlsSecret(chart, 'Other', {
      namespace: 'runai-other',
      certificatePem: fs.readFileSync(DEMO_CERT),
      privateKeyPem: fs.readFileSync(DEMO_KEY),
      controllerKey: new X509Certificate(fs.readFileSync(CONTROLLER_CERT)).publicKey,
      controllerFingerprint: 'AA:BB',
    });
    const other = Testing.synth(chart)[0];
    const moved = before
      .replace(/(tls\.crt: )\S+/, `$1${other.spec.encryptedData['tls.crt']}`)
      .replace(/(tls\.key: )\S+/, `$1${other.spec.encryptedData['tls.key']}`)
      .replace(/(runai-access\/sealed-as: )\S+/, `$1${other.metadata.annotations['runai-access/sealed-as']}`);
    expect(moved.match(/(tls\.crt|tls\.key|sealed-as): /g)).toHaveLength(3);
    fs.writeFileSync(file, moved);
    try {
      const r = runInProcess(['check', '-q'], { cwd: clone });
      expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  test('fails when tls.key is a well-formed sealing, with its digest, of a value too short to be any key (1 byte)', () => {
    const file = path.join(clone, 'dist/runai', SEALED);
    const before = fs.readFileSync(file, 'utf8');
    const [doc] = yamlDocs(before);
    const { namespace, name, annotations } = doc.metadata;
    const controller = new X509Certificate(fs.readFileSync(CONTROLLER_CERT)).publicKey;
    // Strict scope: the label is the Secret's namespace and name, as the controller opens it.
    const forged = {
      ...doc.spec.encryptedData,
      'tls.key': sealValue(controller, Buffer.from('x'), sealingLabel('strict', namespace, name)).toString('base64'),
    };
    const digest = ciphertextDigest({ namespace, name, sealedFrom: annotations['runai-access/sealed-from'] }, forged);
    fs.writeFileSync(
      file,
      before.replace(/(tls\.key: )\S+/, `$1${forged['tls.key']}`).replace(/(runai-access\/sealed-as: )\S+/, `$1${digest}`),
    );
    try {
      const r = runInProcess(['check', '-q'], { cwd: clone });
      expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  test.each([
    ['in the clone without the private key', () => clone, 'where the private key is'],
    ['where the private key is', () => repo, 'here'],
  ])(
    'fails on a SealedSecret whose sealed-as digest is the earlier kind (its ciphertexts alone), %s, and says why and who can mend it',
    (_where, folder, mender) => {
      const file = path.join(folder(), 'dist/runai', SEALED);
      const before = fs.readFileSync(file, 'utf8');
      const [doc] = yamlDocs(before);
      fs.writeFileSync(file, before.replace(/(runai-access\/sealed-as: )\S+/, `$1${ciphertextsOnlyDigest(doc.spec.encryptedData)}`));
      expect(fs.readFileSync(file, 'utf8')).not.toBe(before);
      try {
        const r = runInProcess(['check'], { cwd: folder() });
        expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
        expect(r.stderr).toContain(
          `note: dist/runai/${SEALED} has a runai-access/sealed-as digest of its ciphertexts alone, not of the object they were sealed for ` +
            `(an earlier runai-access wrote it): run synth once ${mender}, which seals it again with the present one`,
        );
      } finally {
        fs.writeFileSync(file, before);
      }
    },
  );

  test.each([
    ['no sealed-as digest', 'sealed-as', 'no runai-access/sealed-as annotation', 'seals it again with the present one'],
    [
      'no sealed-for annotation',
      'sealed-for',
      'no runai-access/sealed-for annotation, which names the controller certificate it was sealed for',
      'adds it',
    ],
    [
      'no sealed-certificate annotation',
      'sealed-certificate',
      'no runai-access/sealed-certificate annotation, which names the certificate it seals',
      'adds it',
    ],
  ])('fails on a SealedSecret an earlier runai-access wrote (%s), and says why and who mends it how', (_what, annotation, has, mend) => {
    const file = path.join(clone, 'dist/runai', SEALED);
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, before.replace(new RegExp(`^ +runai-access/${annotation}: .*\n`, 'm'), ''));
    expect(fs.readFileSync(file, 'utf8')).not.toBe(before);
    try {
      const r = runInProcess(['check'], { cwd: clone });
      expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
      expect(r.stderr).toContain(
        `note: dist/runai/${SEALED} has ${has} (an earlier runai-access wrote it): run synth once where the private key is, which ${mend}\n`,
      );
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  test.each([
    ['a line of a private key', KEY_BODY_LINES[1]],
    ['terminal escapes and a line break', '\u001b]0;title\u0007\u001b[2Jx\ny'],
  ])('fails on a SealedSecret whose sealed-for was edited to %s, and never prints that value', (_what, value) => {
    const file = path.join(clone, 'dist/runai', SEALED);
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, before.replace(/^( +runai-access\/sealed-for: ).*$/m, `$1${JSON.stringify(value)}`));
    expect(fs.readFileSync(file, 'utf8')).not.toBe(before);
    try {
      const r = runInProcess(['check'], { cwd: clone });
      expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
      expect(r.stderr).toMatch(
        new RegExp(
          `note: dist/runai/${SEALED} has a runai-access/sealed-for that is no certificate fingerprint, where the config's ` +
            'controller certificate is [0-9A-F:]{95}: run synth once where the private key is, which writes it again\n',
        ),
      );
      expect(r.stderr).not.toContain(value);
      expect(r.stderr).not.toContain('\u001b');
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  test('fails when the controller certificate was replaced and committed with its digest, but the SealedSecret sealed for the old one was not (exit 1)', () => {
    // Where the key is: a new controller certificate, synth (which seals again), then the old SealedSecret put back, as a partial commit leaves it.
    const work = path.join(tempDir(), 'repo');
    git(path.dirname(work), 'clone', '-q', repo, work);
    fs.copyFileSync(path.join(repo, 'certs', 'private.key'), path.join(work, 'certs', 'private.key'));
    const oldSealed = fs.readFileSync(path.join(work, 'dist/runai', SEALED), 'utf8');
    const rotated = new Pki(tempDir());
    rotated.issue('controller', { cn: 'sealed-secret', key: 2048, ca: true });
    fs.copyFileSync(rotated.file('controller'), path.join(work, 'certs', 'sealed-secrets-controller.pem'));
    expect(runInProcess(['synth', '-q', '--at', CHECK_AT.toISOString()], { cwd: work }).status).toBe(0);
    fs.writeFileSync(path.join(work, 'dist/runai', SEALED), oldSealed);
    git(work, 'add', '-A');
    git(work, 'commit', '-qm', 'rotate the controller certificate');
    const ci = path.join(path.dirname(work), 'ci');
    git(path.dirname(work), 'clone', '-q', work, ci);
    const r = runInProcess(['check', '--at', CHECK_AT.toISOString()], { cwd: ci });
    expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
    // The note names both certificates, so the reviewer sees which commit is missing.
    const [was, now] = [repo, work].map(
      (dir) => new X509Certificate(fs.readFileSync(path.join(dir, 'certs', 'sealed-secrets-controller.pem'))).fingerprint256,
    );
    expect(was).not.toBe(now);
    expect(r.stderr).toContain(
      `note: dist/runai/${SEALED} was sealed for controller certificate ${was} (runai-access/sealed-for), not the config's ${now}: ` +
        'run synth once where the private key is, which seals it again for the present one\n',
    );
  });

  test('fails when the certificate was renewed and committed with its digest, but the SealedSecret sealing the old one was not (exit 1)', () => {
    // Two certificates of the same length (RSA keys and an RSA CA: fixed-length fields; only the last day differs), so that
    // the SealedSecret's form fits either and only its sealed-certificate annotation can tell them apart.
    const pki = new Pki(tempDir());
    pki.issue('ca', { cn: 'Renewal CA', ca: true, key: 2048 });
    const names = ['*.runai.example.com', 'runai.example.com'];
    pki.issue('old', { cn: names[0], dns: names, issuer: 'ca', key: 2048, end: '20400101000000Z' });
    pki.issue('new', { cn: names[0], dns: names, issuer: 'ca', key: 2048, end: '20400102000000Z' });
    const chain = (leaf: string) => fs.readFileSync(pki.file(leaf), 'utf8') + fs.readFileSync(pki.file('ca'), 'utf8');
    expect(chain('new')).not.toBe(chain('old'));
    expect(chain('new').length).toBe(chain('old').length);
    const work = path.join(tempDir(), 'repo');
    git(path.dirname(work), 'clone', '-q', repo, work);
    const use = (leaf: string) => {
      fs.writeFileSync(path.join(work, 'certs', 'fullchain.pem'), chain(leaf));
      fs.copyFileSync(pki.file(leaf, 'key'), path.join(work, 'certs', 'private.key'));
      expect(runInProcess(['synth', '-q', '--at', CHECK_AT.toISOString()], { cwd: work })).toMatchObject({ status: 0, stderr: '' });
    };
    use('old');
    git(work, 'add', '-A');
    git(work, 'commit', '-qm', 'the old certificate');
    const oldSealed = fs.readFileSync(path.join(work, 'dist/runai', SEALED), 'utf8');
    // Renewed where the key is; the commit takes the certificate and its digest, and the old SealedSecret stays.
    use('new');
    fs.writeFileSync(path.join(work, 'dist/runai', SEALED), oldSealed);
    git(work, 'add', '-A');
    git(work, 'commit', '-qm', 'renew the certificate');
    const ci = path.join(path.dirname(work), 'ci');
    git(path.dirname(work), 'clone', '-q', work, ci);
    expect(fs.existsSync(path.join(ci, 'certs', 'private.key'))).toBe(false);
    const r = runInProcess(['check', '--at', CHECK_AT.toISOString()], { cwd: ci });
    expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
    // The note names both certificates' digests, as certificates.sha256 has them.
    const digest = (leaf: string) => `sha256:${createHash('sha256').update(chain(leaf)).digest('hex')}`;
    expect(r.stderr).toContain(
      `note: dist/runai/${SEALED} seals certificate ${digest('old')} (runai-access/sealed-certificate), not certFile's ` +
        `${digest('new')}: run synth once where the private key is, which seals it again\n`,
    );
  });
  test('fails when the SealedSecret is edited by hand, outside its ciphertext (exit 1)', () => {
    const file = path.join(clone, 'dist/runai', SEALED);
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, before.replace('type: kubernetes.io/tls', 'type: Opaque'));
    try {
      const r = runInProcess(['check', '-q'], { cwd: clone });
      expect([r.status, r.stdout]).toEqual([1, `changed dist/runai/${SEALED}\n`]);
    } finally {
      fs.writeFileSync(file, before);
    }
  });
});

describe('kustomization with a git-ignored Secret', () => {
  test('fails when output.kustomization lists the files-source Secret that .gitignore keeps out (exit 2)', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'runai-access.yaml'),
      `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n    output: {kustomization: true}\n`,
    );
    const r = runInProcess(['synth'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'runai-access.yaml: clusters[0].output.kustomization: cannot list the plaintext-key Secret of tls (source: files), which the generated .gitignore keeps out of git: kubectl kustomize would fail in a clone; use another tls source (sealed-secret, external-secret, cert-manager, existing), set commitPlaintextKey: true in tls for a repository that is itself secret, or leave kustomization off and apply with kubectl apply -f (with Flux delivery, only while the cluster writes no Helm values file)\n',
    );
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});

describe('inference TLS written for two namespaces (knative-serving and the Gateway, during a migration to the Gateway API)', () => {
  const AT = ['--at', CHECK_AT.toISOString()];
  let pki: Pki;
  beforeAll(() => {
    pki = new Pki(tempDir());
    pki.issue('root', { cn: 'Root', ca: true });
    pki.issue('inference', { cn: 'inference', dns: ['*.runai-inference.example.com'], issuer: 'root' });
    pki.chain('inference-chain.pem', 'inference', 'root');
  });
  const INFERENCE = 'runai-cluster-inference-tls-secret';
  const repoWith = (source: string) => {
    const root = tempDir();
    const repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    const controller = source === 'sealed-secret' ? `, controllerCertFile: ${CONTROLLER_CERT}` : '';
    const tls = (cert: string, key: string) => `{source: ${source}, certFile: ${cert}, keyFile: ${key}${controller}}`;
    fs.writeFileSync(
      path.join(repo, 'runai-access.yaml'),
      `clusters:
  - name: prod
    clusterUrl: runai.example.com
    runaiVersion: "2.25"
    migration: {to: gateway-api, phase: 2}
    gateway: {name: runai-gateway, namespace: runai, className: kgateway}
    tls: ${tls(DEMO_CERT, DEMO_KEY)}
    inference: {domain: runai-inference.example.com, tls: ${tls(path.join(pki.dir, 'inference-chain.pem'), pki.file('inference', 'key'))}}
`,
    );
    return { root, repo };
  };
  const inferenceFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes(INFERENCE));

  test('sealed: a second synth keeps both SealedSecrets byte for byte (each was sealed afresh every run), and check passes', () => {
    const { repo } = repoWith('sealed-secret');
    const out = path.join(repo, 'dist', 'prod');
    expect(runInProcess(['synth', '-q', ...AT], { cwd: repo }).status).toBe(0);
    expect(inferenceFiles(out)).toEqual([`00-sealedsecret-${INFERENCE}-knative-serving.yaml`, `00-sealedsecret-${INFERENCE}-runai.yaml`]);
    const before = inferenceFiles(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
    const again = runInProcess(['synth', ...AT], { cwd: repo });
    expect(again.stderr).toContain('nothing rewritten');
    expect(again.stderr).toContain('note: the SealedSecrets keep their ciphertexts: their inputs match the previous sealings.');
    expect(inferenceFiles(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8'))).toEqual(before);
    expect(runInProcess(['check', '-q', ...AT], { cwd: repo })).toMatchObject({ status: 0, stdout: '' });
  });

  test('files: certificates.sha256 names both Secret files, and check passes in a clone without the keys', () => {
    const { root, repo } = repoWith('files');
    expect(runInProcess(['synth', '-q', ...AT], { cwd: repo }).status).toBe(0);
    const digests = fs.readFileSync(path.join(repo, 'dist', 'prod', 'certificates.sha256'), 'utf8');
    for (const ns of ['knative-serving', 'runai']) expect(digests).toContain(`00-secret-${INFERENCE}-${ns}.yaml tls.crt sha256:`);
    expect(digests).not.toContain(`00-secret-${INFERENCE}.yaml`);
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'runai-access');
    const clone = path.join(root, 'clone');
    git(root, 'clone', '-q', repo, clone);
    // The keys lived outside the repository: take them away, as a CI machine does not have them.
    const config = path.join(clone, 'runai-access.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replaceAll(/keyFile: [^,}]+/g, 'keyFile: missing.key'));
    git(clone, 'commit', '-qam', 'keys elsewhere');
    const r = runInProcess(['check', ...AT], { cwd: clone });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`not verified: dist/prod/00-secret-${INFERENCE}-runai.yaml is not here`);
  });
});

describe('a legacy patch script in a clone with core.autocrlf true', () => {
  const SCRIPT = 'dist/legacy/patches/apply-runai-backend-ingress-tls.sh';
  let crlf: string;
  beforeAll(() => {
    const root = tempDir();
    const repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    fs.writeFileSync(
      path.join(repo, 'runai-access.yaml'),
      'clusters:\n  - {name: legacy, clusterUrl: runai.example.com, deployment: self-hosted, runaiVersion: "2.10", tls: {source: existing}}\n',
    );
    expect(runInProcess(['synth', '-q'], { cwd: repo }).status).toBe(0);
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'runai-access');
    crlf = path.join(root, 'crlf');
    git(root, '-c', 'core.autocrlf=true', 'clone', '-q', repo, crlf);
    git(crlf, 'config', 'core.autocrlf', 'true');
  });

  test("keeps LF line ends (dist's .gitattributes), so sh runs it; check exits 0", () => {
    expect(fs.readFileSync(path.join(crlf, 'dist/legacy/20-runaiconfig-runai.yaml'), 'utf8')).toContain('\r\n');
    expect(fs.readFileSync(path.join(crlf, SCRIPT), 'utf8')).not.toContain('\r');
    // Its own refusal of an empty --file, not sh's of a CRLF line ("set: Illegal option -").
    const r = spawnSync('sh', [SCRIPT, '--file'], { cwd: crlf, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([2, "--file: needs an ingress YAML file that exists, got ''\n"]);
    expect(runInProcess(['check', '-q'], { cwd: crlf })).toMatchObject({ status: 0, stdout: '' });
  });

  test('fails when git records the script without its exec bit (a commit from Windows): the note gives the git command that mends it', () => {
    const root = path.dirname(crlf);
    const repo = path.join(root, 'repo');
    git(repo, 'update-index', '--chmod=-x', SCRIPT);
    git(repo, 'commit', '-qm', 'as Git for Windows commits a new script');
    const clone = path.join(root, 'no-exec');
    git(root, 'clone', '-q', repo, clone);
    const r = runInProcess(['check'], { cwd: clone });
    expect([r.status, r.stdout]).toEqual([1, `mode    ${SCRIPT}\n`]);
    const note = /^note: \S+ is not executable, as git records it \(.*\); (git update-index --chmod=\+x \S+), then commit$/m.exec(r.stderr);
    expect(note?.[1]).toBe(`git update-index --chmod=+x ${SCRIPT}`);
    // Run where the change was made, as written: the next clone passes.
    execFileSync('sh', ['-c', note![1]], { cwd: repo });
    git(repo, 'commit', '-qm', 'exec bit');
    const mended = path.join(root, 'mended');
    git(root, 'clone', '-q', repo, mended);
    expect(runInProcess(['check', '-q'], { cwd: mended })).toMatchObject({ status: 0, stdout: '' });
  });

  /**
   * A clone of the repository (folder `name` beside it) whose commit records the script with (`+x`)
   * or without (`-x`) its exec bit, and whose git ignores the bit on disk (core.fileMode false).
   */
  const cloneWithScriptBit = (name: string, bit: '+x' | '-x') => {
    const root = path.dirname(crlf);
    const clone = path.join(root, name);
    git(root, 'clone', '-q', path.join(root, 'repo'), clone);
    git(clone, 'update-index', `--chmod=${bit}`, SCRIPT);
    // (An earlier test of this folder may have recorded it so: --allow-empty when it is there already.)
    git(clone, 'commit', '--allow-empty', '-qm', `the script recorded ${bit}`);
    git(clone, 'config', 'core.fileMode', 'false');
    return clone;
  };

  test('with core.fileMode false (WSL, Docker Desktop mounts) the exec bit git records counts, not the one on disk', () => {
    const clone = cloneWithScriptBit('file-mode-false', '+x');
    // Such a file system shows no exec bit on the script and one on every other file: git status is clean.
    fs.chmodSync(path.join(clone, SCRIPT), 0o644);
    fs.chmodSync(path.join(clone, 'dist/legacy/20-runaiconfig-runai.yaml'), 0o755);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' })).toBe('');
    expect(runInProcess(['check', '-q'], { cwd: clone })).toMatchObject({ status: 0, stdout: '' });
    // Where git records the wrong bit, it is drift all the same, and the note's command mends it.
    git(clone, 'update-index', '--chmod=-x', SCRIPT);
    git(clone, 'commit', '-qm', 'no exec bit');
    const r = runInProcess(['check'], { cwd: clone });
    expect([r.status, r.stdout]).toEqual([1, `mode    ${SCRIPT}\n`]);
    expect(r.stderr).toContain(`git update-index --chmod=+x ${SCRIPT}, then commit`);
    // With core.fileMode true the disk is what git commits: its bits are compared.
    git(clone, 'update-index', '--chmod=+x', SCRIPT);
    git(clone, 'config', 'core.fileMode', 'true');
    expect(runInProcess(['check', '-q'], { cwd: clone }).stdout).toBe(`mode    dist/legacy/20-runaiconfig-runai.yaml\nmode    ${SCRIPT}\n`);
  });

  test('fails with core.fileMode false when the script on disk is executable but git records it without (exit 1): a commit would not mend it', () => {
    const clone = cloneWithScriptBit('file-mode-false-disk-right', '-x');
    fs.chmodSync(path.join(clone, SCRIPT), 0o755);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' })).toBe('');
    const r = runInProcess(['check'], { cwd: clone });
    expect([r.status, r.stdout]).toEqual([1, `mode    ${SCRIPT}\n`]);
    expect(r.stderr).toContain(`git update-index --chmod=+x ${SCRIPT}, then commit`);
    expect(r.stderr).not.toContain('differs from git');
    // Done as the note says, and committed: nothing is left to say.
    git(clone, 'update-index', '--chmod=+x', SCRIPT);
    git(clone, 'commit', '-qm', 'exec bit');
    const mended = runInProcess(['check', '-q'], { cwd: clone });
    expect([mended.status, mended.stdout, mended.stderr]).toEqual([0, '', expect.not.stringContaining('note:')]);
  });

  /** A new repository (folder `name` beside the others) with nothing committed, core.fileMode false, and the legacy config synthesized. */
  const synthedRepoWithoutFileMode = (name: string) => {
    const root = path.dirname(crlf);
    const fresh = path.join(root, name);
    fs.mkdirSync(fresh);
    fs.copyFileSync(path.join(root, 'repo', 'runai-access.yaml'), path.join(fresh, 'runai-access.yaml'));
    git(fresh, 'init', '-q');
    git(fresh, 'config', 'core.fileMode', 'false');
    expect(runInProcess(['synth', '-q'], { cwd: fresh }).status).toBe(0);
    return fresh;
  };

  test('fails with core.fileMode false when a new script is staged without its exec bit (exit 1), before anything is committed', () => {
    const fresh = synthedRepoWithoutFileMode('file-mode-false-new');
    git(fresh, 'add', '-A');
    expect(git(fresh, 'ls-files', '-s', SCRIPT)).toMatch(/^100644 /);
    const r = runInProcess(['check'], { cwd: fresh });
    expect([r.status, r.stdout]).toEqual([1, `mode    ${SCRIPT}\n`]);
    expect(r.stderr).toContain(`git update-index --chmod=+x ${SCRIPT}, then commit`);
    // The advice does not add a commit that would change nothing.
    expect(r.stderr).toMatch(/; run: npx runai-access synth\n$/);
  });

  test('with core.fileMode false, a new script not yet added: up to date (exit 0), and a note gives the git add that records its exec bit', () => {
    const root = path.dirname(crlf);
    const fresh = synthedRepoWithoutFileMode('file-mode-false-unstaged');
    const r = runInProcess(['check', '-q'], { cwd: fresh });
    expect([r.status, r.stdout]).toEqual([0, '']);
    const note =
      /^note: git add would record \S+ without the exec bit, which git here ignores on disk \(core\.fileMode false\): (git add --chmod=\+x \S+)$/m.exec(
        r.stderr,
      );
    expect(note?.[1]).toBe(`git add --chmod=+x ${SCRIPT}`);
    // Done as the note says, then everything added and committed: a clone (core.fileMode true) passes.
    execFileSync('sh', ['-c', note![1]], { cwd: fresh });
    git(fresh, 'add', '-A');
    git(fresh, 'commit', '-qm', 'runai-access');
    const committed = runInProcess(['check', '-q'], { cwd: fresh });
    expect([committed.status, committed.stdout, committed.stderr]).toEqual([0, '', expect.not.stringContaining('note:')]);
    const clone = path.join(root, 'file-mode-false-unstaged-clone');
    git(root, 'clone', '-q', fresh, clone);
    const cloned = runInProcess(['check', '-q'], { cwd: clone });
    expect([cloned.status, cloned.stdout, cloned.stderr]).toEqual([0, '', expect.not.stringContaining('note:')]);
  });

  test('fails when the script has CRLF line ends all the same (exit 1): sh refuses it, so it is drift, not git', () => {
    const copy = path.join(path.dirname(crlf), 'broken');
    fs.cpSync(crlf, copy, { recursive: true });
    const file = path.join(copy, SCRIPT);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    expect(spawnSync('sh', [file, '--file'], { encoding: 'utf8' }).stderr).toContain('Illegal option');
    const r = runInProcess(['check', '-q'], { cwd: copy });
    expect([r.status, r.stdout]).toEqual([1, `changed ${SCRIPT}\n`]);
  });
});
