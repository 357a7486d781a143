/** privateCa is the trust anchor of every certificate of its cluster: workspace, cluster and inference. */
import { loadOne } from './helpers';
import { tempDir } from './helpers';
import { CHECK_AT, Pki } from './pki';

let pki: Pki;
beforeAll(() => {
  pki = new Pki(tempDir());
  pki.issue('root', { cn: 'Private Root', ca: true });
  pki.issue('int', { cn: 'Private Int', ca: true, issuer: 'root' });
  pki.issue('other', { cn: 'Other Root', ca: true });
  pki.issue('star', { cn: 'star', dns: ['*.runai.example.com', 'runai.example.com'], issuer: 'int' });
  pki.issue('inference', { cn: 'inference', dns: ['*.inf.example.com'], issuer: 'int' });
  pki.chain('star-chain.pem', 'star', 'int');
  pki.chain('inference-chain.pem', 'inference', 'int');
});

const pair = (name: string) => `{source: files, certFile: ${pki.file(`${name}-chain`)}, keyFile: ${pki.file(name, 'key')}}`;
/** The warnings of a cluster whose three certificates end at the private intermediate, with `ca` as privateCa. */
function warnings(ca?: string): string[] {
  const lines = [
    `    tls: ${pair('star')}`,
    `    clusterTls: ${pair('star')}`,
    `    inference: {domain: inf.example.com, tls: ${pair('inference')}}`,
    ...(ca ? [`    privateCa: {caFile: ${pki.file(ca)}}`] : []),
  ];
  return loadOne(`${lines.join('\n')}\n`, { now: CHECK_AT }).warnings.map((w) => `${w.path} ${w.code}`);
}

test('a chain that ends under privateCa is complete, for the workspace, cluster and inference certificates', () => {
  expect(warnings('root')).toEqual([]);
});

test('without privateCa, each of the three is incomplete', () => {
  expect(warnings()).toEqual([
    'clusters[0].tls.certFile chain-incomplete',
    'clusters[0].clusterTls.certFile chain-incomplete',
    'clusters[0].inference.tls.certFile chain-incomplete',
  ]);
});

test('with an unrelated privateCa, each is still incomplete, and the message names the private CA', () => {
  const lines = loadOne(`    tls: ${pair('star')}\n    privateCa: {caFile: ${pki.file('other')}}\n`, { now: CHECK_AT }).warnings.map(
    (w) => w.message,
  );
  expect(lines).toEqual([
    `${pki.file('star-chain')} ends in certificate 2 (CN=Private Int), which is not self-signed and whose issuer (CN=Private Root) is neither a root Node trusts nor the cluster's privateCa (CN=Other Root); add the missing intermediate, or append your private CA's root certificate`,
  ]);
});
