/**
 * One TLS connection to the ingress controller with a given SNI name, then `GET /` over the
 * same connection: the served chain, OpenSSL's verdict on it (against Node's roots and the
 * cluster's private CA), and the HTTP status line. Bounded by one timer: connect, handshake and
 * the answer together. Never throws.
 */
import { X509Certificate } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { connect, PeerCertificate, rootCertificates } from 'node:tls';

/** What a handshake showed. */
export interface TlsProbeResult {
  readonly ok: true;
  /** The served chain, leaf first, as linked by the handshake (a self-signed end is not repeated). */
  readonly chain: readonly X509Certificate[];
  readonly authorized: boolean;
  /** OpenSSL's verify code, such as `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, when not authorized. */
  readonly authorizationError?: string;
  /** The HTTP status line, such as `HTTP/1.1 404 Not Found`; `undefined` when no answer came. */
  readonly statusLine?: string;
  /** Why no HTTP answer came: `timeout`, `closed` or an error code. */
  readonly httpError?: string;
}

/** Why no handshake happened. */
export interface TlsProbeFailure {
  readonly ok: false;
  /** ETIMEDOUT, ECONNREFUSED, EHOSTUNREACH, ECONNRESET, or an OpenSSL code. */
  readonly code: string;
}

export interface TlsProbeOptions {
  readonly address: string;
  readonly port: number;
  readonly servername: string;
  readonly timeoutMs: number;
  /** PEM CA certificates trusted besides Node's roots (the cluster's private CA). */
  readonly extraCa?: readonly string[];
}

export function probeTls(o: TlsProbeOptions): Promise<TlsProbeResult | TlsProbeFailure> {
  return new Promise((resolve) => {
    let handshake: Omit<TlsProbeResult, 'statusLine' | 'httpError'> | undefined;
    let buffered = '';
    const sock = connect({
      host: o.address,
      port: o.port,
      servername: o.servername,
      rejectUnauthorized: false,
      ca: [...rootCertificates, ...(o.extraCa ?? [])],
      ALPNProtocols: ['http/1.1'],
    });
    const finish = (r: TlsProbeResult | TlsProbeFailure) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish(handshake ? { ...handshake, httpError: 'timeout' } : { ok: false, code: 'ETIMEDOUT' }),
      Math.max(1, o.timeoutMs),
    );
    sock.on('error', (e: Error & { code?: string }) =>
      finish(handshake ? { ...handshake, httpError: e.code ?? 'error' } : { ok: false, code: e.code ?? 'EPROTO' }),
    );
    sock.once('secureConnect', () => {
      handshake = {
        ok: true,
        chain: servedChain(sock.getPeerCertificate(true)),
        authorized: sock.authorized,
        authorizationError: sock.authorizationError ? String(sock.authorizationError) : undefined,
      };
      const host = bracketed(o.servername);
      sock.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: runai-access-doctor\r\nConnection: close\r\n\r\n`);
    });
    sock.setEncoding('latin1');
    sock.on('data', (chunk: string) => {
      buffered += chunk;
      // A bare LF ends the status line too (RFC 9112 lets a recipient take one): some servers send it.
      const end = buffered.indexOf('\n');
      if (handshake && (end >= 0 || buffered.length > 4096)) {
        const line = buffered.slice(0, end >= 0 ? end : 200).replace(/\r$/, '');
        finish(
          /^HTTP\/\d(\.\d)? \d{3}/.test(line) ? { ...handshake, statusLine: printable(line) } : { ...handshake, httpError: 'not-http' },
        );
      }
    });
    sock.on('end', () => finish(handshake ? { ...handshake, httpError: 'closed' } : { ok: false, code: 'ECONNRESET' }));
  });
}

/**
 * The server's status line as the report may print it: at most 100 characters, and every
 * character outside printable ASCII (a line break, an escape that would colour or move the
 * terminal) as `?`, so that a server cannot forge a line of the report.
 */
export function printable(line: string): string {
  const shown = line.replace(/[^\x20-\x7e]/g, '?');
  return shown.length > 100 ? `${shown.slice(0, 100)}...` : shown;
}

/** Follows `issuerCertificate` links; a self-signed certificate links to itself, so stop at a repeat. */
function servedChain(leaf: PeerCertificate & { issuerCertificate?: PeerCertificate }): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let c: typeof leaf | undefined = leaf; c?.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    chain.push(new X509Certificate(c.raw));
  }
  return chain;
}

/** An IPv6 address in brackets, as in URLs and `host:port` (`[::1]`); any other host as it is. */
function bracketed(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

/** `host:port`, an IPv6 address in brackets (`[::1]:443`), for messages. */
export function hostPort(host: string, port: number): string {
  return `${bracketed(host)}:${port}`;
}
