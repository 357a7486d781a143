/**
 * Reading certificate files the way kubectl and the ingress controllers do: Go's `encoding/pem`
 * (a block starts at the start of the file or of a line), then `tls.X509KeyPair`, which takes only
 * `CERTIFICATE` blocks from the certificate file; and a private CA bundle as Go's `CertPool` takes
 * it. What Go would not see is refused with its own fix, so the bytes we write are bytes kubectl
 * accepts. The key file is key-file.ts's.
 *
 * Sources: golang/go src/crypto/tls/tls.go (`X509KeyPair`); the decoder of
 * src/encoding/pem/pem.go is ported in `go-pem.ts`.
 */
import { X509Certificate } from 'node:crypto';

import { PRIVATE_KEY_BEGIN } from '../model/names';
import { firstElementEnd, rememberDer } from './der';
import { CertFinding, finding } from './findings';
import { brokenBlocks, goPemBlocks, hiddenBegins } from './go-pem';
import { bomFix, boms, CR_FIX, crLineEnds, HEADERS_REFUSED, IN_PLACE, INDENT_FIX, isCertType, isKeyType, widePemProblem } from './pem-text';
import { forgetBeforeSnapshot } from './snapshot-safe';

const EXPORT_AGAIN = 'export the certificate chain again';

/** How {@link readChain} reads a certificate file. */
export interface ReadChainOptions {
  /**
   * Leaves a private-key block and a block under the old label `X509 CERTIFICATE` beside the
   * certificates out, as the ingress controllers do with a live Secret's `tls.crt` (Go's
   * `tls.X509KeyPair` reads only its `CERTIFICATE` blocks), instead of the errors `cert-has-key`
   * and `cert-old-label` that a config's `certFile` gets.
   * @default false - a key block in the file is the finding `cert-has-key`, an old label `cert-old-label`
   */
  readonly skipKeys?: boolean;
}

