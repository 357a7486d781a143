/**
 * What the config layer hands on: one `ClusterSpec` per cluster, validated, with its files
 * read, every default applied and its mode computed. The enumerated settings take their types
 * from the zod schema, so a new value is declared once.
 */
import { KeyObject } from 'node:crypto';

import { shownPath } from '../model/errors';
import { ExposeTypeName, PortSpec } from '../model/expose';
import { ClusterMode } from '../model/mode';
import { CLUSTER_TLS_SECRET_NAME, INFERENCE_TLS_SECRET_NAME, STAR_TLS_SECRET_NAME } from '../model/names';
import { RunaiVersion } from '../model/runai-version';
import { SealingScope } from '../model/tls-sources';
import { CertificateSummary } from '../tls/inspect';
import { RawCluster } from './schema';

/** A setting as the schema allows it, without the `undefined` of an optional key. */
type Setting<K extends keyof RawCluster> = NonNullable<RawCluster[K]>;
type RawTls<S extends string> = Extract<Setting<'tls'>, { source: S }>;

/** Where the wildcard certificate comes from, with the file contents already read. */
export type TlsSpec =
  | {
      readonly source: 'files';
      readonly certificatePem: Buffer;
      /** Empty when {@link keyMissing} is set. */
      readonly privateKeyPem: Buffer;
      /** The keyFile as given, when it is missing and missing keys are allowed (`check` in a clone). */
      readonly keyMissing?: string;
      readonly certificate: CertificateSummary;
      readonly commitPlaintextKey: boolean;
    }
  | { readonly source: 'existing' }
  | {
      readonly source: 'cert-manager';
      readonly issuerRef: { readonly name: string; readonly kind: string; readonly group?: string };
      readonly includeApex: boolean;
      readonly secretTemplate?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
    }
  | {
      readonly source: 'sealed-secret';
      readonly certificatePem: Buffer;
      /** Empty when {@link keyMissing} is set. */
      readonly privateKeyPem: Buffer;
      /** The keyFile as given, when it is missing and missing keys are allowed. */
      readonly keyMissing?: string;
      readonly certificate: CertificateSummary;
      readonly controllerKey: KeyObject;
      readonly controllerFingerprint: string;
      readonly scope: SealingScope;
    }
  | {
      readonly source: 'external-secret';
      readonly secretStoreRef: { readonly name: string; readonly kind: NonNullable<RawTls<'external-secret'>['secretStoreRef']['kind']> };
      readonly remoteRef: { readonly certificate: string; readonly privateKey: string };
      readonly apiVersion: NonNullable<RawTls<'external-secret'>['apiVersion']>;
      readonly refreshInterval: string;
    };

/** One cluster, validated and with every default applied. */
export interface ClusterSpec {
  readonly name: string;
  /** Its place in the config's `clusters` list, from 0: messages about it name `clusters[<index>]`. */
  readonly index: number;
  /** Lower-case host name, no scheme, port or path. */
  readonly clusterUrl: string;
  /**
   * How workspaces are reached, computed once from the config's settings: what every consumer
   * reads, for the platform, routing, API, control plane, controller, IngressClass, release
   * profile, `runaiConfig.via` and migration (none of them is copied here).
   */
  readonly mode: ClusterMode;
  /** `undefined` when the config leaves it out: a current Run:ai with the dedicated Ingress. */
  readonly runaiVersion?: RunaiVersion;
  /** The Gateway, with exposure gateway-api or a migration to it (with its class, which the mode does not hold). */
  readonly gateway?: Readonly<Setting<'gateway'>>;
  readonly ingressAnnotations: Readonly<Record<string, string>>;
  /** `undefined` with path routing or on OpenShift, which need no wildcard certificate. */
  readonly tls?: TlsSpec;
  /** The cluster's own certificate, for `runai-cluster-domain-tls-secret`. */
  readonly clusterTls?: TlsSpec;
  /** Inference serving: its own domain and wildcard certificate. */
  readonly inference?: {
    readonly domain: string;
    readonly tls?: TlsSpec;
    readonly gateway?: { readonly name: string; readonly namespace: string };
  };
  /** The PEM bytes of a private CA, for the `runai-ca-cert` Secrets. */
  readonly privateCa?: { readonly caPem: Buffer };
  /** Write Run:ai's `spec.global.subdomainSupport` (its value is `mode.hostUrls`); false leaves it to the admin. */
  readonly subdomainSupport: boolean;
  /** Researchers' workloads to expose; empty when the config has no `expose`. */
  readonly expose: readonly ExposeSpec[];
  /** GitOps annotations on the overlay. */
  readonly gitops: { readonly argocd: boolean; readonly flux: boolean };
  readonly output: { readonly kustomization: boolean };
}

