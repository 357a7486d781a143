import { Construct } from 'constructs';
import { IWildcardTlsSecret, WildcardTlsSecret } from './wildcard-tls-secret';

/** Where the wildcard certificate comes from; `bind` returns the Secret the Ingress uses. */
export abstract class TlsSource {
  /** Emit the Secret from PEM bytes (`tls.source: files`). */
  public static fromPem(pem: { readonly certificatePem: Uint8Array | string; readonly privateKeyPem: Uint8Array | string }): TlsSource {
    return new PemTlsSource(pem.certificatePem, pem.privateKeyPem);
  }

  /** The Secret already exists in the cluster (`tls.source: existing`); emit none. */
  public static existing(): TlsSource {
    return new ExistingTlsSource();
  }

  /** True when binding emits a Secret that holds a private key. */
  public abstract readonly emitsSecret: boolean;

  /** Returns the wildcard Secret in `namespace`, creating it under `scope` if this source emits one. */
  public abstract bind(scope: Construct, namespace: string): IWildcardTlsSecret;
}

class PemTlsSource extends TlsSource {
  public readonly emitsSecret = true;

  constructor(private readonly certificatePem: Uint8Array | string, private readonly privateKeyPem: Uint8Array | string) {
    super();
  }

  public bind(scope: Construct, namespace: string): IWildcardTlsSecret {
    return new WildcardTlsSecret(scope, 'TlsSecret', { namespace, certificatePem: this.certificatePem, privateKeyPem: this.privateKeyPem });
  }
}

class ExistingTlsSource extends TlsSource {
  public readonly emitsSecret = false;

  public bind(_scope: Construct, namespace: string): IWildcardTlsSecret {
    return WildcardTlsSecret.fromExisting(namespace);
  }
}
