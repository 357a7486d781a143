import { memberNamed } from './member-named';
import { LEGACY_SAAS_INGRESS, LEGACY_SELF_HOSTED_INGRESS, RUNAI_BACKEND_NAMESPACE, RUNAI_NAMESPACE } from './names';

/** The config's `deployment` values. */
export const CONTROL_PLANE_NAMES = ['saas', 'self-hosted'] as const;
export type ControlPlaneName = (typeof CONTROL_PLANE_NAMES)[number];

/**
 * Where the Run:ai control plane runs. It only matters for Run:ai 2.9–2.12, whose wildcard
 * certificate is wired into an ingress that already exists, in a namespace that depends on it.
 */
export class ControlPlane {
  /** Run:ai SaaS: the cluster's `researcher-service-ingress` in `runai`. */
  public static readonly SAAS = new ControlPlane('saas', LEGACY_SAAS_INGRESS, RUNAI_NAMESPACE);
  /** Self-hosted control plane: `runai-backend-ingress` in `runai-backend`. */
  public static readonly SELF_HOSTED = new ControlPlane('self-hosted', LEGACY_SELF_HOSTED_INGRESS, RUNAI_BACKEND_NAMESPACE);

  /** The deployment named in the config (`saas` or `self-hosted`). */
  public static of(name: ControlPlaneName): ControlPlane {
    return memberNamed('ControlPlane', [ControlPlane.SAAS, ControlPlane.SELF_HOSTED], name);
  }

  private constructor(
    /** The config value. */
    public readonly name: ControlPlaneName,
    /** The ingress that Run:ai 2.9–2.12 already has, which the legacy patch extends. */
    public readonly legacyIngressName: string,
    /** Its namespace, where the legacy wildcard Secret must live too. */
    public readonly legacyNamespace: string,
  ) {}
}

/** @deprecated use {@link ControlPlane}: where the Run:ai control plane runs, not a Kubernetes Deployment. */
export const Deployment = ControlPlane;
/** @deprecated use {@link ControlPlane}. */
export type Deployment = ControlPlane;
