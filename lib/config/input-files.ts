/**
 * The config's input files: each read once, bounded, and checked; certificate pairs parsed
 * once however many clusters name them. Every problem is collected, not thrown.
 */
import { KeyObject, X509Certificate } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import * as path from 'node:path';

import { InputError, Problem, shellPath, shownPath } from '../model/errors';
import { PRIVATE_KEY_BEGIN } from '../model/names';
import { inspectTlsPair, ParsedTlsPair, parseTlsPair, summarize } from '../tls/inspect';
import { keyTypeOf, keyTypeWithArticle } from '../tls/key-type';
import { privateCaProblem } from '../tls/pem';
import { namingFile } from '../tls/pem-text';
import { MAX_INPUT_BYTES, readBounded, RefusedFile } from './bounded-read';
import { CheckOptions, InputFile, MissingKey } from './spec';

export { MAX_INPUT_BYTES } from './bounded-read';

/** Where a TLS block is and what its certificate must cover. */
export interface TlsWhere {
  readonly at: string;
  readonly cluster: string;
  /** The domain: the cluster URL, or the inference domain. */
  readonly clusterUrl: string;
  readonly coverage: 'wildcard-and-apex' | 'wildcard' | 'host';
  /** The cluster's private CA: a chain may end at or under it. @default - none */
  readonly privateCa?: readonly X509Certificate[];
}

/**
 * A finding's message with the file it is about in its fix command: the file as one shell word
 * that reaches it from the current folder, which the config's folder may not be.
 */
function aboutFile(message: string, baseDir: string, given: string): string {
  const file = path.isAbsolute(given) ? given : path.relative(process.cwd(), path.resolve(baseDir, given));
  return namingFile(message, shellPath(file));
}

/**
 * Reads each certificate file once and parses each pair of files once, however many clusters
 * name them, then checks the pair per cluster. Collects every problem.
 */
export class InputFiles {
  public readonly problems: Problem[] = [];
  /** Errors of a file's content that `tolerateCertificateProblems` lets pass, as warnings. */
  public readonly tolerated: Problem[] = [];
  /** Key files that are missing, with `allowMissingKeys`. */
  public readonly missingKeys: MissingKey[] = [];
  /** Every file read, once per field that names it. */
  public readonly read: InputFile[] = [];
  /** The fields in {@link read}, looked up once per file read (a fleet reads thousands). */
  private readonly readFields = new Set<string>();
  /** Each file's bytes, or why it was refused: said again for every field that names it. */
  private readonly contents = new Map<string, Buffer | RefusedFile>();
  private readonly pairs = new Map<string, ParsedTlsPair>();

  constructor(
    private readonly source: string,
    private readonly options: CheckOptions,
  ) {}

  public checkPair(baseDir: string, certFile: string, keyFile: string, where: TlsWhere) {
    const cert = this.readFile(baseDir, certFile, `${where.at}.certFile`, where.cluster);
    const unread = this.options.readKeys === false;
    const keyMissing = !unread && this.options.allowMissingKeys === true && isMissing(path.resolve(baseDir, keyFile));
    if (keyMissing && !this.missingKeys.some((m) => m.path === `${where.at}.keyFile`)) {
      this.missingKeys.push({ source: this.source, path: `${where.at}.keyFile`, given: keyFile, cluster: where.cluster });
    }
    const key = keyMissing || unread ? undefined : this.readFile(baseDir, keyFile, `${where.at}.keyFile`, where.cluster);
    if (!cert || (!key && !keyMissing && !unread)) return undefined;
    const id = `${path.resolve(baseDir, certFile)}\0${path.resolve(baseDir, keyFile)}`;
    let pair = this.pairs.get(id);
    if (!pair) {
      pair = parseTlsPair(cert, key);
      this.pairs.set(id, pair);
    }
    const findings = inspectTlsPair(pair, {
      clusterUrl: where.clusterUrl,
      coverage: where.coverage,
      now: this.options.now,
      warnDays: this.options.warnDays,
      privateCa: where.privateCa,
    });
    for (const f of findings) {
      const [field, given] = f.file === 'cert' ? ['certFile', certFile] : ['keyFile', keyFile];
      this.record({
        source: this.source,
        path: `${where.at}.${field}`,
        message: `${shownPath(given)} ${aboutFile(f.message, baseDir, given)}`,
        code: f.code,
        severity: f.severity,
        cluster: where.cluster,
      });
    }
    const summary = summarize(pair);
    const refused = findings.some((f) => f.severity === 'error') && !this.options.tolerateCertificateProblems;
    return refused || !summary ? undefined : { cert, key, summary };
  }

