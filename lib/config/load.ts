/**
 * Loads `runai-access.yaml`: parses the YAML, validates it against the schema, reads the
 * certificate files it names and returns one normalized `ClusterSpec` per cluster. The config
 * layer (this module, through `input-files.ts` and `bounded-read.ts`) is the only one that reads
 * input files. Every problem is collected and thrown as one `InputError`.
 */
import * as path from 'node:path';

import type { Document } from 'yaml';
import type { z } from 'zod';

import { DNS_LABEL } from '../model/dns-names';
import { formatPath, InputError, plural, Problem, ValidationError } from '../model/errors';
import { DEFAULT_CONFIG } from '../model/output-layout';
import { exposeWarnings, modeProblems } from './cluster-warnings';
import { crossFieldIssues } from './cross-field';
import { deliveryPathProblem } from './delivery-path';
import { deliveryIssues, DeliverySpec, normalizeDelivery } from './delivery-schema';
import { encodingProblem, holdsBrokenUtf8 } from './encoding';
import { InputFiles, readInput } from './input-files';
import { keyTextProblems } from './key-text';
import { keysInGit } from './keys-in-git';
import { normalize } from './normalize';
import { configSchema } from './schema';
import { misspeltKeys, QUOTE_HINT, unknownKeyMessage } from './schema-helpers';
import { CheckOptions, ClusterSpec, InputFile, MissingKey } from './spec';
import { FieldPlace, fieldPlaces, parseYaml } from './yaml-document';
import { sourceText, unquotedVersionMessage } from './yaml-messages';

/** The config file used when `--config` is not given (re-exported for the library's users). */
export { DEFAULT_CONFIG };

/** A valid config: its clusters, and the warnings found on the way. */
export interface LoadedConfig {
  readonly clusters: ClusterSpec[];
  /** Every cluster's name, in the config's order, those `CheckOptions.cluster` left out included. */
  readonly clusterNames: readonly string[];
  readonly warnings: Problem[];
  /** The errors of certificate files that `tolerateCertificateProblems` let pass, as warnings; empty otherwise. */
  readonly tolerated: readonly Problem[];
  /** Key files that are missing, tolerated with `allowMissingKeys`; empty otherwise. */
  readonly missingKeys: readonly MissingKey[];
  /** What could not be verified (git could not be asked about the key files, `CheckOptions.askGit`): one line each. */
  readonly notes: readonly string[];
  /** Fleet delivery through Argo CD and Flux, when the config asks for it. */
  readonly delivery?: DeliverySpec;
  /** The files the config names and the run read; from {@link loadConfig}, the config file first. */
  readonly inputs: readonly InputFile[];
}

/** Reads and validates a config file and its certificates. Throws `InputError` with every error. */
export function loadConfig(file: string = DEFAULT_CONFIG, options: CheckOptions = {}): LoadedConfig {
  const bytes = readInput(file, file, '');
  const text = bytes.toString('utf8');
  const unreadable = encodingProblem(bytes, text);
  if (unreadable) throw new InputError([{ source: file, path: '', message: unreadable }]);
  const loaded = parseConfigText(text, file, path.dirname(path.resolve(file)), options, holdsBrokenUtf8(bytes, text));
  return { ...loaded, inputs: [{ file: path.resolve(file), source: '--config', path: '', given: file }, ...loaded.inputs] };
}

/**
 * Validates config text. `source` names the file in messages; relative certificate paths are
 * resolved against `baseDir`.
 */
export function parseConfig(text: string, source: string, baseDir: string, options: CheckOptions = {}): LoadedConfig {
  // A JavaScript caller that leaves one out would get a TypeError from deep inside.
  const notText = (
    [
      ['text', text],
      ['source', source],
      ['baseDir', baseDir],
    ] as const
  ).filter(([, v]) => typeof v !== 'string');
  if (notText.length > 0)
    throw new ValidationError(
      `${notText.map(([name]) => name).join(', ')}: must be a string (parseConfig(text, source file name, folder its paths are relative to))`,
    );
  return parseConfigText(text, source, baseDir, options, false);
}

/** {@link parseConfig} of a file's text; `brokenUtf8`: its bytes held sequences that are no UTF-8, each read as U+FFFD. */
function parseConfigText(text: string, source: string, baseDir: string, options: CheckOptions, brokenUtf8: boolean): LoadedConfig {
  const { raw, doc, lines } = parseYaml(text, source, brokenUtf8);
  const atField = placing(source, fieldPlaces(doc, lines));
  const result = configSchema.safeParse(raw);
  const problems = [
    ...(result.success ? [] : withoutMisspeltRequired(result.error.issues).flatMap((issue) => toProblems(issue, source, doc, text))),
    // The delivery objects are no business of a command about one cluster (url, doctor and synth
    // --stdout leave them out): two clusters sharing a destination must not stop doctor on one.
    ...[...crossFieldIssues(raw), ...(options.cluster === undefined ? deliveryIssues(raw) : [])].map((issue) => ({
      source,
      path: formatPath(issue.path),
      message: issue.message,
    })),
  ];
  // PEM text where the schema already refused the value is said once, by the schema.
  problems.push(...keyTextProblems(raw, source).filter((p) => !problems.some((q) => q.path === p.path)));
  if (!result.success || problems.length > 0) throw new InputError(problems.map((p) => atField(withCluster(p, raw))));
  const files = new InputFiles(source, options);
  const all = result.data.clusters;
  const clusters = all.flatMap((c, i) =>
    options.cluster === undefined || c.name === options.cluster ? [normalize(c, i, baseDir, files)] : [],
  );
  files.problems.push(...exposeWarnings(clusters, source), ...modeProblems(clusters, all, source));
  const delivery = normalizeDelivery(result.data.delivery);
  const placed = options.out === undefined ? undefined : deliveryPathProblem(delivery, options.out, source);
  if (placed) files.problems.push(placed);
  // Git is asked only when the config would otherwise load: a process for each work tree.
  const git = options.askGit && !files.problems.some((p) => p.severity !== 'warning') ? keysInGit(files.read, clusters, source) : undefined;
  files.problems.push(...(git?.problems ?? []));
  const warnings = files.problems.filter((p) => p.severity === 'warning').map(atField);
  const errors = files.problems.filter((p) => p.severity !== 'warning').map(atField);
  if (options.strict && warnings.length > 0) {
    throw new InputError([...errors, ...warnings.map(strictError)]);
  }
  if (errors.length > 0) throw new InputError([...errors, ...warnings]);
  return {
    clusters,
    clusterNames: all.map((c) => c.name),
    warnings,
    tolerated: files.tolerated,
    missingKeys: files.missingKeys,
    notes: git?.notes ?? [],
    delivery,
    inputs: files.read,
  };
}

