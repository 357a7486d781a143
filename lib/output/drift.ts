/**
 * Compares synthesized output with an output folder on disk: a file's type (a symbolic link is
 * not a file), bytes and mode, the folders, and the marker file. Files are read bounded, and
 * only as far as the expected content. An entry that cannot be read is an `InputError` (exit 2).
 * Modes are compared in one of two ways (`DriftOptions.modes`): every bit, as `synth` writes
 * them (the writer asking whether anything would change), or as git records them (`check`).
 */
import * as path from 'node:path';

import { readBounded, RefusedFile } from '../config/bounded-read';
import { OutputFile } from '../constructs/output-file';
import { InputError, Problem, shownPath } from '../model/errors';
import { SCRIPT_MODE } from '../model/output-layout';
import { crlfNotFromCheckout, CrlfVerdict } from './git-line-ends';
import { FOLDER_MODE, MARKER_FILE, MARKER_MODE, MARKER_TEXT } from './leftovers';
import { scanOutput, TreeEntry } from './output-tree';
import { ClusterOutput, compare } from './render';
import { linksToFolder, NOT_A_FOLDER } from './replace-checks';

/** One file that differs between the synthesized output and the folder. */
export interface Drift {
  /** Path relative to the output folder, `/`-separated; a folder's ends in `/`, the output folder itself is `''`. */
  readonly path: string;
  /**
   * `missing`: should exist; `extra`: should not; `changed`: other content; `mode`: other
   * permissions or mode bits; `type`: not a regular file (or not a folder) where one should be.
   */
  readonly kind: 'missing' | 'extra' | 'changed' | 'mode' | 'type';
  /** `line-ends`: `changed` only in its CRLF line ends for LF, which no git checkout made (`git` modes). */
  readonly because?: 'line-ends';
}

/** How {@link findDrift} compares. */
export interface DriftOptions {
  /** Named in problems: the flag or config field that gave the folder. @default '--out' */
  readonly source?: string;
  /** Return as soon as one difference is found, without reading the files after it. @default false */
  readonly firstOnly?: boolean;
  /**
   * `exact`: every mode bit of files and folders, as synth writes them. `git`: what a clone
   * reproduces. Git records a file's owner exec bit alone, and a checkout applies its umask
   * (GitLab's Docker and Kubernetes runners clone with umask 0000: 0666 files, 0777 folders),
   * so only that bit is compared, folders' modes not at all, and, for a private key that git
   * keeps out (only ever written by synth), that no one but its owner may read or write it. And
   * CRLF line ends where synth writes LF are the same file where git's checkout made them
   * (`git-line-ends.ts`).
   * `none`: no mode at all, as on Windows whatever is asked: there Node reports every file as
   * 0666 (0444 when read-only) and chmod sets only the read-only flag, so no mode can match.
   * @default 'exact'
   */
  readonly modes?: ModeComparison;
  /** Called with one line for what could not be verified (`git` modes: git could not be asked about line ends). */
  readonly unverified?: (line: string) => void;
  /**
   * `git` modes: when given, the files that hold what is wanted with CRLF line ends are added to
   * it (their paths, and the content wanted) and counted as the same here, for the caller to ask
   * git about with others of its own, once ({@link crlfNotFromCheckout}).
   */
  readonly lineEnds?: { path: string; content: string }[];
}

/** How file modes are compared: see {@link DriftOptions.modes}. */
export type ModeComparison = 'exact' | 'git' | 'none';

/** The comparison made here for the one `asked`: `none` on Windows, which has no modes to compare. */
export function comparedModes(asked: ModeComparison): ModeComparison {
  return process.platform === 'win32' ? 'none' : asked;
}

/** The owner's exec bit: the one mode bit git records of a file (100755 or 100644). */
const GIT_EXEC_BIT = 0o100;

/**
 * Lists every difference between `clusters` and `outDir`, sorted by path; throws `InputError`
 * when it cannot compare.
 */
