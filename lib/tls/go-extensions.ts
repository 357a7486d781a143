/**
 * The extensions of a certificate as Go's `x509.ParseCertificate` reads them (parser.go
 * `parseExtension` and `processExtensions`): what makes it refuse one, in Go's words. Go 1.23, and
 * from Go 1.24 its reading of the policy extensions (`goMinor`). Part of go-parse.ts's port.
 */
import { oidText } from './der';
import {
  BIT_STRING,
  bitStringOk,
  BOOLEAN,
  booleanOk,
  ctx,
  Element,
  ia5,
  int64Ok,
  INTEGER,
  OCTET_STRING,
  OID,
  oidOk,
  Reader,
  SEQUENCE,
} from './go-asn1';
import { domainOk, goIp, mailboxOk } from './go-names';
import { goParseUrl, goQuote } from './go-url';

/** Go's `forEachSAN` and `parseSANExtension`. */
function sanProblem(value: Buffer): string | undefined {
  const seq = new Reader(value).read(SEQUENCE);
  if (!seq) return 'x509: invalid subject alternative names';
  const names = new Reader(seq.content);
  while (!names.empty()) {
    const name = names.any();
    if (!name) return 'x509: invalid subject alternative name';
    const kind = name.tag ^ 0x80;
    if (kind === 1 && !ia5(name.content)) return 'x509: SAN rfc822Name is malformed';
    if (kind === 2 && !ia5(name.content)) return 'x509: SAN dNSName is malformed';
    if (kind === 6) {
      if (!ia5(name.content)) return 'x509: SAN uniformResourceIdentifier is malformed';
      const uri = name.content.toString('latin1');
      const url = goParseUrl(uri);
      if ('error' in url) return `x509: cannot parse URI ${goQuote(uri)}: ${url.error}`;
      if (!domainOk(url.host)) return `x509: cannot parse URI ${goQuote(uri)}: invalid domain`;
    }
    if (kind === 7 && name.content.length !== 4 && name.content.length !== 16)
      return `x509: cannot parse IP address of length ${name.content.length}`;
  }
  return undefined;
}

/** Go's `isValidIPMask`: ones, then zeros. */
function ipMaskOk(mask: Buffer): boolean {
  let zero = false;
  for (const b of mask) {
    if (zero ? b !== 0 : ![0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe, 0xff].includes(b)) return false;
    if (b !== 0xff) zero = true;
  }
  return true;
}

/** Go's `parseNameConstraintsExtension`, for what makes it fail. */
function nameConstraintsProblem(value: Buffer): string | undefined {
  const invalid = 'x509: invalid NameConstraints extension';
  const outer = new Reader(value);
  const top = outer.read(SEQUENCE);
  if (!top || !outer.empty()) return invalid;
  const r = new Reader(top.content);
  const permitted = r.optional(ctx(0, true));
  const excluded = r.optional(ctx(1, true));
  if (permitted === undefined || excluded === undefined || !r.empty()) return invalid;
  if ((permitted?.content.length ?? 0) === 0 && (excluded?.content.length ?? 0) === 0) return 'x509: empty name constraints extension';
  for (const subtrees of [permitted, excluded]) {
    const list = new Reader(subtrees?.content ?? Buffer.alloc(0));
    while (!list.empty()) {
      const subtree = list.read(SEQUENCE);
      const base = subtree && new Reader(subtree.content).any();
      if (!base) return invalid;
      const text = base.content.toString('latin1');
      const notIa5 = `x509: invalid constraint value: x509: ${goQuote(text)} cannot be encoded as an IA5String`;
      if (base.tag === ctx(2)) {
        if (!ia5(base.content)) return notIa5;
        if (!domainOk(text.replace(/^\./, ''))) return `x509: failed to parse dnsName constraint ${goQuote(text)}`;
      } else if (base.tag === ctx(7)) {
        if (base.content.length !== 8 && base.content.length !== 32)
          return `x509: IP constraint contained value of length ${base.content.length}`;
        const mask = base.content.subarray(base.content.length / 2);
        if (!ipMaskOk(mask)) return `x509: IP constraint contained invalid mask ${mask.toString('hex')}`;
      } else if (base.tag === ctx(1)) {
        if (!ia5(base.content)) return notIa5;
        if (text.includes('@') ? !mailboxOk(text) : !domainOk(text.replace(/^\./, '')))
          return `x509: failed to parse rfc822Name constraint ${goQuote(text)}`;
      } else if (base.tag === ctx(6)) {
        if (!ia5(base.content)) return notIa5;
        if (goIp(text)) return `x509: failed to parse URI constraint ${goQuote(text)}: cannot be IP address`;
        if (!domainOk(text.replace(/^\./, ''))) return `x509: failed to parse URI constraint ${goQuote(text)}`;
      }
    }
  }
  return undefined;
}

/** A SEQUENCE whose elements must each read as `each`, or `error`. */
function listProblem(value: Buffer, error: string, each: (r: Reader) => boolean): string | undefined {
  const seq = new Reader(value).read(SEQUENCE);
  if (!seq) return error;
  const r = new Reader(seq.content);
  while (!r.empty()) if (!each(r)) return error;
  return undefined;
}

