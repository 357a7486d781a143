import * as fs from 'node:fs';
import * as tls from 'node:tls';

import { App, Chart, Testing } from 'cdk8s';

import { RunaiTlsSecret } from '../lib/constructs/tls-secret';
import { ValidationError } from '../lib/model/errors';
import { STAR_TLS_SECRET_NAME } from '../lib/model/names';
import { testChart } from './chart-scope';
import { DEMO_CERT, DEMO_KEY, DEMO_ROOT_CA, kubectl, yamlDocs } from './helpers';

const cert = fs.readFileSync(DEMO_CERT);
const key = fs.readFileSync(DEMO_KEY);

function secretIn(namespace: string) {
  const chart = testChart();
  new RunaiTlsSecret(chart, 'TlsSecret', { namespace, certificatePem: cert, privateKeyPem: key });
  const [manifest] = Testing.synth(chart);
  return manifest;
}

describe('RunaiTlsSecret', () => {
  test('is a kubernetes.io/tls Secret with the Run:ai name, base64 data and nothing else', () => {
    expect(secretIn('runai')).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'runai-cluster-domain-star-tls-secret', namespace: 'runai' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') },
    });
  });

  test('writes data exactly as kubectl create secret tls does for the same files', () => {
    const reference = yamlDocs(
      kubectl([
        'create',
        'secret',
        'tls',
        STAR_TLS_SECRET_NAME,
        '-n',
        'runai-backend',
        '--cert',
        DEMO_CERT,
        '--key',
        DEMO_KEY,
        '--dry-run=client',
        '-o',
        'yaml',
      ]),
    )[0];
    const ours = secretIn('runai-backend');
    expect(ours.data).toEqual(reference.data);
    expect(ours.type).toBe(reference.type);
    expect(ours.metadata).toEqual({ name: reference.metadata.name, namespace: reference.metadata.namespace });
  });

  test('keeps the bytes of the files, including their line endings', () => {
    const crlf = Buffer.from(cert.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
    const chart = testChart();
    new RunaiTlsSecret(chart, 'S', { namespace: 'runai', certificatePem: crlf, privateKeyPem: key });
    expect(Buffer.from(Testing.synth(chart)[0].data['tls.crt'], 'base64')).toEqual(crlf);
  });

  test('exposes the child as Resource, for ApiObject.of escape hatches', () => {
    const chart = new Chart(new App(), 'c');
    const secret = new RunaiTlsSecret(chart, 'S', { namespace: 'runai', certificatePem: cert, privateKeyPem: key });
    expect(secret.node.findChild('Resource')).toBe(secret.resource);
  });

  test('fromExisting refers to the standard name without emitting anything', () => {
    expect(RunaiTlsSecret.fromExisting('runai')).toEqual({ name: STAR_TLS_SECRET_NAME, namespace: 'runai' });
  });

  test('fails when the certificate is not PEM', () => {
    expect(() => new RunaiTlsSecret(testChart(), 'S', { namespace: 'runai', certificatePem: 'nope', privateKeyPem: key })).toThrow(
      new ValidationError('certificatePem: must hold a PEM certificate (-----BEGIN CERTIFICATE-----)'),
    );
  });

  test('fails when the key is not PEM', () => {
    expect(() => new RunaiTlsSecret(testChart(), 'S', { namespace: 'runai', certificatePem: cert, privateKeyPem: cert })).toThrow(
      new ValidationError('privateKeyPem: must hold a PEM private key (-----BEGIN PRIVATE KEY-----)'),
    );
  });
});

describe('a real TLS handshake with the synthesized Secret', () => {
  let server: tls.Server;
  let port: number;

  beforeAll(async () => {
    const { data } = secretIn('runai');
    server = tls.createServer(
      {
        cert: Buffer.from(data['tls.crt'], 'base64'),
        key: Buffer.from(data['tls.key'], 'base64'),
      },
      (socket) => socket.end('ok'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Connects with SNI `servername`, trusting only the demo root CA. */
  function connect(servername: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: fs.readFileSync(DEMO_ROOT_CA) }, () => {
        socket.once('data', (d) => {
          resolve(d.toString());
          socket.destroy();
        });
      });
      socket.once('error', reject);
    });
  }

  test('completes a verified handshake for a workspace host ws1.<url>', async () => {
    await expect(connect('ws1.runai.example.com')).resolves.toBe('ok');
  });

  test('the client rejects a.b.<url>, which a wildcard does not cover', async () => {
    await expect(connect('a.b.runai.example.com')).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  test('the client rejects the certificate without the demo root CA', async () => {
    const attempt = new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'ws1.runai.example.com' }, () => resolve(socket.destroy()));
      socket.once('error', reject);
    });
    await expect(attempt).rejects.toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  });
});
