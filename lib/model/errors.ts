/**
 * Errors that come from the user's input rather than from a bug.
 *
 * The CLI prints every problem of an `InputError` on its own line and exits 2, with no stack
 * trace. Messages never contain file contents: a private key must not reach a terminal.
 */

/** One problem with the user's input: where it is and what is allowed. */
export interface Problem {
  /** The file the problem is in, as the user named it (`runai-access.yaml`), or the flag. */
  readonly source: string;
  /** The field path inside the file (`clusters[0].clusterUrl`); empty for the file itself. */
  readonly path: string;
  /** What is wrong and what is allowed, in lower case. */
  readonly message: string;
  /** A stable code for scripts (`key-mismatch`); see `FINDINGS` and the README. @default - none */
  readonly code?: string;
  /** @default 'error' */
  readonly severity?: 'error' | 'warning';
  /** The cluster the problem belongs to, when there is one. */
  readonly cluster?: string;
  /** Where in the config `path` is (line and column, from 1), for `validate --json`. @default - not known */
  readonly line?: number;
  readonly column?: number;
}

/** Formats a problem as the one line the CLI prints for it, with anything key-like redacted. */
export function formatProblem(p: Problem): string {
  const source = ENV_NAME.test(p.source) ? p.source : shownPath(p.source);
  const where = p.path ? `${source}: ${p.path}` : source;
  const prefix = p.severity === 'warning' ? 'warning: ' : '';
  // One problem is one line, whatever a value held: line breaks are shown as \n.
  return redact(`${prefix}${where}: ${p.message}${p.code ? ` [${p.code}]` : ''}`).replace(/\r?\n/g, '\\n');
}

/**
 * The name of an environment variable runai-access reads (RUNAI_ACCESS_LOCK_WAIT), a problem's
 * source shown as it is: capitals, digits and underscores are no key material, while
 * {@link isPlainValue} would hide a name of several capitals-only words.
 */
const ENV_NAME = /^RUNAI_ACCESS_[A-Z0-9_]{1,40}$/;

/** The longest user value a message quotes; longer values are described. */
const MAX_SHOWN_LENGTH = 100;
/**
 * What a value shown in a message may be made of: what names, hosts, versions, ports and paths
 * use, and letters of any script (key text is ASCII base64). Not "+", which key text has: only in
 * {@link PLUS_SHAPES}.
 */
const PLAIN_CHARS = /^[\p{L}\p{N} ._:/@,~*-]*$/u;
/**
 * Where a "+" is no key text: a time's offset at the end (`+01:00`, `+0100`), a signed number
 * (`+5`), and a version's build metadata (`2.20.0+hotfix1`, `v1.30.2+k3s1`).
 */
const PLUS_SHAPES = /\+\d{2}:?\d{2}$|^\+(?=\d+$)|(?<=^v?\d+\.\d+(\.\d+)?)\+(?=[0-9A-Za-z.-]+$)/;
/**
 * Runs of the base64 alphabet this long are what a leak test looks for (16 characters of a key
 * line, or a piece of one split at "/" or "+" in a path); one is plain only when it reads as
 * text (see {@link readsAsText}).
 */
const BASE64_STRETCH = /[A-Za-z0-9+/=]{16,}/g;
const ALNUM_RUN = /[A-Za-z0-9]+/g;
const PEM_BLOCK = /-----BEGIN [^-]*-----\s*[A-Za-z0-9+/=][\s\S]*?(-----END [^-]*-----|$)/g;
const PEM_MARKER = /-----(BEGIN|END)|PRIVATE KEY/;
const PEM_BOUNDARY = /-----(BEGIN|END) [A-Z0-9 ]*-----/;
const BASE64_RUN = /[A-Za-z0-9+/=]{24,}/g;

