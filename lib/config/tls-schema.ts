/**
 * The `tls` block of a cluster: where the wildcard certificate for `*.<clusterUrl>` comes from.
 */
import { z } from 'zod';

import { formatPath, isPlainValue } from '../model/errors';
import { goDurationTooLong, MAX_GO_DURATION } from '../model/go-duration';
import { ANNOTATION_KEY_SHAPE, LABEL_KEY_SHAPE, secretTemplateAnnotationProblem } from '../model/labels';
import { CLUSTER_TLS_SECRET_NAME, INFERENCE_TLS_SECRET_NAME, STAR_TLS_SECRET_NAME } from '../model/names';
import { nearest } from '../model/nearest';
import {
  CERT_MANAGER_GROUP,
  DEFAULT_EXTERNAL_SECRETS_API_VERSION,
  DEFAULT_INCLUDE_APEX,
  DEFAULT_REFRESH_INTERVAL,
  DEFAULT_SEALING_SCOPE,
  DEFAULT_SECRET_STORE_KIND,
  EXTERNAL_SECRETS_API_VERSIONS,
  ISSUER_KINDS,
  issuerRefProblems,
  SEALING_SCOPES,
  SECRET_STORE_KINDS,
} from '../model/tls-sources';
import {
  annotations,
  describe,
  expected,
  expectedText,
  keyMessage,
  labelValue,
  metadataKey,
  objectName,
  oneOfMessage,
  strict,
} from './schema-helpers';

export const SOURCES = ['files', 'existing', 'cert-manager', 'sealed-secret', 'external-secret'] as const;
/**
 * A Go duration as the External Secrets Operator reads it: 1h, 30m, 1h30m. Made from a string,
 * not a literal, so µ is written escaped in the bundle, which stays ASCII (a one-byte string in
 * the V8 start-up snapshot), while the pattern and the JSON Schema still read µ.
 */
const DURATION = new RegExp('^([0-9]+(\\.[0-9]+)?(ns|us|\u00b5s|ms|s|m|h))+$');

/** A key in the secret store: not blank, one line, and without blanks around it (a pasted key's, which no store key has). */
const remoteKey = (what: string) =>
  z
    .string({ error: expectedText(what) })
    .regex(/\S/, { error: `must be ${what}`, abort: true })
    .regex(/^\S(.*\S)?$/, { error: `has blanks around it or a line break in it: must be ${what} alone` })
    // A line of the key pasted where its name in the store belongs (never quoted back; a whole body
    // is refused in any field, key-text.ts). Names of every store pass: RunAIWildcardCert, kv/data/clusterB/runai.
    .refine((text) => !holdsKeyLine(text), {
      error: `looks like a line of a key (a long random base64 run), not a name in the secret store: must be ${what}; the key stays in the store`,
    });

/**
 * A key line's shape: a run of 48 or more base64 characters with lower and upper case letters and
 * digits, one of whose pieces between "/", "+" and "=" is 12 characters or more of text that does
 * not read as words (`isPlainValue`: `RunaiWildcardCertificate2024` does, `VJCGyvkQOmX3` does not).
 */
function holdsKeyLine(text: string): boolean {
  return (text.match(/[A-Za-z0-9+/=]{48,}/g) ?? []).some(
    (run) =>
      /[a-z]/.test(run) &&
      /[A-Z]/.test(run) &&
      /[0-9]/.test(run) &&
      run.split(/[+/=]+/).some((piece) => piece.length >= 12 && !isPlainValue(piece)),
  );
}

/** A non-empty relative or absolute file path (relative paths are relative to the config file). */
const filePath = (what: string) =>
  z
    .string({ error: expectedText(`a file path to ${what}`) })
    .min(1, { error: `must be a file path to ${what}` })
    .meta({ description: `Path to ${what}, relative to this config file.` });

const certFile = filePath('the PEM certificate chain (leaf first), such as certs/fullchain.pem');
const keyFile = filePath('the PEM private key of the leaf certificate, such as certs/private.pem');
const name = (what: string) => objectName(`the name of ${what}`, `must be the name of ${what}: a lower-case DNS name`);
/** The Secret's labels or annotations, as cert-manager's webhook takes them in a secretTemplate. */
const metadataMap = (what: 'label' | 'annotation') =>
  (what === 'label'
    ? z.record(metadataKey(LABEL_KEY_SHAPE), labelValue(), {
        error: (issue) => (issue.code === 'invalid_key' ? keyMessage(issue, LABEL_KEY_SHAPE) : expected('a mapping of labels')(issue)),
      })
    : annotations(ANNOTATION_KEY_SHAPE, 'a mapping of annotations', secretTemplateAnnotationProblem)
  ).optional();

const tlsFiles = strict(
  {
    source: z.literal('files'),
    certFile,
    keyFile,
    commitPlaintextKey: z
      .boolean({ error: expected('true or false') })
      .optional()
      .meta({
        description: 'Leave the plaintext-key Secret out of the generated .gitignore (for repositories that are themselves secret).',
        default: false,
      }),
  },
  'a mapping',
).meta({ description: 'Create the Secret from PEM files, as `kubectl create secret tls` does. The key is in the output in plain text.' });

const tlsExisting = strict(
  {
    source: z.literal('existing'),
  },
  'a mapping',
).meta({
  description:
    `The setting's Secret already exists where its Ingress or Gateway reads it (${STAR_TLS_SECRET_NAME} for tls, ` +
    `${CLUSTER_TLS_SECRET_NAME} for clusterTls, ${INFERENCE_TLS_SECRET_NAME} for inference.tls); emit no Secret.`,
});

