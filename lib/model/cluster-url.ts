/**
 * The cluster URL: the host name Run:ai serves the cluster on, `runai.example.com`.
 * Workspaces get `https://<project>-<workload>.<host>/`, so the wildcard `*.<host>` must be a
 * valid DNS name too.
 */
import { domainToASCII } from 'node:url';

import { DNS_LABEL, DNS_LABEL_MAX_LENGTH, DNS_SUBDOMAIN_MAX_LENGTH } from './dns-names';
import { shown, ValidationError } from './errors';

/** Longest host name DNS allows (RFC 1035), in characters without the trailing dot: a DNS-1123 subdomain's limit. */
const MAX_NAME = DNS_SUBDOMAIN_MAX_LENGTH;
/** `*.` + host must fit `MAX_NAME`. */
const MAX_HOST = MAX_NAME - 2;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The outcome of reading a cluster URL: the normalized host, or why it is refused. */
export type ClusterUrlResult = { ok: true; host: string } | { ok: false; message: string };

/**
 * Reads `runai.example.com` or `https://runai.example.com/` and returns the lower-case host.
 * Refuses schemes other than https, user info, ports, paths, queries, fragments, IP addresses,
 * wildcards, single-label names and names or labels longer than DNS allows.
 */
export function parseClusterUrl(input: string): ClusterUrlResult {
  const fail = (message: string): ClusterUrlResult => ({ ok: false, message });
  let rest = input;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(rest);
  if (scheme) {
    if (scheme[1].toLowerCase() !== 'https') {
      return fail(`scheme "${scheme[1]}://" is not allowed; give the host name (runai.example.com) or https://runai.example.com/`);
    }
    rest = rest.slice(scheme[0].length);
  }
  if (/\s/.test(rest)) return fail('must not contain white space; give a host name such as runai.example.com');
  if (rest.includes('?')) return fail('must not have a query (?…); give only the host name, such as runai.example.com');
  if (rest.includes('#')) return fail('must not have a fragment (#…); give only the host name, such as runai.example.com');
  const slash = rest.indexOf('/');
  // Messages quote the host as given: lower-cased, a pasted key line would read as a plain name.
  const given = slash === -1 ? rest : rest.slice(0, slash);
  const host = given.toLowerCase();
  const path = slash === -1 ? '' : rest.slice(slash);
  if (path !== '' && path !== '/') {
    return fail(`must not have a path (got ${shown(path)}); host-based routing needs the bare host name, such as runai.example.com`);
  }
  if (host === '') return fail('must be a host name such as runai.example.com');
  if (host.includes('@')) return fail('must not contain user info (user@); give only the host name');
  if (host.startsWith('[')) return fail('must be a DNS name, not an IP address: a wildcard certificate and *.<host> DNS need a domain');
  if (/[$%{}]/.test(host))
    return fail(
      'holds "$", "%" or braces: variables are not expanded in the config; write the host name itself, such as runai.example.com',
    );
  // Two colons or more: an IPv6 address without its brackets, not a port.
  if (/:.*:/.test(host)) return fail('must be a DNS name, not an IP address: a wildcard certificate and *.<host> DNS need a domain');
  if (host.includes(':')) return fail('must not have a port; Run:ai serves workspaces on https port 443');
  if (host.includes('*')) return fail('must not contain "*"; give the cluster URL itself, runai-access adds the *. wildcard');
  if (IPV4.test(host)) return fail('must be a DNS name, not an IP address: a wildcard certificate and *.<host> DNS need a domain');
  if (host.endsWith('.')) return fail('must not end with a dot; give the host name without the root dot');
  if (host.length > MAX_HOST) {
    return fail(`is ${host.length} characters; at most ${MAX_HOST} are allowed so that *.<host> fits DNS's ${MAX_NAME}`);
  }
  const labels = host.split('.');
  const givenLabels = given.split('.');
  // No value in the message: its callers name the value (init's flag, requireHost) or the field.
  if (labels.length < 2) return fail('is a single-label name; give a fully qualified name such as runai.example.com');
  for (const [i, label] of labels.entries()) {
    const as = shown(givenLabels[i] ?? label);
    if (label === '') return fail('has an empty label (..); give a host name such as runai.example.com');
    if (label.length > DNS_LABEL_MAX_LENGTH)
      return fail(`label ${as} is ${label.length} characters; DNS allows at most ${DNS_LABEL_MAX_LENGTH}`);
    if (!DNS_LABEL.test(label)) {
      return fail(`label ${as} is not a DNS label: use a-z, 0-9 and "-", not at either end (punycode xn-- for other scripts)`);
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1])) return fail('must be a DNS name; its last label cannot be all digits');
  // An xn-- label that does not decode is no name a browser can open (WHATWG URL: domainToASCII gives "").
  const puny = labels.findIndex((l) => l.startsWith('xn--') && domainToASCII(`${l}.example`) !== `${l}.example`);
  if (puny >= 0) return fail(`label ${shown(givenLabels[puny])} is not valid punycode (xn--); give the name as your DNS holds it`);
  return { ok: true, host };
}

/** `*.<host>`: the name the wildcard certificate, DNS record and Ingress rule use. */
export function wildcardHost(host: string): string {
  return `*.${host}`;
}

/**
 * For construct props: returns `value` when it is already a normalized host name, else throws
 * a ValidationError naming `prop`, the value and, when it is not a host at all, why.
 */
export function requireHost(prop: string, value: string, example = 'runai.example.com'): string {
  const url = parseClusterUrl(value);
  if (url.ok && url.host === value) return value;
  // The parser's reason for an empty value is this very rule: said once.
  if (value.trim() === '') throw new ValidationError(`${prop}: must be a lower-case host name such as ${example}, got ${shown(value)}`);
  throw new ValidationError(
    `${prop}: ${shown(value)} must be a lower-case host name such as ${example}${url.ok ? '' : `; it ${url.message}`}`,
  );
}