export function findDrift(
  outDir: string,
  clusters: readonly Pick<ClusterOutput, 'name' | 'files'>[],
  { source = '--out', firstOnly = false, modes: asked = 'exact', unverified, lineEnds }: DriftOptions = {},
): Drift[] {
  const modes = comparedModes(asked);
  const files = new Map<string, WantedFile>([[MARKER_FILE, { content: MARKER_TEXT, mode: MARKER_MODE }]]);
  const folders = new Set<string>(['']);
  for (const c of clusters) {
    folders.add(c.name);
    for (const f of c.files) {
      const rel = `${c.name}/${f.path}`;
      files.set(rel, f);
      for (let dir = path.posix.dirname(rel); dir !== '.'; dir = path.posix.dirname(dir)) folders.add(dir);
    }
  }
  const tree = scanOutput(outDir);
  const root = tree.entries.get('');
  if (root && root.type === 'file') {
    throw new InputError([{ source, path: '', message: `${shownPath(outDir)} ${NOT_A_FOLDER}` }]);
  }
  const problems: Problem[] = [];
  const cannot = (rel: string, why: string) =>
    problems.push({ source, path: '', message: `cannot compare ${shownPath(path.join(outDir, rel))}: it ${why}` });
  for (const [rel, why] of tree.unreadable) cannot(rel, why);

  let drift: Drift[] = [];
  /** Files that hold what is wanted with CRLF line ends, as a git checkout may give them (`git` modes only). */
  const crlf = lineEnds ?? [];
  const withSlash = (rel: string, entry?: TreeEntry) => (entry?.type === 'folder' && rel ? `${rel}/` : rel);
  // A link to a folder where the output folder should be: synth replaces it whole. Anything else it refuses.
  if (root?.type === 'other') {
    if (linksToFolder(outDir)) return [{ path: '', kind: 'type' }];
    throw new InputError([{ source, path: '', message: `${shownPath(outDir)} ${NOT_A_FOLDER}` }]);
  }
  for (const rel of folders) {
    const entry = tree.entries.get(rel);
    if (!entry) continue;
    if (entry.type !== 'folder') drift.push({ path: rel, kind: 'type' });
    else if (modes === 'exact' && entry.mode !== FOLDER_MODE) drift.push({ path: withSlash(rel, entry), kind: 'mode' });
  }
  for (const [rel, want] of files) {
    if (firstOnly && drift.length > 0) return drift;
    const entry = tree.entries.get(rel);
    if (!entry) {
      if (!tree.unreadable.has(parentOf(rel)) && !tree.unreadable.has(rel)) drift.push({ path: rel, kind: 'missing' });
    } else if (entry.type !== 'file') drift.push({ path: withSlash(rel, entry), kind: 'type' });
    else {
      // A script's CRLF line ends are drift, not git's: sh refuses the script (its .gitattributes keeps it LF).
      const same = sameContent(path.join(outDir, ...rel.split('/')), want.content, asked === 'git' && want.mode !== SCRIPT_MODE);
      if (typeof same === 'object') cannot(rel, same.cannot);
      else if (same === 'differs') drift.push({ path: rel, kind: 'changed' });
      else {
        if (same === 'crlf') crlf.push({ path: rel, content: want.content });
        if (!sameMode(entry.mode, want, modes)) drift.push({ path: rel, kind: 'mode' });
      }
    }
  }
  // CRLF that no checkout made (committed so, or written here since) is what synth would rewrite.
  const verdict: CrlfVerdict = lineEnds ? { rewritten: [] } : crlfNotFromCheckout(outDir, crlf);
  if (verdict.unverified) unverified?.(verdict.unverified);
  const rewritten = new Set(verdict.rewritten);
  drift = [
    ...drift.filter((d) => !rewritten.has(d.path)),
    ...[...rewritten].map((rel) => ({ path: rel, kind: 'changed' as const, because: 'line-ends' as const })),
  ];
  for (const [rel, entry] of tree.entries) {
    if (files.has(rel) || folders.has(rel)) continue;
    // An unexpected folder is listed by its files; an empty one by itself.
    const hasChildren = [...tree.entries.keys()].some((k) => k.startsWith(`${rel}/`));
    if (entry.type !== 'folder' || !hasChildren) drift.push({ path: withSlash(rel, entry), kind: 'extra' });
  }
  if (problems.length > 0) throw new InputError(problems);
  return drift.sort((a, b) => compare(a.path, b.path));
}

/** A file as the comparison needs it: its bytes and mode, and whether it holds a key that git keeps out. */
type WantedFile = Pick<OutputFile, 'content' | 'mode'> & Partial<Pick<OutputFile, 'secret' | 'gitIgnored'>>;

/** True when a file's `mode` is what is wanted, compared as `modes` says (see {@link DriftOptions.modes}). */
export function sameMode(mode: number, want: Omit<WantedFile, 'content'>, modes: ModeComparison): boolean {
  if (modes === 'none') return true;
  if (modes === 'exact') return mode === want.mode;
  if ((mode & GIT_EXEC_BIT) !== (want.mode & GIT_EXEC_BIT)) return false;
  // A private key git keeps out is only ever written by synth: no one but its owner may read it.
  return !(want.secret && want.gitIgnored) || (mode & 0o077) === (want.mode & 0o077);
}

function parentOf(rel: string): string {
  const dir = path.posix.dirname(rel);
  return dir === '.' ? '' : dir;
}

/**
 * `same` when the file holds exactly `content`; reads at most one byte more. `cannot` says why it
 * cannot be read. `asGit`: `crlf` when it holds `content` with CRLF line ends for LF, as a clone
 * with core.autocrlf true (Git for Windows' default) has every text file (kubectl and the engines
 * read such YAML alike); whether a checkout made them is git's to say.
 */
function sameContent(file: string, content: string, asGit: boolean): 'same' | 'crlf' | 'differs' | { readonly cannot: string } {
  const want = Buffer.from(content, 'utf8');
  const crlf = asGit && !content.includes('\r') ? Buffer.from(content.replace(/\n/g, '\r\n'), 'utf8') : undefined;
  try {
    const bytes = readBounded(file, crlf?.length ?? want.length);
    return bytes.equals(want) ? 'same' : crlf !== undefined && bytes.equals(crlf) ? 'crlf' : 'differs';
  } catch (e) {
    if (!(e instanceof RefusedFile)) throw e;
    return e.code === 'file-too-large' ? 'differs' : { cannot: e.phrase };
  }
}