/** The certificates of a certificate file, as kubectl would read them, with every problem found. */
export function readChain(pem: Buffer, findings: CertFinding[], options: ReadChainOptions = {}): X509Certificate[] {
  const blocks = goPemBlocks(pem);
  const hidden = hiddenBegins(pem).filter((h) => isCertType(h.type));
  const marked = hidden.find((h) => h.boms > 0);
  if (marked) {
    findings.push(
      finding(
        'cert-bom',
        'cert',
        `starts with ${boms(marked.boms)}, which hides its first certificate from kubectl and the ingress controllers; ${bomFix(marked.boms)}`,
      ),
    );
    return [];
  }
  if (hidden.length > 0 || (blocks.length === 0 && crLineEnds(pem))) {
    const fix = crLineEnds(pem) ? CR_FIX : INDENT_FIX;
    findings.push(finding('cert-pem-misplaced', 'cert', `has a certificate that kubectl and the ingress controllers do not see: ${fix}`));
    return [];
  }
  if (blocks.some((b) => b.type === 'TRUSTED CERTIFICATE')) {
    findings.push(
      finding(
        'cert-trusted-block',
        'cert',
        'holds a BEGIN TRUSTED CERTIFICATE block (openssl x509 -trustout), which kubectl and the ' +
          `ingress controllers skip; ${LABEL_FIX['TRUSTED CERTIFICATE']}`,
      ),
    );
    return [];
  }
  if (!options.skipKeys && blocks.some((b) => b.type === 'X509 CERTIFICATE')) {
    findings.push(
      finding(
        'cert-old-label',
        'cert',
        'holds a BEGIN X509 CERTIFICATE block, an old label that kubectl and Go skip and OpenSSL-based servers read; ' +
          LABEL_FIX['X509 CERTIFICATE'],
      ),
    );
    return [];
  }
  if (brokenBlocks(pem, blocks) > 0) {
    findings.push(
      finding(
        'cert-invalid',
        'cert',
        `has a PEM block that is cut off or broken (no matching -----END line, or bad base64); ${EXPORT_AGAIN}`,
      ),
    );
    return [];
  }
  const certs = blocks.filter((b) => b.type === 'CERTIFICATE');
  // A key block Go does not see (after text on its line) would still be copied into tls.crt.
  const hasKey = blocks.some((b) => isKeyType(b.type)) || hiddenBegins(pem).some((h) => isKeyType(h.type));
  if (certs.length === 0) {
    findings.push(
      finding(
        'cert-no-pem',
        'cert',
        hasKey
          ? 'holds a private key, not a certificate; certFile must be the PEM certificate chain (fullchain.pem) and keyFile the key'
          : (widePemProblem(pem) ?? 'holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM certificate chain, leaf first'),
      ),
    );
    return [];
  }
  if (hasKey && !options.skipKeys) findings.push(finding('cert-has-key', 'cert', 'also holds a private key; keep the key only in keyFile'));
  const chain: X509Certificate[] = [];
  certs.forEach((block, i) => {
    if (block.blankLineInBody) {
      findings.push(
        finding(
          'cert-invalid',
          'cert',
          `certificate ${i + 1} of ${certs.length} has a blank line inside its PEM block, which OpenSSL-based servers refuse; remove it`,
        ),
      );
      return;
    }
    if (Object.keys(block.headers).length > 0) {
      findings.push(
        finding(
          'cert-invalid',
          'cert',
          `certificate ${i + 1} of ${certs.length} has header lines (Name: value) after its BEGIN line, ${HEADERS_REFUSED}`,
        ),
      );
      return;
    }
    try {
      const cert = i === 0 ? new X509Certificate(block.der) : issuerCertificate(block.der);
      chain.push(cert);
      rememberDer(cert, block.der);
      // OpenSSL reads the certificate and ignores what follows it in the block; Go refuses it.
      const end = firstElementEnd(block.der); // undefined: a length Go refuses, which go-x509.ts quotes
      if (end !== undefined && end !== block.der.length)
        findings.push(
          finding(
            'cert-go-refuses',
            'cert',
            `certificate ${i + 1} of ${certs.length} has bytes after its end inside its PEM block (x509: trailing data); ` +
              `${i === 0 ? 'kubectl and the ingress controllers (Go) refuse it' : 'Go TLS clients refuse the chain'}; ` +
              'export the certificate chain again',
          ),
        );
    } catch {
      findings.push(finding('cert-invalid', 'cert', `certificate ${i + 1} of ${certs.length} is not a valid X.509 certificate`));
      return;
    }
    try {
      void chain[chain.length - 1].publicKey; // OpenSSL decodes the key when it is asked for, not when it reads the certificate
    } catch {
      findings.push(
        finding(
          'cert-invalid',
          'cert',
          `certificate ${i + 1} of ${certs.length} has a public key OpenSSL cannot read (a point off its curve, bits written ` +
            'with padding, an unknown algorithm): OpenSSL-based servers (HAProxy, ingress-nginx) and clients refuse it; have it issued again',
        ),
      );
    }
  });
  return findings.some((f) => f.file === 'cert') ? [] : chain;
}

/**
 * Intermediates and roots, parsed once per process: a fleet's certificates usually share
 * their CA chain, while each leaf (always parsed) is its own. Keyed by the DER bytes.
 */
const issuerCertificates = new Map<string, X509Certificate>();
forgetBeforeSnapshot(() => issuerCertificates.clear());
function issuerCertificate(der: Buffer): X509Certificate {
  const id = der.toString('base64');
  let cert = issuerCertificates.get(id);
  if (!cert) {
    cert = new X509Certificate(der);
    issuerCertificates.set(id, cert);
  }
  return cert;
}

