/** `runai-access url`: print the URLs Run:ai gives a workspace of a cluster in the config. */
import { loadConfig } from '../config/load';
import { InputError } from '../model/errors';
import { CommandContext, EXIT_OK } from './command-context';
import { clusterNamed } from './flags';
import { WorkspaceUrls, workspaceUrls } from './workspace-url';

export function runUrl({ args, io, config, now, warn }: CommandContext): number {
  // A URL needs no private key: url never reads one, so it works in a clone without the keys, or as a user who may not read them.
  // Nor another cluster's files: only its own are read. Its certificate is read for the host's
  // coverage; what else is wrong with it is synth's to refuse, and said here as a warning.
  const options = { ...args.checks, now, readKeys: false, cluster: args.url!.cluster, tolerateCertificateProblems: true };
  const loaded = loadConfig(config, options);
  const cluster = clusterNamed(loaded, args.url!.cluster, config);
  let urls: WorkspaceUrls;
  try {
    urls = workspaceUrls(cluster, args.url!.project, args.url!.workload, config);
  } catch (e) {
    // The line that stops url, that the certificate does not cover the host, says what the
    // certificate's coverage warning would: said once.
    const uncovered = e instanceof InputError && e.problems.some((p) => p.path.endsWith('.tls.certFile'));
    warn(uncovered ? loaded.tolerated.filter((w) => w.code !== 'leaf-host-not-covered') : loaded.tolerated);
    throw e;
  }
  warn(loaded.tolerated);
  io.stdout.write(`${urls.hostBased ? `host-based: ${urls.hostBased}\n` : ''}path-based: ${urls.pathBased}\n`);
  for (const note of urls.notes) io.stderr.write(`note: ${note}\n`);
  return EXIT_OK;
}
