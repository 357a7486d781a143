/**
 * TLS Secrets that are safe to keep in git: a cert-manager Certificate, a Bitnami SealedSecret
 * sealed offline, or an External Secrets Operator ExternalSecret. Each yields a TLS Secret (by
 * default the wildcard `runai-cluster-domain-star-tls-secret`; the chart also binds the
 * cluster's and inference's) in the namespace of the ingress or Gateway using it.
 */
import { KeyObject } from 'node:crypto';

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

import { SealedSecret } from '../../imports/bitnami.com';
import { Certificate, CertificateSpecPrivateKeyRotationPolicy } from '../../imports/cert-manager.io';
import {
  ExternalSecret,
  ExternalSecretSpec,
  ExternalSecretSpecSecretStoreRefKind,
  toJson_ExternalSecretSpec,
} from '../../imports/external-secrets.io';
import { requireHost, wildcardHost } from '../model/cluster-url';
import { labelNameProblem, subdomainNameProblem } from '../model/dns-names';
import { ValidationError } from '../model/errors';
import { annotationsProblems, labelsProblems, secretTemplateAnnotationProblem } from '../model/labels';
import {
  SEALED_AS_ANNOTATION,
  SEALED_CERTIFICATE_ANNOTATION,
  SEALED_FOR_ANNOTATION,
  SEALED_FROM_ANNOTATION,
  STAR_CERTIFICATE_NAME,
  STAR_TLS_SECRET_NAME,
} from '../model/names';
import {
  CERT_MANAGER_GROUP,
  DEFAULT_EXTERNAL_SECRETS_API_VERSION,
  DEFAULT_INCLUDE_APEX,
  DEFAULT_REFRESH_INTERVAL,
  DEFAULT_SEALING_SCOPE,
  EXTERNAL_SECRETS_API_VERSIONS,
  ExternalSecretsApiVersion,
  IssuerKind,
  issuerRefProblems,
  SEALING_SCOPES,
  SealingScope,
  SECRET_STORE_KINDS,
  SecretStoreKind,
} from '../model/tls-sources';
import {
  certificateDigest,
  ciphertextDigest,
  fitsSealing,
  SCOPE_ANNOTATIONS,
  sealingFingerprint,
  sealingLabel,
  sealValue,
} from '../tls/sealing';
import { arrayOf, checkNames, checkPropTypes, eitherKind, oneOf, optional, PropKinds } from './prop-types';
import { checkSecretNames, IRunaiTlsSecret } from './tls-secret';

/** Props of {@link WildcardCertificate}. */
export interface WildcardCertificateProps {
  readonly namespace: string;
  /** The cluster URL host; the Certificate asks for `*.<clusterUrl>`. */
  readonly clusterUrl: string;
  /**
   * The Secret cert-manager writes; the Certificate takes its name without `-secret`.
   * @default 'runai-cluster-domain-star-tls-secret'
   */
  readonly secretName?: string;
  /**
   * The names to ask for, instead of `*.<clusterUrl>` and the apex.
   * @default - `*.<clusterUrl>`, and `<clusterUrl>` when includeApex
   */
  readonly dnsNames?: readonly string[];
  /**
   * The cert-manager issuer (an ACME one needs a DNS-01 solver for wildcard names). `kind` is `Issuer` or
   * `ClusterIssuer`, or with `group` an external issuer's kind.
   */
  readonly issuerRef: {
    readonly name: string;
    readonly kind: IssuerKind | (string & {});
    /** @default 'cert-manager.io' */
    readonly group?: string;
  };
  /**
   * Also ask for `<clusterUrl>` itself.
   * @default true
   */
  readonly includeApex?: boolean;
  /**
   * Labels and annotations for the Secret cert-manager writes.
   * @default - none
   */
  readonly secretTemplate?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
}