  /**
   * Reads the Sealed Secrets controller certificate: it must be an RSA certificate that is
   * valid now, else nothing the controller can open is sealed. It is committed beside the
   * config, so it must hold no private key: the controller's opens every SealedSecret.
   */
  public readControllerCert(
    baseDir: string,
    given: string,
    at: string,
    cluster: string,
  ): { key: KeyObject; fingerprint: string } | undefined {
    const file = this.readCertificate(baseDir, given, at, cluster, [
      'controller-cert-invalid',
      'holds no PEM certificate; save what `kubeseal --fetch-cert` prints',
    ]);
    if (!file) return undefined;
    const { pem, cert, report } = file;
    let keyType: string | undefined;
    try {
      keyType = keyTypeOf(cert.publicKey);
    } catch {
      return report('controller-cert-invalid', 'has a public key OpenSSL cannot read; save what `kubeseal --fetch-cert` prints');
    }
    const controller = { key: cert.publicKey, fingerprint: cert.fingerprint256 };
    // Each is one problem; the certificate is kept where they are tolerated (url, doctor).
    const kept = (code: string, message: string) => {
      report(code, message);
      return this.options.tolerateCertificateProblems ? controller : undefined;
    };
    if (PRIVATE_KEY_BEGIN.test(pem.toString('latin1'))) {
      return kept(
        'controller-cert-has-key',
        "also holds a private key, which must not be committed (the controller's opens every SealedSecret); keep only the " +
          'certificate `kubeseal --fetch-cert` prints',
      );
    }
    if (keyType !== 'rsa')
      return kept('controller-cert-not-rsa', `has ${keyTypeWithArticle(keyType)} key; the Sealed Secrets controller certificate is RSA`);
    if ((this.options.now ?? new Date()) > new Date(cert.validTo)) {
      return kept(
        'controller-cert-expired',
        `expired on ${new Date(cert.validTo).toISOString()}; the controller has renewed its key: fetch it again with kubeseal --fetch-cert`,
      );
    }
    return controller;
  }

  /**
   * Reads a private CA file as Run:ai's Go services read `runai-ca-cert` (`AppendCertsFromPEM`,
   * see `readCertificates`): it must hold certificates they see, the first a CA, and no key.
   */
  public readCa(baseDir: string, given: string, at: string, cluster: string): Buffer | undefined {
    const pem = this.readFile(baseDir, given, at, cluster);
    if (!pem) return undefined;
    const problem = privateCaProblem(pem);
    if (!problem) return pem;
    this.reporter(baseDir, given, at, cluster)(problem.code, problem.message);
    // Tolerated (url, doctor): the certificates Go reads in it still anchor the chain.
    return this.options.tolerateCertificateProblems ? pem : undefined;
  }

  /**
   * Reads a file whose first PEM block must be a certificate, recording `invalid` when it is
   * not. Returns the bytes, the certificate and a reporter for the caller's own checks.
   */
  private readCertificate(baseDir: string, given: string, at: string, cluster: string, invalid: [code: string, message: string]) {
    const pem = this.readFile(baseDir, given, at, cluster);
    if (!pem) return undefined;
    const report = this.reporter(baseDir, given, at, cluster);
    try {
      return { pem, cert: new X509Certificate(pem), report };
    } catch {
      return report(...invalid);
    }
  }

  /** Records a problem of the file `given` at `at`; returns `undefined`, for `return report(…)`. */
  private reporter(baseDir: string, given: string, at: string, cluster: string): (code: string, message: string) => undefined {
    return (code, message) => {
      this.record({ source: this.source, path: at, message: `${shownPath(given)} ${aboutFile(message, baseDir, given)}`, code, cluster });
      return undefined;
    };
  }

  /** Records a problem of a file's content: with `tolerateCertificateProblems`, an error as a tolerated warning. */
  private record(problem: Problem): void {
    if (this.options.tolerateCertificateProblems && problem.severity !== 'warning')
      this.tolerated.push({ ...problem, severity: 'warning' });
    else this.problems.push(problem);
  }

  private readFile(baseDir: string, given: string, at: string, cluster: string): Buffer | undefined {
    const file = path.resolve(baseDir, given);
    if (!this.readFields.has(at)) {
      this.readFields.add(at);
      this.read.push({ file, source: this.source, path: at, given });
    }
    let content = this.contents.get(file);
    if (content === undefined) {
      content = readOrRefusal(file);
      this.contents.set(file, content);
    }
    if (!(content instanceof RefusedFile)) return content;
    // Every cluster that names a missing file is told, not only the first (grouped as clusters[0,2] when said alike).
    this.problems.push({ ...refusalProblem(content, file, this.source, at, given), cluster });
    return undefined;
  }
}

/** True when nothing is at `file`, not even a dangling link. */
function isMissing(file: string): boolean {
  if (existsSync(file)) return false;
  try {
    lstatSync(file);
    return false;
  } catch {
    return true;
  }
}

/**
 * Reads an input file through {@link readBounded}: folders, devices, FIFOs, sockets, unreadable
 * and oversized files are each refused with one problem.
 */
export function readInput(file: string, source: string, at: string, given = file): Buffer {
  const content = readOrRefusal(file);
  if (content instanceof RefusedFile) throw new InputError([refusalProblem(content, file, source, at, given)]);
  return content;
}

/** The bytes of `file`, or why {@link readBounded} refused it. */
function readOrRefusal(file: string): Buffer | RefusedFile {
  try {
    return readBounded(file, MAX_INPUT_BYTES);
  } catch (e) {
    if (!(e instanceof RefusedFile)) throw e;
    return e;
  }
}

/** The problem of a refused input file, named by the field `at` that gives it as `given` (the config itself: no field). */
function refusalProblem(e: RefusedFile, file: string, source: string, at: string, given: string): Problem {
  const missing = e.code === 'file-missing';
  const where = missing && path.resolve(file) !== given ? ` (looked for ${shownPath(path.resolve(file))})` : '';
  const hint = !at && missing ? '; create it or pass --config FILE' : '';
  return { source, path: at, message: at ? `${shownPath(given)} ${e.phrase}${where}` : `${e.phrase}${where}${hint}`, code: e.code };
}
