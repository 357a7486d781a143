/**
 * Judges the certificate a controller served for one SNI name, and the HTTP answer over the
 * same connection: is it the configured certificate, is the chain complete and valid now, or
 * is it the controller's own default certificate (which means it found none for the host)?
 */
import { X509Certificate } from 'node:crypto';

import { plural } from '../model/errors';
import { coversHost } from '../tls/inspect';
import { CheckName, CheckResult, fail, pass, seconds, skip } from './check';
import { TlsProbeFailure, TlsProbeResult } from './tls-probe';

/**
 * Controllers' default certificates, served when no Ingress gives one for the SNI name.
 * - ingress-nginx: `O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate`
 *   (kubernetes/ingress-nginx internal/net/ssl/ssl.go, GetFakeSSLCert).
 * - Traefik: `CN=TRAEFIK DEFAULT CERT` (traefik/traefik pkg/tls/generate/generate.go, DefaultDomain).
 * - HAProxy Kubernetes Ingress: its Helm chart issues the default certificate from a CA named
 *   `kubernetes-ingress-ca` (haproxytech/helm-charts kubernetes-ingress/templates/_helpers.tpl).
 */
const DEFAULT_CERTIFICATES: readonly { readonly controller: string; readonly matches: (c: X509Certificate) => boolean }[] = [
  { controller: 'ingress-nginx', matches: (c) => /^CN=Kubernetes Ingress Controller Fake Certificate$/m.test(c.subject) },
  { controller: 'Traefik', matches: (c) => /^CN=TRAEFIK DEFAULT CERT$/m.test(c.subject) },
  { controller: 'HAProxy Kubernetes Ingress (Helm chart default)', matches: (c) => /^CN=kubernetes-ingress-ca$/m.test(c.issuer) },
];

/** The controller whose default certificate `leaf` is, if it is one. */
export function defaultCertificateOf(leaf: X509Certificate): string | undefined {
  return DEFAULT_CERTIFICATES.find((d) => d.matches(leaf))?.controller;
}

/** What the served certificate is compared with, and the names a fix points to. */
export interface Expectation {
  /** The config's certificate (files, sealed-secret): compared by SHA-256 fingerprint. */
  readonly fingerprint256?: string;
  /** Until when the config's certificate is valid: once it has expired, applying it is no fix. */
  readonly configuredValidTo?: Date;
  /** Where the certificate comes from, for messages: `files`, `cert-manager`, ... */
  readonly source: string;
  /** `<namespace>/<name>` of the Secret the controller should serve. */
  readonly secret: string;
  /** The Ingress that hands the Secret to the controller, or the Gateway. */
  readonly wiredBy: string;
  /** What a running controller must watch for the host to be served: `IngressClass haproxy`, `the default IngressClass`, a Gateway's class. */
  readonly watchedBy: string;
}

/**
 * What to do when a cluster serves or holds another certificate than the config's: `apply`,
 * unless the config's has expired, when applying it would serve an expired certificate (the
 * one served may be its renewal).
 */
export function configuredCertificateFix(configuredValidTo: Date | undefined, now: Date, apply: string): string {
  if (!configuredValidTo || now <= configuredValidTo) return apply;
  return (
    `the configured certificate expired on ${isoDay(configuredValidTo.toISOString())}, so applying it would serve an expired ` +
    'certificate: put the current certificate and key in the config (certFile, keyFile), then synth and apply'
  );
}

/** `CN=…` of the subject or issuer, or the whole name. */
export function commonName(cert: X509Certificate, which: 'subject' | 'issuer' = 'subject'): string {
  const m = /^CN=(.*)$/m.exec(cert[which]);
  return m ? `CN=${m[1]}` : cert[which].replace(/\n/g, ', ');
}

function isoDay(date: string): string {
  return new Date(date).toISOString().slice(0, 10);
}

function shortFingerprint(fp: string): string {
  return `${fp.slice(0, 23)}…`;
}

