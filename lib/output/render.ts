/**
 * Builds one chart per cluster and renders each to the files of its output folder: one
 * Kubernetes object per file, named so that `kubectl apply -f` applies the Secret, then the
 * Ingress, then the RunaiConfig; patches and scripts in `patches/`, which `kubectl apply -f`
 * does not read. Pure: nothing here touches the disk.
 */
import { ApiObject, App, Chart } from 'cdk8s';

import { ClusterSpec, tlsSettings, TlsSpec } from '../config/spec';
import { ExposedWorkload } from '../constructs/exposed-workload';
import { PreviousSealing } from '../constructs/gitops-tls';
import { GENERATED_HEADER, isFileProducer, OutputFile } from '../constructs/output-file';
import { RunaiAccessChart } from '../constructs/runai-access-chart';
import { TlsSource } from '../constructs/tls-source';
import { InputError } from '../model/errors';
import { ExposeType } from '../model/expose';
import { kubernetesYaml } from '../model/kubernetes-yaml';
import { MigrationFacts } from '../model/migration';
import { ClusterMode, ProfileDefault } from '../model/mode';
import { CLUSTER_TLS_SECRET_NAME, deletable, INFERENCE_TLS_SECRET_NAME, STAR_TLS_SECRET_NAME } from '../model/names';
import {
  clashFreeFileName,
  DEFAULT_CONFIG,
  GITATTRIBUTES_FILE,
  GITIGNORE_FILE,
  KIND_ORDER,
  KUSTOMIZATION_FILE,
  objectFileName,
  SCRIPT_MODE,
} from '../model/output-layout';
import { asWritten, certificateDigestsFile, lfLineEnds } from './certificate-digests';
import { notesFor } from './cluster-notes';
import { duplicateObjects } from './duplicate-objects';
import { withHeader } from './generated-header';
import { migrationFacts } from './migration-output';
import { sealingKey } from './previous-sealings';

/** What one cluster's folder holds and how to apply it. */
export interface ClusterOutput {
  readonly name: string;
  readonly clusterUrl: string;
  /** The cluster's mode: how workspaces are reached. */
  readonly mode: ClusterMode;
  readonly files: readonly OutputFile[];
  /** Apply steps in order; paths are relative to the cluster folder (`''` is the folder). */
  readonly applySteps: readonly ApplyStep[];
  /** How researchers reach each exposed workload. */
  readonly access: readonly { readonly service: string; readonly type: string; readonly hints: readonly string[] }[];
  /** What the admin should know about this cluster's output, for the summary. */
  readonly notes: readonly string[];
  /** What the steps of a migration phase name, when one is under way. */
  readonly migration?: MigrationFacts;
  /**
   * True when the Helm values carry only the RunaiConfig settings, so `runaiConfig: {via: overlay}`
   * would write none (no Gateway API keys, no private CA, no control-plane values).
   */
  readonly helmValuesOnlyForSettings: boolean;
}

/** One step of applying a cluster's folder. */
export type ApplyStep = { readonly run: 'kubectl-apply' | 'kubectl-apply-k' | 'script'; readonly path: string };

/** How a cluster's folder is laid out beyond its objects. */
export interface RenderOptions {
  /**
   * Write a `kustomization.yaml` listing the objects (then apply with `kubectl apply -k`).
   * @default false
   */
  readonly kustomization?: boolean;
  /**
   * Keep files holding a plaintext private key out of git with a `.gitignore` in the folder;
   * false commits every one.
   * @default true
   */
  readonly gitignorePlaintextKeys?: boolean;
  /**
   * The Secrets (by name) whose plaintext private key is committed all the same: those of a TLS
   * setting with `commitPlaintextKey: true`.
   * @default - none
   */
  readonly committedKeySecrets?: readonly string[];
}

/** What synthesis may reuse from the previous output. */
export interface SynthContext {
  /**
   * Previous sealings keyed `<cluster>/<secret name>`, so that unchanged SealedSecrets keep their bytes.
   * @default - none: seal afresh
   */
  readonly previousSealings?: ReadonlyMap<string, readonly PreviousSealing[]>;
  /**
   * The first comment line of every generated file, naming the real config and output folder.
   * @default - GENERATED_HEADER, for runai-access.yaml and dist
   */
  readonly header?: string;
  /**
   * The config file, named in problems; `specs[i]` is its `clusters[i]`.
   * @default DEFAULT_CONFIG
   */
  readonly source?: string;
}