/** A cert-manager `Certificate` whose Secret is the wildcard TLS Secret. */
export class WildcardCertificate extends Construct implements IRunaiTlsSecret {
  public readonly name: string;
  public readonly namespace: string;
  public readonly resource: Certificate;
  /** The issuer, as given. */
  public readonly issuerRef: WildcardCertificateProps['issuerRef'];

  constructor(scope: Construct, id: string, props: WildcardCertificateProps) {
    super(scope, id);
    checkPropTypes(props, {
      namespace: 'string',
      clusterUrl: 'string',
      secretName: optional('string'),
      dnsNames: optional(arrayOf('string')),
      issuerRef: { name: 'string', kind: 'string', group: optional('string') },
      includeApex: optional('boolean'),
      secretTemplate: optional({ labels: optional('string-record'), annotations: optional('string-record') }),
    } satisfies PropKinds<WildcardCertificateProps>);
    const host = requireHost('clusterUrl', props.clusterUrl);
    if (!props.issuerRef.name) throw new ValidationError('issuerRef.name: must name a cert-manager issuer');
    const refProblems = issuerRefProblems(props.issuerRef);
    if (refProblems.length > 0) throw new ValidationError(refProblems.map((p) => `issuerRef.${p.field}: ${p.message}`).join('; '));
    this.issuerRef = { ...props.issuerRef };
    this.namespace = props.namespace;
    this.name = props.secretName ?? STAR_TLS_SECRET_NAME;
    checkNames([
      ['secretName', this.name, subdomainNameProblem],
      ['namespace', this.namespace, labelNameProblem],
      ['issuerRef.name', props.issuerRef.name, subdomainNameProblem],
    ]);
    const template = props.secretTemplate;
    const bad = [
      ...labelsProblems(template?.labels ?? {}).map((p) => `secretTemplate.labels.${p}`),
      ...annotationsProblems(template?.annotations ?? {}, secretTemplateAnnotationProblem).map((p) => `secretTemplate.annotations.${p}`),
    ];
    if (bad.length > 0) throw new ValidationError(bad.join('; '));
    this.resource = new Certificate(this, 'Resource', {
      metadata: {
        name: this.name === STAR_TLS_SECRET_NAME ? STAR_CERTIFICATE_NAME : this.name.replace(/-secret$/, ''),
        namespace: this.namespace,
      },
      spec: {
        secretName: this.name,
        dnsNames: props.dnsNames
          ? [...props.dnsNames]
          : [wildcardHost(host), ...((props.includeApex ?? DEFAULT_INCLUDE_APEX) ? [host] : [])],
        issuerRef: { name: props.issuerRef.name, kind: props.issuerRef.kind, group: props.issuerRef.group ?? CERT_MANAGER_GROUP },
        privateKey: { rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
        secretTemplate:
          template?.labels || template?.annotations
            ? { labels: template.labels && { ...template.labels }, annotations: template.annotations && { ...template.annotations } }
            : undefined,
      },
    });
  }
}

/** The run-time types of a {@link PreviousSealing}. */
const PREVIOUS_SEALING_KINDS: PropKinds<PreviousSealing> = {
  fingerprint: 'string',
  encryptedData: 'string-record',
  sealedAs: optional('string'),
};

/** A previous sealing of the same Secret, kept while its inputs are unchanged. */
export interface PreviousSealing {
  readonly fingerprint: string;
  readonly encryptedData: Readonly<Record<string, string>>;
  /**
   * Its `runai-access/sealed-as` annotation: the digest of the ciphertexts as sealed. A sealing
   * whose ciphertexts no longer match it (edited or damaged since) is not kept.
   * @default - none: not kept
   */
  readonly sealedAs?: string;
}

/** Props of {@link SealedTlsSecret}. */
export interface SealedTlsSecretProps {
  readonly namespace: string;
  /**
   * The Secret's name; part of the sealing label under the strict scope.
   * @default 'runai-cluster-domain-star-tls-secret'
   */
  readonly name?: string;
  readonly certificatePem: Uint8Array;
  readonly privateKeyPem: Uint8Array;
  /** The Sealed Secrets controller's RSA public key (from `kubeseal --fetch-cert`). */
  readonly controllerKey: KeyObject;
  /** SHA-256 fingerprint of the controller certificate, for the sealing fingerprint. */
  readonly controllerFingerprint: string;
  /**
   * Where the Secret may be unsealed.
   * @default 'strict'
   */
  readonly scope?: SealingScope;
  /**
   * The previous output's sealing, or sealings (a Secret of one name sealed for several
   * namespaces); the one whose fingerprint matches is reused, so output is stable.
   * @default - seal afresh
   */
  readonly previous?: PreviousSealing | readonly PreviousSealing[];
  /**
   * Randomness for session keys and OAEP.
   * @default - crypto.randomBytes
   */
  readonly random?: (n: number) => Buffer;
}

/**
 * A Bitnami `SealedSecret` that the controller unseals into the wildcard TLS Secret, sealed
 * offline here. Sealing is randomized; the fingerprint of its inputs is recorded, and a
 * previous sealing with the same fingerprint is kept, so `synth` twice gives the same bytes.
 */
export class SealedTlsSecret extends Construct implements IRunaiTlsSecret {
  public readonly name: string;
  public readonly namespace: string;
  public readonly fingerprint: string;
  /** True when the previous sealing was kept. */
  public readonly reused: boolean;
  public readonly resource: SealedSecret;