/**
 * Why a private CA file cannot be Run:ai's `runai-ca-cert` as its Go services read it
 * ({@link readCertificates}), with its finding code, or `undefined`: the Secret is Opaque and
 * committed, so no key; Go must see a certificate, and the first must be a CA. One rule for the
 * config's `privateCa.caFile` and the `PrivateCaSecrets` construct.
 */
export function privateCaProblem(pem: Buffer): { code: string; message: string } | undefined {
  // A mark before a BEGIN line hides that block from Go; before a comment line it is harmless.
  const marked = hiddenBegins(pem).find((h) => h.boms > 0 && isCertType(h.type));
  if (marked && isSkippedLabel(marked.type))
    // Go skips that block for its label too: both are said in one run.
    return {
      code: 'ca-bom',
      message:
        `starts with ${boms(marked.boms)} and a BEGIN ${marked.type} block, a label Go skips: ${bomFix(marked.boms)}; ` +
        `then ${LABEL_FIX[marked.type]}`,
    };
  if (marked)
    return {
      code: 'ca-bom',
      message: `starts with ${boms(marked.boms)}, which hides its first certificate from Go; ${bomFix(marked.boms)}`,
    };
  if (PRIVATE_KEY_BEGIN.test(pem.toString('latin1')))
    return { code: 'ca-has-key', message: 'holds a private key; give only the CA certificate' };
  const [cert] = readCertificates(pem);
  const wide = cert ? undefined : widePemProblem(pem);
  if (wide) return { code: 'ca-invalid', message: wide };
  const skipped = cert ? undefined : goPemBlocks(pem).find((b) => isSkippedLabel(b.type))?.type;
  if (skipped && isSkippedLabel(skipped))
    return {
      code: 'ca-invalid',
      message: `holds a BEGIN ${skipped} block, a label Go skips, and no CERTIFICATE block: ${LABEL_FIX[skipped]}`,
    };
  if (!cert)
    return {
      code: 'ca-invalid',
      message:
        'holds no CERTIFICATE block that Go reads; give the CA certificate (or bundle) in PEM, each block starting with ' +
        'BEGIN CERTIFICATE at the start of its line (a TRUSTED CERTIFICATE block, from openssl x509 -trustout, is skipped)',
    };
  if (!cert.ca)
    return {
      code: 'ca-not-ca',
      message: "holds a certificate that is not a CA (basicConstraints CA:TRUE); give the CA that signed the cluster's certificates",
    };
  return undefined;
}

/** The labels of certificate blocks that kubectl and Go skip and OpenSSL reads. */
type SkippedLabel = 'TRUSTED CERTIFICATE' | 'X509 CERTIFICATE';
const isSkippedLabel = (type: string): type is SkippedLabel => type === 'TRUSTED CERTIFICATE' || type === 'X509 CERTIFICATE';
/** How to mend a block under a {@link SkippedLabel}; the config layer names the file (input-files.ts). */
const LABEL_FIX: Readonly<Record<SkippedLabel, string>> = {
  'TRUSTED CERTIFICATE': `convert it with: openssl x509 -in ${IN_PLACE}`,
  'X509 CERTIFICATE': 'change its BEGIN and END lines to CERTIFICATE',
};

/**
 * The certificates of a CA bundle (`privateCa.caFile`) as Go's `x509.CertPool.AppendCertsFromPEM`
 * takes them: `CERTIFICATE` blocks without headers that parse, in order; any other block (a
 * `TRUSTED CERTIFICATE` of `openssl x509 -trustout`, a key) is skipped. Source: golang/go
 * src/crypto/x509/cert_pool.go.
 */
export function readCertificates(pem: Buffer): X509Certificate[] {
  return goPemBlocks(pem).flatMap((b) => {
    if (b.type !== 'CERTIFICATE' || Object.keys(b.headers).length > 0) return [];
    try {
      const cert = issuerCertificate(b.der);
      void cert.publicKey; // a key OpenSSL cannot decode: no trust anchor for OpenSSL either
      return [cert];
    } catch {
      return [];
    }
  });
}
