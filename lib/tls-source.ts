import { Construct } from 'constructs';
import {
  ExternalTlsSecret, ExternalTlsSecretProps, SealedTlsSecret, SealedTlsSecretProps, WildcardCertificate, WildcardCertificateProps,
} from './gitops-tls';
import { IWildcardTlsSecret, WildcardTlsSecret } from './wildcard-tls-secret';

/** Where the wildcard certificate comes from; `bind` returns the Secret the ingress uses. */
export abstract class TlsSource {
  /** Emit the Secret from PEM bytes (`tls.source: files`): the key lands in the output in plain text. */
  public static fromPem(pem: { readonly certificatePem: Uint8Array | string; readonly privateKeyPem: Uint8Array | string }): TlsSource {
    return new BoundBy('files', true, (scope, namespace) => new WildcardTlsSecret(scope, 'TlsSecret', { namespace, ...pem }));
  }

  /** The Secret already exists in the cluster (`tls.source: existing`); emit none. */
  public static existing(): TlsSource {
    return new BoundBy('existing', false, (_scope, namespace) => WildcardTlsSecret.fromExisting(namespace));
  }

  /** A cert-manager Certificate issues the Secret (`tls.source: cert-manager`). */
  public static certManager(props: Omit<WildcardCertificateProps, 'namespace' | 'clusterUrl'>): TlsSource {
    return new BoundBy('cert-manager', false, (scope, namespace, clusterUrl) => new WildcardCertificate(scope, 'Certificate', { ...props, namespace, clusterUrl }));
  }

  /** A SealedSecret sealed offline for the cluster's controller (`tls.source: sealed-secret`). */
  public static sealed(props: Omit<SealedTlsSecretProps, 'namespace'>): TlsSource {
    return new BoundBy('sealed-secret', false, (scope, namespace) => new SealedTlsSecret(scope, 'SealedSecret', { ...props, namespace }));
  }

  /** An ExternalSecret fetches the Secret from a secret store (`tls.source: external-secret`). */
  public static externalSecret(props: Omit<ExternalTlsSecretProps, 'namespace'>): TlsSource {
    return new BoundBy('external-secret', false, (scope, namespace) => new ExternalTlsSecret(scope, 'ExternalSecret', { ...props, namespace }));
  }

  /** The config name of the source. */
  public abstract readonly kind: string;
  /** True when binding emits a plaintext private key. */
  public abstract readonly emitsPlaintextKey: boolean;

  /** Returns the wildcard Secret in `namespace`, creating what it needs under `scope`. */
  public abstract bind(scope: Construct, namespace: string, clusterUrl: string): IWildcardTlsSecret;
}

class BoundBy extends TlsSource {
  constructor(
    public readonly kind: string,
    public readonly emitsPlaintextKey: boolean,
    private readonly binder: (scope: Construct, namespace: string, clusterUrl: string) => IWildcardTlsSecret,
  ) {
    super();
  }

  public bind(scope: Construct, namespace: string, clusterUrl: string): IWildcardTlsSecret {
    return this.binder(scope, namespace, clusterUrl);
  }
}
