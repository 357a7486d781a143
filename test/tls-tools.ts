/**
 * The real tools a certificate pair is judged by: `kubectl create secret tls --dry-run=client`,
 * the tool itself (in process, as `synth` would run it) and a node:tls handshake on 127.0.0.1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Socket } from 'node:net';
import * as path from 'node:path';
import { connect, createServer, Server, TLSSocket } from 'node:tls';

import { parseConfig } from '../lib/config/load';
import { InputError, Problem } from '../lib/model/errors';
import { STAR_TLS_SECRET_NAME } from '../lib/model/names';
import { synthesize } from '../lib/output/render';
import { CORPUS_URL } from './cert-corpus';
import { emittedObjects, KUBECTL_ENV } from './helpers';
import { CHECK_AT } from './pki';

/** kubectl's verdict on two files, and the bytes it would store. */
export function kubectlSecret(cert: string, key: string): { ok: boolean; message: string; crt?: Buffer; key?: Buffer } {
  const r = spawnSync('kubectl', ['create', 'secret', 'tls', 'x', `--cert=${cert}`, `--key=${key}`, '--dry-run=client', '-o', 'json'], {
    encoding: 'utf8',
    env: KUBECTL_ENV,
  });
  if (r.status !== 0) return { ok: false, message: r.stderr.trim() };
  const data = JSON.parse(r.stdout).data;
  return { ok: true, message: 'accept', crt: Buffer.from(data['tls.crt'], 'base64'), key: Buffer.from(data['tls.key'], 'base64') };
}

/** A file's bytes with CRLF line ends as LF: what the tool writes of a certificate or key file. */
export function lfBytes(file: string): Buffer {
  return Buffer.from(fs.readFileSync(file, 'latin1').replace(/\r\n/g, '\n'), 'latin1');
}

/**
 * kubectl's Secret for the two files as the tool writes them: from the files themselves when their
 * line ends are LF already (`theirs`, kubectl's verdict on them), else from LF copies made in `dir`.
 */
export function kubectlSecretAsWritten(
  cert: string,
  key: string,
  theirs: ReturnType<typeof kubectlSecret>,
  dir: string,
): ReturnType<typeof kubectlSecret> {
  const [crt, tlsKey] = [lfBytes(cert), lfBytes(key)];
  if (crt.equals(fs.readFileSync(cert)) && tlsKey.equals(fs.readFileSync(key))) return theirs;
  fs.mkdirSync(dir, { recursive: true });
  const copies = [path.join(dir, 'lf.crt'), path.join(dir, 'lf.key')];
  fs.writeFileSync(copies[0], crt);
  fs.writeFileSync(copies[1], tlsKey);
  return kubectlSecret(copies[0], copies[1]);
}

/** The minor version of the Go that built the kubectl on PATH (`go1.23.8`: 23). */
export function kubectlGoMinor(): number {
  const out = execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', env: KUBECTL_ENV });
  const go = /^go1\.(\d+)/.exec(JSON.parse(out).clientVersion.goVersion);
  if (!go) throw new Error(`kubectl's goVersion is not go1.N: ${out}`);
  return Number(go[1]);
}

/** The tool's verdict on two files, for a cluster whose privateCa is `root`: its findings, and the Secret bytes when it accepts. */
export function toolSecret(
  cert: string,
  key: string,
  root: string,
): { ok: boolean; codes: string[]; messages: string[]; crt?: Buffer; key?: Buffer } {
  const config = [
    'clusters:',
    '  - name: corpus',
    `    clusterUrl: ${CORPUS_URL}`,
    `    tls: {source: files, certFile: ${JSON.stringify(cert)}, keyFile: ${JSON.stringify(key)}}`,
    `    privateCa: {caFile: ${JSON.stringify(root)}}`,
  ].join('\n');
  const code = (p: Problem) => `${p.severity === 'warning' ? '' : '!'}${p.code ?? 'config'}`;
  try {
    const loaded = parseConfig(config, 'c.yaml', '/', { now: CHECK_AT });
    const secret = emittedObjects(synthesize(loaded.clusters)[0]).docs.find(
      (d) => d.kind === 'Secret' && d.metadata.name === STAR_TLS_SECRET_NAME,
    );
    return {
      ok: true,
      codes: loaded.warnings.map(code),
      messages: loaded.warnings.map((p) => p.message),
      crt: Buffer.from(secret.data['tls.crt'], 'base64'),
      key: Buffer.from(secret.data['tls.key'], 'base64'),
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { ok: false, codes: e.problems.map(code), messages: e.problems.map((p) => p.message) };
  }
}

/**
 * Closes `server` and every connection it accepted, resolving once all are closed: a connection
 * still ending after the test would keep jest's worker alive past its end (force-exited, with a
 * warning about leaked handles).
 */
function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A TLS server on 127.0.0.1 serving `cert`/`key`, with the connections it accepted. */
async function serve(cert: Buffer, key: Buffer, more: object = {}) {
  const server = createServer({ cert, key, ...more }, (socket) => socket.end());
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, close: () => closeServer(server, sockets) };
}

/** Serves `cert`/`key` on 127.0.0.1 and connects as a client trusting `root`: did the handshake finish, and did it verify? */
export async function handshake(cert: Buffer, key: Buffer, root: Buffer): Promise<{ authorized: boolean; error?: string }> {
  const { port, close } = await serve(cert, key);
  try {
    return await new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: root, servername: `ws1.${CORPUS_URL}`, rejectUnauthorized: false }, () => {
        resolve({ authorized: socket.authorized, error: socket.authorizationError?.toString() });
        socket.destroy();
      });
      socket.on('error', reject);
    });
  } finally {
    await close();
  }
}

/**
 * What each end of one handshake over `version` says, when `cert`/`key` is served on 127.0.0.1 and
 * a client trusting `root` connects: the client `ok`, its verify error or its error code; the
 * server its error code, or `ok` when the handshake finished.
 */
export async function handshakeEnds(
  cert: Buffer,
  key: Buffer,
  root: Buffer,
  version: 'TLSv1.2' | 'TLSv1.3',
): Promise<{ client: string; server: string }> {
  const pinned = { minVersion: version, maxVersion: version } as const;
  const { server, port, close } = await serve(cert, key, pinned);
  const serverSays = new Promise<string>((resolve) => {
    server.on('tlsClientError', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    server.on('secureConnection', () => resolve('ok'));
  });
  let socket: TLSSocket | undefined;
  try {
    const client = await new Promise<string>((resolve) => {
      const options = { host: '127.0.0.1', port, ca: root, servername: `ws1.${CORPUS_URL}`, rejectUnauthorized: false, ...pinned };
      // Ended, not destroyed, until the server has had its say: a reset would be its error.
      socket = connect(options, () => {
        resolve(socket!.authorized ? 'ok' : String(socket!.authorizationError));
        socket!.end();
      });
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    return { client, server: await serverSays };
  } finally {
    socket?.destroy();
    await close();
  }
}