/** The TLS check for one SNI name (`tls.workspace`, `tls.cluster`, `tls.inference`). */
export function certificateCheck(
  name: CheckName,
  sni: string,
  target: string,
  probe: TlsProbeResult | TlsProbeFailure,
  expect: Expectation,
  timeoutMs: number,
  now: Date = new Date(),
): CheckResult {
  if (!probe.ok) return connectFailure(name, sni, target, probe.code, timeoutMs);
  const [leaf] = probe.chain;
  if (!leaf) return fail(name, `${target} (SNI ${sni}) sent no certificate`, 'check that port is the ingress controller');
  const controller = defaultCertificateOf(leaf);
  if (controller) {
    return fail(
      name,
      `${target} (SNI ${sni}) served the default certificate of ${controller} (${commonName(leaf)}): the controller has no certificate for this name`,
      `likely causes: Secret ${expect.secret} is missing or in another namespace than ${expect.wiredBy}; ` +
        `${expect.watchedBy} is one no running controller watches; the Secret's tls.crt or tls.key did not parse (see the controller's log); ` +
        `the Secret and Ingress checks (without --no-kube) tell which`,
    );
  }
  if (!coversHost(leaf, sni)) {
    return fail(
      name,
      `${target} (SNI ${sni}) served ${commonName(leaf)} for ${leaf.subjectAltName ?? 'no names'}, which does not cover ${sni}`,
      `another Ingress or the controller's default certificate answers for ${sni}; make sure ${expect.wiredBy} lists it with Secret ${expect.secret}`,
    );
  }
  if (expect.fingerprint256 && leaf.fingerprint256 !== expect.fingerprint256) {
    return fail(
      name,
      `${target} (SNI ${sni}) served ${commonName(leaf)} valid until ${isoDay(leaf.validTo)} ` +
        `(SHA-256 ${shortFingerprint(leaf.fingerprint256)}), not the configured certificate ` +
        `(SHA-256 ${shortFingerprint(expect.fingerprint256)})`,
      configuredCertificateFix(
        expect.configuredValidTo,
        now,
        `apply the cluster's output folder so Secret ${expect.secret} holds the configured certificate; the controller reloads it`,
      ),
    );
  }
  if (now > new Date(leaf.validTo) || now < new Date(leaf.validFrom)) {
    const when = now > new Date(leaf.validTo) ? `expired on ${isoDay(leaf.validTo)}` : `is not valid until ${isoDay(leaf.validFrom)}`;
    return fail(
      name,
      `${target} (SNI ${sni}) served ${commonName(leaf)}, which ${when}`,
      expect.source === 'cert-manager'
        ? `cert-manager did not renew it: kubectl describe certificate -n ${expect.secret.split('/')[0]}`
        : `renew the certificate, put it in the config (or the Secret ${expect.secret}) and apply`,
    );
  }
  if (!probe.authorized) return chainFailure(name, sni, target, probe, expect, now);
  const identity = expect.fingerprint256
    ? 'the configured certificate'
    : `${commonName(leaf)} (source ${expect.source}: names and issuer checked)`;
  return pass(
    name,
    `${target} (SNI ${sni}) served ${identity}, issued by ${commonName(leaf, 'issuer')}, valid until ${isoDay(leaf.validTo)}, chain complete`,
  );
}

/** What a failed connection says, and what to do, by its error code; anything else gets the generic pair. */
function connectTrouble(sni: string, target: string, timeoutMs: number): Record<string, { what: string; fix: string }> {
  const address =
    'check that the address is the load balancer of your ingress controller or Gateway and that port is open from here ' +
    '(--address IP and --port N test another)';
  return {
    ETIMEDOUT: { what: `no TLS handshake with ${target} within ${seconds(timeoutMs)}`, fix: address },
    ECONNREFUSED: { what: `${target} refused the connection`, fix: address },
    EHOSTUNREACH: { what: `${target} is unreachable`, fix: address },
    ECONNRESET: {
      what: `${target} closed the connection during the handshake (SNI ${sni})`,
      fix:
        `a controller with strict SNI does this for a name it has no certificate for (check the Secret and Ingress below); ` +
        'so does a load balancer with no healthy backend, or a firewall',
    },
    ERR_SSL_WRONG_VERSION_NUMBER: {
      what: `${target} answered the TLS handshake with something else (plain HTTP on this port?)`,
      fix: "--port N names the HTTPS port; a load balancer must forward it to the controller's HTTPS port, not its HTTP one",
    },
    [CLIENT_CERTIFICATE_REQUIRED]: {
      what: `${target} (SNI ${sni}) asks for a client certificate (mutual TLS)`,
      fix: 'browsers without one are refused too: client certificate authentication is set on the controller or the load balancer',
    },
    ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: {
      what: `${target} (SNI ${sni}) ended the TLS handshake with a handshake failure`,
      fix:
        'the server found nothing to agree on with this client (protocol version, cipher, a certificate for this name) or, ' +
        'with TLS 1.2, wants a client certificate (mutual TLS); check the controller or load balancer TLS settings',
    },
    ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL: {
      what: `${target} (SNI ${sni}) refused HTTP/1.1 (ALPN): it speaks only another protocol, such as HTTP/2`,
      fix:
        'browsers that speak HTTP/2 may still get through, clients of HTTP/1.1 alone (curl --http1.1, many scripts) do not; ' +
        'doctor speaks HTTP/1.1',
    },
  };
}

function connectFailure(name: CheckName, sni: string, target: string, code: string, timeoutMs: number): CheckResult {
  const known = connectTrouble(sni, target, timeoutMs)[code];
  return known
    ? fail(name, known.what, known.fix)
    : fail(name, `TLS with ${target} (SNI ${sni}) failed: ${code}`, connectTrouble(sni, target, timeoutMs).ECONNREFUSED.fix);
}

