/**
 * `init [DIR]`: scaffolds an admin's GitOps repository — the config, a `.gitignore` that keeps
 * private keys out and `dist/` in, CI for GitHub Actions and GitLab CI that run `validate` and
 * `check`, and a short README. Asks for missing settings on a terminal; uses defaults
 * otherwise. Refuses to overwrite anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { fileType, MAX_INPUT_BYTES, readBounded } from '../config/bounded-read';
import { SOURCES } from '../config/tls-schema';
import { parseClusterUrl } from '../model/cluster-url';
import { CONTROL_PLANE_NAMES, ControlPlane, ControlPlaneName } from '../model/control-plane';
import { DNS_LABEL } from '../model/dns-names';
import { InputError, Problem, shownBare, shownPath } from '../model/errors';
import { ClusterMode } from '../model/mode';
import { clusterUrlRoomProblem, STAR_TLS_SECRET_NAME } from '../model/names';
import { didYouMean } from '../model/nearest';
import { NEWEST_PROFILE } from '../model/release-profiles';
import { RunaiVersion } from '../model/runai-version';
import { fsErrorCode, fsErrorText } from '../output/fs-error-text';
import { makeFolders } from '../output/make-folders';
import { initFiles, Settings } from './init-files';

/** What `init` asks for. */
export interface InitSettings {
  readonly clusterUrl?: string;
  readonly deployment?: string;
  readonly runaiVersion?: string;
  readonly tlsSource?: string;
}

/** Asks one question on a terminal; `undefined` when there is none. */
export type Prompt = (question: string) => string | undefined;

const DEPLOYMENTS: readonly string[] = CONTROL_PLANE_NAMES;
const DEFAULTS = { clusterUrl: 'runai.example.com', deployment: 'saas', tlsSource: 'files' };

/** The files `init` writes, relative to DIR, in order. */
export const INIT_FILES = ['runai-access.yaml', '.gitignore', '.github/workflows/runai-access.yml', '.gitlab-ci.yml', 'README.md'];

/** True when DIR has a package.json that lists runai-access, so that `npm ci` installs it for CI. */
export function installsRunaiAccess(dir: string): boolean {
  try {
    // Read as every input is: a regular file, bounded (a FIFO or /dev/zero there must not hang init).
    const pkg = JSON.parse(readBounded(path.join(dir, 'package.json'), MAX_INPUT_BYTES).toString('utf8')) as Record<
      string,
      Record<string, unknown> | undefined
    >;
    return ['dependencies', 'devDependencies'].some((k) => pkg[k]?.['runai-access'] !== undefined);
  } catch {
    return false;
  }
}

/**
 * Scaffolds DIR and returns the files written (relative to DIR), and the settings that took their
 * defaults because no flag gave them and there was no terminal to ask on (`cluster URL
 * runai.example.com`). Throws InputError on bad settings or existing files.
 */
export function init(
  dir: string,
  given: InitSettings,
  prompt?: Prompt,
): { written: string[]; nextStep: string; defaulted: readonly string[] } {
  // What is in the way is said before any question is asked: answers to a run that cannot write are lost.
  const existing = INIT_FILES.filter((f) => exists(path.join(dir, f)));
  if (existing.length > 0) {
    throw new InputError(
      existing.map((f) => ({
        source: 'init',
        path: '',
        message: `${shownPath(path.join(dir, f))} already exists; init never overwrites a file: move it away or init another folder`,
      })),
    );
  }
  refuseNonFolders(dir);
  const settings = resolve(given, prompt);
  writeAllOrNothing(dir, initFiles(settings));
  return { written: INIT_FILES, nextStep: `source ${settings.tlsSource}: ${tlsNextStep(settings)}`, defaulted: settings.defaulted };
}

