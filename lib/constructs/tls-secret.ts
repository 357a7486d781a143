import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';

import { labelNameProblem, subdomainNameProblem } from '../model/dns-names';
import { shown, ValidationError } from '../model/errors';
import { CERTIFICATE_BEGIN, PRIVATE_KEY_BEGIN, STAR_TLS_SECRET_NAME } from '../model/names';
import { checkNames, checkPropTypes, optional, PropKinds } from './prop-types';

/** A reference to a TLS Secret (the wildcard, the cluster's or inference's): what an Ingress or a Gateway listener needs to use it. */
export interface IRunaiTlsSecret {
  /** The Secret's name, such as `runai-cluster-domain-star-tls-secret`. */
  readonly name: string;
  /** An Ingress can only use a TLS Secret of its own namespace. */
  readonly namespace: string;
}

/** The run-time type of an {@link IRunaiTlsSecret} prop: any object with its name and namespace. */
export const TLS_SECRET_KINDS: PropKinds<IRunaiTlsSecret> = { name: 'string', namespace: 'string' };

/** Props of {@link RunaiTlsSecret}. */
export interface RunaiTlsSecretProps {
  /** Namespace of the Secret: the namespace of the Ingress that serves it. */
  readonly namespace: string;
  /**
   * The Secret's name.
   * @default 'runai-cluster-domain-star-tls-secret'
   */
  readonly name?: string;
  /** The PEM certificate chain, leaf first, byte for byte as in `fullchain.pem`. */
  readonly certificatePem: Uint8Array | string;
  /** The PEM private key of the leaf, byte for byte as in `private.pem`. */
  readonly privateKeyPem: Uint8Array | string;
}

/**
 * The Secret `runai-cluster-domain-star-tls-secret` of type `kubernetes.io/tls`, exactly as
 * `kubectl create secret tls NAME -n NS --cert C --key K` writes it: base64 `data` with
 * `tls.crt` and `tls.key`, no `stringData`.
 */
export class RunaiTlsSecret extends Construct implements IRunaiTlsSecret {
  /** Refers to a wildcard Secret created outside runai-access (`tls.source: existing`). */
  public static fromExisting(namespace: string, name: string = STAR_TLS_SECRET_NAME): IRunaiTlsSecret {
    return { name, namespace };
  }

  public readonly name: string;
  public readonly namespace: string;
  /** The Secret object; `ApiObject.of(secret.resource)` gives the escape hatch. */
  public readonly resource: k8s.KubeSecret;

  constructor(scope: Construct, id: string, props: RunaiTlsSecretProps) {
    super(scope, id);
    checkPropTypes(props, {
      namespace: 'string',
      name: optional('string'),
      certificatePem: 'bytes-or-string',
      privateKeyPem: 'bytes-or-string',
    } satisfies PropKinds<RunaiTlsSecretProps>);
    this.name = props.name ?? STAR_TLS_SECRET_NAME;
    checkSecretNames(this.name, props.namespace);
    const crt = Buffer.from(props.certificatePem);
    const key = Buffer.from(props.privateKeyPem);
    if (!crt.includes(CERTIFICATE_BEGIN)) {
      throw new ValidationError('certificatePem: must hold a PEM certificate (-----BEGIN CERTIFICATE-----)');
    }
    if (!PRIVATE_KEY_BEGIN.test(key.toString('latin1'))) {
      throw new ValidationError('privateKeyPem: must hold a PEM private key (-----BEGIN PRIVATE KEY-----)');
    }
    this.namespace = props.namespace;
    this.resource = new k8s.KubeSecret(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': crt.toString('base64'), 'tls.key': key.toString('base64') },
    });
  }
}

/** Refuses a Secret's name or namespace that the API server would (every TLS Secret construct's `name` and `namespace`). */
export function checkSecretNames(name: string, namespace: string): void {
  checkNames([
    ['name', name, subdomainNameProblem],
    ['namespace', namespace, labelNameProblem],
  ]);
}

/**
 * Throws unless `secret` lives in `namespace`, that of its user: an Ingress or a Gateway
 * listener can only use a TLS Secret of its own namespace.
 * @param prop the prop that named the secret, for the message
 * @param user what uses it, such as `the ingress` or `runai-backend-ingress`
 */
export function requireSecretIn(prop: string, secret: IRunaiTlsSecret, namespace: string, user: string, kind = 'an ingress'): void {
  if (secret.namespace !== namespace) {
    throw new ValidationError(
      `${prop}: namespace ${shown(secret.namespace)} must be "${namespace}", the namespace of ` +
        `${user}; ${kind} can only use a tls secret of its own namespace`,
    );
  }
}

/** @deprecated use {@link RunaiTlsSecret}: it emits the cluster and inference Secrets too, not only the wildcard one. */
export const WildcardTlsSecret = RunaiTlsSecret;
/** @deprecated use {@link RunaiTlsSecret}. */
export type WildcardTlsSecret = RunaiTlsSecret;
/** @deprecated use {@link RunaiTlsSecretProps}. */
export type WildcardTlsSecretProps = RunaiTlsSecretProps;
/** @deprecated use {@link IRunaiTlsSecret}. */
export type IWildcardTlsSecret = IRunaiTlsSecret;