/** Go's `processExtensions`, for what makes it fail. */
function extensionProblem(oid: string, critical: boolean, value: Buffer, goMinor: number): string | undefined {
  switch (oid) {
    case '551d0f': // keyUsage
      return bitStringOk(new Reader(value).read(BIT_STRING)) ? undefined : 'x509: invalid key usage';
    case '551d13': {
      // basicConstraints
      const seq = new Reader(value).read(SEQUENCE);
      const r = seq && new Reader(seq.content);
      const ok = r && (!r.peek(BOOLEAN) || booleanOk(r.read(BOOLEAN))) && (!r.peek(INTEGER) || int64Ok(r.read(INTEGER)));
      return ok ? undefined : 'x509: invalid basic constraints';
    }
    case '551d11': // subjectAltName
      return sanProblem(value);
    case '551d1e': // nameConstraints
      return nameConstraintsProblem(value);
    case '551d1f': // cRLDistributionPoints
      return crlPointsProblem(value);
    case '551d23': {
      // authorityKeyIdentifier
      if (critical) return 'x509: authority key identifier incorrectly marked critical';
      const seq = new Reader(value).read(SEQUENCE);
      const r = seq && new Reader(seq.content);
      return r && (!r.peek(ctx(0)) || r.read(ctx(0))) ? undefined : 'x509: invalid authority key identifier';
    }
    case '551d24': {
      // policyConstraints (read since Go 1.24's policy validation)
      if (goMinor < 24) return undefined;
      const seq = new Reader(value).read(SEQUENCE);
      const r = seq && new Reader(seq.content);
      const ok = r && (!r.peek(ctx(0)) || int64Ok(r.read(ctx(0)))) && (!r.peek(ctx(1)) || int64Ok(r.read(ctx(1))));
      return ok ? undefined : 'x509: invalid policy constraints extension';
    }
    case '551d25': // extKeyUsage
      return listProblem(value, 'x509: invalid extended key usages', (r) => oidOk(r.read(OID)));
    case '551d0e': // subjectKeyIdentifier
      if (critical) return 'x509: subject key identifier incorrectly marked critical';
      return new Reader(value).read(OCTET_STRING) ? undefined : 'x509: invalid subject key identifier';
    case '551d20': {
      // certificatePolicies: each policy's OID, minimal base 128 (of any length), and no OID twice (Go 1.24 and later)
      const seen = new Set<string>();
      return listProblem(value, 'x509: invalid certificate policies', (r) => {
        const policy = r.read(SEQUENCE);
        const id = policy && new Reader(policy.content).read(OID);
        if (!id || id.content.length === 0 || id.content[id.content.length - 1] & 0x80) return false;
        if (goMinor >= 24 && seen.has(id.content.toString('hex'))) return false;
        seen.add(id.content.toString('hex'));
        return id.content.every((b, i) => b !== 0x80 || (i > 0 && (id.content[i - 1] & 0x80) !== 0));
      });
    }
    case '551d21': // policyMappings (read since Go 1.24)
      if (goMinor < 24) return undefined;
      return listProblem(value, 'x509: invalid policy mappings extension', (r) => {
        const mapping = r.read(SEQUENCE);
        const m = mapping && new Reader(mapping.content);
        return !!m && !!m.read(OID) && !!m.read(OID);
      });
    case '551d36': // inhibitAnyPolicy (read since Go 1.24)
      if (goMinor < 24) return undefined;
      return int64Ok(new Reader(value).read(INTEGER)) ? undefined : 'x509: invalid inhibit any policy extension';
    case '2b06010505070101': // authorityInfoAccess
      if (critical) return 'x509: authority info access incorrectly marked critical';
      return listProblem(value, 'x509: invalid authority info access', (r) => {
        const access = r.read(SEQUENCE);
        const a = access && new Reader(access.content);
        if (!a || !oidOk(a.read(OID))) return false;
        return !a.peek(ctx(6)) || !!a.read(ctx(6));
      });
    default:
      return undefined;
  }
}

/** cRLDistributionPoints (RFC 5280 4.2.1.13): the distribution points' full names, as Go reads their URIs. */
function crlPointsProblem(value: Buffer): string | undefined {
  const seq = new Reader(value).read(SEQUENCE);
  if (!seq) return 'x509: invalid CRL distribution points';
  const points = new Reader(seq.content);
  while (!points.empty()) {
    const point = points.read(SEQUENCE);
    if (!point) return 'x509: invalid CRL distribution point';
    const name = new Reader(point.content).optional(ctx(0, true));
    if (name === undefined) return 'x509: invalid CRL distribution point';
    if (name === null) continue;
    const full = new Reader(name.content).read(ctx(0, true));
    if (!full) return 'x509: invalid CRL distribution point';
    const uris = new Reader(full.content);
    while (uris.peek(ctx(6))) if (!uris.read(ctx(6))) return 'x509: invalid CRL distribution point';
  }
  return undefined;
}

/** Go's `parseExtension`, the duplicate check and `processExtensions`. */
export function extensionsProblem(e: Element, goMinor: number): string | undefined {
  const seq = new Reader(e.content).read(SEQUENCE);
  if (!seq) return 'x509: malformed extensions';
  const list = new Reader(seq.content);
  const exts: { oid: string; critical: boolean; value: Buffer }[] = [];
  while (!list.empty()) {
    const ext = list.read(SEQUENCE);
    if (!ext) return 'x509: malformed extension';
    const r = new Reader(ext.content);
    const oid = r.read(OID);
    if (!oidOk(oid)) return 'x509: malformed extension OID field';
    let critical = false;
    if (r.peek(BOOLEAN)) {
      const flag = r.read(BOOLEAN);
      if (!booleanOk(flag)) return 'x509: malformed extension critical field';
      critical = flag!.content[0] === 0xff;
    }
    const value = r.read(OCTET_STRING);
    if (!value) return 'x509: malformed extension value field';
    const id = oid!.content.toString('hex');
    if (exts.some((x) => x.oid === id)) return `x509: certificate contains duplicate extension with OID ${goQuote(oidText(oid!.content))}`;
    exts.push({ oid: id, critical, value: value.content });
  }
  for (const x of exts) {
    const problem = extensionProblem(x.oid, x.critical, x.value, goMinor);
    if (problem) return problem;
  }
  return undefined;
}
