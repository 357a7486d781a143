import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';
import { ClusterMode } from '../lib/model/mode';
import { restoreMarkerCommands } from '../lib/output/leftovers';
import { ClusterOutput, synthesize } from '../lib/output/render';
import { MARKER_FILE, MARKER_TEXT, writeOutput, WriterFs } from '../lib/output/writer';
import { DEMO_CERT, DEMO_KEY, tempDir, treeOf } from './helpers';

function cluster(name: string, content = 'a: 1\n'): ClusterOutput {
  return {
    name,
    clusterUrl: 'runai.example.com',
    mode: ClusterMode.of(),
    applySteps: [],
    access: [],
    notes: [],
    helmValuesOnlyForSettings: false,
    files: [
      { path: '00-secret-x.yaml', content: `key: ${content}`, mode: 0o600, description: '', secret: true },
      { path: '10-ingress-x.yaml', content, mode: 0o644, description: '', secret: false },
      { path: 'patches/apply.sh', content: '#!/bin/sh\n', mode: 0o755, description: '', secret: false },
    ],
  };
}

/** Node's fs, except that the `n`th call (or calls) of `method` throws like a full disk (or with `code`). */
function failing(method: keyof WriterFs, n: number | number[], code = 'ENOSPC'): WriterFs {
  const at = new Set([n].flat());
  let calls = 0;
  return new Proxy(fs, {
    get(target, prop) {
      const real = (target as any)[prop];
      if (prop !== method) return real;
      return (...args: unknown[]) => {
        calls += 1;
        if (at.has(calls)) throw Object.assign(new Error(`${code}: stand-in failure`), { code });
        return real.apply(target, args);
      };
    },
  }) as WriterFs;
}

const leftovers = (parent: string) => fs.readdirSync(parent).filter((e) => e.startsWith('.dist.'));

