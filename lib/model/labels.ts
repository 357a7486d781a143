/**
 * Kubernetes' rules for label and annotation keys and label values, as the API server applies
 * them, so that no object we write is refused for its metadata or selector. Source:
 * kubernetes/apimachinery pkg/util/validation/validation.go (`IsQualifiedName`,
 * `IsValidLabelValue`, aliases of pkg/api/validate/content/kube.go `IsLabelKey` and
 * `IsLabelValue`); annotation keys are checked by the same `IsQualifiedName`
 * (pkg/api/validation/objectmeta.go `ValidateAnnotations`), which lower-cases the key first and
 * takes at most {@link ANNOTATIONS_MAX_BYTES} of keys and values in all.
 */
import { cdk8sNameProblem, DNS_SUBDOMAIN, DNS_SUBDOMAIN_MAX_LENGTH, LABEL_KEY, LABEL_NAME_MAX_LENGTH, LABEL_VALUE } from './dns-names';
import { shown, shownBare } from './errors';
import { INGRESS_CLASS_ANNOTATION } from './names';

/** What a label value may be, for messages. */
const LABEL_VALUE_TEXT = `empty, or at most ${LABEL_NAME_MAX_LENGTH} alphanumerics, "-", "_" and ".", starting and ending alphanumeric`;

/**
 * Why `key` is not a label key, or `undefined`: `shape` (what the key must be, with an example),
 * then the part that is wrong and what it may be.
 */
export function labelKeyProblem(key: string, shape: string): string | undefined {
  return cdk8sKeyProblem(key) ?? apiServerKeyProblem(key, shape);
}

/** A key cdk8s cannot write ({@link cdk8sNameProblem}), with a way out. */
function cdk8sKeyProblem(key: string): string | undefined {
  const problem = cdk8sNameProblem(key);
  return problem && `${problem}, such as example.com/${key}`;
}

/** Why `key` is not a qualified name as the API server checks it, or `undefined`. */
function apiServerKeyProblem(key: string, shape: string): string | undefined {
  if (LABEL_KEY.test(key)) return undefined;
  const parts = key.split('/');
  if (parts.length > 2) return `${shape}: it has more than one "/"; only a prefix and a name, such as example.com/name`;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === '') return `${shape}: its prefix (before "/") is empty; leave the "/" out, or give a DNS subdomain such as example.com`;
    if (name === '') return `${shape}: its name (after "/") is empty`;
    if (prefix.length > DNS_SUBDOMAIN_MAX_LENGTH)
      return `${shape}: its prefix (before "/") is ${prefix.length} characters; at most ${DNS_SUBDOMAIN_MAX_LENGTH} are allowed`;
    if (!DNS_SUBDOMAIN.test(prefix))
      return (
        `${shape}: its prefix (before "/") must be a DNS subdomain: lower-case a-z, 0-9, "-" and ".", ` +
        'each dot-separated part starting and ending with a letter or digit'
      );
  }
  const its = `its name${parts.length === 2 ? ' (after "/")' : ''}`;
  if (name === '') return `${shape}: ${its} is empty`;
  if (name.length > LABEL_NAME_MAX_LENGTH)
    return `${shape}: ${its} is ${name.length} characters; at most ${LABEL_NAME_MAX_LENGTH} are allowed`;
  return `${shape}: ${its} may hold alphanumerics, "-", "_" and ".", and must start and end with an alphanumeric`;
}

/** Why `value` is not a label value, or `undefined`. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length <= LABEL_NAME_MAX_LENGTH && LABEL_VALUE.test(value)) return undefined;
  const length = value.length > LABEL_NAME_MAX_LENGTH ? ` (this one is ${value.length} characters)` : '';
  return `must be a label value: ${LABEL_VALUE_TEXT}${length}`;
}

/** The most bytes of annotation keys and values one object may have (apimachinery TotalAnnotationSizeLimitB). */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** Why `key` is not an annotation key, or `undefined`: checked lower-cased, as the API server does. */
export function annotationKeyProblem(key: string, shape: string): string | undefined {
  return cdk8sKeyProblem(key) ?? apiServerKeyProblem(key.toLowerCase(), shape);
}

