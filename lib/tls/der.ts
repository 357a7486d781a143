/**
 * Just enough DER to see what Node's `X509Certificate` does not show: the serial number's
 * sign, the list of extensions and the public key's algorithm parameters. Reads, never builds.
 */

/** One DER element: its tag and where its content lies in the buffer. */
export interface Der {
  readonly tag: number;
  readonly content: Buffer;
}

/** The element at `offset`, and the offset after it. Throws on a malformed or indefinite length. */
function readDer(buf: Buffer, offset = 0): { der: Der; next: number } {
  if (offset + 2 > buf.length) throw new Error('DER: truncated');
  const tag = buf[offset];
  let length = buf[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > buf.length) throw new Error('DER: bad length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[start + i];
    start += bytes;
  }
  if (start + length > buf.length) throw new Error('DER: truncated');
  return { der: { tag, content: buf.subarray(start, start + length) }, next: start + length };
}

/** The elements inside a constructed element (a SEQUENCE, a SET or an explicit tag). */
export function children(parent: Der): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < parent.content.length;) {
    const { der, next } = readDer(parent.content, at);
    out.push(der);
    at = next;
  }
  return out;
}

/** An OBJECT IDENTIFIER's content as dotted text, e.g. `2.5.29.17`. */
function oidText(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

const TAG = { INTEGER: 0x02, OID: 0x06, SEQUENCE: 0x30, EXPLICIT_0: 0xa0, EXPLICIT_3: 0xa3 } as const;

/** The parts of a certificate that Go's parser is stricter about than OpenSSL. */
export interface CertificateFields {
  /** True when the serial number's DER INTEGER is negative. */
  readonly negativeSerial: boolean;
  /** The OID of each extension, in order. */
  readonly extensionOids: readonly string[];
  /** The public key's algorithm OID. */
  readonly keyAlgorithm: string;
  /** Its parameters: a named curve's OID, `explicit` for inline curve parameters, or none. */
  readonly keyParameters?: string;
}

/** Reads the fields of a DER certificate (`X509Certificate.raw`). Throws when it is not one. */
export function certificateFields(raw: Buffer): CertificateFields {
  const [tbs] = children(readDer(raw).der);
  const fields = children(tbs);
  const at = fields[0]?.tag === TAG.EXPLICIT_0 ? 1 : 0;
  const serial = fields[at];
  const spki = fields[at + 5];
  if (serial?.tag !== TAG.INTEGER || spki?.tag !== TAG.SEQUENCE) throw new Error('not a certificate');
  const [algorithm] = children(spki);
  const [oid, params] = children(algorithm);
  const extensions = fields.slice(at + 6).find((f) => f.tag === TAG.EXPLICIT_3);
  const extensionOids = extensions ? children(children(extensions)[0]).map((ext) => oidText(children(ext)[0].content)) : [];
  return {
    negativeSerial: serial.content.length > 0 && (serial.content[0] & 0x80) !== 0,
    extensionOids,
    keyAlgorithm: oidText(oid.content),
    keyParameters: params?.tag === TAG.OID ? oidText(params.content) : params?.tag === TAG.SEQUENCE ? 'explicit' : undefined,
  };
}