/** The words of a run of letters and digits: `loadBalancer2` → `load`, `Balancer`, `2`; `HTTPServer` → `HTTP`, `Server`. */
const WORD_PARTS = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g;
/** A run of letters and digits that reads as a name: words (`cluster`, `Cert`, `URL`) and numbers, camelCase allowed. */
const WORDS = /^(?:[a-z]+|[A-Z][a-z]+|[A-Z]{2,5})(?:[A-Z][a-z]{2,})*(?:[A-Z][a-z])?(?:[A-Z]{2,5})?[0-9]{0,4}$/;
/** True for `loadBalancerSourceRanges`, `clusterURL` or `privateCa`: camelCase words of four letters or more on average, not random text. */
function readsAsWords(run: string): boolean {
  const words = run.match(WORD_PARTS) ?? [];
  return WORDS.test(run) && run.length >= 4 * words.length;
}
/**
 * True when a stretch of base64 letters reads as text: letters keep their case and digits come
 * in groups across the whole stretch, as in words and paths (encoded bytes change between lower
 * case, upper case and digit at about two pairs in three, also across the "/" and "+" a key line
 * is split at), and no five consonants come in a row. A config key (`asKey`) that is one run of
 * letters and digits is judged by its words instead (camelCase; at most two numbers, one acronym
 * and one word under three letters; no six consonants in a row; see {@link readsAsWord}), so that
 * an unknown key such as `hostNetworkPortRange` is shown: pieces of key text pass that rule more
 * often, and keys are where an admin's own words are most likely.
 */
function readsAsText(stretch: string, asKey: boolean): boolean {
  if (asKey && !/[+/=]/.test(stretch)) {
    const words = stretch.match(WORD_PARTS) ?? [];
    const letters = words.filter((w) => !/^[0-9]+$/.test(w));
    // An acronym: capitals (`URL`), or three letters without a vowel (`Dns`, `Ssl`).
    const acronyms = letters.filter((w) => (/^[A-Z]+$/.test(w) && w.length >= 3) || (w.length === 3 && vowels(w) === 0));
    return (
      words.length - letters.length <= 2 &&
      letters.filter((w) => w.length < 3).length <= 1 &&
      acronyms.length <= 1 &&
      !/[b-df-hj-np-tv-xz]{6}/i.test(stretch) &&
      letters.every(readsAsWord)
    );
  }
  return fewClassChanges(stretch) && !/[b-df-hj-np-tv-xz]{5}/i.test(stretch);
}

const vowels = (word: string) => (word.match(/[aeiouy]/gi) ?? []).length;
/**
 * A word of a config key: an acronym of up to five capitals, a short word, or one with a vowel;
 * from eight letters, one in five letters a, e, i, o or u (`Threshold`, `Passthrough`).
 */
function readsAsWord(word: string): boolean {
  if (/^[A-Z]+$/.test(word)) return word.length <= 5;
  if (word.length < 4) return true;
  return word.length < 8 ? vowels(word) >= 1 : (word.match(/[aeiou]/gi) ?? []).length * 5 >= word.length;
}

/** Fewer than {@link MAX_CLASS_CHANGES} of the letter and digit pairs change between lower case, upper case and digit. */
function fewClassChanges(stretch: string): boolean {
  const kind = (c: string) => (/[a-z]/.test(c) ? 1 : /[A-Z]/.test(c) ? 2 : /[0-9]/.test(c) ? 3 : 0);
  let pairs = 0;
  let changes = 0;
  for (let i = 1; i < stretch.length; i++) {
    const [a, b] = [kind(stretch[i - 1]), kind(stretch[i])];
    if (a === 0 || b === 0) continue;
    pairs++;
    if (a !== b) changes++;
  }
  return changes < MAX_CLASS_CHANGES * pairs;
}
const MAX_CLASS_CHANGES = 0.3;
/** Runs shorter than this need not read as words (`Xy9aB2`, `ENOENT`)... */
const SHORT_RUN = 8;
/** ...but a value holds at most this many characters of such runs and of capitals-only runs. */
const MAX_MIXED_CHARACTERS = 12;

/**
 * True when `value` is plain: at most {@link MAX_SHOWN_LENGTH} characters of those that names,
 * hosts, versions, ports and paths use, where every long run of letters and digits reads as
 * words (key text, random base64, does not) and short mixed-case runs add up to little. Only
 * plain values are ever quoted in a message; everything else is described by
 * {@link describeValue}. `asKey`: `value` is a mapping key of the config, for {@link formatPath}
 * (see {@link readsAsText}).
 */
