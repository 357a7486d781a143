import { Construct } from 'constructs';
import { RunaiConfig } from '../imports/run.ai';
import { RUNAI_NAMESPACE } from './wildcard-ingress';

/** The name and namespace of the operator's one RunaiConfig. */
export const RUNAI_CONFIG_NAME = 'runai';

/** Props of {@link RunaiConfigOverlay}. */
export interface RunaiConfigOverlayProps {
  /**
   * `spec.global.subdomainSupport`: gives workspaces `https://<project>-<workload>.<url>/`.
   * @default true
   */
  readonly subdomainSupport?: boolean;
}

/**
 * A partial `run.ai/v1` `RunaiConfig` named `runai` in `runai`: only the field the seed's
 * `kubectl patch RunaiConfig runai -n runai --type merge` sets. It is an overlay, not the whole
 * object; apply it only to a cluster where Run:ai is installed.
 */
export class RunaiConfigOverlay extends Construct {
  /** The RunaiConfig object; `ApiObject.of(overlay.resource)` gives the escape hatch. */
  public readonly resource: RunaiConfig;

  constructor(scope: Construct, id: string, props: RunaiConfigOverlayProps = {}) {
    super(scope, id);
    this.resource = new RunaiConfig(this, 'Resource', {
      metadata: { name: RUNAI_CONFIG_NAME, namespace: RUNAI_NAMESPACE },
      spec: { global: { subdomainSupport: props.subdomainSupport ?? true } },
    });
  }
}
