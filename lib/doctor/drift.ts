/**
 * Drift: `kubectl diff --server-side` of the cluster's output folder against the live objects.
 * The API server computes each object as it would be after an apply (a dry run: nothing is
 * changed), so defaults and other field managers are accounted for. Only the names of the
 * objects that differ are reported; the diff itself (which kubectl masks for Secrets) is not.
 */
import * as fs from 'node:fs';

import { shellPath } from '../model/errors';
import { KUSTOMIZATION_FILE } from '../model/output-layout';
import { fsErrorCode, fsErrorText } from '../output/fs-error-text';
import { CheckResult, Deadline, fail, kustomizedFolder, pass, skip } from './check';
import { accessFix, failureText, kubectl } from './kubectl';

export interface DriftOptions {
  /** The cluster's output folder (`dist/<cluster>`). */
  readonly dir: string;
  readonly context?: string;
  readonly kubeMs: number;
  readonly deadline: Deadline;
}

/** The objects named in `kubectl diff` output: `v1.Secret.runai.name`, `networking.k8s.io.v1.Ingress.runai.name`. */
function changedObjects(diff: string): string[] {
  const names = new Set<string>();
  for (const m of diff.matchAll(/^diff .*?\/LIVE-[^/\s]*\/(\S+)/gm)) names.add(m[1]);
  return [...names];
}

export async function driftCheck(o: DriftOptions): Promise<CheckResult> {
  if (!fs.existsSync(o.dir) || !fs.statSync(o.dir).isDirectory()) {
    return skip(
      'kube.drift',
      `no output folder ${o.dir} to compare with`,
      'write it with npx runai-access synth (with the same --config and --out), or pass --out DIR, to compare the live objects with it',
    );
  }
  let names: string[];
  try {
    names = fs.readdirSync(o.dir);
  } catch (e) {
    const code = fsErrorCode(e);
    if (code === undefined) throw e;
    return skip('kube.drift', `cannot read ${o.dir}/: ${fsErrorText(code)}`, 'run the doctor as a user who may read the output folder');
  }
  const kustomized = kustomizedFolder(o.dir);
  if (!names.some((f) => /\.(ya?ml|json)$/.test(f) && f !== KUSTOMIZATION_FILE)) {
    // kubectl diff -f of a folder without objects fails: it has nothing to compare.
    return skip('kube.drift', `${o.dir}/ holds no Kubernetes objects to compare`);
  }
  const r = await kubectl(
    ['diff', '--server-side', kustomized ? '-k' : '-f', o.dir],
    { context: o.context, timeoutMs: o.deadline.budget(o.kubeMs) },
    [1],
  );
  const shown = `kubectl diff --server-side ${kustomized ? '-k' : '-f'} ${shellPath(o.dir)}`;
  if (!r.failure && r.code === 0) return pass('kube.drift', `the live objects match ${o.dir}/`);
  if (!r.failure && r.code === 1) {
    const changed = changedObjects(r.stdout);
    return fail(
      'kube.drift',
      `the live objects differ from ${o.dir}/: ${changed.length > 0 ? changed.join(', ') : 'see the diff'}`,
      `review with: ${shown}; then apply ${o.dir}/ (or sync your GitOps tool)`,
    );
  }
  switch (r.failure) {
    case 'forbidden':
      return skip(
        'kube.drift',
        'your context may not run a server-side dry-run apply (it needs the patch verb, even though nothing is changed)',
        `run ${shown} with a context allowed to patch these objects`,
      );
    case 'no-diff-program':
      // No fault of the cluster or the folder: nothing was compared.
      return skip('kube.drift', failureText(`${o.dir}/`, r.failure, 0), accessFix(r.failure));
    case 'no-resource-type':
      return fail(
        'kube.drift',
        `${o.dir}/ holds a kind the cluster does not know (its CRD is not installed)`,
        `install the CRD it needs (Run:ai, cert-manager, Sealed Secrets or External Secrets), then run ${shown}`,
      );
    default:
      return fail(
        'kube.drift',
        `${shown} failed (${r.failure ?? `exit ${r.code}`})`,
        accessFix(r.failure ?? 'error') ?? `run ${shown} yourself to see why`,
      );
  }
}
