/**
 * The certificate chain: order and key match, the validity of every certificate after the
 * leaf, and where the chain ends — at a root Node trusts, at the cluster's private CA, or short.
 * What a client refuses in any chain (SHA-1, unhandled critical extensions) is chain-refusals.ts.
 */
import { createECDH, KeyObject, sign, verify, X509Certificate } from 'node:crypto';

import { andList } from '../model/list-text';
import { sec1PrivateValue } from './der';
import {
  CertFinding,
  cn,
  countIn,
  DAY_MS,
  DEFAULT_WARN_DAYS,
  finding,
  inDays,
  iso,
  nth,
  nthIn,
  numberIn,
  rememberFilePositions,
} from './findings';
import { GO_CURVE_NAMES } from './go-curves';
import { isCopyOf, isSelfSigned, issued, mayNotSignCertificates, nodeRoots, rootsAbove, signedBy } from './issuers';

/**
 * Key match and chain order: each certificate must be issued by the next one. `halvesAgree`: the
 * key's private half is known to be its public half's (key-file.ts `ReadKey`), so the signature check
 * of a key that matches the leaf is left out.
 */
export function checkChain(chain: readonly X509Certificate[], key: KeyObject, halvesAgree = false): CertFinding[] {
  const owner = chain.findIndex((c) => c.checkPrivateKey(key));
  // The key of a CA certificate further down (an intermediate's, given by mistake): the chain may be in order.
  if (owner > 0 && chain[owner].ca) {
    return [
      finding(
        'key-mismatch',
        'key',
        `is the key of ${nthIn(chain, owner)} in certFile, a CA certificate, not of the leaf, ${nthIn(chain, 0)}; ` +
          'give the private key of the leaf certificate',
      ),
    ];
  }
  if (owner > 0) {
    return [
      finding(
        'chain-out-of-order',
        'cert',
        `has the certificate of keyFile at position ${numberIn(chain, owner)} of ${countIn(chain)}; ` +
          "put the leaf first, then each certificate's issuer",
      ),
    ];
  }
  const findings: CertFinding[] = [];
  if (owner === 0 && !halvesAgree && !signsFor(key, chain[0])) {
    return [
      finding(
        'key-mismatch',
        'key',
        'matches the public key of the leaf, but its signatures do not verify with it (a damaged key); export the key again',
      ),
    ];
  }
  if (owner < 0 && privateValueMakes(key, chain[0])) {
    findings.push(
      finding(
        'key-mismatch',
        'key',
        "is the leaf's private key with another public key stored beside it (damaged, or edited by hand): " +
          'kubectl and Go servers compute the public key from the private value and take the pair, ' +
          'OpenSSL servers (HAProxy, ingress-nginx) read the stored one and refuse it; ' +
          'write the key again without the stored public key (openssl ec -in KEY -no_public -out KEY)',
      ),
    );
  } else if (owner < 0) {
    findings.push(
      finding('key-mismatch', 'key', 'does not match the first (leaf) certificate in certFile; give the private key of that certificate'),
    );
  }
  for (let i = 1; i < chain.length; i++) {
    if (issued(chain[i], chain[i - 1])) continue;
    if (signedBy(chain[i - 1], chain[i]) && mayNotSignCertificates(chain[i])) {
      // Its name and key issued it, and its keyUsage forbids signing certificates (OpenSSL's issuer check says no for that).
      findings.push(
        finding(
          'chain-issuer-not-ca',
          'cert',
          `${nthIn(chain, i)} signed ${nthIn(chain, i - 1)} but may not sign certificates (its keyUsage lacks ` +
            'keyCertSign), so browsers and Go refuse the chain; get the chain your CA issued, whose intermediates may sign certificates',
        ),
      );
      break;
    }
    const child = chain.findIndex((c, j) => j !== i && issued(chain[i], c));
    const parent = chain.findIndex((c, j) => j !== i - 1 && issued(c, chain[i - 1]));
    findings.push(
      child < 0 && parent < 0
        ? finding(
            'chain-unrelated',
            'cert',
            `${nthIn(chain, i)} did not issue ${nthIn(chain, i - 1)} nor any other in the file; remove it or add the missing link`,
          )
        : finding(
            'chain-out-of-order',
            'cert',
            `${nthIn(chain, i)} did not issue ${nthIn(chain, i - 1)}; order the chain leaf first, then each certificate's issuer`,
          ),
    );
    break;
  }
  return findings;
}

