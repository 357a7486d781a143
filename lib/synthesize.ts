/**
 * Builds one chart per cluster and renders each to the files of its output folder: one
 * Kubernetes object per file, named so that `kubectl apply -f` applies the Secret, then the
 * Ingress, then the RunaiConfig; patches and scripts in `patches/`, which `kubectl apply -f`
 * does not read. Pure: nothing here touches the disk.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { ClusterSpec } from './config';
import { ExposedWorkload, ExposureType } from './exposed-workload';
import { GENERATED_HEADER, isFileProducer, OutputFile } from './output-file';
import { RunaiAccessChart } from './runai-access-chart';
import { TlsSource } from './tls-source';

/** Apply order: the file-name prefix of each kind. Kinds not listed go after these. */
const KIND_ORDER: Readonly<Record<string, string>> = { Secret: '00', Ingress: '10', RunaiConfig: '20' };
/** Researchers' Services, then their Ingresses, after the cluster's own objects. */
const EXPOSED_ORDER: Readonly<Record<string, string>> = { Service: '30', Ingress: '40' };
const OTHER_KINDS = '50';

/** What one cluster's folder holds and how to apply it. */
export interface ClusterOutput {
  readonly name: string;
  readonly clusterUrl: string;
  /** True for Run:ai 2.9–2.12, whose ingress is patched rather than created. */
  readonly legacy: boolean;
  readonly files: readonly OutputFile[];
  /** Apply steps in order; paths are relative to the cluster folder (`''` is the folder). */
  readonly applySteps: readonly ApplyStep[];
  /** How researchers reach each exposed workload. */
  readonly access: readonly { readonly service: string; readonly type: string; readonly hints: readonly string[] }[];
}

/** One step of applying a cluster's folder. */
export type ApplyStep = { readonly run: 'kubectl-apply'; readonly path: string } | { readonly run: 'script'; readonly path: string };

/**
 * Builds one chart per spec, each in an App of its own: clusters share nothing, and cdk8s
 * resolves and validates a chart's whole App on every `toJson()`, so one shared App would
 * make synthesis quadratic in the number of clusters.
 */
export function buildCharts(specs: readonly ClusterSpec[]): RunaiAccessChart[] {
  return specs.map((spec) => new RunaiAccessChart(new App(), spec.name, {
    clusterUrl: spec.clusterUrl,
    deployment: spec.deployment,
    runaiVersion: spec.runaiVersion,
    tls: spec.tls.source === 'files'
      ? TlsSource.fromPem({ certificatePem: spec.tls.certificatePem, privateKeyPem: spec.tls.privateKeyPem })
      : TlsSource.existing(),
    ...(spec.runaiVersion?.needsLegacyPatch ? {} : {
      ingressClassName: spec.ingressClassName,
      ingressAnnotations: spec.ingressAnnotations,
    }),
    subdomainSupport: spec.subdomainSupport,
    expose: spec.expose.map((e) => ({ ...e, type: ExposureType.of(e.type) })),
  }));
}

/** Builds and renders every cluster. */
export function synthesize(specs: readonly ClusterSpec[]): ClusterOutput[] {
  return buildCharts(specs).map((chart) => renderChart(chart));
}

/** Renders a chart to its files and apply steps. */
export function renderChart(chart: RunaiAccessChart): ClusterOutput {
  const files = [...renderObjects(chart), ...auxiliaryFiles(chart)];
  return {
    name: chart.node.id,
    clusterUrl: chart.clusterUrl,
    legacy: chart.legacyPatch !== undefined,
    files,
    applySteps: applySteps(chart, files),
    access: chart.exposed.map((w) => ({ service: `${w.namespace}/${w.name}`, type: w.type.name, hints: w.accessHints() })),
  };
}

/** Kubernetes objects, one YAML file each, in apply order. */
export function renderObjects(chart: Chart): OutputFile[] {
  const manifests = chart.toJson() as KubeObject[];
  const exposed = exposedObjects(chart);
  const named = manifests.map((m) => {
    const key = `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`;
    // Researchers' objects carry their namespace: two projects may have workloads of one name.
    const base = exposed.has(key)
      ? `${EXPOSED_ORDER[m.kind] ?? OTHER_KINDS}-${m.kind.toLowerCase()}-${m.metadata.namespace}-${m.metadata.name}`
      : `${KIND_ORDER[m.kind] ?? OTHER_KINDS}-${m.kind.toLowerCase()}-${m.metadata.name}`;
    return { m, base };
  });
  const clash = new Set(named.map((n) => n.base).filter((b, i, all) => all.indexOf(b) !== i));
  return named
    .map(({ m, base }) => ({ m, path: `${clash.has(base) ? `${base}-${m.metadata.namespace}` : base}.yaml` }))
    .sort((a, b) => compare(a.path, b.path))
    .map(({ m, path }) => {
      const secret = m.kind === 'Secret' && m.data?.['tls.key'] !== undefined;
      return {
        path,
        content: GENERATED_HEADER + stringify(m, { lineWidth: 0, singleQuote: true }),
        mode: secret ? 0o600 : 0o644,
        description: `${m.kind} ${m.metadata.namespace}/${m.metadata.name}${secret ? ' (holds the private key, mode 0600)' : ''}`,
        secret,
      };
    });
}

/** `kind/namespace/name` of every object made by an {@link ExposedWorkload}. */
function exposedObjects(chart: Chart): Set<string> {
  return new Set(chart.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.node.scopes.some((s) => s instanceof ExposedWorkload))
    .map((o) => `${o.kind}/${o.metadata.namespace}/${o.name}`));
}

function auxiliaryFiles(chart: Chart): OutputFile[] {
  return chart.node.findAll().filter(isFileProducer).flatMap((c) => c.outputFiles());
}

function applySteps(chart: RunaiAccessChart, files: readonly OutputFile[]): ApplyStep[] {
  if (!chart.legacyPatch) return [{ run: 'kubectl-apply', path: '' }];
  const objects = files.filter((f) => !f.path.includes('/'));
  const before = objects.filter((f) => f.path < '10');
  const after = objects.filter((f) => f.path >= '10');
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
}

