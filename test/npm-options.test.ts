/**
 * Options given to `npm run` without `--` (lib/cli/npm-options.ts): npm keeps them as its own
 * configs and runs the script without them, so runai-access says so instead of running as if they
 * had not been given. Through real npm: the environment npm gives a script is npm's to decide.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { npmTookOptions } from '../lib/cli/npm-options';
import { DEMO_CERT, DEMO_KEY, LAUNCHER, ROOT, tempDir } from './helpers';

/** A project whose scripts run runai-access, as a GitOps repo's do, with a config that warns (ingress-nginx, the default, is retired). */
function project(): string {
  const dir = tempDir();
  const scripts = Object.fromEntries(['synth', 'validate', 'url'].map((c) => [c, `${LAUNCHER} ${c}`]));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'gitops', version: '1.0.0', private: true, scripts }));
  fs.writeFileSync(
    path.join(dir, 'runai-access.yaml'),
    `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    runaiVersion: "2.20"\n` +
      `    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n`,
  );
  return dir;
}

function npm(cwd: string, ...args: string[]) {
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
}

const project1 = project();

test('fails when npm run is given --strict and --json without --: one line naming both and the command that passes them (it passed, printing text)', () => {
  const r = npm(project1, 'run', '-s', 'validate', '--strict', '--json');
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    'runai-access: npm kept --strict and --json as options of its own and did not pass them on: put -- before the options ' +
      '(npm run validate -- --strict --json)\n',
  );
  expect(r.stdout).not.toContain('"ok"'); // npm's own --json error may be there; runai-access printed nothing
  expect(fs.existsSync(path.join(project1, 'dist'))).toBe(false);
});

test('fails when value options are given to npm run without --, before the values npm passed as arguments are read (it blamed them)', () => {
  const r = npm(project1, 'run', '-s', 'url', '--cluster', 'prod', '--project', 'a', '--workload', 'b');
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    'runai-access: npm kept --cluster, --project and --workload as options of its own and did not pass them on: ' +
      'put -- before the options (npm run url -- --cluster … --project … --workload …)\n',
  );
  const synth = npm(project1, 'run', '-s', 'synth', '--out', 'elsewhere');
  expect(synth.status).toBe(2);
  expect(synth.stderr).toMatch(
    /^runai-access: npm kept --out as an option of its own and did not pass it on: .*\(npm run synth -- --out …\)\n$/,
  );
  expect(fs.readdirSync(project1).sort()).toEqual(['package.json', 'runai-access.yaml']);
});

test('fails when npm exec is given an option before --, naming the npm exec command line that passes it', () => {
  const r = spawnSync('npm', ['exec', 'runai-access', 'validate', '--json'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(
    'runai-access: npm kept --json as an option of its own and did not pass it on: put -- before the options ' +
      '(npm exec -- runai-access validate --json)\n',
  );
});

test('passes the options given after --, and under npx, as before', () => {
  const strict = npm(project1, 'run', '-s', 'validate', '--', '--strict');
  expect(strict.status).toBe(2);
  expect(strict.stderr).toContain('[controller-retired]');
  expect(strict.stderr).not.toContain('npm kept');
  const json = npm(project1, 'run', '-s', 'validate', '--', '--json');
  expect(json.status).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: true });
  const npx = spawnSync('npx', ['runai-access', 'validate', '--json'], { cwd: ROOT, encoding: 'utf8' });
  expect(npx.status).toBe(0);
  expect(JSON.parse(npx.stdout)).toMatchObject({ ok: true });
});

describe('npmTookOptions', () => {
  test('names nothing outside a script that runs runai-access, or where npm kept none of its options', () => {
    expect(npmTookOptions({ npm_lifecycle_script: 'node build.js', npm_config_strict: 'true' }, [])).toBeUndefined();
    expect(npmTookOptions({ npm_config_strict: 'true' }, [])).toBeUndefined();
    expect(npmTookOptions({ npm_lifecycle_script: 'runai-access synth', npm_config_loglevel: 'warn' }, ['synth'])).toBeUndefined();
  });

  test("names doctor's options and those with a hyphen (npm_config_warn_days), but never --help or --version, which npm answers itself", () => {
    const env = {
      npm_lifecycle_event: 'doctor',
      npm_lifecycle_script: 'runai-access doctor',
      npm_config_no_kube: 'true',
      npm_config_warn_days: 'true',
      npm_config_help: 'true',
      npm_config_version: 'true',
    };
    expect(npmTookOptions(env, ['doctor'])).toBe(
      'runai-access: npm kept --warn-days and --no-kube as options of its own and did not pass them on: ' +
        'put -- before the options (npm run doctor -- --warn-days … --no-kube)\n',
    );
  });
});
