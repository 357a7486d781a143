import { Construct } from 'constructs';
import { stringify } from 'yaml';

import { RunaiConfig } from '../../imports/run.ai';
import { shown, ValidationError } from '../model/errors';
import { HELM_VALUES_PATH, RUNAI_CONFIG_NAME, RUNAI_NAMESPACE, subdomainNameProblem } from '../model/names';
import { GENERATED_HEADER, IFileProducer, OutputFile } from './output-file';
import { checkNames, checkPropTypes, optional, PropKinds } from './prop-types';

/** Props of {@link RunaiConfigOverlay}. */
export interface RunaiConfigOverlayProps {
  /**
   * `spec.global.subdomainSupport`: gives workspaces `https://<project>-<workload>.<url>/`;
   * `null` leaves it out (the admin sets it), so the overlay carries only the ingress class.
   * @default true
   */
  readonly subdomainSupport?: boolean | null;
  /**
   * Annotate for Argo CD: never prune or delete the operator's RunaiConfig; server-side apply.
   * @default true
   */
  readonly argocd?: boolean;
  /**
   * Annotate for Flux: never prune it; merge with server-side apply.
   * @default true
   */
  readonly flux?: boolean;
  /**
   * `spec.global.ingress.ingressClass`, for ingress controllers other than ingress-nginx.
   * @default - left out: Run:ai's default (nginx)
   */
  readonly ingressClass?: string;
}

/** What keeps Argo CD from deleting the operator's whole config when the overlay leaves git. */
export const ARGOCD_ANNOTATIONS: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,ServerSideApply=true',
};
/** The same for Flux's kustomize-controller. */
export const FLUX_ANNOTATIONS: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  'kustomize.toolkit.fluxcd.io/ssa': 'Merge',
};

/**
 * A partial `run.ai/v1` `RunaiConfig` named `runai` in `runai`: only the field the seed's
 * `kubectl patch RunaiConfig runai -n runai --type merge` sets. It is an overlay, not the whole
 * object; apply it only to a cluster where Run:ai is installed, with server-side apply. Its
 * GitOps annotations keep Argo CD and Flux from deleting the operator's config when the
 * overlay is pruned.
 */
export class RunaiConfigOverlay extends Construct {
  /** The RunaiConfig object; `ApiObject.of(overlay.resource)` gives the escape hatch. */
  public readonly resource: RunaiConfig;

  constructor(scope: Construct, id: string, props: RunaiConfigOverlayProps = {}) {
    super(scope, id);
    checkPropTypes(props, {
      subdomainSupport: optional('boolean-or-null'),
      argocd: optional('boolean'),
      flux: optional('boolean'),
      ingressClass: optional('string'),
    } satisfies PropKinds<RunaiConfigOverlayProps>);
    checkNames([['ingressClass', props.ingressClass, subdomainNameProblem]]);
    const annotations = { ...((props.argocd ?? true) ? ARGOCD_ANNOTATIONS : {}), ...((props.flux ?? true) ? FLUX_ANNOTATIONS : {}) };
    this.resource = new RunaiConfig(this, 'Resource', {
      metadata: {
        name: RUNAI_CONFIG_NAME,
        namespace: RUNAI_NAMESPACE,
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
      spec: {
        global: {
          subdomainSupport: props.subdomainSupport === null ? undefined : (props.subdomainSupport ?? true),
          ingress: props.ingressClass ? { ingressClass: props.ingressClass } : undefined,
        },
      },
    });
  }
}

/** Props of {@link RunaiHelmValues}. */
export interface RunaiHelmValuesProps {
  /** The values to merge into the Run:ai cluster release, such as `{clusterConfig: {global: {subdomainSupport: true}}}`. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * The file, relative to the cluster folder.
   * @default RunaiHelmValues.PATH, the cluster release's values
   */
  readonly path?: string;
  /**
   * The release the values are for, as the file's comment names it.
   * @default 'the Run:ai cluster release'
   */
  readonly release?: string;
}

/**
 * A values fragment for the Run:ai cluster Helm release: where Run:ai is installed and upgraded
 * with Helm, an upgrade reverts a kubectl change of the RunaiConfig, so settings belong in the
 * release values; chart-only settings such as `global.customCA` live only there. Written to
 * `helm/`, which `kubectl apply -f` does not read.
 */
export class RunaiHelmValues extends Construct implements IFileProducer {
  public static readonly PATH = HELM_VALUES_PATH;
  public readonly values: Readonly<Record<string, unknown>>;
  public readonly path: string;
  private readonly release: string;

  constructor(scope: Construct, id: string, props: RunaiHelmValuesProps) {
    super(scope, id);
    checkPropTypes(props, { values: {}, path: optional('string'), release: optional('string') } satisfies PropKinds<RunaiHelmValuesProps>);
    if (Object.keys(props.values).length === 0) throw new ValidationError('values: must set at least one value');
    this.values = props.values;
    this.path = props.path ?? RunaiHelmValues.PATH;
    this.release = props.release ?? 'the Run:ai cluster release';
    // The file goes inside the cluster folder, and the release's name into a one-line comment.
    const segments = this.path.split('/');
    // In a subfolder: kubectl apply -f of the cluster folder reads every YAML file at its top.
    const outside = segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'));
    if (!/\.ya?ml$/.test(this.path) || outside || segments.length < 2)
      throw new ValidationError(
        `path: ${shown(this.path)} must be a relative path in a subfolder of the cluster folder, such as helm/values.yaml`,
      );
    if (/[\r\n]/.test(this.release)) throw new ValidationError('release: must be one line: it goes into a comment of the values file');
  }

  public outputFiles(): OutputFile[] {
    return [
      {
        path: this.path,
        content:
          `${GENERATED_HEADER}# Values for ${this.release.replace(/ release$/, ' Helm release')}: ` +
          `helm upgrade <release> <chart> --reuse-values -f ${this.path}\n${stringify(this.values)}`,
        mode: 0o644,
        description: `Helm values fragment for ${this.release}`,
        secret: false,
      },
    ];
  }
}
