/**
 * How the output is laid out: the default config and output folder, the files of a cluster folder
 * beside its objects (Helm values, the legacy patch, certificate digests, .gitignore, kustomization),
 * the delivery folder, and the file each object is written to, whose number prefix is the apply order.
 */

/** The config file the commands read when `--config` is not given. */
export const DEFAULT_CONFIG = 'runai-access.yaml';
/** The output folder the commands write when `--out` is not given. */
export const DEFAULT_OUT = 'dist';

/** The Helm values fragment, relative to a cluster folder. */
export const HELM_VALUES_PATH = 'helm/runai-cluster-values.yaml';
/** The self-hosted control plane's Helm values fragment, relative to a cluster folder. */
export const CONTROL_PLANE_HELM_VALUES_PATH = 'helm/runai-control-plane-values.yaml';
/** The legacy patch and its script, relative to a cluster folder (`kubectl apply -f` skips subfolders). */
export const PATCHES_DIR = 'patches';
/**
 * The key-free file in a cluster folder recording the SHA-256 of each certificate chain whose
 * Secret holds a private key, so `check` can verify it in a clone without the keys. Not a
 * `.yaml` file: `kubectl apply -f`, Argo CD and Flux do not read it.
 */
export const CERTIFICATE_DIGESTS_FILE = 'certificates.sha256';
/**
 * The folder beside the cluster folders for fleet delivery objects (Argo CD, Flux). Its `_`
 * cannot start a cluster name (a DNS label), so it never clashes with one.
 */
export const DELIVERY_DIR = '_delivery';
/** The file of `_delivery/` each engine gets. */
export const DELIVERY_FILES = { argocd: 'argocd-applicationset.yaml', flux: 'flux-kustomizations.yaml' } as const;
/** Apply order: the file-name prefix of each kind. Kinds not listed go after these. */
export const KIND_ORDER: Readonly<Record<string, string>> = {
  Namespace: '00',
  Secret: '00',
  Certificate: '00',
  SealedSecret: '00',
  ExternalSecret: '00',
  Ingress: '10',
  Gateway: '10',
  HTTPRoute: '15',
  ReferenceGrant: '15',
  RunaiConfig: '20',
};
/** Researchers' Services, then their Ingresses, after the cluster's own objects. */
export const EXPOSED_ORDER: Readonly<Record<string, string>> = { Service: '30', Ingress: '40' };
/** Kinds in neither table. */
export const OTHER_KINDS_ORDER = '50';

/** The file beside a cluster's objects that keeps plaintext-key Secrets out of git. */
export const GITIGNORE_FILE = '.gitignore';
/** The file beside a cluster's scripts that keeps their line ends LF in every checkout. */
export const GITATTRIBUTES_FILE = '.gitattributes';
/** The file mode of a script that synth writes. */
export const SCRIPT_MODE = 0o755;
/** The file that lists a cluster's objects for `kubectl apply -k` (with `output.kustomization`). */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * The file a cluster object is written to: `<order>-<kind>-<name>.yaml`, or, for a researcher's
 * object (given its `namespace`), `<order>-<kind>-<namespace>-<name>.yaml`.
 */
export function objectFileName(kind: string, name: string, namespace?: string): string {
  const order = namespace === undefined ? (KIND_ORDER[kind] ?? OTHER_KINDS_ORDER) : (EXPOSED_ORDER[kind] ?? OTHER_KINDS_ORDER);
  return `${order}-${kind.toLowerCase()}-${namespace === undefined ? '' : `${namespace}-`}${name}.yaml`;
}

/**
 * The file of an object whose {@link objectFileName} another object of the cluster has too. The
 * cluster's own objects (fixed names) add their namespace: `<order>-<kind>-<name>-<namespace>.yaml`.
 * A researcher's object names its namespace already, and a `-` cannot tell namespace `runai-a`
 * with workload `b-c` from `runai-a-b` with `c`, so a dot, which neither a namespace nor these
 * names hold, parts them: `<order>-<kind>-<namespace>.<name>.yaml`, unique for each object.
 */
export function clashFreeFileName(kind: string, name: string, namespace: string, researchers: boolean): string {
  if (!researchers) return `${objectFileName(kind, name).slice(0, -'.yaml'.length)}-${namespace}.yaml`;
  return `${EXPOSED_ORDER[kind] ?? OTHER_KINDS_ORDER}-${kind.toLowerCase()}-${namespace}.${name}.yaml`;
}
