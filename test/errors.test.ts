import { createHash, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  describeValue,
  formatPath,
  formatProblem,
  isPlainValue,
  Problem,
  redact,
  shellPath,
  shown,
  shownBare,
  shownPath,
} from '../lib/model/errors';
import { groupedProblems } from '../lib/model/problem-groups';
import { bash, DEMO_KEY, KEY_BODY_LINES, oneExisting, ROOT, runInProcess, tempDir } from './helpers';

describe('shown: the one way a user value reaches a message', () => {
  test.each([
    'runai.example.com',
    '2.20',
    '8080:80',
    'certs/fullchain.pem',
    '/home/JDoe/Certs/prod_2024/tls.crt',
    '/tmp/runai-access-test-7590aa15b45c/certs/private.pem',
    'clusterURL',
    'loadBalancerSourceRanges',
    'haproxy.org/ssl-redirect',
    'a b',
    '2027-02-30T00:00:00+01:00',
    '2027-01-31T00:00:00+0100',
    '+5',
    '2.20.0+hotfix1',
    'v1.30.2+k3s1',
    'ä',
    'プロジェクト',
  ])('quotes the plain value %p', (value) => {
    expect(isPlainValue(value)).toBe(true);
    expect(shown(value)).toBe(`"${value}"`);
    expect(shownBare(value)).toBe(value);
  });

  const key = fs.readFileSync(DEMO_KEY, 'utf8');
  test.each([
    ['a PEM block', key, `<${key.length} characters of PEM text, not shown>`],
    ['a key line', KEY_BODY_LINES[0], `<${KEY_BODY_LINES[0].length} characters of base64-like text, not shown>`],
    ['two lines', 'a\nb', '<3 characters of 2 lines, not shown>'],
    ['a value over 100 characters', 'a'.repeat(101), '<101 characters of base64-like text, not shown>'],
    ['a value with a control character', 'a\u0007b', '<3 characters of text, not shown>'],
    ['a value with a quote', "ab'cd", '<5 characters of text, not shown>'],
    ['a value with "+" outside a time\'s offset or a signed number', 'ab+cd', '<5 characters of base64-like text, not shown>'],
    ['one control character', '\u0007', '<1 character of text, not shown>'],
    ['random-looking letters', 'xK3pQr9aZ', '<9 characters of base64-like text, not shown>'],
    // A mkdtemp suffix beside words: mixed case and digits change as key text does (the tests' folders use lower-case hex).
    ['a path with a mixed-case random part', 'tmp-Xy9aB2/certs/private', '<24 characters of text, not shown>'],
    ['short mixed-case runs adding up to more than 12 characters', 'xK3pQ/r9aZb/T7w', '<15 characters of base64-like text, not shown>'],
  ])('describes %s by length and shape', (_name, value, described) => {
    expect(isPlainValue(value)).toBe(false);
    expect(shown(value)).toBe(described);
    expect(shownBare(value)).toBe(described);
    expect(describeValue(value)).toBe(described);
  });

  test('pieces of random key lines are described: none of 20,000 lines, as a value or as a config key, split at "/", "+" or both', () => {
    // Key lines are random base64; made from a fixed seed, so the counts are the same on every run. The rule is
    // statistical: as values, 7 of these pieces passed before it read whole stretches and 14 with "+" as a plain
    // character; none do (in a run of 200,000 random lines: 7, against 118). Keys are judged by their words, so that
    // unknown keys show: 2 passed before a key's words had to look like words (at most one acronym or short word, no six
    // consonants in a row, a vowel in five letters of a long word); none do (15 in 200,000 random lines, against 34).
    let seed = Buffer.from('runai-access key-leak corpus');
    const asValue: string[] = [];
    const asKey: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      seed = createHash('sha256').update(seed).digest();
      const line = Buffer.concat([seed, createHash('sha256').update(seed).update('2').digest()])
        .subarray(0, 48)
        .toString('base64');
      for (const piece of [line, ...line.split('/'), ...line.split('+'), ...line.split(/[/+]/)]) {
        if (piece.length >= 16 && isPlainValue(piece)) asValue.push(piece);
        if (piece.length >= 16 && isPlainValue(piece, true)) asKey.push(piece);
      }
    }
    expect(asValue).toEqual([]);
    expect(asKey).toEqual([]);
  });

  test.each(['hmezfrndxt0aerxas', 'uYnigiqrzYwkvMHT', 'XVXYKAzoaIjmeQVC', 'ZPJCEEuybSimuXcz'])(
    'describes the piece of key text %s as a config key in a path (they passed as words)',
    (piece) => {
      expect(formatPath(['clusters', 0, 'tls', piece])).toBe(`clusters[0].tls.<${piece.length} characters of base64-like text, not shown>`);
    },
  );

  test.each([
    'hostNetworkPortRange',
    'enableSslPassthrough',
    'commitPlainTextKey',
    'wildcardCertFileName',
    'loadBalancerSourceRanges',
    'insecureSkipTlsVerify',
    'stringData',
    'kubeconfigSecretName',
    'failureThreshold',
    'successThreshold',
  ])('shows the unknown key %s in a path, as an admin typed it', (key) => {
    expect(formatPath(['clusters', 0, 'tls', key])).toBe(`clusters[0].tls.${key}`);
  });

  test('every line of the demo key, and every piece of it split at "/" and "+", is described or under 16 characters', () => {
    for (const line of KEY_BODY_LINES) {
      for (const piece of [line, ...line.split(/[/+]/)]) {
        if (isPlainValue(piece)) expect(piece.length).toBeLessThan(16);
      }
    }
  });
});

