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
}

/** Formats a problem as the one line the CLI prints for it. */
export function formatProblem(p: Problem): string {
  return p.path ? `${p.source}: ${p.path}: ${p.message}` : `${p.source}: ${p.message}`;
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
