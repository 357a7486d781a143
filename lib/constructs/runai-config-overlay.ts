import { Construct } from 'constructs';

import { RunaiConfig } from '../../imports/run.ai';
import { subdomainNameProblem } from '../model/dns-names';
import { RUNAI_CONFIG_NAME, RUNAI_NAMESPACE } from '../model/names';
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