  constructor(scope: Construct, id: string, props: SealedTlsSecretProps) {
    super(scope, id);
    checkPropTypes(props, {
      namespace: 'string',
      name: optional('string'),
      certificatePem: Uint8Array,
      privateKeyPem: Uint8Array,
      controllerKey: KeyObject,
      controllerFingerprint: 'string',
      scope: optional(oneOf(SEALING_SCOPES)),
      previous: optional(eitherKind(PREVIOUS_SEALING_KINDS, arrayOf(PREVIOUS_SEALING_KINDS))),
      random: optional('function'),
    } satisfies PropKinds<SealedTlsSecretProps>);
    if (props.controllerKey.asymmetricKeyType !== 'rsa')
      throw new ValidationError('controllerKey: must be the RSA public key of the Sealed Secrets controller');
    this.namespace = props.namespace;
    this.name = props.name ?? STAR_TLS_SECRET_NAME;
    checkSecretNames(this.name, this.namespace);
    const sealingScope = props.scope ?? DEFAULT_SEALING_SCOPE;
    const values = { 'tls.crt': props.certificatePem, 'tls.key': props.privateKeyPem };
    this.fingerprint = sealingFingerprint(props.controllerFingerprint, sealingScope, this.namespace, this.name, values);
    const sealedFor = { namespace: this.namespace, name: this.name, sealedFrom: this.fingerprint };
    const kept = [props.previous ?? []].flat().find(
      (previous) =>
        previous.fingerprint === this.fingerprint &&
        previous.sealedAs === ciphertextDigest(sealedFor, previous.encryptedData) &&
        Object.entries(values).every(([k, v]) => {
          const sealed = previous.encryptedData[k];
          return typeof sealed === 'string' && fitsSealing(sealed, props.controllerKey, v.length);
        }),
    );
    this.reused = kept !== undefined;
    const label = sealingLabel(sealingScope, this.namespace, this.name);
    const encryptedData = kept
      ? { 'tls.crt': kept.encryptedData['tls.crt'], 'tls.key': kept.encryptedData['tls.key'] }
      : Object.fromEntries(
          Object.entries(values).map(([k, v]) => [k, sealValue(props.controllerKey, v, label, props.random).toString('base64')]),
        );
    const scopeAnnotations = SCOPE_ANNOTATIONS[sealingScope];
    const hasScope = Object.keys(scopeAnnotations).length > 0;
    this.resource = new SealedSecret(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        annotations: {
          [SEALED_FROM_ANNOTATION]: this.fingerprint,
          [SEALED_AS_ANNOTATION]: ciphertextDigest(sealedFor, encryptedData),
          [SEALED_FOR_ANNOTATION]: props.controllerFingerprint,
          [SEALED_CERTIFICATE_ANNOTATION]: certificateDigest(props.certificatePem),
          ...scopeAnnotations,
        },
      },
      spec: {
        encryptedData,
        template: {
          type: 'kubernetes.io/tls',
          metadata: { name: this.name, namespace: this.namespace, ...(hasScope ? { annotations: { ...scopeAnnotations } } : {}) },
        },
      },
    });
  }
}