describe('redact and formatProblem: the last guard', () => {
  test('removes a PEM block and long random base64 runs, also with "/" and "+" in them, and keeps paths', () => {
    expect(redact(`x ${key().trim()} y`)).toBe('x <PEM block, not shown> y');
    expect(redact(`got ${KEY_BODY_LINES[0]}`)).toBe('got <not shown>');
    expect(redact('see /work/wt-12/test/fixtures/corpus/corpus.yaml')).toBe('see /work/wt-12/test/fixtures/corpus/corpus.yaml');
  });

  test('keeps a path in a folder mktemp -d made, in a command too, and still removes a key line beside it', () => {
    const line = "helm upgrade -f /tmp/tmp.jGeRAtUpwz/dist/prod/helm/runai-cluster-values.yaml -f 'tmp.9zLAki2mAM/values.yaml'";
    expect(redact(line)).toBe(line);
    expect(redact(`-f /tmp/tmp.jGeRAtUpwz/${KEY_BODY_LINES[0]}`)).toBe('-f /tmp/tmp.<not shown>');
  });

  test('shows a source that is not plain by its shape', () => {
    expect(formatProblem({ source: KEY_BODY_LINES[0], path: '', message: 'does not exist' })).toBe(
      `<${KEY_BODY_LINES[0].length} characters of base64-like text, not shown>: does not exist`,
    );
  });

  function key() {
    return fs.readFileSync(DEMO_KEY, 'utf8');
  }
});

describe('formatProblem', () => {
  test("names one of runai-access's environment variables as it is, though its capitals-only words would hide a value", () => {
    expect(formatProblem({ source: 'RUNAI_ACCESS_LOCK_WAIT', path: '', message: 'must be a whole number' })).toBe(
      'RUNAI_ACCESS_LOCK_WAIT: must be a whole number',
    );
    expect(shownBare('RUNAI_ACCESS_LOCK_WAIT')).toBe('<22 characters of text, not shown>');
    // Any other source is a path or a flag, shown through shownPath: as it is, unless it may hold a key.
    expect(formatProblem({ source: 'OTHER_ACCESS_LOCK_WAIT', path: '', message: 'x' })).toBe('OTHER_ACCESS_LOCK_WAIT: x');
    expect(formatProblem({ source: `${KEY_BODY_LINES[1]}.yaml`, path: '', message: 'x' })).toMatch(
      /^<\d+ characters of .*, not shown>: x$/,
    );
  });
});

test('every key of the config schema is shown bare in a problem path (privateCa was described as base64-like text)', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'runai-access.schema.json'), 'utf8'));
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties' && v && typeof v === 'object') Object.keys(v).forEach((p) => keys.add(p));
        walk(v);
      }
    }
  };
  walk(schema);
  expect(keys.size).toBeGreaterThan(50);
  expect([...keys].filter((k) => formatPath(['clusters', 0, k]) !== `clusters[0].${k}`)).toEqual([]);
  expect(formatPath(['clusters', 0, 'privateCa', 'caFile'])).toBe('clusters[0].privateCa.caFile');
});

describe('shellPath: a path as one shell word that names the very file', () => {
  test.each([
    ['dist/prod', 'dist/prod'],
    ['my dist/prod', "'my dist/prod'"],
    ["it's", "'it'\\''s'"],
    ['a\tb', "$'a\\tb'"],
    ['a\\b\nc', "$'a\\\\b\\nc'"],
  ])('quotes %p as %s, which bash reads back as the path', (p, word) => {
    expect(shellPath(p)).toBe(word);
    expect(bash(['-c', `printf %s ${word}`]).stdout).toBe(p);
  });
  test.each([
    ['-dash.yaml', './-dash.yaml'],
    ['-my dist', "'./-my dist'"],
  ])('a path that starts with "-" (%p) is %s, which no command reads as an option', (p, word) => {
    expect(shellPath(p)).toBe(word);
    // The CLI takes it: it would refuse --config -dash.yaml ("needs a value").
    expect(bash(['-c', `printf %s ${word}`]).stdout).toBe(`./${p}`);
  });
  test('synth of a config whose name starts with "-" prints a command that works', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '-c.yaml'), oneExisting());
    const r = runInProcess(['synth', '--config=-c.yaml'], { cwd: dir });
    expect(r.status).toBe(0);
    const header = fs.readFileSync(path.join(dir, 'dist', 'prod', '10-ingress-runai-cluster-domain-star-ingress.yaml'), 'utf8');
    expect(header).toContain('`npx runai-access synth --config ./-c.yaml`');
    expect(runInProcess(['synth', '--config', './-c.yaml'], { cwd: dir }).status).toBe(0);
  });
  test('describes a path that may hold key material, in quotes, as shownPath does', () => {
    expect(shellPath(`certs/${KEY_BODY_LINES[0]}`)).toMatch(/^'<\d+ characters of .*, not shown>'$/);
  });
});