/**
 * Builds one chart per spec, each in an App of its own: clusters share nothing, and cdk8s
 * resolves and validates a chart's whole App on every `toJson()`, so one shared App would
 * make synthesis quadratic in the number of clusters.
 */
export function buildCharts(specs: readonly ClusterSpec[], context: SynthContext = {}): RunaiAccessChart[] {
  return specs.map((spec) => {
    // A setting the release profile chose is left to the chart's profile too, so the chart's mode
    // is the config's, with the same defaults named (the summary and validate print them).
    const mode = spec.mode;
    const chosen = (setting: ProfileDefault['setting']) => !mode.profileDefaults.some((d) => d.setting === setting);
    return new RunaiAccessChart(new App(), spec.name, {
      clusterUrl: spec.clusterUrl,
      deployment: mode.controlPlane,
      runaiVersion: spec.runaiVersion,
      tls: tlsSource(spec.tls, context.previousSealings?.get(sealingKey(spec.name, STAR_TLS_SECRET_NAME))),
      clusterTls: tlsSource(spec.clusterTls, context.previousSealings?.get(sealingKey(spec.name, CLUSTER_TLS_SECRET_NAME))),
      inference: spec.inference && {
        domain: spec.inference.domain,
        tls: tlsSource(spec.inference.tls, context.previousSealings?.get(sealingKey(spec.name, INFERENCE_TLS_SECRET_NAME))),
        gateway: spec.inference.gateway,
      },
      runaiConfigVia: chosen('runaiConfig.via') ? mode.runaiConfigVia : undefined,
      platform: mode.platform,
      exposure: mode.api,
      gateway: spec.gateway,
      routing: mode.routing,
      // Line ends as LF, as for certificates: runai-ca-cert is committed, and CI's clone must write the same.
      privateCa: spec.privateCa && { caPem: lfLineEnds(spec.privateCa.caPem) },
      gitops: spec.gitops,
      migration: spec.mode.migration,
      // The config refuses the controller and class where no Ingress class acts, and annotations
      // where no wildcard Ingress is made (path routing); the defaults apply there.
      ...(mode.usesIngressClass
        ? {
            ingressController: chosen('ingress.controller') ? mode.controller : undefined,
            ingressClassName: chosen('ingress.className') ? mode.ingressClassName : undefined,
          }
        : {}),
      ...(mode.wiring === 'dedicated-ingress' ? { ingressAnnotations: spec.ingressAnnotations } : {}),
      subdomainSupport: spec.subdomainSupport,
      expose: spec.expose.map((e) => ({ ...e, type: ExposeType.of(e.type) })),
    });
  });
}

/** The names of a cluster's Secrets whose source is sealed-secret. */
export function sealedSecrets(spec: ClusterSpec): string[] {
  return tlsSettings(spec)
    .filter((s) => s.tls?.source === 'sealed-secret')
    .map((s) => s.secretName);
}

/** The TLS source a `tls` block describes, if any. */
function tlsSource(tls: TlsSpec | undefined, previous: readonly PreviousSealing[] | undefined): TlsSource | undefined {
  switch (tls?.source) {
    case undefined:
      return undefined;
    case 'files':
      // Line ends as LF: the Secret is the same from a CRLF checkout (core.autocrlf) as from CI's clone.
      return TlsSource.fromPem(asWritten(tls));
    case 'existing':
      return TlsSource.existing();
    case 'cert-manager':
      return TlsSource.certManager(tls);
    case 'external-secret':
      return TlsSource.externalSecret(tls);
    case 'sealed-secret':
      // Sealed with LF line ends: a clone whose git stores the certificate otherwise renders the same sealing.
      return TlsSource.sealed({ ...asWritten(tls), previous });
  }
}