/** Props of {@link ExternalTlsSecret}. */
export interface ExternalTlsSecretProps {
  readonly namespace: string;
  /**
   * The Secret's name.
   * @default 'runai-cluster-domain-star-tls-secret'
   */
  readonly name?: string;
  readonly secretStoreRef: { readonly name: string; readonly kind: SecretStoreKind };
  /** The remote keys of the PEM certificate chain and of the private key. */
  readonly remoteRef: { readonly certificate: string; readonly privateKey: string };
  /**
   * The ExternalSecret API version.
   * @default 'external-secrets.io/v1'
   */
  readonly apiVersion?: ExternalSecretsApiVersion;
  /**
   * How often the operator refreshes the Secret.
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/** An External Secrets Operator `ExternalSecret` that writes the wildcard TLS Secret. */
export class ExternalTlsSecret extends Construct implements IRunaiTlsSecret {
  public readonly name: string;
  public readonly namespace: string;
  /** The ExternalSecret object (a plain ApiObject for another API version). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ExternalTlsSecretProps) {
    super(scope, id);
    checkPropTypes(props, {
      namespace: 'string',
      name: optional('string'),
      secretStoreRef: { name: 'string', kind: oneOf(SECRET_STORE_KINDS) },
      remoteRef: { certificate: 'string', privateKey: 'string' },
      apiVersion: optional(oneOf(EXTERNAL_SECRETS_API_VERSIONS)),
      refreshInterval: optional('string'),
    } satisfies PropKinds<ExternalTlsSecretProps>);
    if (!props.remoteRef.certificate || !props.remoteRef.privateKey)
      throw new ValidationError('remoteRef: needs the remote keys of both certificate and privateKey');
    this.namespace = props.namespace;
    this.name = props.name ?? STAR_TLS_SECRET_NAME;
    checkSecretNames(this.name, this.namespace);
    checkNames([['secretStoreRef.name', props.secretStoreRef.name, subdomainNameProblem]]);
    const metadata = { name: this.name, namespace: this.namespace };
    const spec: ExternalSecretSpec = {
      refreshInterval: props.refreshInterval ?? DEFAULT_REFRESH_INTERVAL,
      secretStoreRef: { name: props.secretStoreRef.name, kind: props.secretStoreRef.kind as ExternalSecretSpecSecretStoreRefKind },
      target: { name: this.name, creationPolicy: 'Owner', template: { type: 'kubernetes.io/tls' } },
      data: [
        { secretKey: 'tls.crt', remoteRef: { key: props.remoteRef.certificate } },
        { secretKey: 'tls.key', remoteRef: { key: props.remoteRef.privateKey } },
      ],
    };
    const apiVersion = props.apiVersion ?? DEFAULT_EXTERNAL_SECRETS_API_VERSION;
    // The generated class writes its own apiVersion last, over any JSON patch: another
    // version is a plain ApiObject with the same typed spec.
    this.resource =
      apiVersion === ExternalSecret.GVK.apiVersion
        ? new ExternalSecret(this, 'Resource', { metadata, spec })
        : new ApiObject(this, 'Resource', { apiVersion, kind: ExternalSecret.GVK.kind, metadata, spec: toJson_ExternalSecretSpec(spec) });
  }
}
