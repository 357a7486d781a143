import * as fs from 'node:fs';
import * as path from 'node:path';

import { shellPath } from '../model/errors';
import { kubectlApply } from '../model/names';
import { KUSTOMIZATION_FILE } from '../model/output-layout';

/**
 * What every doctor check reports, and the time budget they share. A check is one step of the
 * path a researcher's browser takes: DNS, then the certificate the controller serves, then an
 * HTTP answer, then the objects in the cluster that decide all three.
 */

/** The step of the path a check belongs to, in the order the text report prints them. */
export type Step = 'DNS' | 'TLS' | 'HTTP' | 'Cluster' | 'Secret' | 'Ingress' | 'Gateway' | 'RunaiConfig' | 'Drift';
export const STEPS: readonly Step[] = ['DNS', 'TLS', 'HTTP', 'Cluster', 'Secret', 'Ingress', 'Gateway', 'RunaiConfig', 'Drift'];

export type Status = 'pass' | 'fail' | 'skip';

/** One check's outcome. Details and fixes name hosts, addresses, objects and certificate names, never key bytes. */
export interface CheckResult {
  /** Stable name for scripts, such as `dns.wildcard`. */
  readonly name: CheckName;
  readonly step: Step;
  readonly status: Status;
  /** What was found. */
  readonly detail: string;
  /** What to do, for a failure (and for a skip that the admin can undo). */
  readonly fix?: string;
}

/** Every check, by the stable name scripts read, with the step of the path it belongs to. */
export const CHECKS = {
  'dns.cluster': 'DNS',
  'dns.wildcard': 'DNS',
  'dns.inference-wildcard': 'DNS',
  'tls.cluster': 'TLS',
  'tls.workspace': 'TLS',
  'tls.inference': 'TLS',
  'http.workspace': 'HTTP',
  'kube.access': 'Cluster',
  'kube.secret': 'Secret',
  'kube.ingress': 'Ingress',
  'kube.ingress-class': 'Ingress',
  'kube.ingress-address': 'Ingress',
  'kube.gateway': 'Gateway',
  'kube.gateway-routes': 'Gateway',
  'kube.runaiconfig': 'RunaiConfig',
  'kube.drift': 'Drift',
} as const satisfies Readonly<Record<string, Step>>;
export type CheckName = keyof typeof CHECKS;

export function pass(name: CheckName, detail: string): CheckResult {
  return { name, step: CHECKS[name], status: 'pass', detail };
}
export function fail(name: CheckName, detail: string, fix: string): CheckResult {
  return { name, step: CHECKS[name], status: 'fail', detail, fix };
}
export function skip(name: CheckName, detail: string, fix?: string): CheckResult {
  return { name, step: CHECKS[name], status: 'skip', detail, ...(fix ? { fix } : {}) };
}

/** Per-probe time limits, in milliseconds. */
export interface Timeouts {
  /** One DNS name (A and AAAA together). @default 3000 */
  readonly dnsMs: number;
  /** One TLS connection: connect, handshake and the HTTP status line. @default 4000 */
  readonly tlsMs: number;
  /** One kubectl command, discovery included. @default 8000 */
  readonly kubeMs: number;
  /** The whole run; a probe never outlives it. @default 19000 */
  readonly totalMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { dnsMs: 3000, tlsMs: 4000, kubeMs: 8000, totalMs: 19000 };

/** The time left of a run: each probe takes the smaller of its own limit and what remains. */
export class Deadline {
  private readonly end: number;

  constructor(totalMs: number) {
    this.end = Date.now() + totalMs;
  }

  /** Milliseconds a probe with limit `ms` may take now (0 when the run is out of time). */
  public budget(ms: number): number {
    return Math.max(0, Math.min(ms, this.end - Date.now()));
  }
}

/** True when the output folder on disk holds a kustomization.yaml: kubectl applies and diffs it with -k (-f fails on that file). */
export function kustomizedFolder(dir: string): boolean {
  return fs.existsSync(path.join(dir, KUSTOMIZATION_FILE));
}

/** The command that applies a cluster's output folder (or one file of it), as the synth summary prints it. */
export function applyCommand(dir: string, file?: string): string {
  return kubectlApply(shellPath(`${dir}/${file ?? ''}`), file === undefined && kustomizedFolder(dir));
}

/** Seconds, for messages: `3 s`, `0.2 s`. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
