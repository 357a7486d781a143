/**
 * The process boundary (lib/cli/process-main.ts): what the CLI does when its stdout cannot take
 * the output, through both ways in (the launcher's snapshot and runai-access.js) and real pipes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bash, MAIN, ROOT, runInProcess, tempDir } from './helpers';

const LAUNCHER = path.join(ROOT, 'build', 'runai-access');
const STACK = /\n\s+at |node:events|Unhandled/;
const PIPE_BUFFER = 64 * 1024;
const EXAMPLE_CONFIG = path.join(ROOT, 'examples', 'runai-access.yaml');

/**
 * Configs whose output is far larger than a pipe's buffer, one per command: the fewest clusters
 * that print more than two buffers' worth with room to spare (each run's time grows with them),
 * with long names and URLs and Run:ai 2.20 (a legacy release: one more object and a warning), so
 * that each cluster prints more. `check` prints a line per missing file, naming the folder it
 * looked in: a long --out that does not exist makes each line long, and a few clusters enough.
 */
const CLUSTERS = { validate: 235, 'validate --json': 125, 'synth --stdout': 145, 'check with drift': 60 } as const;
const NOWHERE = `/nonexistent/${Array.from({ length: 8 }, (_, i) => `${i}${'d'.repeat(200)}`).join('/')}/dist`;
type Printing = keyof typeof CLUSTERS;
const big = {} as Record<Printing, string>;
beforeAll(() => {
  const dir = tempDir();
  for (const [name, count] of Object.entries(CLUSTERS) as [Printing, number][]) {
    const clusters = Array.from(
      { length: count },
      (_, i) =>
        `  - {name: c${i}-${'n'.repeat(50)}, clusterUrl: r${i}.${'a'.repeat(60)}.${'b'.repeat(60)}.example.com, ` +
        'runaiVersion: "2.20", tls: {source: existing}}',
    );
    big[name] = path.join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    fs.writeFileSync(big[name], `clusters:\n${clusters.join('\n')}\n`);
  }
});

/** Runs `CLI args | head -c 100` in bash with pipefail: the CLI's own exit code, and its stderr. */
function intoHead(cli: string[], args: string[]): { status: number | null; stderr: string; stdout: string } {
  const quoted = [...cli, ...args].map((a) => `'${a}'`).join(' ');
  return bash(['-c', `set -o pipefail; ${quoted} 2>"$ERR" | head -c 100 >/dev/null; s=$?; cat "$ERR" >&2; exit $s`], {
    env: { ...process.env, ERR: path.join(tempDir(), 'stderr') },
  });
}

/** Runs the CLI with stdout (and stderr too, when `both`) on /dev/full. */
function intoFullDisk(cli: string[], args: string[], both = false) {
  const full = fs.openSync('/dev/full', 'w');
  try {
    return spawnSync(cli[0], [...cli.slice(1), ...args], { stdio: ['ignore', full, both ? full : 'pipe'], encoding: 'utf8' });
  } finally {
    fs.closeSync(full);
  }
}

test.each([
  ['validate', ['validate']],
  ['validate --json', ['validate', '--json']],
  ['synth --stdout', ['synth', '--stdout']],
  ['check with drift', ['check', '--out', NOWHERE]],
] as const)('%s prints more than two pipe buffers for its config, so a reader that leaves early really cuts it off', (name, args) => {
  expect(runInProcess([...args, '--config', big[name]]).stdout.length).toBeGreaterThan(2 * PIPE_BUFFER);
});

describe.each([
  // What admins run: every command that prints much; runai-access.js shares the same process-main.
  ['the launcher (snapshot)', [LAUNCHER], ['validate', 'validate --json', 'synth --stdout', 'check with drift']],
  ['runai-access.js', [process.execPath, MAIN], ['validate', 'check with drift']],
])('through %s', (_, cli, names) => {
  test.each(
    (
      [
        ['validate', ['validate'], 0],
        ['validate --json', ['validate', '--json'], 0],
        ['synth --stdout', ['synth', '--stdout'], 0],
        ['check with drift', ['check', '--out', NOWHERE], 1],
      ] as const
    ).filter(([name]) => names.includes(name)),
  )('%s into a reader that leaves early (| head): its own exit code, no stack', (name, args, code) => {
    const r = intoHead(cli as string[], [...args, '--config', big[name]]);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.status).toBe(code);
  });

  test('fails when stdout is a full disk (/dev/full): one line and exit 2', () => {
    const r = intoFullDisk(cli as string[], ['validate', '--config', EXAMPLE_CONFIG]);
    expect([r.status, r.stderr]).toEqual([2, 'runai-access: cannot write standard output: no space left on device (ENOSPC)\n']);
  });

  test('fails when both stdout and stderr are a full disk: exit 2, not 0', () => {
    expect(intoFullDisk(cli as string[], ['synth', '--stdout', '--config', EXAMPLE_CONFIG], true).status).toBe(2);
  });
});