describe('shownPath', () => {
  test.each([
    'clusters (prod)/runai-access.yaml',
    'sites/zürich/runai-access.yaml',
    'MyGitOpsRepo/Prod-EU-West-GPU/dist',
    '/etc/httpd/ssl/wildcard',
    '/home/jschwartz/certs/tls',
    '/var/lib/pgsql/data/certs',
    '/Users/jane/src/c++/runai.yaml',
    '/home/u/Notepad++/Runai/x.yaml',
    `/home/ci/${'deep/'.repeat(30)}dist`,
    // The folders mktemp -d makes (the init and synth lines named them <n characters of text>).
    '/tmp/tmp.jGeRAtUpwz/dist/os/helm/runai-cluster-values.yaml',
    'tmp.9zLAki2mAM/runai-access.yaml',
  ])('shows a path as it is, to be typed or read again: %s', (p) => {
    expect(shownPath(p)).toBe(p);
  });
  test('describes a path that may hold key material, and keeps any other on one line', () => {
    for (const line of KEY_BODY_LINES) expect(shownPath(`repo/${line}/dist`)).toMatch(/^<\d+ characters of .*, not shown>$/);
    expect(shownPath('a\nerror: forged\u001b[31m\t')).toBe('a\\nerror: forged\\x1b[31m\\t');
  });
  // 16-character slices of fresh RSA key lines given as a path (validate -c <slice>) were shown:
  // their names split at "/" and "+" passed as words.
  test.each(['tEL+qm/VJCGyvkQO', 'KEONVoaDpnbebSDU', '6be8b62id3++uyOT', 'cBu2+WmoyEpd/Zmf'])(
    'describes the key slice %s given as a path',
    (slice) => {
      expect(shownPath(slice)).toBe('<16 characters of base64-like text, not shown>');
      expect(shownPath(`certs/${slice}`)).toMatch(/^<22 characters of .*, not shown>$/);
    },
  );
  test('describes a key slice beside an mktemp folder, or one in its place with more than ten characters', () => {
    expect(shownPath('/tmp/tmp.jGeRAtUpwz/KEONVoaDpnbebSDU')).toMatch(/^<\d+ characters of text, not shown>$/);
    expect(shownPath('/tmp/tmp.KEONVoaDpnbebSDU/dist')).toMatch(/^<\d+ characters of text, not shown>$/);
    // A key slice that starts in the folder's name and runs on past it (a key line has "/"): judged at its length.
    expect(shownPath('/tmp/r9/tmp.KZjv4QKLe6/xhc4PMJVAC/w.yaml')).toMatch(/^<\d+ characters of text, not shown>$/);
  });
  test('describes all but a few of the 16-character windows of fresh keys, and all but one in thousands of their pieces split at / and +', () => {
    const lines = Array.from({ length: 200 }, () =>
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ).flatMap((pem) => pem.split('\n').filter((l) => l && !l.startsWith('-----')));
    const windows = lines.flatMap((l) => Array.from({ length: l.length - 15 }, (_, j) => l.slice(j, j + 16)));
    // About 0.2% are shown now (0.19% of RSA keys' windows, 0.21% of these), 0.75% were.
    expect(windows.filter((w) => shownPath(w) === w).length).toBeLessThan(windows.length * 0.004);
    const pieces = lines.flatMap((l) => l.split(/[+/]/)).filter((p) => p.length >= 16);
    expect(pieces.filter((p) => shownPath(p) === p).length).toBeLessThanOrEqual(1);
  });
});

describe('groupedProblems', () => {
  const warning = (path: string, message = 'ends soon', code = 'expires-soon'): Problem => ({
    source: 'c.yaml',
    path,
    message,
    code,
    severity: 'warning',
    cluster: path,
  });

  test("one problem for every cluster's copy of the same warning, naming each index, in the first one's place", () => {
    const grouped = groupedProblems([
      warning('clusters[0].tls.certFile'),
      { source: '--at', path: '', message: 'in the past', severity: 'warning' },
      warning('clusters[1].tls.certFile'),
      warning('clusters[2].tls.certFile'),
      warning('clusters[5].tls.certFile'),
      warning('clusters[1].clusterTls.certFile'),
    ]);
    expect(grouped.map(formatProblem)).toEqual([
      'warning: c.yaml: clusters[0-2,5].tls.certFile: ends soon [expires-soon]',
      'warning: --at: in the past',
      'warning: c.yaml: clusters[1].clusterTls.certFile: ends soon [expires-soon]',
    ]);
  });

  test('keeps apart what differs in message, code or field, and a lone problem as it was', () => {
    const lone = warning('clusters[3].tls.certFile');
    const problems = [warning('clusters[0].tls.certFile', 'other'), warning('clusters[1].tls.certFile', 'ends soon', 'other-code'), lone];
    expect(groupedProblems(problems)).toEqual(problems);
    expect(groupedProblems([lone])[0]).toBe(lone);
  });
});
