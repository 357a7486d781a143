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

test('fails when npm keeps --no-kube (npm_config_kube, empty), -c FILE (its --call) or --out=DIR (its value kept): each named as written', () => {
  const scripts = project();
  const doctorScript = JSON.parse(fs.readFileSync(path.join(scripts, 'package.json'), 'utf8'));
  doctorScript.scripts.doctor = `${LAUNCHER} doctor`;
  fs.writeFileSync(path.join(scripts, 'package.json'), JSON.stringify(doctorScript));
  const doctor = npm(scripts, 'run', '-s', 'doctor', '--no-kube');
  expect([doctor.status, doctor.stdout]).toEqual([2, '']);
  expect(doctor.stderr).toMatch(/^runai-access: npm kept --no-kube as an option of its own .*\(npm run doctor -- --no-kube\)\n$/);
  // -c other.yaml checked the default config, and passed.
  const config = npm(scripts, 'run', '-s', 'validate', '-c', 'other.yaml');
  expect(config.status).toBe(2);
  expect(config.stderr).toMatch(/^runai-access: npm kept -c as an option .*\(npm run validate -- -c other\.yaml\)\n$/);
  const out = npm(scripts, 'run', '-s', 'synth', '--out=elsewhere', '--strict');
  expect(out.stderr).toMatch(/^runai-access: npm kept --out and --strict as options .*\(npm run synth -- --out elsewhere --strict\)\n$/);
});

test("passes what reached runai-access though npm's environment names it too (an .npmrc's json=true), and a script that reads npm's settings itself", () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, '.npmrc'), 'json=true\n');
  const json = npm(dir, 'run', '-s', 'validate', '--', '--json');
  expect(json.status).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: true });
  fs.rmSync(path.join(dir, '.npmrc'));
  // npm's own habit: the script takes its settings from npm (npm run -s u --cluster=prod …).
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  pkg.scripts.u = `${LAUNCHER} url --cluster $npm_config_cluster --project $npm_config_project --workload $npm_config_workload`;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  const url = npm(dir, 'run', '-s', 'u', '--cluster=prod', '--project=a', '--workload=b');
  expect([url.status, url.stdout]).toEqual([0, 'host-based: https://a-b.runai.example.com/\npath-based: https://runai.example.com/a/b\n']);
});

describe('npmTookOptions', () => {
  test('names nothing outside a script that runs runai-access, or where npm kept none of its options', () => {
    expect(npmTookOptions({ npm_lifecycle_script: 'node build.js', npm_config_strict: 'true' }, [])).toBeUndefined();
    expect(npmTookOptions({ npm_config_strict: 'true' }, [])).toBeUndefined();
    expect(npmTookOptions({ npm_lifecycle_script: 'runai-access synth', npm_config_loglevel: 'warn' }, ['synth'])).toBeUndefined();
    // --no-kube given leaves kube at "": --kube=true (no such option) is not it.
    expect(npmTookOptions({ npm_lifecycle_script: 'runai-access doctor', npm_config_kube: 'true' }, ['doctor'])).toBeUndefined();
  });

  test("names options with a hyphen (npm_config_warn_days), but never --help or --version, which npm answers itself, nor npm exec's -c", () => {
    const env = {
      npm_lifecycle_event: 'check',
      npm_lifecycle_script: 'runai-access check',
      npm_config_warn_days: 'true',
      npm_config_help: 'true',
      npm_config_version: 'true',
    };
    expect(npmTookOptions(env, ['check'])).toBe(
      'runai-access: npm kept --warn-days as an option of its own and did not pass it on: put -- before the options (npm run check -- --warn-days …)\n',
    );
    const exec = { npm_lifecycle_event: 'npx', npm_lifecycle_script: 'runai-access', npm_config_call: 'ls' };
    expect(npmTookOptions(exec, ['validate'])).toBeUndefined();
  });
});
