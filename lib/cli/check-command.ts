/** `runai-access check`: synthesize in memory and compare with the output folder (exit 1 on drift). */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig, LoadedConfig } from '../config/load';
import { folderInWorkTree, gitIgnoresFolder } from '../config/work-tree';
import { OutputFile } from '../constructs/output-file';
import { InputError, plural, shellPath, shownPath } from '../model/errors';
import { SCRIPT_MODE } from '../model/output-layout';
import { pinnedOutput } from '../output/current-folder';
import { Drift } from '../output/drift';
import { folderOutputs } from '../output/folder-outputs';
import { synthCommand } from '../output/generated-header';
import { rulesIgnoring, scriptsAddedWithoutExecBit } from '../output/git-add';
import { execBitsGitKeeps, modesAsGitRecords } from '../output/git-modes';
import { inputsInside } from '../output/inputs-inside';
import { checkWithoutKeys } from '../output/key-free-check';
import { MARKER_FILE, MARKER_MODE, MARKER_TEXT, restoreMarkerCommands } from '../output/leftovers';
import { lockWaitSeconds } from '../output/lock';
import { outPathProblems } from '../output/out-path';
import { ClusterOutput } from '../output/render';
import { notOurs } from '../output/replace-checks';
import { readSettled } from '../output/settled-read';
import { strayKeyFiles, trackedKeyFiles, trackedKeyMessage } from '../output/tracked-keys';
import { Uncommitted, uncommittedFiles } from '../output/uncommitted';
import { CommandContext, EXIT_DRIFT, EXIT_OK } from './command-context';