/** One `expose` entry with its defaults applied. */
export interface ExposeSpec {
  readonly project: string;
  readonly workload: string;
  readonly type: ExposeTypeName;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly PortSpec[];
  readonly loadBalancerSourceRanges: readonly string[];
}

/** How certificates are checked. */
export interface CheckOptions {
  /** The time certificate validity is checked at. @default - now */
  readonly now?: Date;
  /** Warn when a leaf expires within this many days. @default 30 */
  readonly warnDays?: number;
  /** Treat warnings as errors. @default false */
  readonly strict?: boolean;
  /**
   * A missing `keyFile` is not an error: its certificate is still checked and the key is
   * reported in `LoadedConfig.missingKeys` (`check` and `validate` in a clone without keys).
   * @default false
   */
  readonly allowMissingKeys?: boolean;
  /**
   * Read private key files at all. `false` (`url` and `doctor`, which need no key): each key is
   * left unread, as in a clone without it, whether or not it is there or readable; nothing is
   * said of it, and the key's match with its certificate is not checked.
   * @default true
   */
  readonly readKeys?: boolean;
  /**
   * Reads and checks the files of this cluster only, by name, and returns it alone: a command about
   * one cluster (`url`, `doctor`, `synth --stdout --cluster`) is not stopped by another cluster's
   * certificate. The config's own checks (schema, fields that compare clusters) still cover every
   * cluster. A name no cluster has loads none; `LoadedConfig.clusterNames` lists them.
   * @default - every cluster
   */
  readonly cluster?: string;
  /**
   * An error in the content of a certificate, key or CA file (expired, not matching its key, not
   * covering the host) does not stop the load: it is in `LoadedConfig.tolerated`, as a warning,
   * and the cluster keeps the certificate it read. For commands that read the files only to say
   * more (`url`, `doctor`): an expired certificate is when an admin runs doctor. A file that
   * cannot be read at all is still an error.
   * @default false
   */
  readonly tolerateCertificateProblems?: boolean;
  /**
   * The output folder the run writes or compares (`synth`, `check`): inside a git work tree, a
   * `delivery.path` that is not its path in the repository is the warning `delivery-path-elsewhere`.
   * @default - not compared
   */
  readonly out?: string;
  /**
   * Ask git about the key files, where they lie in a git work tree: one it tracks is the warning
   * `key-file-tracked`, one it would add (no `.gitignore` lists it) `key-file-not-ignored`; where
   * git cannot be asked, `LoadedConfig.notes` says so. Clusters on a name reserved for
   * documentation (`runai.example.com`, RFC 2606) are left out: a demo key guards nothing. Git is
   * started once per work tree, and only when no error was found.
   * @default false (no process is started)
   */
  readonly askGit?: boolean;
}

/** A file a config names and the run reads: the config itself, a certificate, a key, a CA. */
export interface InputFile {
  /** Its absolute path. */
  readonly file: string;
  /** The file it is named in (the config), or the flag (`--config`). */
  readonly source: string;
  /** The field that names it, such as `clusters[0].tls.keyFile`; empty for the config itself. */
  readonly path: string;
  /** As the config or the flag gives it. */
  readonly given: string;
}

/** A `keyFile` the config names that does not exist, tolerated with `allowMissingKeys`. */
export interface MissingKey {
  readonly source: string;
  /** The field, such as `clusters[0].tls.keyFile`. */
  readonly path: string;
  /** The file as the config names it. */
  readonly given: string;
  readonly cluster: string;
}

/** The certificate a TLS setting's files hold, read at load; `undefined` for a source that names no files. */
export function certificateOf(tls: TlsSpec | undefined): CertificateSummary | undefined {
  return tls && 'certificate' in tls ? tls.certificate : undefined;
}

/** A cluster's TLS settings, each with its config key and the name of the Secret it makes. */
export function tlsSettings(
  spec: ClusterSpec,
): { readonly key: string; readonly secretName: string; readonly namespaces: readonly string[]; readonly tls: TlsSpec | undefined }[] {
  const mode = spec.mode;
  return [
    { key: 'tls', secretName: STAR_TLS_SECRET_NAME, namespaces: [mode.starSecretNamespace], tls: spec.tls },
    { key: 'clusterTls', secretName: CLUSTER_TLS_SECRET_NAME, namespaces: [mode.clusterSecretNamespace], tls: spec.clusterTls },
    { key: 'inference.tls', secretName: INFERENCE_TLS_SECRET_NAME, namespaces: mode.inferenceSecretNamespaces, tls: spec.inference?.tls },
  ];
}

/** The one line that says a key file is missing and what was checked without it; the path is shown redacted. */
export function missingKeyNote(m: MissingKey, hint = ''): string {
  return `${shownPath(m.source)}: ${m.path}: ${shownPath(m.given)} is missing; its certificate was checked without it${hint}`;
}
