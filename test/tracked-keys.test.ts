/**
 * lib/output/tracked-keys.ts: a plaintext-key Secret that git already tracks is not kept out by
 * the .gitignore synth writes beside it. synth says so instead of that it is kept out, and check
 * in a clone fails on it; with real git.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { demoConfig, runInProcess, tempDir } from './helpers';

const SECRET = 'dist/demo/00-secret-runai-cluster-domain-star-tls-secret.yaml';

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('a Secret committed with commitPlaintextKey: true stays tracked once it is false: synth and check say so, and how to mend it', () => {
  const dir = tempDir();
  git(dir, 'init', '-q');
  const config = path.join(dir, 'runai-access.yaml');
  fs.writeFileSync(config, demoConfig('').replace('keyFile:', 'commitPlaintextKey: true, keyFile:'));
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'committed with its key');
  expect(git(dir, 'ls-files', SECRET)).toBe(`${SECRET}\n`);

  // The key is to stay out of git now: the .gitignore lists the Secret, which git still tracks.
  fs.writeFileSync(config, demoConfig(''));
  const r = runInProcess(['synth'], { cwd: dir });
  expect(r.status).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'dist/demo/.gitignore'), 'utf8')).toContain('/00-secret-runai-cluster-domain-star-tls-secret.yaml');
  const warning =
    `${SECRET} holds a plaintext private key and git tracks it (committed before, or added with -f), so its .gitignore does not keep it ` +
    `out: git add stages each new key. Run git rm --cached ${SECRET} and commit; the keys already committed stay in the history: ` +
    'rotate them (or use tls.source sealed-secret, external-secret or cert-manager)';
  expect(r.stderr).toContain(`warning: ${warning}\n`);
  // It said the .gitignore keeps it out of git.
  expect(r.stderr).not.toContain('keeps it out of git');
  // What it warns of: with its .gitignore committed, git still tracks the Secret (a new key would be staged).
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'the .gitignore');
  expect(git(dir, 'ls-files', SECRET)).toBe(`${SECRET}\n`);
  // check, as CI runs it in a clone: the key is in git, never "up to date" (exit 1).
  const clone = path.join(tempDir(), 'clone');
  git(dir, 'clone', '-q', dir, clone);
  fs.writeFileSync(path.join(clone, 'runai-access.yaml'), demoConfig(''));
  // git checks it out 0644, where synth writes 0600: no mode line, whose fix (synth) would not mend it; git rm --cached does.
  expect(fs.statSync(path.join(clone, SECRET)).mode & 0o777).toBe(0o644);
  const check = runInProcess(['check'], { cwd: clone });
  expect([check.status, check.stdout, check.stderr]).toEqual([
    1,
    '',
    `${warning}\ndist matches runai-access.yaml, but check fails while a private key is in git (said above)\n`,
  ]);
  // Other drift is said as ever, with its fix.
  fs.appendFileSync(path.join(clone, 'dist/demo/10-ingress-runai-cluster-domain-star-ingress.yaml'), '# edited\n');
  const more = runInProcess(['check'], { cwd: clone });
  expect([more.status, more.stdout]).toEqual([1, 'changed dist/demo/10-ingress-runai-cluster-domain-star-ingress.yaml\n']);
  expect(more.stderr).toContain(`${warning}\n`);

  // Mended as it says: nothing more is said, and the .gitignore keeps the key out again.
  git(dir, 'rm', '-q', '--cached', SECRET);
  git(dir, 'commit', '-qm', 'untracked');
  const mended = runInProcess(['synth'], { cwd: dir });
  expect(mended.stderr).not.toContain('git tracks it');
  expect(mended.stderr).toContain('holds a plaintext private key; its .gitignore keeps it out of git');
  git(dir, 'add', '-A');
  expect(git(dir, 'status', '--porcelain')).toBe('');
});

test('outside a git work tree nothing is tracked: the .gitignore keeps the key out, as synth says', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'runai-access.yaml'), demoConfig(''));
  const r = runInProcess(['synth'], { cwd: dir });
  expect(r.status).toBe(0);
  expect(r.stderr).toContain('holds a plaintext private key; its .gitignore keeps it out of git');
  expect(r.stderr).not.toMatch(/git tracks it|not verified/);
});

test('where git cannot be asked in a work tree, synth and check say it was not verified: never plainly up to date', () => {
  const dir = tempDir();
  git(dir, 'init', '-q');
  fs.writeFileSync(path.join(dir, 'runai-access.yaml'), demoConfig(''));
  // git refuses the repository (its .git names a folder that is none; in CI, a repository another user owns).
  fs.rmSync(path.join(dir, '.git'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.git'), `gitdir: ${path.join(dir, 'no-such-git-dir')}\n`);
  const synth = runInProcess(['synth', '-q'], { cwd: dir });
  expect(synth.stderr).toMatch(
    /^note: not verified: whether git tracks the plaintext-key Secrets in dist \(git ls-files exited 128: run git -C \S+ ls-files to see why\)$/m,
  );
  const check = runInProcess(['check'], { cwd: dir });
  expect(check.status).toBe(0);
  expect(check.stderr).toMatch(/^note: not verified: whether git tracks/m);
  expect(check.stderr).toContain('dist is up to date with runai-access.yaml in everything it could verify');
});

test('check of an output folder that is not there, in a work tree: git is asked from the top of the work tree', () => {
  const dir = tempDir();
  git(dir, 'init', '-q');
  fs.writeFileSync(path.join(dir, 'runai-access.yaml'), demoConfig(''));
  const r = runInProcess(['check'], { cwd: dir });
  expect(r.status).toBe(1);
  expect(r.stderr).not.toContain('not verified');
  expect(r.stdout).toContain(`missing ${SECRET}\n`);
});
