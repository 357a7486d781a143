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
}

/** Formats a problem as the one line the CLI prints for it, with anything key-like redacted. */
export function formatProblem(p: Problem): string {
  const where = p.path ? `${p.source}: ${p.path}` : p.source;
  const prefix = p.severity === 'warning' ? 'warning: ' : '';
  // One problem is one line, whatever a value held: line breaks are shown as \n.
  return redact(`${prefix}${where}: ${p.message}${p.code ? ` [${p.code}]` : ''}`).replace(/\r?\n/g, '\\n');
}

const PEM_BLOCK = /-----BEGIN [^-]*-----\s*[A-Za-z0-9+/=][\s\S]*?(-----END [^-]*-----|$)/g;
const PEM_MARKER = /-----(BEGIN|END)|PRIVATE KEY/;
const TOKEN_RUN = /[A-Za-z0-9+=]{32,}/g;
// eslint-disable-next-line no-control-regex -- control characters are what this regex looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True for a run of base64 with upper case, lower case and digits: what key bodies look like. */
function isKeyLike(run: string): boolean {
  return /[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run);
}

/** True when `text` may hold key material: a PEM marker or a long mixed-case base64 run. */
export function mayHoldSecret(text: string): boolean {
  return PEM_MARKER.test(text) || (text.match(TOKEN_RUN) ?? []).some(isKeyLike);
}

/**
 * Quotes a user-given value for a message, or describes it when it is long, multi-line or
 * looks like key material, so that a key pasted into the wrong field never reaches a terminal.
 */
export function shown(value: string, max = 200): string {
  if (value.length <= max && !CONTROL.test(value) && !mayHoldSecret(value)) return `"${value}"`;
  return `<a ${value.length}-character value, not shown>`;
}

/** Like {@link shown}, without quotes: for file paths and flags, which read better bare. */
export function shownBare(value: string): string {
  const quoted = shown(value);
  return quoted.startsWith('"') ? value : quoted;
}

/** The last guard before a line is printed: removes PEM blocks and key-like base64 runs. */
export function redact(line: string): string {
  return line.replace(PEM_BLOCK, '<PEM block, not shown>').replace(TOKEN_RUN, (run) => (isKeyLike(run) ? '<not shown>' : run));
}

/** `['clusters', 0, 'tls']` → `clusters[0].tls`. Keys that may hold a pasted key are not shown. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    // Plain keys bare (clusters[0].tls), anything else quoted so that " " or "a b" stays visible.
    const key = /^[A-Za-z0-9_./-]+$/.test(String(s)) ? shownBare(String(s)) : shown(String(s));
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