/**
 * The chain without the copies of a certificate it already holds (`cat cert.pem fullchain.pem`
 * sends the leaf twice), and a warning for each: kubectl, OpenSSL, Go and browsers take such a
 * file, and clients skip the copy, but a path counted with it would be wrong (pathLenConstraint).
 * A self-signed root sent twice at the end (`cat fullchain.pem root.pem`) goes without a word, as
 * before. The checks after this one read the chain without its copies, and number its certificates
 * as certFile does (findings.ts `nthIn`).
 */
export function withoutCopies(chain: readonly X509Certificate[]): { chain: X509Certificate[]; findings: CertFinding[] } {
  const kept: X509Certificate[] = [];
  const at: number[] = [];
  // Where each certificate is first, and where its copies are: one finding for each certificate sent more than once.
  const first = new Map<string, number>();
  const copies = new Map<number, number[]>();
  chain.forEach((cert, i) => {
    const fingerprint = cert.fingerprint256;
    const copyOf = first.get(fingerprint);
    if (copyOf === undefined) {
      first.set(fingerprint, i);
      kept.push(cert);
      at.push(i);
      return;
    }
    if (copyOf === i - 1 && i === chain.length - 1 && isSelfSigned(cert)) return;
    copies.set(copyOf, [...(copies.get(copyOf) ?? []), i]);
  });
  const findings = [...copies].map(([copyOf, where]) =>
    finding(
      'chain-duplicate',
      'cert',
      where.length === 1
        ? `${nth(chain[where[0]], where[0])} is certificate ${copyOf + 1} again: clients skip the copy; remove it`
        : `${nth(chain[copyOf], copyOf)} is in the file ${where.length + 1} times, again as certificate ${positions(where)}: ` +
            'clients skip the copies; remove them',
    ),
  );
  rememberFilePositions(kept, at, chain.length);
  return { chain: kept, findings };
}

/** Positions in certFile (from 0) as its numbers: `3, 4 and 7`; a long run as `3, 4, … and 1401 (1399 in all)`. */
function positions(where: readonly number[]): string {
  const numbers = where.map((i) => String(i + 1));
  if (numbers.length <= 5) return andList(numbers);
  return `${numbers.slice(0, 2).join(', ')}, … and ${numbers.at(-1)} (${numbers.length} in all)`;
}

/**
 * True when a signature made with `key` verifies with the certificate's public key: what a
 * TLS handshake needs. OpenSSL's key match compares only the public halves, and an EC key file
 * carries its own public point, so a damaged private half passes it.
 */
function signsFor(key: KeyObject, cert: X509Certificate): boolean {
  const data = Buffer.from('runai-access key check');
  const digest = ['ed25519', 'ed448'].includes(key.asymmetricKeyType ?? '') ? null : 'sha256';
  try {
    return verify(digest, data, cert.publicKey, sign(digest, data, key));
  } catch {
    return false;
  }
}

/**
 * An EC key on a curve Go parses whose private value d makes the leaf's public key (d·G), whatever
 * public key is stored beside it: Go's parseECPrivateKey (crypto/x509 sec1.go) computes the point
 * from d and ignores the stored one; OpenSSL keeps the stored one and compares it with the
 * certificate's. False for anything it cannot tell (a d outside the curve's range, a leaf key
 * OpenSSL cannot decode).
 */
function privateValueMakes(key: KeyObject, leaf: X509Certificate): boolean {
  const curve = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  if (!curve || !GO_CURVE_NAMES.has(curve)) return false;
  try {
    const ecdh = createECDH(curve);
    ecdh.setPrivateKey(sec1PrivateValue(key.export({ format: 'der', type: 'sec1' })));
    const point = ecdh.getPublicKey();
    const spki = leaf.publicKey.export({ format: 'der', type: 'spki' });
    return spki.subarray(spki.length - point.length).equals(point);
  } catch {
    return false;
  }
}

/**
 * Every certificate after the leaf must be valid at `now`: browsers check the whole path. So must
 * the private CA root the chain ends at, which clients hold themselves and the chain need not.
 * One that expires within `warnDays`, before the leaf does, is a warning: the chain fails with it.
 */
