/** Helpers shared by the zod schemas: messages that say what is allowed, never a value's content. */
import { z } from 'zod';

import {
  ANNOTATION_KEY,
  DNS_LABEL,
  DNS_LABEL_MAX_LENGTH,
  DNS_SUBDOMAIN,
  DNS_SUBDOMAIN_MAX_LENGTH,
  LABEL_KEY,
  LABEL_NAME_MAX_LENGTH,
  LABEL_VALUE,
} from '../model/dns-names';
import { formatPath } from '../model/errors';
import { annotationKeyProblem, annotationsSizeProblem, labelKeyProblem, labelValueProblem } from '../model/labels';
import { nearest } from '../model/nearest';

/** Describes a YAML value for a message: its type, never its content (it could be a key). */
export function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'number') return `the number ${input}`;
  if (typeof input === 'boolean') return `${input}`;
  return `a ${typeof input}`;
}

/** The message of a value that is not one of `values`: `must be one of: a, b`. */
export function oneOfMessage(values: readonly string[]): string {
  return `must be one of: ${values.join(', ')}`;
}

/** A zod error callback: "is required" when missing, else "must be <what>, got <type>". */
export function expected(what: string, hint = '') {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? `is required${hint}` : `must be ${what}, got ${describe(issue.input)}`;
}

/**
 * {@link expected} for a text value: a number or true/false where text goes is what YAML made of
 * unquoted text (targetRevision: 1.0, project: 007), so the message says to quote it.
 */
export function expectedText(what: string, hint = '') {
  const message = expected(what, hint);
  return (issue: { input?: unknown }) =>
    typeof issue.input === 'number' || typeof issue.input === 'boolean'
      ? `${message(issue)}; ${QUOTE_HINT}${typeof issue.input}`
      : message(issue);
}
/** The end of {@link expectedText}'s message, before the type; `load.ts` puts the file's own text in its place. */
export const QUOTE_HINT = 'quote it ("…") if it is text: YAML reads it unquoted as a ';

const UNKNOWN_KEY = 'unknown key; allowed keys here: ';

/** A strict object whose unknown-key error lists the keys allowed at that place. */
export function strict<T extends z.ZodRawShape>(shape: T, what: string) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `${UNKNOWN_KEY}${allowed}`
        : issue.input === undefined
          ? 'is required'
          : `must be ${what}, got ${describe(issue.input)}`,
  });
}

/**
 * The message for unknown `keys` of one mapping, from `strict`'s: it names the allowed key that
 * each is most likely a misspelling of (`nearest`: `keyfile` and `subdomainSuport`, not `colour`),
 * after which one when there are several. Other messages are returned as they are.
 */
export function unknownKeyMessage(keys: readonly string[], message: string): string {
  if (!message.startsWith(UNKNOWN_KEY)) return message;
  const allowed = message.slice(UNKNOWN_KEY.length);
  const hints = keys.flatMap((key) => {
    const near = nearest(key, allowed.split(', '));
    return near === undefined ? [] : [keys.length === 1 ? near : `${near} for ${formatPath([key])}`];
  });
  return hints.length === 0 ? message : `unknown key; did you mean ${hints.join(', ')}? allowed keys here: ${allowed}`;
}

/** The allowed keys that unknown `keys` (of `strict`'s message) are most likely misspellings of. */
export function misspeltKeys(keys: readonly string[], message: string): string[] {
  if (!message.startsWith(UNKNOWN_KEY)) return [];
  const allowed = message.slice(UNKNOWN_KEY.length).split(', ');
  return keys.flatMap((key) => nearest(key, allowed) ?? []);
}

/** A zod refinement that reports, as one issue, what `problem` finds in a value. */
export const refuse =
  <T>(problem: (value: T) => string | undefined) =>
  (value: T, ctx: z.RefinementCtx<T>): void => {
    const found = problem(value);
    if (found) ctx.addIssue({ code: 'custom', message: found });
  };

/**
 * A label or annotation key (Kubernetes' qualified name). `shape` is the message for a key of
 * the wrong shape; a length or prefix problem says which. The pattern goes to the JSON Schema.
 */
export function metadataKey(shape: string) {
  return z
    .string()
    .superRefine(refuse((key: string) => labelKeyProblem(key, shape)))
    .meta({ pattern: LABEL_KEY.source });
}

/**
 * Annotations as the API server takes them: keys checked lower-cased, string values, at most
 * 256 KiB in all. `shape` is the message for a key of the wrong shape; `keyRule` adds a rule of
 * the object's owner (cert-manager's for a secretTemplate).
 */
export function annotations(shape: string, mapping: string, keyRule: (key: string) => string | undefined = () => undefined) {
  return z
    .record(
      z
        .string()
        .superRefine(refuse((key: string) => annotationKeyProblem(key, shape) ?? keyRule(key)))
        .meta({ pattern: ANNOTATION_KEY.source }),
      z.string({ error: (issue) => `must be a string, got ${describe(issue.input)}; quote the value` }),
      { error: (issue) => (issue.code === 'invalid_key' ? keyMessage(issue, shape) : expected(mapping)(issue)) },
    )
    .superRefine(refuse(annotationsSizeProblem));
}

/**
 * The name of a Kubernetes object: a DNS-1123 subdomain of at most 253 characters. `what` is
 * named when it is missing or not a string; `shape` says what it must be, with an example.
 */
export function objectName(what: string, shape: string) {
  return z
    .string({ error: expectedText(what) })
    .max(DNS_SUBDOMAIN_MAX_LENGTH, { error: `must be at most ${DNS_SUBDOMAIN_MAX_LENGTH} characters` })
    .regex(DNS_SUBDOMAIN, { error: shape });
}

/** A namespace, or another name that is a DNS-1123 label: at most 63 characters. */
export function labelName(what: string, shape: string) {
  return z
    .string({ error: expectedText(what) })
    .max(DNS_LABEL_MAX_LENGTH, { error: `must be at most ${DNS_LABEL_MAX_LENGTH} characters` })
    .regex(DNS_LABEL, { error: shape });
}

/** A label's value, with the one line of {@link labelValueProblem} when it is not one. */
export function labelValue() {
  return z
    .string({ error: expectedText('a label value (a string)') })
    .superRefine(refuse(labelValueProblem))
    .meta({ maxLength: LABEL_NAME_MAX_LENGTH, pattern: LABEL_VALUE.source });
}

/** The message of a record's `invalid_key` issue: its key schema's own message. */
export function keyMessage(issue: { issues?: readonly { message: string }[] }, fallback: string): string {
  return issue.issues?.[0]?.message ?? fallback;
}