/**
 * Why an Ingress's `kubernetes.io/ingress.class` annotation cannot stand beside its
 * `ingressClassName`, or `undefined`: the API server refuses an Ingress whose two differ
 * (kubernetes pkg/apis/networking/validation `ValidateIngressCreate`: "must match
 * `ingressClassName` when both are specified").
 */
export function ingressClassAnnotationProblem(annotations: Readonly<Record<string, string>>, className: string | null): string | undefined {
  const annotated = annotations[INGRESS_CLASS_ANNOTATION];
  if (annotated === undefined || className === null || annotated === className) return undefined;
  return (
    `is ${shown(annotated)}, but the Ingress's ingressClassName is ${className}, and the API server refuses an Ingress whose two ` +
    'differ; remove the annotation (ingressClassName replaces it), or make the two the same class'
  );
}

/** Why `annotations` are more than one object may have, or `undefined`. */
export function annotationsSizeProblem(annotations: Readonly<Record<string, string>>): string | undefined {
  const bytes = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return bytes > ANNOTATIONS_MAX_BYTES
    ? `hold ${bytes} bytes of keys and values; the API server takes at most ${ANNOTATIONS_MAX_BYTES} (256 KiB) on one object`
    : undefined;
}

/**
 * Why `key` may not be in a cert-manager Certificate's `secretTemplate.annotations`, or
 * `undefined`: cert-manager sets its own `cert-manager.io/` annotations and its webhook refuses
 * them there, but for `cert-manager.io/allow-direct-injection` (cert-manager
 * internal/apis/certmanager/validation/certificate.go, `validateSecretTemplateAnnotations`).
 */
export function secretTemplateAnnotationProblem(key: string): string | undefined {
  return key.startsWith(CERT_MANAGER_PREFIX) && key !== CERT_MANAGER_DIRECT_INJECTION
    ? `cert-manager refuses ${CERT_MANAGER_PREFIX}* annotations in a secretTemplate (it sets them itself), but for ${CERT_MANAGER_DIRECT_INJECTION}`
    : undefined;
}
const CERT_MANAGER_PREFIX = 'cert-manager.io/';
const CERT_MANAGER_DIRECT_INJECTION = 'cert-manager.io/allow-direct-injection';

/** What a label key must be, with an example, for messages. */
export const LABEL_KEY_SHAPE = 'must be a label key such as app.kubernetes.io/part-of';
/** What an annotation key must be, with an example, for messages. */
export const ANNOTATION_KEY_SHAPE = 'must be an annotation key such as example.com/owner';

/** Every problem of `labels`, as `<key>: <what is wrong>`; empty when there is none. For constructors. */
export function labelsProblems(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).flatMap(([k, v]) => {
    const problem = labelKeyProblem(k, LABEL_KEY_SHAPE) ?? labelValueProblem(v);
    return problem ? [`${shownBare(k)}: ${problem}`] : [];
  });
}

/**
 * Every problem of `annotations` (and of `keyRule`, the owner's own rule), as `<key>: <what is
 * wrong>`, then their size; empty when there is none. For constructors.
 */
export function annotationsProblems(
  annotations: Readonly<Record<string, string>>,
  keyRule: (key: string) => string | undefined = () => undefined,
): string[] {
  const keys = Object.keys(annotations).flatMap((k) => {
    const problem = annotationKeyProblem(k, ANNOTATION_KEY_SHAPE) ?? keyRule(k);
    return problem ? [`${shownBare(k)}: ${problem}`] : [];
  });
  const size = annotationsSizeProblem(annotations);
  return size ? [...keys, `they ${size}`] : keys;
}
