import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Deployment } from './deployment';
import { ValidationError } from './errors';
import { Platform } from './routing';

/** The Secret Run:ai reads a private CA from, and its key. */
export const CA_SECRET_NAME = 'runai-ca-cert';
export const CA_SECRET_KEY = 'runai-ca.pem';
/** The labels Run:ai's docs put on the copy in `runai`. */
export const CA_SECRET_LABELS: Readonly<Record<string, string>> = { 'run.ai/cluster-wide': 'true', 'run.ai/name': CA_SECRET_NAME };

/** Props of {@link PrivateCaSecrets}. */
export interface PrivateCaSecretsProps {
  /** The PEM CA certificate (or bundle) that signed the cluster's certificates. */
  readonly caPem: Uint8Array;
  /**
   * Self-hosted control planes read it in `runai-backend` too.
   * @default Deployment.SAAS
   */
  readonly deployment?: Deployment;
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
    const pem = Buffer.from(props.caPem);
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ValidationError('caPem: must hold a PEM CA certificate (-----BEGIN CERTIFICATE-----)');
    const data = { [CA_SECRET_KEY]: pem.toString('base64') };
    const places: [string, Record<string, string> | undefined][] = [['runai', { ...CA_SECRET_LABELS }]];
    if (props.deployment === Deployment.SELF_HOSTED) places.push(['runai-backend', undefined]);
    if (props.platform === Platform.OPENSHIFT) places.push(['openshift-monitoring', undefined]);
    this.secrets = places.map(([namespace, labels]) => new k8s.KubeSecret(this, namespace, {
      metadata: { name: CA_SECRET_NAME, namespace, labels },
      type: 'Opaque',
      data,
    }));
  }
}