const tlsCertManager = strict(
  {
    source: z.literal('cert-manager'),
    issuerRef: strict(
      {
        name: name('a cert-manager issuer'),
        kind: z
          .string({ error: expectedText(`${ISSUER_KINDS.join(' or ')}, or an external issuer's kind`) })
          .meta({ description: `${ISSUER_KINDS.join(' or ')}; with group, the external issuer's kind.` }),
        group: z
          .string({ error: expectedText('an API group such as awspca.cert-manager.io') })
          .optional()
          .meta({ description: "An external issuer's API group, such as awspca.cert-manager.io.", default: CERT_MANAGER_GROUP }),
      },
      'a mapping with name, kind and group',
    ).superRefine((ref, ctx) => {
      for (const p of issuerRefProblems(ref)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
    }),
    includeApex: z
      .boolean({ error: expected('true or false') })
      .optional()
      .meta({ description: 'Also ask for <clusterUrl> itself.', default: DEFAULT_INCLUDE_APEX }),
    secretTemplate: strict(
      { labels: metadataMap('label'), annotations: metadataMap('annotation') },
      'a mapping with labels and annotations',
    ).optional(),
  },
  'a mapping',
).meta({ description: 'A cert-manager Certificate issues the Secret. An ACME issuer needs a DNS-01 solver for wildcard names.' });

const tlsSealed = strict(
  {
    source: z.literal('sealed-secret'),
    certFile,
    keyFile,
    controllerCertFile: filePath('the Sealed Secrets controller certificate, as `kubeseal --fetch-cert` prints it'),
    scope: z
      .enum(SEALING_SCOPES, { error: oneOfMessage(SEALING_SCOPES) })
      .optional()
      .meta({ description: 'Where the Secret may be unsealed.', default: DEFAULT_SEALING_SCOPE }),
  },
  'a mapping',
).meta({ description: "A SealedSecret sealed offline from the PEM files for the cluster's Sealed Secrets controller." });

const tlsExternal = strict(
  {
    source: z.literal('external-secret'),
    secretStoreRef: strict(
      {
        name: name('a SecretStore or ClusterSecretStore'),
        kind: z
          .enum(SECRET_STORE_KINDS, { error: oneOfMessage(SECRET_STORE_KINDS) })
          .optional()
          .meta({ default: DEFAULT_SECRET_STORE_KIND }),
      },
      'a mapping with name and kind',
    ),
    remoteRef: strict(
      {
        certificate: remoteKey('the remote key of the PEM certificate chain'),
        privateKey: remoteKey('the remote key of the PEM private key'),
      },
      'a mapping with certificate and privateKey',
    ).superRefine((ref, ctx) => {
      // Each key fills one field of the Secret whole (no `property`): one value cannot be both.
      if (ref.certificate === ref.privateKey) {
        ctx.addIssue({
          code: 'custom',
          path: ['privateKey'],
          message:
            'is the same remote key as certificate: the ExternalSecret would put one value in both tls.crt and tls.key; ' +
            'name the key that holds the PEM private key',
        });
      }
    }),
    apiVersion: z
      .enum(EXTERNAL_SECRETS_API_VERSIONS, { error: oneOfMessage(EXTERNAL_SECRETS_API_VERSIONS) })
      .optional()
      .meta({
        default: DEFAULT_EXTERNAL_SECRETS_API_VERSION,
        description: 'v1beta1 only for an External Secrets Operator of 0.16 or earlier: 0.17.0 stopped serving it.',
      }),
    refreshInterval: z
      .string({ error: expectedText('a duration such as 1h') })
      .regex(DURATION, { error: 'must be a duration such as 1h or 30m' })
      .refine((text) => !goDurationTooLong(text), {
        error: `is longer than a Go duration can be (${MAX_GO_DURATION}): the External Secrets Operator could not read the ExternalSecret`,
      })
      .optional()
      .meta({ default: DEFAULT_REFRESH_INTERVAL }),
  },
  'a mapping',
).meta({ description: 'An External Secrets Operator ExternalSecret fetches the certificate and key from a secret store.' });

/** `; did you mean source for sorce?` when a key of a TLS mapping without `source` is most likely it misspelt; '' otherwise. */
function misspeltSource(input: unknown): string {
  if (input === null || typeof input !== 'object') return '';
  const key = Object.keys(input).find((k) => nearest(k, ['source']) !== undefined);
  return key === undefined ? '' : `; did you mean source for ${formatPath([key])}?`;
}

export const tls = z
  .discriminatedUnion('source', [tlsFiles, tlsExisting, tlsCertManager, tlsSealed, tlsExternal], {
    error: (issue) =>
      issue.input === undefined
        ? 'is required: where the wildcard certificate comes from ({source: files, certFile, keyFile}, {source: cert-manager, issuerRef}, ...)'
        : issue.code === 'invalid_union' && (issue.input as { source?: unknown } | null)?.source === undefined
          ? `is required: one of ${SOURCES.join(', ')}${misspeltSource(issue.input)}`
          : issue.code === 'invalid_union'
            ? oneOfMessage(SOURCES)
            : `must be a mapping, got ${describe(issue.input)}`,
  })
  .meta({ description: 'Where the wildcard certificate for *.<clusterUrl> comes from.' });
