/** `runai-access url`: print the URLs Run:ai gives a workspace of a cluster in the config. */
import { loadConfig } from '../config/load';
import { CommandContext, EXIT_OK } from './command-context';
import { clusterNamed } from './flags';
import { workspaceUrls } from './workspace-url';

export function runUrl({ args, io, config, now, warn }: CommandContext): number {
  // A URL needs no private key: like check and validate, url works in a clone without the keys.
  // Nor another cluster's files: only its own are read. Its certificate is read for the host's
  // coverage; what else is wrong with it is synth's to refuse, and said here as a warning.
  const options = { ...args.checks, now, allowMissingKeys: true, cluster: args.url!.cluster, tolerateCertificateProblems: true };
  const loaded = loadConfig(config, options);
  const cluster = clusterNamed(loaded, args.url!.cluster, config);
  warn(loaded.tolerated);
  const urls = workspaceUrls(cluster, args.url!.project, args.url!.workload, config);
  io.stdout.write(`${urls.hostBased ? `host-based: ${urls.hostBased}\n` : ''}path-based: ${urls.pathBased}\n`);
  for (const note of urls.notes) io.stderr.write(`note: ${note}\n`);
  return EXIT_OK;
}