export function chainValidity(
  chain: readonly X509Certificate[],
  now: Date,
  privateCa: readonly X509Certificate[] = [],
  warnDays = DEFAULT_WARN_DAYS,
): CertFinding[] {
  const last = chain[chain.length - 1];
  const valid = (ca: X509Certificate) => now >= new Date(ca.validFrom) && now <= new Date(ca.validTo);
  // The roots that issued the chain's last certificate. Only when every one has expired, and no
  // valid root of privateCa is itself in the chain (a root renewed, or cross-signed, with the same
  // name and key), do clients that trust privateCa refuse it.
  const anchors = last ? rootsAbove(last, privateCa) : [];
  const crossSigned = privateCa.some((ca) => valid(ca) && chain.some((c) => isCopyOf(c, ca)));
  const anchor = anchors.length > 0 && !anchors.some(valid) && !crossSigned ? anchors[0] : undefined;
  // Only one that ends before the leaf: at or after it, the leaf's own warning names the moment.
  const leafEnd = chain[0] ? new Date(chain[0].validTo) : undefined;
  const soon = (cert: X509Certificate, name: string) => {
    const to = new Date(cert.validTo);
    const days = Math.floor((to.getTime() - now.getTime()) / DAY_MS);
    return now >= new Date(cert.validFrom) && now <= to && days < warnDays && leafEnd !== undefined && to < leafEnd
      ? [
          finding(
            'chain-expires-soon',
            'cert',
            `${name} expires on ${iso(to)}, ${inDays(days)}, and the chain with it; ` + 'get its renewal from your CA soon',
          ),
        ]
      : [];
  };
  // Clients refuse the chain once the last of its valid roots has expired.
  const [lastRoot] = anchors.filter(valid).sort((a, b) => new Date(b.validTo).getTime() - new Date(a.validTo).getTime());
  const anchorSoon = lastRoot && !crossSigned ? soon(lastRoot, `the private CA root ${cn(lastRoot)} (privateCa.caFile)`) : [];
  const anchorExpired = anchor
    ? [
        finding(
          'chain-expired',
          'cert',
          `ends under the private CA root ${cn(anchor)} (privateCa.caFile), which expired on ${iso(new Date(anchor.validTo))}; ` +
            'clients that trust it refuse the chain: the CA must issue from a new root, and the clients trust that one',
        ),
      ]
    : [];
  return [
    ...anchorExpired,
    ...anchorSoon,
    ...chain.slice(1).flatMap((cert, j) => {
      const from = new Date(cert.validFrom);
      const to = new Date(cert.validTo);
      if (now < from) return [finding('chain-not-yet-valid', 'cert', `${nthIn(chain, j + 1)} is not valid until ${iso(from)}`)];
      if (now > to) {
        // A root clients already hold need not be sent; one they trust that expired breaks the chain.
        const fix = cert.checkIssued(cert)
          ? "get a chain to your CA's current root; if clients trust a newer root of their own, this one can be left out"
          : 'get the current intermediate from your CA';
        return [finding('chain-expired', 'cert', `${nthIn(chain, j + 1)} expired on ${iso(to)}; ${fix}`)];
      }
      return soon(cert, nthIn(chain, j + 1));
    }),
  ];
}

/**
 * Where the chain ends. Complete: at a root Node trusts, at a certificate of `privateCa`, or
 * under one. A self-signed end is the admin's own root: fine without a private CA, a warning
 * when the cluster's private CA is another.
 */
export function chainEnd(chain: readonly X509Certificate[], privateCa: readonly X509Certificate[] = []): CertFinding[] {
  const last = chain[chain.length - 1];
  const at = `ends in ${nthIn(chain, chain.length - 1)}`;
  if (privateCa.some((ca) => ca.fingerprint256 === last.fingerprint256 || issued(ca, last))) return [];
  const cas = privateCa.map((ca) => cn(ca)).join(', ');
  if (isSelfSigned(last)) {
    if (privateCa.length === 0 || nodeRoots().some((root) => root.fingerprint256 === last.fingerprint256)) return [];
    return [
      finding(
        'chain-untrusted-root',
        'cert',
        `${at}, a self-signed root that is not the cluster's privateCa (${cas}); browsers that ` +
          `trust only the private CA refuse it: use a certificate issued under privateCa, or make ` +
          `privateCa.caFile that root`,
      ),
    ];
  }
  if (nodeRoots().some((root) => issued(root, last))) return [];
  const anchors = privateCa.length > 0 ? `neither a root Node trusts nor the cluster's privateCa (${cas})` : 'not a root Node trusts';
  return [
    finding(
      'chain-incomplete',
      'cert',
      `${at}, which is not self-signed and whose issuer (${cn(last, 'issuer')}) is ${anchors}; ` +
        (privateCa.length > 0
          ? "add the missing intermediate, or append your private CA's root certificate"
          : 'add the missing intermediate, or, for a private CA, set privateCa.caFile to its root'),
    ),
  ];
}