/**
 * A problem of `clusters[i]…` with the name of that cluster (for `validate --json`, whose findings
 * name their cluster), when the entry has a name the schema takes: one that is no DNS label is not
 * repeated (it may be text pasted by mistake, a key line among them).
 */
function withCluster(problem: Problem, raw: unknown): Problem {
  const index = /^clusters\[(\d+)\]/.exec(problem.path)?.[1];
  if (index === undefined || problem.cluster !== undefined) return problem;
  const name = ((raw as { clusters?: unknown[] } | null)?.clusters?.[Number(index)] as { name?: unknown } | null)?.name;
  return typeof name === 'string' && DNS_LABEL.test(name) ? { ...problem, cluster: name } : problem;
}

/** A problem of the config's own fields with where the field is in the file. */
function placing(source: string, placeOf: (path: string) => FieldPlace | undefined): (problem: Problem) => Problem {
  return (problem) => {
    const place = problem.source === source && problem.line === undefined ? placeOf(problem.path) : undefined;
    return place ? { ...problem, line: place.line, column: place.column } : problem;
  };
}

/** A warning as `--strict` (`CheckOptions.strict`) makes it: an error that says why. */
function strictError(warning: Problem): Problem {
  return { ...warning, severity: 'error', message: `${warning.message} (an error with --strict)` };
}

/**
 * The issues without "is required" of a key that an unknown key beside it misspells (`keyfile`
 * for `keyFile`): one problem, said once, by the unknown key's line that names the right spelling.
 */
function withoutMisspeltRequired(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const meant = new Set(
    issues.flatMap((i) => (i.code === 'unrecognized_keys' ? misspeltKeys(i.keys, i.message).map((k) => formatPath([...i.path, k])) : [])),
  );
  return issues.filter((i) => !(i.message.startsWith('is required') && meant.has(formatPath(i.path))));
}

/** The message of {@link expectedText} for a number or true/false: what was expected, and what YAML read. */
const QUOTE_IT = new RegExp(`^(must be .*?), got .*?; ${QUOTE_HINT.replace(/[()]/g, '\\$&')}(number|boolean)$`);

/** How many unknown keys of one mapping get a line each; the rest get one line that counts them. */
const UNKNOWN_KEYS_SHOWN = 10;

/** Turns a zod issue into problems; an unknown-keys issue becomes one problem per key (the first {@link UNKNOWN_KEYS_SHOWN}). */
function toProblems(issue: z.core.$ZodIssue, source: string, doc: Document, text: string): Problem[] {
  const at = formatPath(issue.path);
  const written = issue.path.at(-1) === 'runaiVersion' ? sourceText(doc, text, issue.path) : undefined;
  if (written !== undefined && /^[0-9.]+$/.test(written)) {
    // The schema saw a number; the file says what was meant: quote exactly that, when it is a version.
    return [{ source, path: at, message: unquotedVersionMessage(written) }];
  }
  if (issue.code === 'unrecognized_keys') {
    // A key that misspells an allowed one is always said: it stands for that key's "is required" too (withoutMisspeltRequired).
    const misspelt = issue.keys.filter((key) => misspeltKeys([key], issue.message).length > 0);
    const others = issue.keys.filter((key) => !misspelt.includes(key));
    const said = new Set([...misspelt, ...others.slice(0, Math.max(0, UNKNOWN_KEYS_SHOWN - misspelt.length))]);
    const shown = issue.keys.length > UNKNOWN_KEYS_SHOWN + 1 ? issue.keys.filter((key) => said.has(key)) : issue.keys;
    const lines = shown.map((key) => ({
      source,
      path: formatPath([...issue.path, key]),
      message: unknownKeyMessage([key], issue.message),
    }));
    const rest = issue.keys.length - shown.length;
    // A file that is no config at all (a Helm values file given to -c) may have dozens of keys: the first ten say it.
    return rest === 0
      ? lines
      : [...lines, { source, path: at, message: `and ${plural(rest, 'more unknown key')} in this mapping, not listed` }];
  }
  // Text YAML read as a number or true/false (expectedText): say what the file holds, not the value YAML made of it (1.0, not 1).
  const quote = QUOTE_IT.exec(issue.message);
  const key = issue.path.at(-1);
  const asWritten = quote && typeof key === 'string' ? sourceText(doc, text, issue.path) : undefined;
  if (quote && typeof key === 'string' && asWritten !== undefined && /^[-+0-9.eE_]+$|^(true|false)$/i.test(asWritten)) {
    return [
      {
        source,
        path: at,
        message: `${quote[1]}, got ${asWritten} unquoted, which YAML reads as a ${quote[2]}; write ${key}: "${asWritten}" if it is text`,
      },
    ];
  }
  return [{ source, path: at, message: issue.message }];
}