describe('writeOutput', () => {
  test('writes every cluster folder with the modes asked for, and the marker', () => {
    const parent = tempDir();
    writeOutput(path.join(parent, 'dist'), [cluster('a'), cluster('b')]);
    const tree = treeOf(path.join(parent, 'dist'));
    expect(Object.keys(tree).sort()).toEqual([
      MARKER_FILE,
      'a/00-secret-x.yaml',
      'a/10-ingress-x.yaml',
      'a/patches/apply.sh',
      'b/00-secret-x.yaml',
      'b/10-ingress-x.yaml',
      'b/patches/apply.sh',
    ]);
    expect(tree['a/00-secret-x.yaml'].mode).toBe(0o600);
    expect(tree['a/10-ingress-x.yaml']).toEqual({ content: 'a: 1\n', mode: 0o644 });
    expect(tree['a/patches/apply.sh'].mode).toBe(0o755);
    expect(leftovers(parent)).toEqual([]);
  });

  test('modes do not depend on the umask', () => {
    const parent = tempDir();
    const old = process.umask(0o077);
    try {
      writeOutput(path.join(parent, 'dist'), [cluster('a')]);
    } finally {
      process.umask(old);
    }
    expect(treeOf(path.join(parent, 'dist'))['a/10-ingress-x.yaml'].mode).toBe(0o644);
    expect(fs.statSync(path.join(parent, 'dist', 'a')).mode & 0o777).toBe(0o755);
  });

  test('replaces the previous output whole: a cluster removed from the config disappears', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    writeOutput(out, [cluster('a'), cluster('b')]);
    writeOutput(out, [cluster('a', 'b: 2\n')]);
    expect(fs.readdirSync(out).sort()).toEqual([MARKER_FILE, 'a']);
    expect(fs.readFileSync(path.join(out, 'a', '10-ingress-x.yaml'), 'utf8')).toBe('b: 2\n');
    expect(leftovers(parent)).toEqual([]);
  });

  describe('an output folder that already holds exactly the output', () => {
    /** Every entry's inode and modification time: what a rewrite would change. */
    const stamps = (dir: string) =>
      Object.fromEntries(
        Object.keys(treeOf(dir)).map((rel) => {
          const st = fs.statSync(path.join(dir, rel));
          return [rel, `${st.ino}@${st.mtimeMs}`];
        }),
      );

    test('is left alone: up-to-date, no file rewritten (same inodes and times), no lock or temporary folder left', () => {
      const parent = tempDir();
      const out = path.join(parent, 'dist');
      expect(writeOutput(out, [cluster('a'), cluster('b')])).toBe('written');
      const before = { tree: treeOf(out), stamps: stamps(out), folder: fs.statSync(out).ino };
      expect(writeOutput(out, [cluster('a'), cluster('b')])).toBe('up-to-date');
      expect({ tree: treeOf(out), stamps: stamps(out), folder: fs.statSync(out).ino }).toEqual(before);
      expect(fs.readdirSync(parent)).toEqual(['dist']);
    });

    test.each([
      ['a byte of a file changed', (out: string) => fs.appendFileSync(path.join(out, 'a', '10-ingress-x.yaml'), '#')],
      ['a file mode changed', (out: string) => fs.chmodSync(path.join(out, 'a', '00-secret-x.yaml'), 0o644)],
      ['a folder mode changed', (out: string) => fs.chmodSync(path.join(out, 'a', 'patches'), 0o700)],
      ['a file is missing', (out: string) => fs.rmSync(path.join(out, 'a', 'patches', 'apply.sh'))],
      ['an extra file', (out: string) => fs.writeFileSync(path.join(out, 'a', 'extra.yaml'), 'x: 1\n')],
      ['an extra empty folder', (out: string) => fs.mkdirSync(path.join(out, 'a', 'empty'))],
      [
        'a file replaced by a link to the same bytes',
        (out: string) => {
          const file = path.join(out, 'a', '10-ingress-x.yaml');
          fs.renameSync(file, path.join(out, 'a', 'moved.yaml'));
          fs.symlinkSync('moved.yaml', file);
        },
      ],
    ])('is replaced when %s', (_what, change) => {
      const out = path.join(tempDir(), 'dist');
      writeOutput(out, [cluster('a')]);
      const expected = treeOf(out);
      change(out);
      expect(writeOutput(out, [cluster('a')])).toBe('written');
      expect(treeOf(out)).toEqual(expected);
    });
  });

  test('creates missing parent folders', () => {
    const out = path.join(tempDir(), 'x', 'y', 'dist');
    writeOutput(out, [cluster('a')]);
    expect(fs.existsSync(path.join(out, 'a', '00-secret-x.yaml'))).toBe(true);
  });

  test.each([
    ['writeFileSync', 1],
    ['writeFileSync', 4],
    ['chmodSync', 3],
    ['mkdirSync', 3],
  ] as const)('fails when %s fails (call %d): the old output stays byte for byte, no temporary folder is left', (method, n) => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    writeOutput(out, [cluster('a'), cluster('b')]);
    const before = treeOf(out);
    expect(() => writeOutput(out, [cluster('a', 'new: 1\n')], { fs: failing(method, n) })).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message: `cannot write ${out}: no space left on device (ENOSPC); the previous output is unchanged`,
        },
      ]),
    );
    expect(treeOf(out)).toEqual(before);
    expect(leftovers(parent)).toEqual([]);
  });

  test.each([
    [1, 'moving the old output aside'],
    [2, 'moving the new output in, after the old one was moved aside: it is put back'],
  ])('fails when rename %d fails (%s): the old output stays, no temporary folder is left', (n) => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    writeOutput(out, [cluster('a')]);
    const before = treeOf(out);
    expect(() => writeOutput(out, [cluster('z')], { fs: failing('renameSync', n) })).toThrow(/ENOSPC/);
    expect(treeOf(out)).toEqual(before);
    expect(leftovers(parent)).toEqual([]);
  });

  test('removes the leftovers of an interrupted run that are ours, and nothing else', () => {
    const parent = tempDir();
    const mark = (dir: string) => fs.writeFileSync(path.join(dir, MARKER_FILE), MARKER_TEXT);
    fs.mkdirSync(path.join(parent, '.dist.tmp-999-deadbeef', 'a'), { recursive: true });
    mark(path.join(parent, '.dist.tmp-999-deadbeef'));
    fs.writeFileSync(path.join(parent, '.dist.tmp-999-deadbeef', 'a', '00-secret.yaml'), 'key');
    fs.mkdirSync(path.join(parent, '.dist.del-999-deadbeef')); // empty: a removal interrupted at its end
    fs.mkdirSync(path.join(parent, '.dist.old-999-deadbeef', 'x'), { recursive: true }); // no marker: not ours
    fs.mkdirSync(path.join(parent, '.dist.tmp-mine')); // not our name
    fs.mkdirSync(path.join(parent, '.other.tmp-1'));
    writeOutput(path.join(parent, 'dist'), [cluster('a')]);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.old-999-deadbeef', '.dist.tmp-mine', '.other.tmp-1', 'dist']);
    expect(fs.readdirSync(path.join(parent, '.dist.old-999-deadbeef'))).toEqual(['x']);
  });

  test('puts back the previous output that a run killed between the two renames left aside, before writing', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    writeOutput(out, [cluster('a')]);
    const before = treeOf(out);
    fs.renameSync(out, path.join(parent, '.dist.old-999-deadbeef')); // where the first rename put it
    expect(() => writeOutput(out, [cluster('b')], { fs: failing('writeFileSync', 1) })).toThrow(/the previous output is unchanged/);
    expect(treeOf(out)).toEqual(before);
    expect(leftovers(parent)).toEqual([]);
  });

  test("puts back an earlier version's output left aside, whose marker named npm run synth", () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    writeOutput(out, [cluster('a')]);
    const earlier = 'This folder is generated by runai-access; `npm run synth` replaces all of it.\n';
    fs.writeFileSync(path.join(out, MARKER_FILE), earlier);
    const before = treeOf(out);
    fs.renameSync(out, path.join(parent, '.dist.old-999-deadbeef'));
    expect(() => writeOutput(out, [cluster('b')], { fs: failing('writeFileSync', 1) })).toThrow(/the previous output is unchanged/);
    expect(treeOf(out)).toEqual(before);
    // The next synth writes today's marker, which names a command every install has.
    writeOutput(out, [cluster('b')]);
    expect(fs.readFileSync(path.join(out, MARKER_FILE), 'utf8')).toBe(MARKER_TEXT);
    expect(MARKER_TEXT).toContain('`npx runai-access synth`');
  });

  test('fails when putting the old output back fails too, says where it is, and the next run puts it back', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    writeOutput(out, [cluster('a')]);
    const before = treeOf(out);
    let message = '';
    try {
      writeOutput(out, [cluster('z')], { fs: failing('renameSync', [2, 3]) });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      new RegExp(
        `^--out: cannot write ${out}: no space left on device \\(ENOSPC\\); the previous output could not be put back and is in ${parent}/\\.dist\\.old-\\d+-[0-9a-f]{8}: the next synth puts it back$`,
      ),
    );
    expect(fs.existsSync(out)).toBe(false);
    expect(() => writeOutput(out, [cluster('z')], { fs: failing('writeFileSync', 1) })).toThrow(/the previous output is unchanged/);
    expect(treeOf(out)).toEqual(before);
    expect(leftovers(parent)).toEqual([]);
  });

  test('fails when removing the old output fails after the swap: says the new output is in place, and the next run removes it', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    writeOutput(out, [cluster('a')]);
    let message = '';
    try {
      writeOutput(out, [cluster('b')], { fs: failing('rmSync', 1) });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      new RegExp(
        `^--out: wrote ${out}, but could not remove the previous output in ${parent}/\\.dist\\.del-\\d+-[0-9a-f]{8}: no space left on device \\(ENOSPC\\)\\. It may hold a copy of private keys: the next synth removes it, or remove it yourself$`,
      ),
    );
    expect(message).not.toMatch(/unchanged/);
    expect(fs.readdirSync(out).sort()).toEqual([MARKER_FILE, 'b']);
    expect(leftovers(parent)).toHaveLength(1);
    writeOutput(out, [cluster('b')]);
    expect(leftovers(parent)).toEqual([]);
  });

  test('fails naming a read-only file system (EROFS, a read-only mount) when the previous output cannot be removed, and changes nothing', () => {
    const out = path.join(tempDir(), 'dist');
    writeOutput(out, [cluster('a')]);
    const before = treeOf(out);
    // A stand-in fs whose access check says EROFS, as a read-only bind mount does (for root too).
    expect(() => writeOutput(out, [cluster('b')], { fs: failing('accessSync', 1, 'EROFS') })).toThrow(
      `cannot replace ${out}: ${out} is not writable: read-only file system (EROFS), so the previous output could not be removed; ` +
        'the previous output is unchanged',
    );
    expect(treeOf(out)).toEqual(before);
  });

  test('fails saying no output was written when the folder that cannot be removed held none (an empty read-only folder)', () => {
    const out = path.join(tempDir(), 'dist');
    fs.mkdirSync(out);
    expect(() => writeOutput(out, [cluster('b')], { fs: failing('accessSync', 1, 'EROFS') })).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message:
            `cannot replace ${out}: ${out} is not writable: read-only file system (EROFS), so ${out} could not be removed once ` +
            'replaced; no output was written',
        },
      ]),
    );
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('fails with the real cause when a file of the old output cannot be removed (an immutable one), and names the leftover in the next run', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    writeOutput(out, [cluster('a')]);
    // A stand-in fs whose unlink says EPERM, as chattr +i makes it; rmSync({recursive}) said ENOTDIR.
    expect(() => writeOutput(out, [cluster('b')], { fs: failing('unlinkSync', 1, 'EPERM') })).toThrow(
      new RegExp(`^--out: wrote ${out}, but could not remove the previous output in .*: operation not permitted \\(EPERM\\)\\.`),
    );
    const [leftover] = leftovers(parent);
    expect(() => writeOutput(out, [cluster('b')], { fs: failing('unlinkSync', 1, 'EPERM') })).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message:
            `cannot write ${out}: ${path.join(parent, leftover)}, left by an earlier run, cannot be removed: operation not permitted (EPERM); ` +
            'remove it yourself (it may hold a copy of private keys); the previous output is unchanged',
        },
      ]),
    );
    writeOutput(out, [cluster('b')]);
    expect(leftovers(parent)).toEqual([]);
  });

  test('replaces an output folder that is a symbolic link with a folder, and leaves the folder it named alone', () => {
    const parent = tempDir();
    const elsewhere = path.join(parent, 'elsewhere');
    writeOutput(elsewhere, [cluster('a')]);
    const before = treeOf(elsewhere);
    fs.symlinkSync(elsewhere, path.join(parent, 'dist'));
    writeOutput(path.join(parent, 'dist'), [cluster('b')]);
    expect(fs.lstatSync(path.join(parent, 'dist')).isDirectory()).toBe(true);
    expect(fs.readdirSync(path.join(parent, 'dist')).sort()).toEqual([MARKER_FILE, 'b']);
    expect(treeOf(elsewhere)).toEqual(before);
  });

  test('quotes the folder in the command that restores the marker, as a shell needs it', () => {
    const parent = path.join(tempDir(), "my out's");
    fs.mkdirSync(parent);
    fs.writeFileSync(path.join(parent, 'precious.txt'), 'keep me');
    const quoted = `'${parent.replace("'", "'\\''")}/.runai-access'`;
    expect(() => writeOutput(parent, [cluster('a')])).toThrow(`(git checkout -- ${quoted}, or where git has none: printf '%s\\n' '`);
    expect(() => writeOutput(parent, [cluster('a')])).toThrow(`' > ${quoted})`);
  });

  test('fails when the output folder holds files runai-access did not write, and leaves them', () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'precious.txt'), 'keep me');
    expect(() => writeOutput(parent, [cluster('a')])).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message:
            `${parent} is not empty and has no .runai-access, the file by which synth knows a folder it wrote; refusing to replace it. ` +
            `Give a new or empty folder, or, if runai-access wrote this one, restore its marker (${restoreMarkerCommands(parent)})`,
        },
      ]),
    );
    expect(fs.readdirSync(parent)).toEqual(['precious.txt']);
  });

  test('fails when a part of the output path is a file, with one line and no stack', () => {
    const file = path.join(tempDir(), 'file');
    fs.writeFileSync(file, '');
    expect(() => writeOutput(path.join(file, 'dist'), [cluster('a')])).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message: `cannot write ${path.join(file, 'dist')}: a part of the path is a file, not a folder (ENOTDIR); no output was written`,
        },
      ]),
    );
  });

  test('fails when the output path is a file', () => {
    const file = path.join(tempDir(), 'dist');
    fs.writeFileSync(file, '');
    expect(() => writeOutput(file, [cluster('a')])).toThrow(
      /is a file or a symbolic link that leads to no folder; give a folder for the output/,
    );
  });

  test('writes into an existing empty folder', () => {
    const out = path.join(tempDir(), 'dist');
    fs.mkdirSync(out);
    writeOutput(out, [cluster('a')]);
    expect(fs.readdirSync(out).sort()).toEqual([MARKER_FILE, 'a']);
  });
});

