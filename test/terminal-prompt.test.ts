/**
 * lib/cli/terminal-prompt.ts on a real pseudo-terminal (util-linux `script` gives the CLI one, and
 * passes what the test writes to it as typed): init's questions wait for the admin without
 * keeping a core busy, and end of input (Ctrl-D) ends its line.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { MAIN, tempDir } from './helpers';

/**
 * Runs `init dir` on a terminal, typing each of `typed` when its time (ms from the start) comes:
 * its exit code, what the terminal showed (line ends as `\n`), and the CPU seconds the CLI used
 * (bash's `times`).
 */
function initOnTerminal(
  dir: string,
  typed: [atMs: number, text: string][],
): Promise<{ status: number | null; shown: string; cpu: number }> {
  const command = `${process.execPath} ${MAIN} init ${dir}; s=$?; times; exit $s`;
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', `bash -c '${command}'`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let shown = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (shown += d));
    const timers = typed.map(([at, text]) => setTimeout(() => child.stdin.write(text), at));
    child.on('close', (status) => {
      for (const timer of timers) clearTimeout(timer);
      const text = shown.replace(/\r\n/g, '\n');
      // The children's line of `times`: user and system time.
      const [user, system] = [...(text.trim().split('\n').at(-1) ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(
        (m) => Number(m[1]) * 60 + Number(m[2]),
      );
      resolve({ status, shown: text, cpu: user + system });
    });
  });
}

test('a question waits for the answer without keeping a core busy', async () => {
  const dir = path.join(tempDir(), 'repo');
  // Four seconds with nothing typed: a read that returned at once with nothing, again and again, used about all of them.
  const r = await initOnTerminal(dir, [[4000, 'runai.mycorp.io\n\n\n\n']]);
  expect(r.status).toBe(0);
  expect(r.shown).toContain('Run:ai cluster URL (host name) [runai.example.com]: runai.mycorp.io\n');
  expect(fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8')).toContain('clusterUrl: runai.mycorp.io\n');
  expect(r.cpu).toBeGreaterThan(0);
  expect(r.cpu).toBeLessThan(2);
});

test('Ctrl-D after an answer that was not taken gives up on a line of its own, writing nothing', async () => {
  const dir = path.join(tempDir(), 'repo');
  const r = await initOnTerminal(dir, [
    [1500, 'runai.mycorp.io\n'],
    [2000, 'cloud\n'],
    [2500, '\x04'],
  ]);
  expect(r.status).toBe(2);
  // Each answer typed once the question is shown (the terminal echoes it), then Ctrl-D, which echoes nothing.
  expect(r.shown).toContain(
    'cloud\nanswer not taken: must be one of: saas, self-hosted; got cloud\ncontrol plane (saas | self-hosted) [saas]: \n' +
      'init: control plane: no answer taken (must be one of: saas, self-hosted; got cloud); init wrote nothing\n',
  );
  expect(fs.existsSync(dir)).toBe(false);
});

test('fails when a file init writes is already there: said before any question, so no answer is typed in vain', async () => {
  const dir = path.join(tempDir(), 'repo');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'README.md'), '# mine\n');
  // Ctrl-D for each question, later: an init that asked would end too (with the defaults), and be seen to have asked.
  const r = await initOnTerminal(dir, [[1500, '\x04\x04\x04\x04']]);
  expect(r.status).toBe(2);
  expect(r.shown).toContain(`init: ${dir}/README.md already exists; init never overwrites a file`);
  expect(r.shown).not.toContain('Run:ai cluster URL');
  expect(fs.readdirSync(dir)).toEqual(['README.md']);
});
