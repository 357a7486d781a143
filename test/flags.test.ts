/** Flags, flag values and commands the parser refuses, through the CLI's run() (in this process). */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bash, KEY_BODY_LINES, LAUNCHER, runInProcess, tempDir } from './helpers';

describe('--warn-days', () => {
  test.each([
    ['a negative number', ['--warn-days', '-1']],
    ['another option where the number goes', ['--warn-days', '--strict']],
  ])('fails when it is followed by %s: says the range, not how to pass a "-" value (exit 2)', (_what, args) => {
    expect(runInProcess(['validate', ...args], { cwd: tempDir() })).toEqual({
      status: 2,
      stdout: '',
      stderr: 'runai-access: --warn-days: needs a whole number of days from 0 to 3650; what follows it starts with "-"\n',
    });
  });
  test('fails when it has no value at all, saying the range (exit 2)', () => {
    expect(runInProcess(['validate', '--warn-days'], { cwd: tempDir() }).stderr).toBe(
      'runai-access: --warn-days: needs a whole number of days from 0 to 3650\n',
    );
  });
  test('fails when it is given as --warn-days=-1, with the value (exit 2)', () => {
    expect(runInProcess(['validate', '--warn-days=-1'], { cwd: tempDir() }).stderr).toBe(
      'runai-access: --warn-days: must be a whole number of days from 0 to 3650, got -1\n',
    );
  });
  test('fails when a flag that takes any text is followed by an option: says how to give a "-" value (exit 2)', () => {
    expect(runInProcess(['validate', '--config', '-x'], { cwd: tempDir() }).stderr).toBe(
      'runai-access: --config: needs a value; to give one that starts with "-", write --config=VALUE\n',
    );
  });
});

describe('misspellings', () => {
  test.each([
    [['synht'], 'runai-access: synht: unknown command; did you mean synth? allowed: synth, check, validate, url, init, doctor'],
    [['Doctor'], 'runai-access: Doctor: unknown command; did you mean doctor? allowed: synth, check, validate, url, init, doctor'],
    [
      ['synth', '--conifg', 'a.yaml'],
      'runai-access: --conifg: unknown option; did you mean --config? allowed: --config, --out, --strict, --warn-days, --at, --quiet, --stdout, --include-secrets, --cluster, --help',
    ],
  ])('fail when the arguments are %j, naming the nearest command or option (exit 2)', (args, line) => {
    expect(runInProcess(args, { cwd: tempDir() })).toEqual({ status: 2, stdout: '', stderr: `${line}\n` });
  });

  test('fail with one line for each unknown option, not only the first (exit 2)', () => {
    const allowed = 'allowed: --config, --out, --strict, --warn-days, --at, --quiet, --stdout, --include-secrets, --cluster, --help';
    expect(runInProcess(['synth', '--conifg', 'a.yaml', '--bogus', '--port', '443', '--bogus'], { cwd: tempDir() })).toEqual({
      status: 2,
      stdout: '',
      stderr:
        `runai-access: --conifg: unknown option; did you mean --config? ${allowed}\n` +
        `runai-access: --bogus: unknown option; ${allowed}\n` +
        `runai-access: --port: not an option of synth; ${allowed}\n`,
    });
  });

  test.each([
    [['deploy'], 'runai-access: deploy: unknown command; allowed: synth, check, validate, url, init, doctor'],
    [
      ['synth', '--json'],
      'runai-access: --json: not an option of synth; allowed: --config, --out, --strict, --warn-days, --at, --quiet, --stdout, --include-secrets, --cluster, --help',
    ],
  ])('fail when the arguments are %j, naming none when none is near (exit 2)', (args, line) => {
    expect(runInProcess(args, { cwd: tempDir() }).stderr).toBe(`${line}\n`);
  });
});

describe('stray arguments', () => {
  test('fail when a file is given without its flag, showing it as typed (exit 2)', () => {
    expect(runInProcess(['synth', 'certs/fullchain.pem'], { cwd: tempDir() })).toEqual({
      status: 2,
      stdout: '',
      stderr: 'runai-access: certs/fullchain.pem: unexpected argument; options take the form --config FILE (see --help)\n',
    });
  });
  // Slices of key lines, not cut at "/" or "+": a path's rule (shownPath) let them through.
  test.each(['DoHhES+Yl+fQlni/RZTGX0IW', KEY_BODY_LINES[1], KEY_BODY_LINES[2].slice(3, 27)])(
    'fail when key text %s is given as an argument, describing it (exit 2)',
    (text) => {
      const r = runInProcess(['check', text], { cwd: tempDir() });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^runai-access: <\d+ characters of base64-like text, not shown>: unexpected argument/);
      expect(r.stderr).not.toContain(text.slice(0, 16));
    },
  );
});

describe('paths whose names are not UTF-8', () => {
  const NOT_UTF8 = 'the name holds bytes that are not UTF-8, which Node cannot pass on as they are; rename it in UTF-8';
  // Node hands such a name to the program with U+FFFD in place of each bad byte.
  test.each([
    [['validate', '--config', 'c\uFFFD.yaml'], `--config: ${NOT_UTF8}`],
    [['synth', '--out', 'o\uFFFD'], `--out: ${NOT_UTF8}`],
    [['init', 'd\uFFFD'], `DIR: ${NOT_UTF8}`],
  ])('%j fails saying so, not that the file is missing, and writes nothing (exit 2)', (args, line) => {
    const dir = tempDir();
    const r = runInProcess(args, { cwd: dir });
    expect([r.status, r.stderr]).toEqual([2, `runai-access: ${line}\n`]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  test('a name with a byte that is not UTF-8, from the shell, to the CLI', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, Buffer.from('c\xfe.yaml', 'latin1').toString('latin1')), 'clusters: []\n');
    const r = bash(['-c', `"$0" validate --config "$(printf 'c\\376.yaml')"`, LAUNCHER], { cwd: dir });
    expect([r.status, r.stderr]).toEqual([2, `runai-access: --config: ${NOT_UTF8}\n`]);
  });
});
