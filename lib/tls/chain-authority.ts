/**
 * Whether each issuer in the chain may issue what it issued, as Go's crypto/x509 (verify.go,
 * `isValid` and `checkChainForKeyUsage`) and browsers decide: an intermediate must be a CA
 * (basicConstraints CA:TRUE); no CA may have more CAs below it than its pathLenConstraint; a CA
 * that lists extended key usages must list serverAuth (or any); and the DNS names of the leaf
 * must be inside the name constraints of every CA above it. The private CA root the chain ends
 * under counts as a CA above it. Node's `X509Certificate.verify` checks only the signature, and
 * `checkIssued` none of these.
 */
import { X509Certificate } from 'node:crypto';

import { plural } from '../model/errors';
import { DnsNameConstraints, readableFields } from './certificate-fields';
import { CertFinding, cn, finding, nthIn } from './findings';
import { isCopyOf, isSelfSigned, issued, rootsAbove } from './issuers';

/** Extended key usages: TLS server authentication, and any usage. */
export const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const ANY_EKU = '2.5.29.37.0';

/**
 * What the CAs above the leaf may not issue: `chain-issuer-not-ca`, then `chain-path-too-long` and
 * `chain-issuer-no-server-auth` of each CA on the path, then `chain-name-not-permitted`.
 */
export function chainAuthority(chain: readonly X509Certificate[], privateCa: readonly X509Certificate[] = []): CertFinding[] {
  const findings: CertFinding[] = [];
  for (let i = 1; i < chain.length; i++) {
    // A self-signed root is a trust anchor: Go asks CA:TRUE of intermediates only.
    if (chain[i].ca || !issued(chain[i], chain[i - 1]) || isSelfSigned(chain[i])) continue;
    findings.push(
      finding(
        'chain-issuer-not-ca',
        'cert',
        `${nthIn(chain, i)} issued ${nthIn(chain, i - 1)} but is not a CA (no basicConstraints CA:TRUE), ` +
          'so browsers and Go refuse the chain; get the chain your CA issued, whose intermediates are CA certificates',
      ),
    );
  }
  const names = leafDnsNames(chain[0]);
  const nameFindings: CertFinding[] = [];
  for (const { cert, name, casBelow } of pathAbove(chain, privateCa)) {
    const fields = readableFields(cert);
    const pathLen = fields?.pathLen;
    if (pathLen !== undefined && casBelow > pathLen) {
      findings.push(
        finding(
          'chain-path-too-long',
          'cert',
          `${name} allows ${plural(pathLen, 'CA')} below it (pathLenConstraint) and has ${casBelow}, so browsers and OpenSSL refuse the chain; ` +
            'get a chain your CA issues for server certificates',
        ),
      );
    }
    const eku = cert.keyUsage;
    if (eku && eku.length > 0 && !eku.includes(SERVER_AUTH) && !eku.includes(ANY_EKU)) {
      findings.push(
        finding(
          'chain-issuer-no-server-auth',
          'cert',
          `${name} limits what it issues to extended key usages without serverAuth (${eku.join(', ')}), so browsers refuse ` +
            'its server certificates; get the chain your CA issues for TLS servers',
        ),
      );
    }
    const constraints = fields?.dnsNameConstraints;
    const outside = constraints ? names.filter((n) => !permits(constraints, n)) : [];
    if (constraints && outside.length > 0) {
      nameFindings.push(
        finding(
          'chain-name-not-permitted',
          'cert',
          `${name} has name constraints (permitted: ${listed(constraints.permitted)}; excluded: ${listed(constraints.excluded)}) ` +
            `that do not allow the leaf's ${outside.join(', ')}, so browsers and Go refuse the chain; have the certificate ` +
            'issued by a CA whose constraints allow these names',
        ),
      );
    }
  }
  return [...findings, ...nameFindings];
}

/**
 * The CAs a client's path holds above the leaf, each with how many CAs are below it: the chain's
 * certificates up to the first a client trusts (a self-signed root, or a certificate with the
 * subject and key of a `privateCa` root: a root renewed or cross-signed; what follows it in the
 * file is not on the path), that root as `privateCa` gives it, or, when the chain reaches
 * neither, the `privateCa` roots that issued its last certificate. Self-issued certificates (a
 * key-rollover link: subject = issuer) do not count as CAs below, as RFC 5280 6.1.4 (l), OpenSSL
 * and Chrome count them.
 */
