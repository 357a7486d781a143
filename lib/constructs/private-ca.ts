import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';

import { ControlPlane } from '../model/control-plane';
import { ValidationError } from '../model/errors';
import {
  CA_SECRET_KEY,
  CA_SECRET_LABELS,
  CA_SECRET_NAME,
  OPENSHIFT_MONITORING_NAMESPACE,
  RUNAI_BACKEND_NAMESPACE,
  RUNAI_NAMESPACE,
} from '../model/names';
import { Platform } from '../model/routing';
import { privateCaProblem } from '../tls/pem';
import { checkPropTypes, optional, PropKinds } from './prop-types';

/** Props of {@link PrivateCaSecrets}. */
export interface PrivateCaSecretsProps {
  /** The PEM CA certificate (or bundle) that signed the cluster's certificates. */
  readonly caPem: Uint8Array;
  /**
   * Self-hosted control planes read it in `runai-backend` too.
   * @default ControlPlane.SAAS
   */
  readonly deployment?: ControlPlane;
  /**
   * OpenShift monitoring reads it in `openshift-monitoring` too.
   * @default Platform.KUBERNETES
   */
  readonly platform?: Platform;
}

/**
 * The Opaque Secret `runai-ca-cert` (key `runai-ca.pem`) that makes Run:ai trust a private CA:
 * in `runai` with the `run.ai/cluster-wide` and `run.ai/name` labels, in `runai-backend` for a
 * self-hosted control plane, and in `openshift-monitoring` (no labels) on OpenShift.
 */
export class PrivateCaSecrets extends Construct {
  public readonly secrets: k8s.KubeSecret[];

  constructor(scope: Construct, id: string, props: PrivateCaSecretsProps) {
    super(scope, id);
    checkPropTypes(props, {
      caPem: Uint8Array,
      deployment: optional(ControlPlane),
      platform: optional(Platform),
    } satisfies PropKinds<PrivateCaSecretsProps>);
    const pem = Buffer.from(props.caPem);
    // As the config's caFile is read: the Secret is Opaque and committed.
    const problem = privateCaProblem(pem);
    if (problem) throw new ValidationError(`caPem: ${problem.message}`);
    const data = { [CA_SECRET_KEY]: pem.toString('base64') };
    const places: [string, Record<string, string> | undefined][] = [[RUNAI_NAMESPACE, { ...CA_SECRET_LABELS }]];
    if (props.deployment === ControlPlane.SELF_HOSTED) places.push([RUNAI_BACKEND_NAMESPACE, undefined]);
    if (props.platform === Platform.OPENSHIFT) places.push([OPENSHIFT_MONITORING_NAMESPACE, undefined]);
    this.secrets = places.map(
      ([namespace, labels]) =>
        new k8s.KubeSecret(this, namespace, {
          metadata: { name: CA_SECRET_NAME, namespace, labels },
          type: 'Opaque',
          data,
        }),
    );
  }
}
