/**
 * Runs the admin's `kubectl`, read-only, with a hard deadline: `--request-timeout` bounds one
 * HTTP request only (discovery makes several), so the process is killed when its time is up.
 * kubectl's stderr is never shown: an error about a Secret can print the whole object, key
 * included. It is only classified into a reason.
 */
import { execFile } from 'node:child_process';

import { shownBare } from '../model/errors';

/** Why a kubectl command failed, from its exit and stderr. */
export type KubectlFailure =
  | 'not-installed'
  | 'timeout'
  | 'not-found'
  | 'no-resource-type'
  | 'forbidden'
  | 'unauthorized'
  | 'no-credentials'
  | 'credential-plugin'
  | 'no-diff-program'
  | 'unreachable'
  | 'no-context'
  | 'no-current-context'
  | 'error';

export interface KubectlResult {
  /** The exit code; `null` when killed or not started. */
  readonly code: number | null;
  readonly stdout: string;
  /** Set when the command did not do its job (for `diff`, exit 1 is not a failure). */
  readonly failure?: KubectlFailure;
  /** How long kubectl was given: the doctor's total deadline may have left less than `--kube`. */
  readonly waitedMs: number;
}

export interface KubectlOptions {
  /** `--context`; @default - the current context */
  readonly context?: string;
  readonly timeoutMs: number;
}

/** Runs `kubectl args` and classifies the outcome; never throws. `okCodes` are exits that are not failures. */
export function kubectl(args: readonly string[], o: KubectlOptions, okCodes: readonly number[] = [0]): Promise<KubectlResult> {
  const ms = Math.max(1, o.timeoutMs);
  const full = [...(o.context ? [`--context=${o.context}`] : []), `--request-timeout=${Math.max(1, Math.ceil(ms / 1000))}s`, ...args];
  const env = { ...process.env };
  // An inherited external diff program could turn "no drift" into exit 1.
  delete env.KUBECTL_EXTERNAL_DIFF;
  return new Promise((resolve) => {
    const child = execFile('kubectl', full, { timeout: ms, killSignal: 'SIGKILL', maxBuffer: 16 << 20, env }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; killed?: boolean }) | null;
      if (!e) return resolve({ code: 0, stdout, waitedMs: ms });
      if (e.code === 'ENOENT') return resolve({ code: null, stdout: '', failure: 'not-installed', waitedMs: ms });
      if (e.killed) return resolve({ code: null, stdout, failure: 'timeout', waitedMs: ms });
      const code = typeof e.code === 'number' ? e.code : null;
      if (code !== null && okCodes.includes(code)) return resolve({ code, stdout, waitedMs: ms });
      resolve({ code, stdout, failure: classify(String(stderr), String(stdout)), waitedMs: ms });
    });
    child.stdin?.end();
  });
}

function classify(stderr: string, stdout: string): KubectlFailure {
  // A context whose user has no credentials: kubectl asks for basic auth, on stdout, and reads the
  // closed stdin (error: EOF).
  if (/^Please enter (Username|Password): /.test(stdout)) return 'no-credentials';
  // The user's exec plugin (kubelogin, gke-gcloud-auth-plugin, aws) is missing or failed: its "executable … not found" is no object's.
  if (/getting credentials: |credential plugin/i.test(stderr)) return 'credential-plugin';
  // kubectl diff runs the diff program on PATH: "failed to run "diff": executable file not found in $PATH".
  if (/executable file not found in \$PATH/.test(stderr)) return 'no-diff-program';
  if (/\(NotFound\)|not found/i.test(stderr) && !/context .* not found|resource mapping not found/i.test(stderr)) return 'not-found';
  if (/context was not found|context .* (does not exist|not found)/i.test(stderr)) return 'no-context';
  if (/doesn't have a resource type|resource mapping not found|no matches for kind/i.test(stderr)) return 'no-resource-type';
  if (/\(Forbidden\)|forbidden/i.test(stderr)) return 'forbidden';
  if (/\(Unauthorized\)|must be logged in/i.test(stderr)) return 'unauthorized';
  // `kubectl config current-context` of a kubeconfig that names none (or of no kubeconfig).
  if (/current-context is not set/i.test(stderr)) return 'no-current-context';
  if (
    /connection refused|unable to connect|no such host|i\/o timeout|dial tcp|timeout|couldn't get current server API group list/i.test(
      stderr,
    )
  ) {
    return 'unreachable';
  }
  return 'error';
}

/** Words for a failure, naming the command (and the `context` given, if any) but never quoting kubectl's output. */
export function failureText(what: string, f: KubectlFailure, timeoutMs: number, context?: string): string {
  switch (f) {
    case 'not-installed':
      return `kubectl is not on PATH, so ${what} was not read`;
    case 'timeout':
      // Started when the doctor's whole run was all but out of time: there was no wait to name.
      if (timeoutMs < 50) return `kubectl had no time left to read ${what}: the doctor's total time ran out first`;
      return `kubectl did not finish reading ${what} within ${Math.round(timeoutMs / 100) / 10} s`;
    case 'not-found':
      return `${what} does not exist`;
    case 'no-resource-type':
      return `the cluster has no resource type for ${what} (its CRD is not installed)`;
    case 'forbidden':
      return `your context may not read ${what} (Forbidden)`;
    case 'unauthorized':
      return `the API server refused your credentials (Unauthorized) when reading ${what}`;
    case 'no-credentials':
      return `your context has no credentials (kubectl asked for a user name), so ${what} was not read`;
    case 'credential-plugin':
      return `your context's credential plugin (user.exec in the kubeconfig) is not installed or failed, so ${what} was not read`;
    case 'no-diff-program':
      return `kubectl diff found no diff program on PATH, so ${what} was not compared`;
    case 'unreachable':
      return `the API server could not be reached to read ${what}`;
    case 'no-context':
      return `kubectl knows no ${context === undefined ? 'such context' : `context ${shownBare(context)}`}, so ${what} was not read`;
    case 'no-current-context':
      return `kubectl has no current context (it would try localhost:8080), so ${what} was not read`;
    default:
      return `kubectl failed to read ${what}`;
  }
}

/** The fix for a failure that is about kubectl itself rather than the object. */
export function accessFix(f: KubectlFailure): string | undefined {
  switch (f) {
    case 'not-installed':
      return 'install kubectl, or pass --no-kube to skip the cluster checks';
    case 'timeout':
    case 'unreachable':
      return 'check that `kubectl get ns` works with this context (VPN, API server address), or pass --no-kube';
    case 'no-context':
    case 'no-current-context':
      // No kubeconfig at all lists no context: naming that command alone would leave nothing to pass.
      return (
        'pass --context with a context that `kubectl config get-contexts` lists; when it lists none, kubectl has no kubeconfig ' +
        "for this cluster: set KUBECONFIG to the cluster's, or pass --no-kube"
      );
    case 'unauthorized':
      return 'log in again (refresh your kubeconfig credentials)';
    case 'no-credentials':
      return (
        "give the context's user credentials in your kubeconfig (a token, a client certificate, or the exec plugin your " +
        "cloud's get-credentials command writes), or pass --no-kube"
      );
    case 'credential-plugin':
      return (
        'install the command its user.exec names (kubelogin, gke-gcloud-auth-plugin, aws…) or log in again; ' +
        '`kubectl version` shows its message; or pass --no-kube'
      );
    case 'no-diff-program':
      return 'install diff (diffutils), which kubectl diff runs';
    case 'forbidden':
      return 'use a context allowed to get this object (read-only is enough)';
    default:
      return undefined;
  }
}
