/**
 * Go's certificate parser, as far as it refuses what OpenSSL (and so Node) reads: a port of the
 * checks of `x509.ParseCertificate` (golang/go src/crypto/x509/parser.go, Go 1.23, and Go 1.24's
 * reading of the policy extensions) and of the DER reader under it (go-asn1.ts). kubectl and the
 * Go ingress controllers parse the leaf with it, and Go TLS clients every certificate a server
 * sends. This file reads the certificate's frame, names and public key; go-extensions.ts its
 * extensions, go-names.ts the DNS names, IP addresses and mailboxes in them.
 *
 * {@link goParseError} returns Go's own error text, so a finding can quote what kubectl prints.
 * A URI subject alternative name is parsed as Go's `url.Parse` does (go-url.ts). What Go then does
 * with a parsed certificate is go-x509.ts's.
 *
 * Checked against the kubectl on PATH (test/go-parse.test.ts; kubectl 1.32.4, Go 1.23.8). Not
 * ported, as no kubectl built with a later Go is here to compare with: what later parser.go refuses
 * besides (an IPv4-mapped IPv6 address in a subjectAltName or an IP constraint, an empty list of
 * subtrees in name constraints, BMPString surrogates, its stricter `domainNameValid`), and the
 * later URL rules go-url.ts lists.
 */
import { rightAlignedBits } from './der';
import {
  BIT_STRING,
  bitStringOk,
  ctx,
  Element,
  GENERALIZED_TIME,
  int64,
  int64Ok,
  INTEGER,
  integerOk,
  isNegative,
  OID,
  oidOk,
  Reader,
  SEQUENCE,
  SET,
  stringProblem,
  timeOk,
  UTC_TIME,
} from './go-asn1';
import { GO_CURVES } from './go-curves';
import { extensionsProblem } from './go-extensions';

/** Go's `parseName`. */
function nameProblem(e: Element | undefined, missing: string): string | undefined {
  if (!e) return missing;
  const rdns = new Reader(e.content);
  while (!rdns.empty()) {
    const set = rdns.read(SET);
    if (!set) return 'x509: invalid RDNSequence';
    const atavs = new Reader(set.content);
    while (!atavs.empty()) {
      const atav = atavs.read(SEQUENCE);
      if (!atav) return 'x509: invalid RDNSequence: invalid attribute';
      const r = new Reader(atav.content);
      if (!oidOk(r.read(OID))) return 'x509: invalid RDNSequence: invalid attribute type';
      const value = r.any();
      if (!value) return 'x509: invalid RDNSequence: invalid attribute value';
      const problem = stringProblem(value.tag, value.content);
      if (problem) return `x509: invalid RDNSequence: invalid attribute value: ${problem}`;
    }
  }
  return undefined;
}

/** Go's `parseAI`: an OID and, optionally, one element of parameters. */
function algorithm(e: Element): { oid: Buffer; params?: Element } | string {
  const r = new Reader(e.content);
  const oid = r.read(OID);
  if (!oidOk(oid)) return 'x509: malformed OID';
  if (r.empty()) return { oid: oid!.content };
  const params = r.any();
  return params ? { oid: oid!.content, params } : 'x509: malformed parameters';
}

/**
 * Go's `elliptic.Unmarshal` for the curve of OID content `curveOid` (hex): an uncompressed point
 * whose coordinates are below p, on y² = x³ − 3x + b. False for a curve Go does not parse.
 */
export function goEcPointOk(curveOid: string, key: Buffer): boolean {
  const curve = GO_CURVES[curveOid];
  if (!curve || key.length !== 1 + 2 * curve.size || key[0] !== 4) return false;
  const x = BigInt(`0x${key.subarray(1, 1 + curve.size).toString('hex')}`);
  const y = BigInt(`0x${key.subarray(1 + curve.size).toString('hex')}`);
  const { p, b } = curve;
  if (x >= p || y >= p) return false;
  return (((y * y - (x * x * x - 3n * x + b)) % p) + p) % p === 0n;
}
const RSA_OID = '2a864886f70d010101';
const EC_OID = '2a8648ce3d0201';
const ED25519_OID = '2b6570';
const DSA_OID = '2a8648ce380401';

/** Go's `parsePublicKey`, for the parts about the encoding (go-x509.ts judges the RSA numbers it reads). */
function publicKeyProblem(oid: string, params: Element | undefined, key: Buffer): string | undefined {
  const r = new Reader(key);
  switch (oid) {
    case RSA_OID: {
      if (!params || params.whole.toString('hex') !== '0500') return 'x509: RSA key missing NULL parameters';
      const seq = r.read(SEQUENCE);
      if (!seq) return 'x509: invalid RSA public key';
      const numbers = new Reader(seq.content);
      const n = numbers.read(INTEGER);
      if (!n || !integerOk(n.content)) return 'x509: invalid RSA modulus';
      const e = numbers.read(INTEGER);
      if (!int64Ok(e)) return 'x509: invalid RSA public exponent';
      if (isNegative(n.content) || n.content.every((b) => b === 0)) return 'x509: RSA modulus is not a positive number';
      if (int64(e) <= 0n) return 'x509: RSA public exponent is not a positive number';
      return undefined;
    }
    case EC_OID: {
      const curve = params && params.tag === OID && oidOk(params) ? params.content.toString('hex') : undefined;
      if (curve === undefined) return 'x509: invalid ECDSA parameters';
      if (!GO_CURVES[curve]) return 'x509: unsupported elliptic curve';
      return goEcPointOk(curve, key) ? undefined : 'x509: failed to unmarshal elliptic curve point';
    }
    case ED25519_OID:
      if (params) return 'x509: Ed25519 key encoded with illegal parameters';
      return key.length === 32 ? undefined : 'x509: wrong Ed25519 public key size';
    case DSA_OID: {
      const y = r.read(INTEGER);
      if (!y || !integerOk(y.content)) return 'x509: invalid DSA public key';
      const p = params && params.tag === SEQUENCE ? new Reader(params.content) : undefined;
      const pqg = p ? [p.read(INTEGER), p.read(INTEGER), p.read(INTEGER)] : [];
      if (pqg.length !== 3 || pqg.some((x) => !x || !integerOk(x.content))) return 'x509: invalid DSA parameters';
      const positive = (x: Element) => !isNegative(x.content) && x.content.some((b) => b !== 0);
      return [y, ...(pqg as Element[])].every(positive) ? undefined : 'x509: zero or negative DSA parameter';
    }
    default:
      return undefined; // an algorithm Go does not know: it keeps the key unparsed
  }
}

