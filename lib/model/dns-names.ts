/**
 * Kubernetes' rules for names: DNS labels and subdomains (object names, namespaces, Services),
 * label and annotation keys and values (apimachinery pkg/util/validation), and the one name
 * cdk8s cannot take; with the checks constructors run on the names they are given.
 */

/**
 * The one name cdk8s cannot take, though Kubernetes can: a construct id `constructor` collides
 * with the children map of constructs' `Node` (a plain object), and a map key `constructor`
 * makes cdk8s's `sanitizeValue` read the key as the object's class and throw (cdk8s 2.70,
 * lib/_util.js). A cluster or a label, annotation or selector key of that name is refused.
 */
export const CDK8S_RESERVED_NAME = 'constructor';

/** Why `name` cannot be a cluster's name or a map key for cdk8s, or `undefined`. */
export function cdk8sNameProblem(name: string): string | undefined {
  return name === CDK8S_RESERVED_NAME
    ? `"${CDK8S_RESERVED_NAME}" is a name cdk8s, which renders the manifests, cannot take; choose another`
    : undefined;
}

/** Longest DNS label (RFC 1035): a namespace, a cluster name, one label of a host. */
export const DNS_LABEL_MAX_LENGTH = 63;
/** A DNS-1123 label: lower-case a-z, 0-9 and `-`, not at either end. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** An RFC 1035 label (a Service name): starts with a letter. */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: dot-separated labels. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Longest DNS-1123 subdomain: an object name, a label key's prefix (apimachinery DNS1123SubdomainMaxLength). */
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;
/**
 * A label key's name part, and a non-empty label value: alphanumerics, `-`, `_` and `.`,
 * starting and ending alphanumeric (apimachinery labelKeyFmt, the qualified-name format).
 */
export const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Longest label key name part and longest label value (apimachinery labelKeyMaxLength, LabelValueMaxLength). */
export const LABEL_NAME_MAX_LENGTH = 63;
/** A label value: a {@link LABEL_NAME} or empty, at most {@link LABEL_NAME_MAX_LENGTH} characters. */
export const LABEL_VALUE = new RegExp(`^(${LABEL_NAME.source.slice(1, -1)})?$`);
/**
 * A label or annotation key (Kubernetes' qualified name): an optional prefix, a DNS subdomain of
 * at most 253 characters, and `/`; then a {@link LABEL_NAME} of at most 63. The lengths are
 * lookaheads so the JSON Schema's pattern holds the whole rule; `labelKeyProblem` says which
 * part is wrong. Source: kubernetes/apimachinery pkg/util/validation/validation.go
 * (`IsQualifiedName`, now an alias of pkg/api/validate/content/kube.go `IsLabelKey`).
 */
export const LABEL_KEY = new RegExp(
  `^((?=[^/]{1,${DNS_SUBDOMAIN_MAX_LENGTH}}/)${DNS_SUBDOMAIN.source.slice(1, -1)}/)?` +
    `(?=[^/]{1,${LABEL_NAME_MAX_LENGTH}}$)${LABEL_NAME.source.slice(1, -1)}$`,
);
/** An annotation key as the API server takes it: a {@link LABEL_KEY} once lower-cased, so its prefix may hold capitals. */
export const ANNOTATION_KEY = new RegExp(LABEL_KEY.source.replace(/\[(-?)a-z0-9\]/g, '[$1A-Za-z0-9]'));
/** Why `name` is not an object's name, a DNS-1123 subdomain of at most 253 characters, or `undefined`. For constructors. */
export function subdomainNameProblem(name: string): string | undefined {
  if (name.length > DNS_SUBDOMAIN_MAX_LENGTH) return `is ${name.length} characters; at most ${DNS_SUBDOMAIN_MAX_LENGTH} are allowed`;
  return DNS_SUBDOMAIN.test(name) ? undefined : 'must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx';
}

/** Why `name` is not a DNS-1123 label of at most 63 characters (a namespace, a Gateway), or `undefined`. For constructors. */
export function labelNameProblem(name: string): string | undefined {
  if (name.length > DNS_LABEL_MAX_LENGTH) return `is ${name.length} characters; at most ${DNS_LABEL_MAX_LENGTH} are allowed`;
  return DNS_LABEL.test(name) ? undefined : 'must be a lower-case DNS label: a-z, 0-9 and "-", such as runai';
}

/** Why `name` is not a Service's name, an RFC 1035 label of at most 63 characters, or `undefined`. For constructors. */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length > DNS_LABEL_MAX_LENGTH) return `is ${name.length} characters; at most ${DNS_LABEL_MAX_LENGTH} are allowed`;
  return DNS_1035_LABEL.test(name)
    ? undefined
    : 'must be a lower-case DNS-1035 label: a-z, 0-9 and "-", starting with a letter, such as nb1';
}
