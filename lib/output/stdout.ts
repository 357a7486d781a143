/**
 * `synth --stdout`: every Kubernetes object of every cluster as one multi-document YAML
 * stream, for `| kubectl apply -f -` or `| kubectl diff -f -`. Objects that hold a plaintext
 * private key are left out unless asked for; files that are not objects (patches, scripts,
 * Helm values, `.gitignore`, `kustomization.yaml`, digests) are never printed.
 */
import { HELM_VALUES_PATH, KUSTOMIZATION_FILE, SCRIPT_MODE } from '../model/output-layout';
import { ClusterOutput } from './render';

const HELM_DIR = HELM_VALUES_PATH.split('/')[0];

/** The stream, and one note per thing left out. */
export interface ObjectStream {
  readonly yaml: string;
  readonly notes: string[];
}

/** Renders every cluster's objects as one stream. */
export function objectStream(clusters: readonly ClusterOutput[], includeSecrets = false): ObjectStream {
  const docs: string[] = [];
  const notes: string[] = [];
  for (const c of clusters) {
    for (const f of c.files) {
      if (!isObjectFile(f.path)) continue;
      if (f.secret && !includeSecrets) {
        // The file's mode means nothing on stdout.
        notes.push(`left out ${c.name}: ${f.description.replace(/, mode 0600\)$/, ')')}; add --include-secrets to print it`);
        continue;
      }
      docs.push(f.content);
    }
    // What the admin must still act on: the scripts, and the Helm values Run:ai must be upgraded with.
    const other = c.files.filter(
      (f) => f.path.includes('/') && (f.path.startsWith(`${HELM_DIR}/`) || (!f.path.endsWith('.json') && f.mode === SCRIPT_MODE)),
    );
    for (const f of other) notes.push(`not printed ${c.name}: ${f.path} (${f.description}); write the folder with synth to use it`);
  }
  return { yaml: docs.map((d) => `---\n${d}`).join(''), notes };
}

/** A Kubernetes object's file: a `.yaml` file at the top of the cluster folder, other than kustomization.yaml. */
function isObjectFile(file: string): boolean {
  return !file.includes('/') && file.endsWith('.yaml') && file !== KUSTOMIZATION_FILE;
}