export function isPlainValue(value: string, asKey = false): boolean {
  if (value.length > MAX_SHOWN_LENGTH || !PLAIN_CHARS.test(value.replace(PLUS_SHAPES, ''))) return false;
  if (!(value.match(BASE64_STRETCH) ?? []).every((stretch) => readsAsText(stretch, asKey))) return false;
  let mixed = 0;
  for (const run of value.match(ALNUM_RUN) ?? []) {
    if (/^[a-z0-9]+$/.test(run)) continue;
    if (run.length >= SHORT_RUN && !readsAsWords(run) && !/^[A-Z0-9]+$/.test(run)) return false;
    if (run.length < SHORT_RUN || /^[A-Z0-9]+$/.test(run)) mixed += run.length;
  }
  return mixed <= MAX_MIXED_CHARACTERS;
}

/**
 * A file path as the user gave it, for the lines that say where things are (a summary, a
 * generated file's header, advice to run again, a problem's source): shown as it is, since it
 * is there to be typed or read again, unless it may hold key material (then described, like any
 * value): a PEM marker, or a random-looking base64 run of 16 characters or more (a path's words
 * and folders do not look random). Control characters are written as escapes (`\t`, `\n`,
 * `\x1b`), so that it stays on its line and a tab in a file name can be told from a `?`.
 */
export function shownPath(p: string): string {
  return pathMayHoldSecret(p) ? describeValue(p) : p.replace(CONTROL, escapeControl);
}

/**
 * A path as one shell word, for a command to paste: as it is when it is safe, else in single
 * quotes, and in ANSI-C quotes (`$'a\tb'`) when it holds a control character, so that the
 * command names the very file. Described, in quotes, when it may hold key material, as
 * {@link shownPath} does.
 */
