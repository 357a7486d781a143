/**
 * The settings of the TLS sources that other tools fill in (cert-manager, Sealed Secrets, the
 * External Secrets Operator): the values each allows and the defaults runai-access takes, for
 * the config schema, its normalization and the constructs alike.
 */

/** cert-manager `issuerRef.kind` of its own issuers. */
export const ISSUER_KINDS = ['Issuer', 'ClusterIssuer'] as const;
export type IssuerKind = (typeof ISSUER_KINDS)[number];
/** cert-manager's API group: `issuerRef.group` of its own issuers, the default. */
export const CERT_MANAGER_GROUP = 'cert-manager.io';

/**
 * What is wrong with an `issuerRef`'s kind and group, by field. cert-manager's own issuers are
 * `Issuer` and `ClusterIssuer` of `cert-manager.io`; an external issuer (AWS Private CA's
 * `AWSPCAClusterIssuer` of `awspca.cert-manager.io`, Google CAS, step-issuer, ...) is named by
 * its group and its own kind, which cert-manager passes on (its ObjectReference: name, kind, group).
 */
export function issuerRefProblems(ref: { readonly kind: string; readonly group?: string }): { field: 'kind' | 'group'; message: string }[] {
  if (ref.group === undefined || ref.group === CERT_MANAGER_GROUP) {
    return (ISSUER_KINDS as readonly string[]).includes(ref.kind)
      ? []
      : [{ field: 'kind', message: `must be one of: ${ISSUER_KINDS.join(', ')}; an external issuer's kind also needs its group` }];
  }
  const problems: { field: 'kind' | 'group'; message: string }[] = [];
  if (!/^[A-Z][A-Za-z0-9]{0,62}$/.test(ref.kind))
    problems.push({ field: 'kind', message: "must be the external issuer's kind, such as AWSPCAClusterIssuer" });
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(ref.group) || ref.group.length > 253)
    problems.push({ field: 'group', message: "must be the external issuer's API group, such as awspca.cert-manager.io" });
  return problems;
}
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