/** OpenSSL refused the chain: say which link is missing. */
function chainFailure(name: CheckName, sni: string, target: string, probe: TlsProbeResult, expect: Expectation, now: Date): CheckResult {
  const chain = probe.chain;
  const last = chain[chain.length - 1];
  // A CA certificate of the chain out of its validity (the leaf's was checked before): OpenSSL's
  // CERT_HAS_EXPIRED is about it, not about whom the root is trusted by.
  const outdated = chain.slice(1).find((c) => now > new Date(c.validTo) || now < new Date(c.validFrom));
  if (outdated) {
    const when =
      now > new Date(outdated.validTo) ? `expired on ${isoDay(outdated.validTo)}` : `is not valid until ${isoDay(outdated.validFrom)}`;
    return fail(
      name,
      `${target} (SNI ${sni}) served a chain whose CA certificate ${commonName(outdated)} ${when} (${probe.authorizationError})`,
      `put your CA's current intermediate after the leaf in the certificate file (or the Secret ${expect.secret}) and apply`,
    );
  }
  const selfSigned = last.checkIssued(last) && last.verify(last.publicKey);
  const sent = plural(chain.length, 'certificate');
  if (selfSigned) {
    return fail(
      name,
      `${target} (SNI ${sni}) served a chain ending in ${commonName(last)}, a root no one here trusts (${probe.authorizationError})`,
      `if ${commonName(last)} is your private CA, set privateCa.caFile in the config ` +
        `(researchers' machines must trust it too); else use a certificate from a public CA`,
    );
  }
  if (chain.length === 1 && !last.ca) {
    return fail(
      name,
      `${target} (SNI ${sni}) served an incomplete chain: only the leaf ${commonName(last)}, ` +
        `without its issuer ${commonName(last, 'issuer')} (${probe.authorizationError})`,
      `tls.crt of Secret ${expect.secret} must hold the leaf, then every intermediate (fullchain.pem)`,
    );
  }
  return fail(
    name,
    `${target} (SNI ${sni}) served ${sent} ending in ${commonName(last)}, whose issuer ` +
      `${commonName(last, 'issuer')} is neither sent nor a trusted root ` +
      `(${probe.authorizationError})`,
    `if ${commonName(last, 'issuer')} is your private CA, set privateCa.caFile (researchers' ` +
      `machines must trust it too); else tls.crt of Secret ${expect.secret} must hold every ` +
      `intermediate (fullchain.pem)`,
  );
}

/**
 * `http.workspace`: any HTTP answer over the same connection means routing reaches the controller,
 * when that connection served the cluster's certificate (`tlsPassed`, the tls.workspace check's
 * outcome), a certificate for the probed name (the cluster's, failed for its chain or its dates), or
 * a controller's own default certificate (it has no certificate for the name, and answers); over
 * another certificate, whatever answered (a proxy on the way, another server at the address) need
 * not be the cluster's controller, and nothing is claimed.
 */
export function httpCheck(
  sni: string,
  probe: TlsProbeResult | TlsProbeFailure | undefined,
  timeoutMs: number,
  tlsPassed: boolean,
): CheckResult {
  // The cluster's own certificate (tls.workspace may fail it for its chain or its dates) or a controller's default: the controller answers.
  const controllers =
    probe?.ok && (defaultCertificateOf(probe.chain[0]) !== undefined || probe.chain[0].checkHost(sni, { subject: 'never' }) !== undefined);
  if (probe?.ok && probe.statusLine && !tlsPassed && !controllers) {
    return skip(
      'http.workspace',
      `GET https://${sni}/ answered "${probe.statusLine}", but over a connection whose certificate tls.workspace refused: ` +
        "what answered may not be the cluster's controller",
      'fix tls.workspace first',
    );
  }
  if (probe?.ok && probe.statusLine) {
    return pass('http.workspace', `GET https://${sni}/ answered "${probe.statusLine}": routing reaches the controller`);
  }
  if (!probe?.ok) return skip('http.workspace', `GET https://${sni}/ not sent: no TLS connection`);
  // With TLS 1.3 the server judges the client's certificate after the client's handshake ends: its refusal comes here.
  if (probe.httpError === CLIENT_CERTIFICATE_REQUIRED) {
    const mutual = connectTrouble(sni, '', timeoutMs)[CLIENT_CERTIFICATE_REQUIRED];
    return fail('http.workspace', `GET https://${sni}/ was refused: the server asks for a client certificate (mutual TLS)`, mutual.fix);
  }
  const why =
    probe.httpError === 'timeout'
      ? `no answer within ${seconds(timeoutMs)}`
      : probe.httpError === 'not-http'
        ? 'the answer was not HTTP'
        : `the connection ended without an answer (${probe.httpError})`;
  return fail(
    'http.workspace',
    `GET https://${sni}/ got no HTTP answer: ${why}`,
    'check that the address and port are the ingress controller or Gateway (a load balancer in TCP mode must forward to its https port)',
  );
}

/** The alert of a TLS 1.3 server that wants a client certificate the client did not send. */
const CLIENT_CERTIFICATE_REQUIRED = 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED';