/** Builds and renders every cluster. */
export function synthesize(specs: readonly ClusterSpec[], context: SynthContext = {}): ClusterOutput[] {
  const charts = buildCharts(specs, context);
  const duplicates = charts.flatMap((chart, i) => duplicateObjects(chart, `clusters[${specs[i].index}]`, context.source ?? DEFAULT_CONFIG));
  if (duplicates.length > 0) throw new InputError(duplicates);
  return charts.map((chart, i) => {
    const output = renderChart(chart, { kustomization: specs[i].output.kustomization, committedKeySecrets: committedKeySecrets(specs[i]) });
    const digests = certificateDigestsFile(specs[i], output.files);
    return withHeader({ ...output, files: digests ? [...output.files, digests] : output.files }, context.header);
  });
}

/** The Secrets whose plaintext key a cluster's TLS settings commit (`commitPlaintextKey: true`), by name. */
function committedKeySecrets(spec: ClusterSpec): string[] {
  return tlsSettings(spec)
    .filter((s) => s.tls?.source === 'files' && s.tls.commitPlaintextKey)
    .map((s) => s.secretName);
}

/** Renders a chart to its files and apply steps. */
export function renderChart(chart: RunaiAccessChart, options: RenderOptions = {}): ClusterOutput {
  const objects = renderObjects(chart);
  const committed = new Set(options.committedKeySecrets);
  const ignoring = options.gitignorePlaintextKeys ?? true;
  // Each file says whether the .gitignore lists it: the summary and check read that, not the .gitignore's text.
  const files = [...objects, ...auxiliaryFiles(chart)].map((f) =>
    ignoring && f.secret && !committed.has(f.keyedSecret ?? '') ? { ...f, gitIgnored: true } : f,
  );
  const ignored = files.filter((f) => f.gitIgnored);
  if (ignored.length > 0) files.push(gitignore(ignored));
  const scripts = files.filter((f) => f.mode === SCRIPT_MODE);
  if (scripts.length > 0) files.push(gitattributes(scripts));
  if (options.kustomization) files.push(kustomization(objects));
  return {
    name: chart.node.id,
    clusterUrl: chart.clusterUrl,
    mode: chart.mode,
    files,
    applySteps: applySteps(chart, objects, options.kustomization ?? false),
    access: chart.exposed.map((w) => ({ service: `${w.namespace}/${w.name}`, type: w.type.name, hints: w.accessHints() })),
    notes: notesFor(chart),
    migration: migrationFacts(chart),
    helmValuesOnlyForSettings:
      chart.helmValues !== undefined &&
      chart.runaiConfigVia !== 'overlay' &&
      !chart.privateCa &&
      !chart.controlPlaneHelmValues &&
      !chart.mode.gateway &&
      !chart.mode.migrationGateway,
  };
}

/** Kubernetes objects, one YAML file each, in apply order. */
export function renderObjects(chart: Chart): OutputFile[] {
  const manifests = chart.toJson() as KubeObject[];
  const exposed = exposedObjects(chart);
  const named = manifests.map((m) => {
    // Researchers' objects carry their namespace: two projects may have workloads of one name.
    const researchers = exposed.has(`${m.kind}/${m.metadata.namespace}/${m.metadata.name}`);
    return { m, researchers, usual: objectFileName(m.kind, m.metadata.name, researchers ? m.metadata.namespace : undefined) };
  });
  const clash = new Set(named.map((n) => n.usual).filter((b, i, all) => all.indexOf(b) !== i));
  const files = named.map(({ m, researchers, usual }) => ({
    m,
    path: clash.has(usual) ? clashFreeFileName(m.kind, m.metadata.name, m.metadata.namespace ?? '', researchers) : usual,
  }));
  const twice = files.find((f, i) => files.findIndex((g) => g.path === f.path) !== i);
  if (twice) throw new Error(`two objects of cluster ${chart.node.id} were given one file name, ${twice.path}`);
  return files
    .sort((a, b) => compare(a.path, b.path))
    .map(({ m, path }) => {
      const secret = m.kind === 'Secret' && m.data?.['tls.key'] !== undefined;
      const sealed = m.kind === 'SealedSecret' && m.spec?.encryptedData?.['tls.key'] !== undefined;
      return {
        path,
        content: GENERATED_HEADER + kubernetesYaml(m, { lineWidth: 0, singleQuote: true }),
        mode: secret ? 0o600 : 0o644,
        description: `${m.kind} ${objectId(m)}${secret ? ' (holds the private key, mode 0600)' : ''}`,
        secret,
        object: deletable(m.kind, m.metadata.namespace, m.metadata.name),
        ...(secret || sealed ? { keyedSecret: m.metadata.name } : {}),
      };
    });
}