describe('a private key is never on disk without the .gitignore that keeps it out of git', () => {
  // A SIGKILL between two files leaves the temporary tree beside the output, where `git add -A` sees it.
  test("each key-holding file is written after its folder's .gitignore lists it, and removed before it", () => {
    const dir = tempDir();
    const clusters = synthesize(
      parseConfig(
        `clusters:
  - name: prod
    clusterUrl: runai.example.com
    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}
    clusterTls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}
`,
        'runai-access.yaml',
        '/',
      ).clusters,
    );
    const keyed = clusters[0].files.filter((f) => f.content.includes('tls.key'));
    expect(keyed.map((f) => f.path)).toHaveLength(2);
    const seen: string[] = [];
    const watching = new Proxy(fs, {
      get(target, prop) {
        const real = (target as any)[prop];
        if (prop !== 'writeFileSync') return real;
        return (file: string, content: string, options: unknown) => {
          if (content.includes('tls.key')) {
            const ignore = path.join(path.dirname(file), '.gitignore');
            const listed = fs.existsSync(ignore) ? fs.readFileSync(ignore, 'utf8').split('\n') : [];
            expect(listed).toContain(`/${path.basename(file)}`);
            seen.push(path.basename(file));
          }
          return real.call(target, file, content, options);
        };
      },
    }) as WriterFs;
    writeOutput(path.join(dir, 'dist'), clusters, { fs: watching });
    expect(seen.sort()).toEqual(keyed.map((f) => f.path).sort());

    // Replaced by another output, the previous one is removed key files first, its .gitignore last.
    const unlinked: string[] = [];
    const removing = new Proxy(fs, {
      get(target, prop) {
        const real = (target as any)[prop];
        if (prop !== 'unlinkSync') return real;
        return (file: string) => {
          if (path.basename(path.dirname(file)) === 'prod') unlinked.push(path.basename(file));
          return real.call(target, file);
        };
      },
    }) as WriterFs;
    writeOutput(path.join(dir, 'dist'), [cluster('other')], { fs: removing });
    expect(unlinked.at(-1)).toBe('.gitignore');
    expect(unlinked).toEqual(expect.arrayContaining(keyed.map((f) => f.path)));
  });
});