function pathAbove(
  chain: readonly X509Certificate[],
  privateCa: readonly X509Certificate[],
): { cert: X509Certificate; name: string; casBelow: number }[] {
  const twin = (c: X509Certificate) => privateCa.find((ca) => isCopyOf(c, ca));
  const end = chain.findIndex((c, i) => i > 0 && (isSelfSigned(c) || twin(c) !== undefined));
  const path = end < 0 ? chain : chain.slice(0, end + 1);
  const below = (i: number) => path.slice(1, i).filter((c) => c.subject !== c.issuer).length;
  const above = path.slice(1).map((cert, j) => {
    const i = j + 1;
    const anchor = i === end ? twin(cert) : undefined;
    return anchor
      ? { cert: anchor, name: `the private CA root ${cn(anchor)} (privateCa.caFile)`, casBelow: below(i) }
      : { cert, name: nthIn(chain, i), casBelow: below(i) };
  });
  if (end >= 0) return above;
  const anchors = rootsAbove(chain[chain.length - 1], privateCa);
  return [
    ...above,
    ...anchors.map((cert) => ({ cert, name: `the private CA root ${cn(cert)} (privateCa.caFile)`, casBelow: below(chain.length) })),
  ];
}

/** The leaf's DNS subject alternative names, as `X509Certificate.subjectAltName` lists them. */
function leafDnsNames(leaf: X509Certificate): string[] {
  return (leaf.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice('DNS:'.length));
}

function listed(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : 'none';
}

/** True when `name` is in no excluded subtree and, if there are permitted ones, in one of them (Go's checkNameConstraints). */
function permits(constraints: DnsNameConstraints, name: string): boolean {
  if (constraints.excluded.some((c) => matchesDomain(name, c, true))) return false;
  return constraints.permitted.length === 0 || constraints.permitted.some((c) => matchesDomain(name, c, false));
}

/**
 * Go's `matchDomainConstraint`: labels compared from the right, case-insensitively; an empty
 * constraint matches everything; a leading `.` asks for at least one more label. For an
 * excluded subtree, a wildcard name `*.a.b` also matches a constraint `x.a.b` one label below
 * its base, a name the wildcard covers: Chrome's rule (net/cert/internal name_constraints.cc,
 * `WILDCARD_PARTIAL_MATCH`: the constraint's parent equals the wildcard's base), what the
 * browsers that reach workspaces do. (Go 1.24.11 and 1.25.5 dropped a label from both sides and
 * so matched any constraint whose parent is a suffix of the base, refusing every wildcard
 * under an excluded `mil`, a bug: golang/go#76935.)
 */
function matchesDomain(fullName: string, fullConstraint: string, excluded: boolean): boolean {
  if (fullConstraint === '') return true;
  // One trailing dot (a fully qualified name) is dropped, as Chrome does, after the test for the
  // empty constraint, so that "." matches nothing (Chrome's DNSNameMatches); Go refuses such names outright.
  const [name, constraint] = [fullName, fullConstraint].map((n) => (n.endsWith('.') ? n.slice(0, -1) : n));
  if (constraint === '') return false;
  if (excluded && name.startsWith('*.') && !constraint.startsWith('.')) {
    const dot = constraint.indexOf('.');
    if (dot > 0 && constraint.slice(dot + 1).toLowerCase() === name.slice(2).toLowerCase()) return true;
  }
  const mustHaveSubdomains = constraint.startsWith('.');
  const names = reversedLabels(name);
  const wanted = reversedLabels(mustHaveSubdomains ? constraint.slice(1) : constraint);
  if (names.length < wanted.length || (mustHaveSubdomains && names.length === wanted.length)) return false;
  return wanted.every((label, i) => label.toLowerCase() === names[i].toLowerCase());
}

function reversedLabels(domain: string): string[] {
  return domain.split('.').reverse();
}