/** `namespace/name`, or the name alone of a cluster-scoped object (the https redirect's Namespace). */
function objectId(m: KubeObject): string {
  return m.metadata.namespace === undefined ? m.metadata.name : `${m.metadata.namespace}/${m.metadata.name}`;
}

/** `kind/namespace/name` of every object made by an {@link ExposedWorkload}. */
function exposedObjects(chart: Chart): Set<string> {
  return new Set(
    chart.node
      .findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.node.scopes.some((s) => s instanceof ExposedWorkload))
      .map((o) => `${o.kind}/${o.metadata.namespace}/${o.name}`),
  );
}

function auxiliaryFiles(chart: Chart): OutputFile[] {
  return chart.node
    .findAll()
    .filter(isFileProducer)
    .flatMap((c) => c.outputFiles());
}

/** A `.gitignore` that keeps plaintext keys out of git; `kubectl apply -f` skips it. */
function gitignore(secrets: readonly OutputFile[]): OutputFile {
  return {
    path: GITIGNORE_FILE,
    content:
      `${GENERATED_HEADER}# These files hold a plaintext private key. To commit one anyway (a repository that is\n` +
      `# itself secret), set commitPlaintextKey: true in its TLS setting (tls, clusterTls or inference.tls).\n` +
      `${secrets.map((f) => `/${f.path}`).join('\n')}\n`,
    mode: 0o644,
    description: 'keeps the plaintext private key out of git',
    secret: false,
  };
}

/**
 * A `.gitattributes` that keeps the scripts' line ends LF in every checkout: sh reads a script
 * with CRLF line ends as broken (`set: Illegal option -`), and a clone with core.autocrlf true
 * (Git for Windows' default) writes every text file so. `kubectl apply -f` skips it.
 */
function gitattributes(scripts: readonly OutputFile[]): OutputFile {
  return {
    path: GITATTRIBUTES_FILE,
    content:
      `${GENERATED_HEADER}# sh refuses a script with CRLF line ends: these keep LF in every checkout, core.autocrlf included.\n` +
      `${scripts.map((f) => `/${f.path} text eol=lf`).join('\n')}\n`,
    mode: 0o644,
    description: "keeps the scripts' line ends LF in every git checkout",
    secret: false,
  };
}

/** A `kustomization.yaml` listing the cluster's objects, for `kubectl apply -k` and GitOps tools. */
function kustomization(objects: readonly OutputFile[]): OutputFile {
  return {
    path: KUSTOMIZATION_FILE,
    content:
      // An empty list, not an empty key: kustomize refuses a resources key with nothing under it.
      `${GENERATED_HEADER}apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n` +
      (objects.length === 0 ? 'resources: []\n' : `resources:\n${objects.map((f) => `  - ${f.path}`).join('\n')}\n`),
    mode: 0o644,
    description: 'Kustomization of the objects above: apply with kubectl apply -k, not -f',
    secret: false,
  };
}

function applySteps(chart: RunaiAccessChart, objects: readonly OutputFile[], kustomized: boolean): ApplyStep[] {
  // A folder with no object (path routing or OpenShift with the settings in Helm values): kubectl
  // apply -f of it fails ("recognized file extensions are [.json .yaml .yml]").
  if (objects.length === 0) return [];
  if (!chart.legacyPatch) return [{ run: kustomized ? 'kubectl-apply-k' : 'kubectl-apply', path: '' }];
  // The patch script runs once the Secret is applied, before the Ingress-order objects.
  const before = objects.filter((f) => f.path < KIND_ORDER.Ingress);
  const after = objects.filter((f) => f.path >= KIND_ORDER.Ingress);
  return [
    ...before.map((f) => ({ run: 'kubectl-apply' as const, path: f.path })),
    { run: 'script', path: chart.legacyPatch.scriptPath },
    ...after.map((f) => ({ run: 'kubectl-apply' as const, path: f.path })),
  ];
}

/** Code-unit order: the same on every machine and locale, unlike `localeCompare`. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface KubeObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: { encryptedData?: Record<string, string> };
}