export function runCheck({ args, io, config, out, now, log, warn }: CommandContext): number {
  const loaded = loadConfig(config, { ...args.checks, now, allowMissingKeys: !args.requireKeys, out, askGit: true });
  // Read by its absolute path when the shell stands in it, since a synth may swap it meanwhile.
  const folder = pinnedOutput(out, '--out');
  // The folder as no synth is replacing it: a synth at work is waited for, and a read that one
  // disturbed is made again (the sealings it keeps included).
  const {
    outputs,
    delivery,
    entries,
    drift: found,
    unverified,
    withoutKey,
  } = readSettled(folder, () => compareFolder(loaded, config, folder, args.requireKeys), {
    waitSeconds: lockWaitSeconds(),
    onWait: (text) => log(`--out: ${text}`),
  });
  warn(loaded.warnings);
  // A key in git is worse than drift, and no synth mends it: said, and never "up to date".
  const { tracked, unasked } = trackedKeyFiles(folder, outputs);
  // A tracked key file has the mode of git's checkout, not synth's 0600: git rm --cached mends it, not synth.
  // A file git ignores the exec bit of (core.fileMode false) is compared by the mode git records.
  const compared = modesAsGitRecords(out, found, wantedModes(outputs)).filter((d) => !(d.kind === 'mode' && tracked.includes(d.path)));
  // Up to date here: what git has not committed of it (a clone has the folder as last committed).
  const inGit = folderInWorkTree(out);
  const folders = [...outputs, ...(delivery ? [delivery] : [])];
  const uncommitted = compared.length === 0 && inGit ? uncommittedOf(out, config, folders, withoutKey) : undefined;
  // An exec bit git keeps (core.fileMode false) is no commit's to mend: drift, as in a clone. Asked of
  // each script too, whose bit git's index may hold wrong while the commit's and the disk's are right.
  const scripts = pathsOf(outputs, (f) => f.mode === SCRIPT_MODE);
  const asked = uncommitted ? [...new Set([...uncommitted.execBit, ...scripts])] : [];
  const kept = execBitsGitKeeps(out, asked, wantedModes(outputs));
  const drift = [...compared, ...kept];
  const notes = [...unverified, ...(unasked ? [unasked] : []), ...loaded.notes];
  for (const line of notes) io.stderr.write(`note: ${line}\n`);
  for (const file of tracked) io.stderr.write(`${trackedKeyMessage(out, file)}\n`);
  const keyFileTracked = loaded.warnings.some((w) => w.code === 'key-file-tracked');
  if ((tracked.length > 0 || keyFileTracked) && drift.length === 0) {
    io.stderr.write(`${shownPath(out)} matches ${shownPath(config)}, but check fails while a private key is in git (said above)\n`);
    return EXIT_DRIFT;
  }
  if (drift.length === 0) {
    log(`${shownPath(out)} is up to date with ${shownPath(config)}${notes.length > 0 ? ' in everything it could verify' : ''}\n`);
    const note = uncommitted && uncommittedNote(out, config, uncommitted);
    if (note) io.stderr.write(`note: ${note}\n`);
    // What a commit of it would leave out or record wrong, asked only where something is to commit.
    if (note) for (const line of gitAddNotes(out, folders)) io.stderr.write(`note: ${line}\n`);
    return EXIT_OK;
  }
  // A file's name is whatever is in the folder: a line break or an escape in it must not forge a line.
  for (const d of drift) io.stdout.write(`${d.kind.padEnd(7)} ${shownPath(path.join(out, d.path))}\n`);
  const lineEnds = drift.filter((d) => d.because === 'line-ends');
  if (lineEnds.length > 0) {
    const which =
      lineEnds.length === 1
        ? `${shownPath(path.join(out, lineEnds[0].path))} differs`
        : `${lineEnds.length === drift.length ? 'these' : `${lineEnds.length} of these`} files differ`;
    io.stderr.write(
      `note: ${which} only in CRLF line ends that git does not turn into synth's LF (committed with them, or written ` +
        "where git's settings keep them): synth writes LF\n",
    );
  }
  // A key left where nothing keeps it out of git (a branch switch took its .gitignore): synth removes it.
  for (const file of strayKeyFiles(
    out,
    drift.filter((d) => d.kind === 'extra').map((d) => d.path),
  )) {
    io.stderr.write(
      `note: ${shellPath(path.join(out, file))} holds a private key, and git neither tracks nor ignores it: git add -A would ` +
        'commit it; synth removes it (do not commit before)\n',
    );
  }
  // A script committed from Windows has no exec bit in git, and synth there cannot give it one: git can.
  for (const file of scriptsWithoutExecBit(drift, outputs, out)) {
    io.stderr.write(
      `note: ${file} is not executable, as git records it (Git for Windows commits a new script so, and synth there ` +
        `cannot set the bit); git update-index --chmod=+x ${file}, then commit\n`,
    );
  }
  // The fix is synth, which refuses an --out it cannot write as given (out-path.ts) and a folder that
  // holds its own inputs: say that instead.
  const inside = [...outPathProblems(out, '--out'), ...inputsInside(out, '--out', loaded.inputs)];
  if (inside.length > 0) throw new InputError(inside);
  // synth replaces only a folder it wrote: without its marker, a folder that holds files is refused.
  const markerLost = drift.some((d) => d.kind === 'missing' && d.path === MARKER_FILE) && notOurs(entries);
  // Run in the output folder (--out .), the command synth takes is one from outside it, by paths.
  const synth =
    folder === out
      ? synthCommand({ config, out })
      : `cd out of ${shownPath(out)}, then ${synthCommand({ config: path.resolve(config), out: folder })}`;
  // Here synth would refuse: it needs the private keys, which a clone without them lacks.
  // In git, the folder a clone has is the committed one: said where a commit would hold a file synth
  // writes (not only keys git keeps out, nor a folder git ignores, applied from here).
  const ignored = new Set(pathsOf(outputs, (f) => f.gitIgnored === true));
  const committable =
    inGit && drift.some((d) => !ignored.has(d.path) && !kept.includes(d)) && gitIgnoresFolder(inGit.root, inGit.folder) === false;
  const commit = committable ? `, and commit ${shellPath(out)}` : '';
  if (committable) for (const line of gitAddNotes(out, folders)) io.stderr.write(`note: ${line}\n`);
  const run = `${loaded.missingKeys.length > 0 ? 'run where the private keys are' : 'run'}: ${synth}${commit}`;
  const fix = markerLost
    ? `restore ${path.join(shownPath(out), MARKER_FILE)} (${restoreMarkerCommands(out)}), ` +
      `without which synth will not replace the folder, then ${run}`
    : run;
  io.stderr.write(`${shownPath(out)} differs from ${shownPath(config)} in ${plural(drift.length, 'file')}; ${fix}\n`);
  return EXIT_DRIFT;
}

/** What synth would write into `out`, and how the folder differs from it. */
function compareFolder(loaded: LoadedConfig, config: string, out: string, requireKeys: boolean | undefined) {
  const { clusters: outputs, delivery } = folderOutputs(loaded, config, out);
  // A folder synth never wrote (no marker, no folder of a cluster here) is not walked, and no
  // marker is advised into it: synth would then replace what is in it.
  const entries = entriesOf(out);
  const ours = new Set([...outputs.map((o) => o.name), ...(delivery ? [delivery.name] : [])]);
  if (notOurs(entries) && !entries.some((e) => ours.has(e))) {
    throw new InputError([
      {
        source: '--out',
        path: '',
        message:
          `${shownPath(out)} was not written by runai-access (no ${MARKER_FILE}, and no folder of a cluster of ` +
          `${shownPath(config)}), so there is nothing to compare; give the folder synth writes`,
      },
    ]);
  }
  const { drift, unverified, withoutKey } = checkWithoutKeys(out, { loaded, rendered: { clusters: outputs, delivery }, requireKeys });
  return { outputs, delivery, entries, drift, unverified, withoutKey };
}