/**
 * Why Go's `x509.ParseCertificate` refuses `der`, in Go's words (`x509: malformed UTCTime`), or
 * `undefined` when it parses it. `goMinor`: the Go whose parser to follow, 23 (kubectl 1.32) or 24
 * (kubectl 1.33 and later), which also reads policyConstraints, policyMappings and
 * inhibitAnyPolicy and refuses a policy listed twice.
 */
export function goParseError(der: Buffer, goMinor = 23): string | undefined {
  const input = new Reader(der);
  const cert = input.read(SEQUENCE);
  if (!cert) return 'x509: malformed certificate';
  const c = new Reader(cert.content);
  const tbsElement = c.read(SEQUENCE);
  if (!tbsElement) return 'x509: malformed tbs certificate';
  const tbs = new Reader(tbsElement.content);
  let version = 0n;
  const explicitVersion = tbs.optional(ctx(0, true));
  if (explicitVersion === undefined) return 'x509: malformed version';
  if (explicitVersion) {
    const v = new Reader(explicitVersion.content);
    const int = v.read(INTEGER);
    if (!int64Ok(int) || !v.empty()) return 'x509: malformed version';
    version = int64(int);
  }
  if (version < 0n) return 'x509: malformed version';
  if (version > 2n) return 'x509: invalid version';
  const serial = tbs.read(INTEGER);
  if (!serial || !integerOk(serial.content)) return 'x509: malformed serial number';
  if (isNegative(serial.content)) return 'x509: negative serial number';
  const inner = tbs.read(SEQUENCE);
  if (!inner) return 'x509: malformed signature algorithm identifier';
  const outer = c.read(SEQUENCE);
  if (!outer) return 'x509: malformed algorithm identifier';
  if (!inner.content.equals(outer.content)) return "x509: inner and outer signature algorithm identifiers don't match";
  const signatureAlgorithm = algorithm(inner);
  if (typeof signatureAlgorithm === 'string') return signatureAlgorithm;
  const issuer = nameProblem(tbs.read(SEQUENCE), 'x509: malformed issuer');
  if (issuer) return issuer;
  const validity = tbs.read(SEQUENCE);
  if (!validity) return 'x509: malformed validity';
  const times = new Reader(validity.content);
  for (let i = 0; i < 2; i++) {
    const utc = times.peek(UTC_TIME);
    if (!utc && !times.peek(GENERALIZED_TIME)) return 'x509: unsupported time format';
    const t = times.any();
    if (!t || !timeOk(t)) return utc ? 'x509: malformed UTCTime' : 'x509: malformed GeneralizedTime';
  }
  const subject = nameProblem(tbs.read(SEQUENCE), 'x509: malformed issuer');
  if (subject) return subject;
  const spkiElement = tbs.read(SEQUENCE);
  if (!spkiElement) return 'x509: malformed spki';
  const spki = new Reader(spkiElement.content);
  const keyAlgorithmElement = spki.read(SEQUENCE);
  if (!keyAlgorithmElement) return 'x509: malformed public key algorithm identifier';
  const keyAlgorithm = algorithm(keyAlgorithmElement);
  if (typeof keyAlgorithm === 'string') return keyAlgorithm;
  const key = spki.read(BIT_STRING);
  if (!bitStringOk(key)) return 'x509: malformed subjectPublicKey';
  const keyProblem = publicKeyProblem(keyAlgorithm.oid.toString('hex'), keyAlgorithm.params, rightAlignedBits(key!.content));
  if (keyProblem) return keyProblem;
  if (version >= 1n) {
    if (tbs.optional(ctx(1)) === undefined) return 'x509: malformed issuerUniqueID';
    if (tbs.optional(ctx(2)) === undefined) return 'x509: malformed subjectUniqueID';
    if (version === 2n) {
      const extensions = tbs.optional(ctx(3, true));
      if (extensions === undefined) return 'x509: malformed extensions';
      const problem = extensions && extensionsProblem(extensions, goMinor);
      if (problem) return problem;
    }
  }
  if (!bitStringOk(c.read(BIT_STRING))) return 'x509: malformed signature';
  // ParseCertificate checks for bytes after the certificate once parseCertificate has read it.
  return input.empty() ? undefined : 'x509: trailing data';
}