/** What to do in the config's tls block next, for the TLS source chosen (an `existing` Secret's namespace by the cluster's mode). */
export function tlsNextStep(s: Pick<Settings, 'tlsSource' | 'deployment' | 'runaiVersion'>): string {
  const mode = ClusterMode.of({
    controlPlane: ControlPlane.of(s.deployment as ControlPlaneName),
    runaiVersion: s.runaiVersion === undefined ? undefined : RunaiVersion.parse(s.runaiVersion),
  });
  const steps: Readonly<Record<(typeof SOURCES)[number], string>> = {
    files: 'put the certificate chain and its key under certs/',
    existing: `create the Secret ${STAR_TLS_SECRET_NAME} in ${mode.starSecretNamespace} yourself`,
    'cert-manager': 'name your issuer with a DNS-01 solver in issuerRef',
    'sealed-secret': 'put the certificate chain and its key under certs/, and the controller certificate from kubeseal --fetch-cert',
    'external-secret': 'name your secret store and the remote keys of the certificate and key',
  };
  return steps[s.tlsSource as (typeof SOURCES)[number]];
}

/** Refuses DIR, or a folder init writes in, when it is there but is not a folder (or a link to one). */
function refuseNonFolders(dir: string): void {
  const folders = new Set(INIT_FILES.flatMap((f) => ancestors(path.dirname(f)).map((d) => path.join(dir, d))));
  const problems = [...folders].flatMap((folder) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(folder);
    } catch {
      return []; // missing (init makes it), or not reachable: the write says why
    }
    if (stat.isDirectory()) return [];
    return [
      {
        source: 'init',
        path: '',
        message: `${shownPath(folder)} is ${fileType(stat)}, not a folder; give a folder (init makes it when it does not exist)`,
      },
    ];
  });
  if (problems.length > 0) throw new InputError(problems);
}

/** `a/b` → `.`, `a`, `a/b`. */
function ancestors(rel: string): string[] {
  return rel === '.' ? ['.'] : [...ancestors(path.dirname(rel)), rel];
}

/**
 * Writes every file, making the folders they need, or nothing: when a write fails, what this run
 * made is removed again (a folder only while empty) and one line says where and why.
 */
function writeAllOrNothing(dir: string, contents: Readonly<Record<string, string>>): void {
  const made: { path: string; folder: boolean }[] = [];
  let writing: string | undefined;
  try {
    for (const f of INIT_FILES) {
      const full = path.join(dir, f);
      makeFolders(path.dirname(full), fs, (folder) => made.push({ path: folder, folder: true }));
      // Made, then written: a write that fails (a full disk) leaves a file that is this run's to remove.
      const fd = fs.openSync(full, 'wx', 0o644);
      made.push({ path: full, folder: false });
      writing = full;
      try {
        fs.writeFileSync(fd, contents[f]);
      } finally {
        fs.closeSync(fd);
      }
      writing = undefined;
    }
  } catch (e) {
    const code = fsErrorCode(e);
    if (!code) throw e; // not a file-system error: a bug
    // A failed write names no path: it is the file being written.
    const where = (e as NodeJS.ErrnoException).path ?? writing;
    const left = made.reverse().filter((m) => {
      try {
        if (m.folder) fs.rmdirSync(m.path);
        else fs.unlinkSync(m.path);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code !== 'ENOENT';
      }
    });
    const outcome =
      left.length === 0 ? 'init wrote nothing' : `init could not remove what it wrote: ${left.map((m) => shownPath(m.path)).join(', ')}`;
    throw new InputError([
      { source: 'init', path: '', message: `cannot write ${shownPath(where ?? dir)}: ${fsErrorText(code)}; ${outcome}` },
    ]);
  }
}

/** How many answers to one question init takes in all, before the last one's problem is the error. */
const MAX_ANSWERS = 5;

/** The problem of a value that is not one of `allowed`, naming the one it most likely means. */
function oneOf(value: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(value)) return undefined;
  return `${didYouMean(value, allowed)}must be one of: ${allowed.join(', ')}; got ${shownBare(value)}`;
}

