/**
 * lib/output/settled-read.ts: check reads the output folder as no synth is replacing it. A synth
 * swaps the folder in with two renames under its lock (between them there is no folder); check,
 * which takes no lock, waits for a writer at work, and reads again when one swapped the folder in
 * while it read.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { InputError } from '../lib/model/errors';
import { lockFileOf } from '../lib/output/lock';
import { readSettled } from '../lib/output/settled-read';
import { runCliAsync } from './doctor-servers';
import { demoConfig, nodeAsNobody, runCli, tempDir, writeConfig } from './helpers';

/** A lock file as another runai-access writes it. */
const holder = (pid: number) =>
  `${JSON.stringify({ pid, host: os.hostname(), started: '2026-11-30T00:00:00.000Z', nonce: '0123456789abcdef' })}\n`;

// A live process whose pid a lock names; never keeping jest alive.
let sleeper: ReturnType<typeof spawn>;
beforeAll(() => {
  sleeper = spawn('sleep', ['120'], { stdio: 'ignore' });
  sleeper.unref();
});
afterAll(() => sleeper.kill('SIGKILL'));

/** A folder `dist` with one file, in a fresh folder. */
function folder(): string {
  const out = path.join(tempDir(), 'dist');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'a'), '1');
  return out;
}

describe('readSettled', () => {
  /** What a synth does to the folder beside `out`: its new folder swapped in with two renames. */
  function swap(out: string, content: string): void {
    fs.renameSync(out, `${out}.old-${content}`);
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'a'), content);
  }

  test('reads once when no writer changed the folder', () => {
    const out = folder();
    let reads = 0;
    expect(readSettled(out, () => ++reads, { waitSeconds: 0 })).toBe(1);
    expect(reads).toBe(1);
  });

  test('reads again when a writer replaced the folder while it read: the second read is the answer', () => {
    const out = folder();
    const reads: string[] = [];
    const result = readSettled(
      out,
      () => {
        const content = fs.readFileSync(path.join(out, 'a'), 'utf8');
        reads.push(content);
        // A synth swaps its folder in just after the first read.
        if (reads.length === 1) swap(out, '2');
        return content;
      },
      { waitSeconds: 0 },
    );
    expect([result, reads]).toEqual(['2', ['1', '2']]);
  });

  test('a writer that leaves the same folder (inode) in place is seen all the same: by the folder beside it', () => {
    // A file system may give the next new folder the inode of the one just removed: the inode alone would not tell.
    const out = folder();
    let reads = 0;
    readSettled(
      out,
      () => {
        if (++reads === 1) {
          fs.renameSync(out, `${out}.aside`);
          fs.renameSync(`${out}.aside`, out);
        }
      },
      { waitSeconds: 0 },
    );
    expect(reads).toBe(2);
  });

  test('what a read threw while a writer swapped the folder (a file gone from under it) is not the answer: it reads again', () => {
    const out = folder();
    let reads = 0;
    const result = readSettled(
      out,
      () => {
        if (++reads === 1) {
          fs.renameSync(out, `${out}.old`); // between the two renames
          const content = fs.readFileSync(path.join(out, 'a'), 'utf8'); // throws: no such file
          return content;
        }
        return 'read';
      },
      { waitSeconds: 0 },
    );
    expect([result, reads]).toEqual(['read', 2]);
  });

  test('fails when a read that no writer disturbed throws: the error is the answer, said once', () => {
    const out = folder();
    let reads = 0;
    const error = new InputError([{ source: '--out', path: '', message: 'cannot compare' }]);
    expect(() =>
      readSettled(
        out,
        () => {
          reads++;
          throw error;
        },
        { waitSeconds: 0 },
      ),
    ).toThrow(error);
    expect(reads).toBe(1);
  });

  test('fails when writers replace the folder at every read: after five, one line says so (exit 2), no answer is made up', () => {
    const out = folder();
    let reads = 0;
    expect(() =>
      readSettled(
        out,
        () => {
          swap(out, String(++reads));
          return reads;
        },
        { waitSeconds: 0 },
      ),
    ).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message: `${out} was replaced while check read it, 5 times; run check again when no synth writes it`,
        },
      ]),
    );
    expect(reads).toBe(5);
  });

  test('other files changing beside the folder at every read: the fifth read stands, since the folder itself did not change', () => {
    const out = folder();
    let reads = 0;
    const beside = path.join(path.dirname(out), 'other');
    expect(
      readSettled(
        out,
        () => {
          if (fs.existsSync(beside)) fs.rmSync(beside);
          else fs.writeFileSync(beside, '');
          return ++reads;
        },
        { waitSeconds: 0 },
      ),
    ).toBe(5);
  });

  test('a read made while a writer sits between its renames (its lock taken after the wait) is made again once it is done', () => {
    const out = folder();
    let reads = 0;
    const result = readSettled(
      out,
      () => {
        if (++reads === 1) {
          // The writer took the lock and renamed the folder aside; it puts its new folder in and lets go 300 ms later.
          fs.writeFileSync(lockFileOf(out), holder(sleeper.pid!));
          fs.renameSync(out, `${out}.aside`);
          spawn('sh', ['-c', `sleep 0.3; mv "${out}.aside" "${out}"; rm "${lockFileOf(out)}"`], { stdio: 'ignore' }).unref();
        }
        return fs.existsSync(out) ? 'read' : 'missing';
      },
      { waitSeconds: 10 },
    );
    expect([result, reads]).toEqual(['read', 2]);
  });

  test('fails when a live writer holds the lock past the wait, naming it; nothing is read', () => {
    const out = folder();
    fs.writeFileSync(lockFileOf(out), holder(sleeper.pid!));
    let reads = 0;
    expect(() => readSettled(out, () => ++reads, { waitSeconds: 0 })).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message:
            `another runai-access (pid ${sleeper.pid} on ${os.hostname()}, started 2026-11-30T00:00:00.000Z) is writing ${out}; ` +
            `waited 0 s, and compared nothing. Run again when it is done, or, if no such process runs, remove ${lockFileOf(out)}`,
        },
      ]),
    );
    expect(reads).toBe(0);
    // Taking nothing: the writer's lock is as it was.
    expect(fs.readFileSync(lockFileOf(out), 'utf8')).toBe(holder(sleeper.pid!));
  });

  test('fails when a writer that disturbed a read holds its lock past what is left of the one wait: no fresh wait, and it says what was read', () => {
    const out = folder();
    const told: string[] = [];
    let reads = 0;
    expect(() =>
      readSettled(
        out,
        () => {
          // A writer swaps the folder in and keeps its lock, while this read outlasts the whole wait (1 s).
          swap(out, String(++reads));
          fs.writeFileSync(lockFileOf(out), holder(sleeper.pid!));
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);
          return reads;
        },
        { waitSeconds: 1, onWait: (text) => told.push(text) },
      ),
    ).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message:
            `another runai-access (pid ${sleeper.pid} on ${os.hostname()}, started 2026-11-30T00:00:00.000Z) is writing ${out}; ` +
            'the 1 s wait ran out, and has no comparison: a writer, or a change beside the folder, disturbed the one read it tried. ' +
            'Run again when it is ' +
            `done, or, if no such process runs, remove ${lockFileOf(out)}`,
        },
      ]),
    );
    // The wait was spent by the read: none is started after it.
    expect([reads, told]).toEqual([1, []]);
  });

  test('a stale lock (its process gone) is not waited for, and left for the next writer to take over', () => {
    const out = folder();
    fs.writeFileSync(lockFileOf(out), holder(spawnSync('true').pid!));
    expect(readSettled(out, () => 'read', { waitSeconds: 0 })).toBe('read');
    expect(fs.existsSync(lockFileOf(out))).toBe(true);
  });

  test('awaitRelease writes nothing: a stale lock in a folder it cannot write to is passed by, and left', () => {
    const out = folder();
    fs.writeFileSync(lockFileOf(out), holder(spawnSync('true').pid!));
    fs.chmodSync(path.dirname(out), 0o555);
    const lock = JSON.stringify(require.resolve('../build/lib/output/lock'));
    const r = nodeAsNobody(
      '-e',
      `require(${lock}).awaitRelease(${JSON.stringify(lockFileOf(out))}, 'dist', '--out', { waitSeconds: 0 }); console.log('ok')`,
    );
    fs.chmodSync(path.dirname(out), 0o700);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'ok\n', '']);
    expect(fs.existsSync(lockFileOf(out))).toBe(true);
  });
});

