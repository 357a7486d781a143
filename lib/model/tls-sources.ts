/**
 * The settings of the TLS sources that other tools fill in (cert-manager, Sealed Secrets, the
 * External Secrets Operator): the values each allows and the defaults runai-access takes, for
 * the config schema, its normalization and the constructs alike.
 */

/** cert-manager `issuerRef.kind`. */
export const ISSUER_KINDS = ['Issuer', 'ClusterIssuer'] as const;
export type IssuerKind = (typeof ISSUER_KINDS)[number];
/** Ask for `<clusterUrl>` itself beside `*.<clusterUrl>`. */
export const DEFAULT_INCLUDE_APEX = true;

/** Where a SealedSecret may be unsealed (kubeseal `--scope`). */
export const SEALING_SCOPES = ['strict', 'namespace-wide', 'cluster-wide'] as const;
export type SealingScope = (typeof SEALING_SCOPES)[number];
export const DEFAULT_SEALING_SCOPE: SealingScope = 'strict';

/** External Secrets Operator `secretStoreRef.kind`. */
export const SECRET_STORE_KINDS = ['SecretStore', 'ClusterSecretStore'] as const;
export type SecretStoreKind = (typeof SECRET_STORE_KINDS)[number];
export const DEFAULT_SECRET_STORE_KIND: SecretStoreKind = 'SecretStore';
/** The ExternalSecret API versions runai-access writes. */
export const EXTERNAL_SECRETS_API_VERSIONS = ['external-secrets.io/v1', 'external-secrets.io/v1beta1'] as const;
export type ExternalSecretsApiVersion = (typeof EXTERNAL_SECRETS_API_VERSIONS)[number];
export const DEFAULT_EXTERNAL_SECRETS_API_VERSION: ExternalSecretsApiVersion = 'external-secrets.io/v1';
/** How often the operator refreshes the Secret. */
export const DEFAULT_REFRESH_INTERVAL = '1h';