/** Each setting's flag, its question's subject, and its check: what is wrong with a value, or `undefined`. */
const CHECKS = {
  clusterUrl: {
    flag: '--cluster-url',
    subject: 'cluster URL',
    check(value: string): string | undefined {
      const url = parseClusterUrl(value);
      // The config init writes routes workspaces on hosts under the URL (routing: host, the default).
      // The problem names the URL's length, not the URL, which is too long to be shown.
      if (url.ok) return clusterUrlRoomProblem(url.host, ''); // init has no routing flag to offer
      // An empty or blank value is quoted, so that the line shows it.
      const shown = value === '' ? 'is empty: it' : value.trim() === '' ? JSON.stringify(value) : shownBare(value);
      return `${shown} ${url.message}`;
    },
  },
  deployment: {
    flag: '--deployment',
    subject: 'control plane',
    check: (value: string) => oneOf(value, DEPLOYMENTS),
  },
  runaiVersion: {
    flag: '--runai-version',
    subject: 'Run:ai version',
    check(value: string): string | undefined {
      if (value === '') return 'is empty; give a Run:ai version such as 2.20, or leave the flag out for the current release';
      const problem = RunaiVersion.check(value);
      return problem && `${shownBare(value)} ${problem}`;
    },
  },
  tlsSource: {
    flag: '--tls-source',
    subject: 'TLS source',
    check: (value: string) => oneOf(value, SOURCES),
  },
} as const;
type Setting = keyof typeof CHECKS;

const initProblem = (message: string): Problem => ({ source: 'init', path: '', message });

/**
 * Fills in missing settings and checks them, one problem each. The flags are checked first, all
 * of them, before anything is asked. On a terminal, a missing setting is asked for; an answer
 * that is not taken is said and the question asked again, five answers in all, after which its
 * problem is the error. End of input (Ctrl-D) takes the default, or, after an answer that was
 * not taken, gives up.
 */
function resolve(given: InitSettings, prompt?: Prompt): Settings & { readonly defaulted: readonly string[] } {
  const flagged = (Object.keys(CHECKS) as Setting[]).flatMap((key) => {
    const value = given[key];
    const problem = value === undefined ? undefined : CHECKS[key].check(value);
    return problem ? [initProblem(`${CHECKS[key].flag}: ${problem}`)] : [];
  });
  if (flagged.length > 0) throw new InputError(flagged);
  // The settings no flag gave and nobody could be asked for (no terminal): their defaults, as `subject value`.
  const defaulted: string[] = [];
  // `shownDefault`: the default in the note, where it is no value (a setting left out).
  const ask = (key: Setting, question: string, fallback: string | undefined, shownDefault = fallback) => {
    const value = given[key];
    if (value === undefined && !prompt) defaulted.push(`${CHECKS[key].subject} ${shownDefault}`);
    if (value !== undefined || !prompt) return value ?? fallback;
    const { subject, check } = CHECKS[key];
    let problem: string | undefined;
    for (let answers = 1; ; answers++) {
      const answer = prompt(`${problem ? `answer not taken: ${problem}\n` : ''}${question}${fallback ? ` [${fallback}]` : ''}: `);
      if (answer === undefined && problem)
        throw new InputError([initProblem(`${subject}: no answer taken (${problem}); init wrote nothing`)]);
      const chosen = answer?.trim() ? answer.trim() : fallback;
      problem = chosen === undefined ? undefined : check(chosen);
      if (!problem) return chosen;
      if (answers === MAX_ANSWERS)
        throw new InputError([initProblem(`${subject}: ${problem} (${MAX_ANSWERS} answers not taken); init wrote nothing`)]);
    }
  };
  const clusterUrl = ask('clusterUrl', 'Run:ai cluster URL (host name)', DEFAULTS.clusterUrl)!;
  const deployment = ask('deployment', `control plane (${DEPLOYMENTS.join(' | ')})`, DEFAULTS.deployment)!;
  // No version is the newest release's rules: said too, for the config has no runaiVersion to look at.
  const newest = `left out (the newest release's rules, ${NEWEST_PROFILE.first.text} and later)`;
  const runaiVersion = ask('runaiVersion', 'Run:ai version, such as 2.20 (empty: current)', undefined, newest);
  const tlsSource = ask('tlsSource', `TLS source (${SOURCES.join(' | ')})`, DEFAULTS.tlsSource)!;
  const url = parseClusterUrl(clusterUrl);
  const host = url.ok ? url.host : clusterUrl;
  const first = host.split('.')[0];
  return { clusterUrl: host, name: DNS_LABEL.test(first) ? first : 'cluster', deployment, runaiVersion, tlsSource, defaulted };
}

function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