export function shellPath(given: string): string {
  // A path that starts with "-" reads as an option to the command it is given to (--config -a.yaml).
  const p = given.startsWith('-') ? `./${given}` : given;
  if (pathMayHoldSecret(p)) return `'${describeValue(p)}'`;
  if (/^[\w@%+=:,./-]+$/.test(p)) return p;
  if (p.search(CONTROL) >= 0) return `$'${p.replace(/[\\']/g, '\\$&').replace(CONTROL, escapeControl)}'`;
  return `'${p.replace(/'/g, `'\\''`)}'`;
}

/** True when a path may hold key material: a PEM marker or a random-looking base64 run of 16 characters or more. */
function pathMayHoldSecret(p: string): boolean {
  const named = withMktempNamesPlain(p);
  return mayHoldSecret(named) || (named.match(BASE64_STRETCH) ?? []).some((run) => isRandomRun(run) || isRandomPathRun(run));
}
/**
 * A folder `mktemp -d` names (`tmp.` and ten random letters and digits, its default template):
 * random, but no piece of a key line, which has no ".", and shorter than the windows looked for.
 */
const MKTEMP_NAME = /(^|[^A-Za-z0-9_.-])tmp\.[A-Za-z0-9]{10}(?![A-Za-z0-9])/g;
/**
 * `text` with each mktemp folder's ten random characters as ten letters: the same length, so that
 * a key slice running on past the folder is still judged at its length, and positions still match.
 */
function withMktempNamesPlain(text: string): string {
  return text.replace(MKTEMP_NAME, '$1tmp.aaaaaaaaaa');
}
/**
 * True when a run of a path does not read as a path's names do: a name (between "/") with a "+"
 * inside it and letters of both cases or a digit (a "+" is rare in a name but at its end, as in
 * `c++`; it is one in sixty-four characters of a key line), or a name of mixed case, 8 characters
 * or more, whose words are not a config key's (`VJCGyvkQO`, `KEONVoaDpnbebSDU`; `JaneDoe` and
 * `MyCompanyWildcard` are).
 */
function isRandomPathRun(run: string): boolean {
  return run.split('/').some((name) => {
    const inner = name.replace(/\++$/, '');
    if (inner.includes('+') && ((/[a-z]/.test(inner) && /[A-Z]/.test(inner)) || /[0-9]/.test(inner))) return true;
    return inner
      .split(/[+=]+/)
      .some((word) => word.length >= SHORT_RUN && /[a-z]/.test(word) && /[A-Z]/.test(word) && !readsAsText(word, true));
  });
}
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** `\t`, `\n`, `\r`, or `\xHH` for another control character. */
function escapeControl(c: string): string {
  return CONTROL_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** Describes a value that is not shown by its length and shape, never its content. */
export function describeValue(value: string): string {
  const lines = value.split(/\r?\n/).length;
  const shape = PEM_MARKER.test(value)
    ? 'PEM text'
    : lines > 1
      ? `${lines} lines`
      : /^[A-Za-z0-9+/=]+$/.test(value)
        ? 'base64-like text'
        : 'text';
  return `<${value.length} ${value.length === 1 ? 'character' : 'characters'} of ${shape}, not shown>`;
}

/** True when `text` may hold key material: a PEM marker or a long random-looking base64 run. */
function mayHoldSecret(text: string): boolean {
  return PEM_MARKER.test(text) || (text.match(BASE64_RUN) ?? []).some(isRandomRun);
}

/** True when `text` holds a PEM boundary line (`-----BEGIN CERTIFICATE-----`, `-----END … KEY-----`). */
export function holdsPemBoundary(text: string): boolean {
  return PEM_BOUNDARY.test(text);
}

/** A run of base64 that mixes cases and digits as encoded bytes do; long words and paths do not. */
function isRandomRun(run: string): boolean {
  const parts = run.split(/[+/=]+/).filter(Boolean);
  return /[a-z]/.test(run) && /[A-Z]/.test(run) && parts.some((p) => !WORDS.test(p) && !/^[a-z0-9]+$/.test(p) && !/^[A-Z0-9]+$/.test(p));
}

/**
 * The one way a user-given value reaches a message: quoted when it is plain
 * ({@link isPlainValue}), else described by length and shape, so that a key pasted into any
 * field — as a block, a line, or a line split at "/" or "+" — never reaches a terminal.
 */
export function shown(value: string): string {
  return isPlainValue(value) ? `"${value}"` : describeValue(value);
}

/** Like {@link shown}, without quotes: for file paths and flags, which read better bare. */
export function shownBare(value: string): string {
  // An empty value, bare, would read as nothing at all after "got".
  if (value === '') return '""';
  return isPlainValue(value) ? value : describeValue(value);
}

/**
 * The last guard before a line is printed, behind {@link shown}: removes PEM blocks and long
 * random-looking base64 runs, whatever put them there.
 */
export function redact(line: string): string {
  const text = line.replace(PEM_BLOCK, '<PEM block, not shown>');
  // Runs are judged with mktemp folders' names as plain letters (see shownPath), and cut from the text itself.
  let out = '';
  let from = 0;
  for (const m of withMktempNamesPlain(text).matchAll(BASE64_RUN)) {
    if (!isRandomRun(m[0])) continue;
    out += `${text.slice(from, m.index)}<not shown>`;
    from = m.index + m[0].length;
  }
  return out + text.slice(from);
}

/** `['clusters', 0, 'tls']` → `clusters[0].tls`. A key that is not plain is described. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    // Plain keys bare (clusters[0].tls), anything else quoted so that " " or "a b" stays visible.
    const text = String(s);
    const plain = isPlainValue(text, true);
    const key = !plain ? describeValue(text) : /^[A-Za-z0-9_./-]+$/.test(text) ? text : `"${text}"`;
    return acc ? `${acc}.${key}` : key;
  }, '');
}

/** Bad input: a config file, a certificate or a flag. Carries every problem found. */
export class InputError extends Error {
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** Invalid construct props. The message names the prop, the value received and what is allowed. */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** `1 file`, `2 files`: a count and its word, for messages. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