test('check waits for a synth between its two renames, then compares the folder it swapped in', async () => {
  const dir = tempDir();
  writeConfig(dir, demoConfig(''));
  expect(runCli(['synth', '-q'], { cwd: dir }).status).toBe(0);
  const out = path.join(dir, 'dist');
  // A writer holds the lock, and has renamed the folder aside: there is no dist now.
  fs.writeFileSync(lockFileOf(out), holder(sleeper.pid!));
  fs.renameSync(out, `${out}.aside`);
  const check = runCliAsync(['check'], { cwd: dir, env: { RUNAI_ACCESS_LOCK_WAIT: '60' } });
  // Told it waits (it is waiting, not comparing): then the writer puts its folder in and lets go.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  fs.renameSync(`${out}.aside`, out);
  fs.rmSync(lockFileOf(out));
  const r = await check;
  expect([r.status, r.stdout]).toEqual([0, '']);
  expect(r.stderr).toBe(
    `--out: another runai-access (pid ${sleeper.pid} on ${os.hostname()}, started 2026-11-30T00:00:00.000Z) is writing dist; ` +
      'waiting up to 60 s\ndist is up to date with runai-access.yaml\n',
  );
});

describe('check run in the output folder (--out .), which a synth replaces by renames', () => {
  /** A synthesized dist, a pristine copy of it beside, and a hand edit in dist: drift until the copy is swapped in. */
  function editedOutput(): { dir: string; out: string; pristine: string } {
    const dir = tempDir();
    writeConfig(dir, demoConfig(''));
    expect(runCli(['synth', '-q'], { cwd: dir }).status).toBe(0);
    const out = path.join(dir, 'dist');
    const pristine = path.join(dir, 'pristine');
    fs.cpSync(out, pristine, { recursive: true });
    fs.appendFileSync(path.join(out, 'demo', '10-ingress-runai-cluster-domain-star-ingress.yaml'), '# edited\n');
    return { dir, out, pristine };
  }

  test('compares the folder a synth swapped in while check waited, not the old one the shell stood in', async () => {
    const { out, pristine } = editedOutput();
    fs.writeFileSync(lockFileOf(out), holder(sleeper.pid!));
    const check = runCliAsync(['check', '--config', '../runai-access.yaml', '--out', '.'], {
      cwd: out,
      env: { RUNAI_ACCESS_LOCK_WAIT: '60' },
    });
    // The writer's two renames, then the removal of the old folder, under its lock: as writer.ts does them.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const aside = path.join(path.dirname(out), '.dist.old-1234-0123abcd');
    fs.renameSync(out, aside);
    fs.renameSync(pristine, out);
    fs.rmSync(aside, { recursive: true });
    fs.rmSync(lockFileOf(out));
    const r = await check;
    expect([r.status, r.stdout]).toEqual([0, '']);
    // The lock waited for is the one beside dist, named by its path (not one beside `.`, which no writer takes).
    expect(r.stderr).toBe(
      `--out: another runai-access (pid ${sleeper.pid} on ${os.hostname()}, started 2026-11-30T00:00:00.000Z) is writing ${out}; ` +
        'waiting up to 60 s\n. is up to date with ../runai-access.yaml\n',
    );
  });

  test('fails when the shell stands in the old folder a synth set aside: one line naming the folder to cd into (exit 2)', () => {
    const { dir, out, pristine } = editedOutput();
    // A synth between its removal of the old folder and its end: the old one, set aside, is still there.
    fs.writeFileSync(lockFileOf(out), holder(sleeper.pid!));
    const aside = path.join(dir, '.dist.old-1234-0123abcd');
    fs.renameSync(out, aside);
    fs.renameSync(pristine, out);
    const r = runCli(['check', '--config', '../runai-access.yaml', '--out', '.'], { cwd: aside });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      `--out: . is ${aside}, the old dist a synth set aside when it replaced ${out} after the shell entered it; cd into ${out} again\n`,
    );
  });
});

test('check in the output folder (--out .) that finds drift gives a synth command that works: from outside it, by paths', () => {
  const dir = tempDir();
  writeConfig(dir, demoConfig(''));
  expect(runCli(['synth', '-q'], { cwd: dir }).status).toBe(0);
  const out = path.join(dir, 'dist');
  fs.appendFileSync(path.join(out, 'demo', '10-ingress-runai-cluster-domain-star-ingress.yaml'), '# edited\n');
  const r = runCli(['check', '-q', '--config', '../runai-access.yaml', '--out', '.'], { cwd: out });
  expect(r.status).toBe(1);
  const command = `npx runai-access synth --config ${path.join(dir, 'runai-access.yaml')} --out ${out}`;
  expect(r.stderr).toBe(`. differs from ../runai-access.yaml in 1 file; run: cd out of ., then ${command}\n`);
  // That command, run from the folder above, mends the drift.
  expect(runCli(['synth', '-q', '--config', path.join(dir, 'runai-access.yaml'), '--out', out], { cwd: dir }).status).toBe(0);
  expect(runCli(['check', '-q', '--config', '../runai-access.yaml', '--out', '.'], { cwd: out }).status).toBe(0);
});
