/**
 * The installable package, from the tarball `npm pack` makes: installed into a new folder
 * (the only network is the npm registry, for its dependencies), `npx runai-access init`,
 * `synth`, `validate` and `check` work there; the admin commits the folder, and in a clone
 * the CI steps `init` wrote pass; another cdk8s app imports the constructs with their types.
 * One test, grouped: installing is the slow part.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { DEMO_CERT, DEMO_KEY, ROOT, tempDir, yamlDocs } from './helpers';

const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

function sh(cwd: string, command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  // npm test runs jest without NODE_EXTRA_CA_CERTS (scripts/test.js); npm, which may reach the registry, gets it back.
  const ca = process.env.RUNAI_ACCESS_TEST_NPM_CA_CERTS;
  const env = { ...process.env, npm_config_update_notifier: 'false', ...(ca ? { NODE_EXTRA_CA_CERTS: ca } : {}) };
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    stdio: 'pipe',
  });
}

test('the packed tarball installs into a new folder; there init, synth, validate and check work, CI passes in a clone, and a cdk8s app imports the constructs', () => {
  const root = tempDir();
  // The tests run on the build `npm test` just made; --ignore-scripts keeps pack from rebuilding under other tests.
  const packed = sh(ROOT, 'npm', ['pack', '--ignore-scripts', '--pack-destination', root, '--loglevel=error']);
  expect(packed.status).toBe(0);
  const tarball = packed.stdout.trim().split('\n').pop()!;
  expect(tarball).toMatch(/^runai-access-\d+\.\d+\.\d+\.tgz$/);

  const repo = path.join(root, 'gitops');
  fs.mkdirSync(repo);
  fs.copyFileSync(path.join(root, tarball), path.join(repo, tarball));
  // npm starts from a copy of this repository's node_modules made of hard links, and prunes what the
  // package does not depend on: the same tree, checked the same way (the tarball's files, extracted
  // afresh, and its declared dependencies: one it forgot would be pruned, and the commands below
  // would fail), without extracting 66 MB from npm's cache again (8 s of disk work on 2 cores).
  // Where hard links cannot be made (a temporary folder on another file system), npm installs it all.
  const linked = sh(root, 'cp', ['-al', path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules')]).status === 0;
  if (!linked) fs.rmSync(path.join(repo, 'node_modules'), { recursive: true, force: true });
  // npm rewrites its record of the tree in place: through a hard link, it would rewrite this repository's.
  fs.rmSync(path.join(repo, 'node_modules', '.package-lock.json'), { force: true });
  const ours = ['zod/package.json', 'cdk8s/package.json', 'jest/package.json'].map((f) => path.join(ROOT, 'node_modules', f));
  const before = ours.map((f) => fs.statSync(f));
  const install = sh(repo, 'npm', ['install', '--save-dev', `./${tarball}`, ...NPM_FLAGS]);
  expect([install.status, install.stderr]).toEqual([0, '']);
  // This repository's own files are as they were: same file, same time, same size.
  expect(ours.map((f) => fs.statSync(f)).map((st) => [st.ino, st.mtimeMs, st.size])).toEqual(
    before.map((st) => [st.ino, st.mtimeMs, st.size]),
  );
  const pkg = path.join(repo, 'node_modules', 'runai-access');
  expect(fs.existsSync(path.join(pkg, 'schema', 'runai-access.schema.json'))).toBe(true);
  expect(fs.existsSync(path.join(pkg, 'test'))).toBe(false);
  // Only the package's own dependencies are left of the copy: the test tools are pruned.
  expect(fs.existsSync(path.join(repo, 'node_modules', 'jest'))).toBe(false);
  expect(fs.existsSync(path.join(repo, 'node_modules', 'zod', 'package.json'))).toBe(true);

  // npx runs init, as the README says; the other commands run the same bin directly (npx's own start-up costs about 0.5 s a call).
  expect(sh(repo, 'npx', ['--no-install', 'runai-access', 'init', '--cluster-url', 'runai.example.com']).status).toBe(0);
  const bin = path.join(repo, 'node_modules', '.bin', 'runai-access');
  const npx = (...args: string[]) => sh(repo, bin, args);
  const schemaRef = fs
    .readFileSync(path.join(repo, 'runai-access.yaml'), 'utf8')
    .split('\n')[0]
    .replace(/^.*\$schema=/, '');
  expect(fs.existsSync(path.join(repo, schemaRef))).toBe(true);
  fs.mkdirSync(path.join(repo, 'certs'));
  fs.copyFileSync(DEMO_CERT, path.join(repo, 'certs', 'fullchain.pem'));
  fs.copyFileSync(DEMO_KEY, path.join(repo, 'certs', 'private.key'));
  expect(npx('validate', '-q')).toMatchObject({ status: 0, stderr: '' });
  expect(npx('synth', '-q')).toMatchObject({ status: 0, stderr: '' });
  expect(fs.readdirSync(path.join(repo, 'dist', 'runai'))).toContain('10-ingress-runai-cluster-domain-star-ingress.yaml');
  expect(npx('check')).toMatchObject({ status: 0, stderr: 'dist is up to date with runai-access.yaml\n' });
  const stdout = npx('synth', '--stdout');
  // init without --runai-version takes the newest profile (2.25): Run:ai is told by Helm values, not a RunaiConfig.
  expect(yamlDocs(stdout.stdout).map((d) => d.kind)).toEqual(['Ingress']);

  // Another cdk8s app: JavaScript at run time, TypeScript types from build/lib.
  fs.writeFileSync(
    path.join(repo, 'app.ts'),
    `import { App } from 'cdk8s';
import { ControlPlane, RunaiAccessChart, TlsSource } from 'runai-access';

const app = new App();
new RunaiAccessChart(app, 'lab', { clusterUrl: 'runai.lab.example.com', deployment: ControlPlane.SELF_HOSTED, tls: TlsSource.existing() });
process.stdout.write(app.synthYaml());
`,
  );
  const tsc = sh(repo, path.join(ROOT, 'node_modules', '.bin', 'tsc'), [
    '--strict',
    '--module',
    'commonjs',
    '--target',
    'es2022',
    '--esModuleInterop',
    '--skipLibCheck',
    '--types',
    'node',
    '--typeRoots',
    path.join(ROOT, 'node_modules', '@types'),
    'app.ts',
  ]);
  expect([tsc.status, tsc.stdout]).toEqual([0, '']);
  const app = sh(repo, process.execPath, ['app.js']);
  expect(app.status).toBe(0);
  const ingress = yamlDocs(app.stdout).find((d) => d.kind === 'Ingress');
  expect(ingress.spec.tls).toEqual([{ hosts: ['*.runai.lab.example.com'], secretName: 'runai-cluster-domain-star-tls-secret' }]);

  // Commit as the admin would (git add -A), clone, and run the CI steps init wrote.
  fs.rmSync(path.join(repo, 'app.ts'));
  fs.rmSync(path.join(repo, 'app.js'));
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'runai-access');
  const clone = path.join(root, 'clone');
  git(root, 'clone', '-q', repo, clone);
  expect(fs.existsSync(path.join(clone, 'certs', 'private.key'))).toBe(false);
  expect(fs.existsSync(path.join(clone, 'node_modules'))).toBe(false);
  const workflow = parse(fs.readFileSync(path.join(clone, '.github', 'workflows', 'runai-access.yml'), 'utf8'));
  const steps: string[] = workflow.jobs.check.steps.filter((s: { run?: string }) => s.run).map((s: { run: string }) => s.run);
  // `npm ci` is checked with --dry-run (the committed lockfile installs exactly what package.json
  // asks) and the clone then borrows the install above: a second real install of the same
  // packages adds 8 s of disk work and proves nothing more.
  for (const step of steps) {
    const [command, ...args] = step.split(' ');
    const install = command === 'npm' && args[0] === 'ci';
    const r = sh(clone, command, install ? [...args, '--dry-run', ...NPM_FLAGS] : command === 'npm' ? [...args, ...NPM_FLAGS] : args);
    expect({ step, status: r.status }).toEqual({ step, status: 0 });
    if (install) fs.symlinkSync(path.join(repo, 'node_modules'), path.join(clone, 'node_modules'));
  }
}, 300_000);
