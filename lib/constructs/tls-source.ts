import { Construct } from 'constructs';

import { STAR_TLS_SECRET_NAME } from '../model/names';
import {
  ExternalTlsSecret,
  ExternalTlsSecretProps,
  SealedTlsSecret,
  SealedTlsSecretProps,
  WildcardCertificate,
  WildcardCertificateProps,
} from './gitops-tls';
import { PropKinds } from './prop-types';
import { IRunaiTlsSecret, RunaiTlsSecret } from './tls-secret';

/** The Secret a TLS source must yield: its construct id, name, namespace and the names it covers. */
export interface TlsTarget {
  /** Construct id of what the source creates; unique within the chart. */
  readonly id: string;
  readonly name: string;
  /** The namespace of the Ingress or Gateway that uses it. */
  readonly namespace: string;
  /** The cluster URL host (cert-manager's default names derive from it). */
  readonly clusterUrl: string;
  /**
   * The names a cert-manager Certificate asks for.
   * @default - `*.<clusterUrl>` and the apex
   */
  readonly dnsNames?: readonly string[];
}

/** The wildcard workspace Secret in `namespace`: the target every cluster has. */
export function starTarget(namespace: string, clusterUrl: string): TlsTarget {
  return { id: 'TlsSecret', name: STAR_TLS_SECRET_NAME, namespace, clusterUrl };
}

/** Where a TLS certificate comes from; `bind` returns the Secret its user references. */
export abstract class TlsSource {
  /** Emit the Secret from PEM bytes (`tls.source: files`): the key lands in the output in plain text. */
  public static fromPem(pem: { readonly certificatePem: Uint8Array | string; readonly privateKeyPem: Uint8Array | string }): TlsSource {
    return new BoundBy('files', true, (scope, t) => new RunaiTlsSecret(scope, t.id, { namespace: t.namespace, name: t.name, ...pem }));
  }

  /** The Secret already exists in the cluster (`tls.source: existing`); emit none. */
  public static existing(): TlsSource {
    return new BoundBy('existing', false, (_scope, t) => RunaiTlsSecret.fromExisting(t.namespace, t.name));
  }

  /** A cert-manager Certificate issues the Secret (`tls.source: cert-manager`). */
  public static certManager(props: Omit<WildcardCertificateProps, 'namespace' | 'clusterUrl' | 'secretName' | 'dnsNames'>): TlsSource {
    return new BoundBy(
      'cert-manager',
      false,
      (scope, t) =>
        new WildcardCertificate(scope, t.id, {
          ...props,
          namespace: t.namespace,
          clusterUrl: t.clusterUrl,
          secretName: t.name,
          dnsNames: t.dnsNames,
        }),
    );
  }

  /** A SealedSecret sealed offline for the cluster's controller (`tls.source: sealed-secret`). */
  public static sealed(props: Omit<SealedTlsSecretProps, 'namespace' | 'name'>): TlsSource {
    return new BoundBy(
      'sealed-secret',
      false,
      (scope, t) => new SealedTlsSecret(scope, t.id, { ...props, namespace: t.namespace, name: t.name }),
    );
  }

  /** An ExternalSecret fetches the Secret from a secret store (`tls.source: external-secret`). */
  public static externalSecret(props: Omit<ExternalTlsSecretProps, 'namespace' | 'name'>): TlsSource {
    return new BoundBy(
      'external-secret',
      false,
      (scope, t) => new ExternalTlsSecret(scope, t.id, { ...props, namespace: t.namespace, name: t.name }),
    );
  }

  /** The config name of the source. */
  public abstract readonly kind: string;
  /** True when binding emits a plaintext private key. */
  public abstract readonly emitsPlaintextKey: boolean;

  /** Returns the Secret `target` describes, creating what it needs under `scope`. */
  public abstract bind(scope: Construct, target: TlsTarget): IRunaiTlsSecret;
}

/**
 * The run-time shape of a {@link TlsSource}, for JavaScript callers: its members, not its class,
 * since TypeScript takes any object of that shape for one (a source of the caller's own).
 */
export const TLS_SOURCE_KINDS = { kind: 'string', emitsPlaintextKey: 'boolean', bind: 'function' } as const satisfies PropKinds<TlsSource>;

class BoundBy extends TlsSource {
  constructor(
    public readonly kind: string,
    public readonly emitsPlaintextKey: boolean,
    private readonly binder: (scope: Construct, target: TlsTarget) => IRunaiTlsSecret,
  ) {
    super();
  }

  public bind(scope: Construct, target: TlsTarget): IRunaiTlsSecret {
    return this.binder(scope, target);
  }
}
