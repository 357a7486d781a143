/**
 * Loads `runai-access.yaml`: parses the YAML, validates it against the schema, reads the
 * certificate files it names and returns one normalized `ClusterSpec` per cluster. This is the
 * only module that reads input files. Every problem is collected and thrown as one `InputError`.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { readTlsPair } from './certificate';
import { parseClusterUrl } from './cluster-url';
import { configSchema, crossFieldIssues, RawCluster } from './config-schema';
import { Deployment } from './deployment';
import { InputError, Problem, shownBare } from './errors';
import { RunaiVersion } from './runai-version';

/** Input files larger than this are refused before they are parsed. */
export const MAX_INPUT_BYTES = 1024 * 1024;
/** The config file used when `--config` is not given. */
export const DEFAULT_CONFIG = 'runai-access.yaml';

/** Where the wildcard certificate comes from, with the file contents already read. */
export type TlsSpec =
  | { readonly source: 'files'; readonly certificatePem: Buffer; readonly privateKeyPem: Buffer }
  | { readonly source: 'existing' };

/** One cluster, validated and with every default applied. */
export interface ClusterSpec {
  readonly name: string;
  /** Lower-case host name, no scheme, port or path. */
  readonly clusterUrl: string;
  readonly deployment: Deployment;
  /** `undefined` when the config leaves it out: a current Run:ai with the dedicated Ingress. */
  readonly runaiVersion?: RunaiVersion;
  /** `null` leaves `ingressClassName` out of the Ingress. */
  readonly ingressClassName: string | null;
  readonly ingressAnnotations: Readonly<Record<string, string>>;
  readonly tls: TlsSpec;
  readonly subdomainSupport: boolean;
}

/** Reads and validates a config file. `source` is the name used in messages. */
export function loadConfig(file: string = DEFAULT_CONFIG): ClusterSpec[] {
  const text = readInput(file, file, '').toString('utf8');
  return parseConfig(text, file, path.dirname(path.resolve(file)));
}

/**
 * Validates config text. `source` names the file in messages; relative certificate paths are
 * resolved against `baseDir`.
 */
export function parseConfig(text: string, source: string, baseDir: string): ClusterSpec[] {
  const raw = parseYaml(text, source);
  const result = configSchema.safeParse(raw);
  const problems = [
    ...(result.success ? [] : result.error.issues.flatMap((issue) => toProblems(issue, source))),
    ...crossFieldIssues(raw).map((issue) => ({ source, path: formatPath(issue.path), message: issue.message })),
  ];
  if (!result.success || problems.length > 0) throw new InputError(problems);
  const files = new FileCache(source);
  const clusters = result.data.clusters.map((c, i) => normalize(c, `clusters[${i}]`, baseDir, files));
  if (files.problems.length > 0) throw new InputError(files.problems);
  return clusters;
}

function parseYaml(text: string, source: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    // Only the first line of each message: later lines would quote the file, which may hold a key.
    throw new InputError(doc.errors.map((e) => {
      const at = lines.linePos(e.pos[0]);
      return { source, path: `line ${at.line}, column ${at.col}`, message: `invalid YAML: ${e.message.split('\n')[0]}` };
    }));
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new InputError([{ source, path: '', message: 'uses too many YAML aliases; write the values out' }]);
  }
  if (value === null || value === undefined) {
    throw new InputError([{ source, path: '', message: 'is empty; expected a mapping with a clusters list' }]);
  }
  return value;
}

/** Turns a zod issue into problems; an unknown-keys issue becomes one problem per key. */
function toProblems(issue: z.core.$ZodIssue, source: string): Problem[] {
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ source, path: formatPath([...issue.path, key]), message: issue.message }));
  }
  return [{ source, path: at, message: issue.message }];
}

/** `['clusters', 0, 'tls']` → `clusters[0].tls`. Keys that may hold a pasted key are not shown. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    const key = shownBare(String(s));
    return acc ? `${acc}.${key}` : key;
  }, '');
}

function normalize(c: RawCluster, at: string, baseDir: string, files: FileCache): ClusterSpec {
  const url = parseClusterUrl(c.clusterUrl);
  if (!url.ok) throw new Error(`schema accepted an invalid clusterUrl: ${url.message}`);
  let tls: TlsSpec = { source: 'existing' };
  if (c.tls.source === 'files') {
    const pair = files.readPair(baseDir, c.tls.certFile, c.tls.keyFile, `${at}.tls`);
    if (pair) tls = { source: 'files', certificatePem: pair.cert, privateKeyPem: pair.key };
  }
  return {
    name: c.name,
    clusterUrl: url.host,
    deployment: Deployment.of(c.deployment ?? 'saas'),
    runaiVersion: c.runaiVersion === undefined ? undefined : RunaiVersion.parse(c.runaiVersion),
    ingressClassName: c.ingress?.className === undefined ? 'nginx' : c.ingress.className,
    ingressAnnotations: c.ingress?.annotations ?? {},
    tls,
    subdomainSupport: c.subdomainSupport ?? true,
  };
}

/** Reads each certificate file once, however many clusters name it, and collects problems. */
class FileCache {
  public readonly problems: Problem[] = [];
  private readonly contents = new Map<string, Buffer | undefined>();
  private readonly checked = new Map<string, boolean>();

  constructor(private readonly source: string) {}

  public readPair(baseDir: string, certFile: string, keyFile: string, at: string) {
    const cert = this.read(baseDir, certFile, `${at}.certFile`);
    const key = this.read(baseDir, keyFile, `${at}.keyFile`);
    if (!cert || !key) return undefined;
    const id = `${path.resolve(baseDir, certFile)}\0${path.resolve(baseDir, keyFile)}`;
    let ok = this.checked.get(id);
    if (ok === undefined) {
      const pair = readTlsPair(cert, key);
      ok = pair.ok;
      if (!pair.ok) {
        for (const p of pair.problems) {
          const [field, given] = p.file === 'cert' ? ['certFile', certFile] : ['keyFile', keyFile];
          this.problems.push({ source: this.source, path: `${at}.${field}`, message: `${shownBare(given)} ${p.message}` });
        }
      }
      this.checked.set(id, ok);
    }
    return ok ? { cert, key } : undefined;
  }

  private read(baseDir: string, given: string, at: string): Buffer | undefined {
    const file = path.resolve(baseDir, given);
    if (!this.contents.has(file)) {
      try {
        this.contents.set(file, readInput(file, this.source, at, given));
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        this.problems.push(...e.problems);
        this.contents.set(file, undefined);
      }
    }
    return this.contents.get(file);
  }
}

/** Reads an input file, refusing directories, unreadable and oversized files with one problem. */
function readInput(file: string, source: string, at: string, given = file): Buffer {
  const fail = (message: string) => new InputError([{ source, path: at, message: at ? `${shownBare(given)} ${message}` : message }]);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail(at ? 'does not exist' : 'does not exist; create it or pass --config FILE');
    if (code === 'EISDIR') throw fail('is a directory; give a file');
    if (code === 'EACCES' || code === 'EPERM') throw fail('cannot be read: permission denied');
    throw fail(`cannot be read (${code ?? 'unknown error'})`);
  }
  if (data.length > MAX_INPUT_BYTES) throw fail(`is ${data.length} bytes; at most ${MAX_INPUT_BYTES} (1 MiB) are allowed`);
  return data;
}