/** The entries of `dir`; none when it cannot be read. */
function entriesOf(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The mode synth writes of each file git may track (not a key it keeps out), by its path under the output folder. */
function wantedModes(outputs: readonly Pick<ClusterOutput, 'name' | 'files'>[]): Map<string, number> {
  return new Map(outputs.flatMap((o) => o.files.filter((f) => !f.gitIgnored).map((f) => [`${o.name}/${f.path}`, f.mode] as const)));
}

/** The paths under the output folder (`<cluster>/<file>`) of the files of `outputs` that `keep` takes. */
function pathsOf(outputs: readonly Pick<ClusterOutput, 'name' | 'files'>[], keep: (file: OutputFile) => boolean): string[] {
  return outputs.flatMap((o) => o.files.filter(keep).map((f) => `${o.name}/${f.path}`));
}

/** The scripts (as the user names them, quoted for a shell) whose drift is their mode: their exec bit. */
function scriptsWithoutExecBit(drift: readonly Drift[], outputs: readonly Pick<ClusterOutput, 'name' | 'files'>[], out: string): string[] {
  const scripts = new Set(pathsOf(outputs, (f) => f.mode === SCRIPT_MODE));
  return drift.filter((d) => d.kind === 'mode' && scripts.has(d.path)).map((d) => shellPath(path.join(out, d.path)));
}

/** What git has not committed of an up-to-date `out` and its `config` (`folders`: what synth writes there). */
function uncommittedOf(
  out: string,
  config: string,
  folders: readonly Pick<ClusterOutput, 'name' | 'files'>[],
  withoutKey: ReadonlySet<string>,
): Uncommitted | undefined {
  const written = folders.flatMap((o) => o.files.map((f) => ({ ...f, path: `${o.name}/${f.path}` })));
  const files = [{ path: MARKER_FILE, content: MARKER_TEXT, mode: MARKER_MODE }, ...written.filter((f) => !f.gitIgnored)];
  const ignored = new Set(written.filter((f) => f.gitIgnored).map((f) => f.path));
  return uncommittedFiles(out, files, { config, unknown: withoutKey, ignored });
}

/**
 * What `git add` of `out` would leave out (files a rule of the user's `.gitignore` covers: one line
 * a rule) or record wrong (new scripts without their exec bit, where git ignores the bit on disk).
 */
function gitAddNotes(out: string, folders: readonly Pick<ClusterOutput, 'name' | 'files'>[]): string[] {
  const files = [MARKER_FILE, ...pathsOf(folders, (f) => f.gitIgnored !== true)];
  // For a git command: a path starting with ":" would be read as pathspec magic.
  const gitPath = (file: string) => {
    const given = path.join(out, file);
    return shellPath(given.startsWith(':') ? `./${given}` : given);
  };
  const rules = rulesIgnoring(out, files);
  const ignored = new Set(rules.flatMap((r) => r.files));
  const ignoring = rules.map(({ where, pattern, files: covered }) => {
    const one = covered.length === 1;
    const which = one ? gitPath(covered[0]) : `${covered.length} files synth writes in ${shownPath(out)}, such as ${gitPath(covered[0])}`;
    // Never the folder with -f: it would add the plaintext keys that synth's .gitignore keeps out too.
    const add =
      covered.length <= 3
        ? `git add -f ${covered.map(gitPath).join(' ')}`
        : `git add -f each of them, never ${shownPath(out)} whole (-f adds the private keys its .gitignore keeps out too)`;
    return (
      `git ignores ${which}, by ${shownPath(where)} (${shownPath(pattern)}): git add leaves ${one ? 'it' : 'them'} out, so a ` +
      `clone lacks ${one ? 'it' : 'them'}; ${add}, or change that rule`
    );
  });
  const scripts = scriptsAddedWithoutExecBit(
    out,
    pathsOf(folders, (f) => f.mode === SCRIPT_MODE),
  );
  // A script a rule ignores too is added with -f in the same command.
  const command = (file: string) => `git add ${ignored.has(file) ? '-f ' : ''}--chmod=+x ${gitPath(file)}`;
  const named = scripts.length <= 3 ? scripts.map(command).join('; ') : `each, as ${command(scripts[0])}`;
  const execBit =
    scripts.length === 0
      ? []
      : [
          `git add would record ${scripts.length === 1 ? gitPath(scripts[0]) : `${scripts.length} scripts in ${shownPath(out)}`} without ` +
            `the exec bit, which git here ignores on disk (core.fileMode false): ${named}`,
        ];
  return [...ignoring, ...execBit];
}

/** {@link uncommittedOf}'s finding as one line; `undefined` when all is committed. */
function uncommittedNote(out: string, config: string, found: Uncommitted): string | undefined {
  if (found.files === 0 && !found.config) return undefined;
  const what = [
    ...(found.files > 0 ? [`${plural(found.files, 'file')} in ${shownPath(out)}`] : []),
    ...(found.config ? [shownPath(config)] : []),
  ].join(' and ');
  const one = found.files + (found.config ? 1 : 0) === 1;
  if (found.noCommit)
    return `this branch has no commit yet: ${what} ${one ? 'is' : 'are'} not committed, and a clone of it has none of ${one ? 'it' : 'them'}`;
  return `${what} ${one ? 'differs' : 'differ'} from git's last commit, which a clone has: commit ${one ? 'it' : 'them'}`;
}
