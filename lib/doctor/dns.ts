/**
 * DNS: `<CLUSTER_URL>` and a never-seen name under it must resolve, to the same addresses; the
 * same for the inference domain's wildcard. Uses `node:dns` `Resolver` (the system's DNS
 * servers, or `--dns IP[:PORT]`), one resolver per name so a timeout cancels only that name.
 * `/etc/hosts` is not consulted: the check is about the DNS records researchers' browsers get.
 */
import { Resolver } from 'node:dns/promises';

import { CheckResult, fail, pass, seconds } from './check';

/** What one name resolved to. */
export interface Resolution {
  readonly name: string;
  /** IPv4 and IPv6 addresses, sorted; empty when the name did not resolve. */
  readonly addresses: readonly string[];
  /** The resolver's error code when nothing resolved: ENOTFOUND, ENODATA, ETIMEOUT, ESERVFAIL, ... */
  readonly error?: string;
}

/** Resolves A and AAAA of `name` within `ms`, never throwing. */
export async function resolveName(name: string, server: string | undefined, ms: number): Promise<Resolution> {
  const resolver = new Resolver({ timeout: Math.max(1, ms), tries: 1 });
  if (server) resolver.setServers([server]);
  const timer = setTimeout(() => resolver.cancel(), ms);
  try {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
    const addresses = [v4, v6].flatMap((r) => (r.status === 'fulfilled' ? r.value : [])).sort();
    if (addresses.length > 0) return { name, addresses };
    const codes = [v4, v6].map((r) => (r.status === 'rejected' ? String((r.reason as { code?: string }).code ?? 'EUNKNOWN') : 'ENODATA'));
    const code = codes.includes('ENOTFOUND') ? 'ENOTFOUND' : (codes.find((c) => c !== 'ENODATA') ?? 'ENODATA');
    return { name, addresses: [], error: code === 'ECANCELLED' ? 'ETIMEOUT' : code };
  } finally {
    clearTimeout(timer);
  }
}

/** Why a name did not resolve, in words. */
function resolutionError(r: Resolution, server: string | undefined, ms: number): string {
  const from = server ? `DNS server ${server}` : 'the system resolver';
  switch (r.error) {
    case 'ENOTFOUND':
      return `${r.name}: no such name (NXDOMAIN) from ${from}`;
    case 'ENODATA':
      return `${r.name}: the name exists but has no A or AAAA record (${from})`;
    case 'ETIMEOUT':
      return `${r.name}: no answer from ${from} within ${seconds(ms)}`;
    case 'ESERVFAIL':
      return `${r.name}: ${from} answered SERVFAIL (it could not resolve the name)`;
    case 'EREFUSED':
      return `${r.name}: ${from} answered REFUSED (it will not resolve the name for this client)`;
    case 'ECONNREFUSED':
      return `${r.name}: nothing answers DNS at ${server ?? "the system resolver's server"} (connection refused)`;
    default:
      return `${r.name}: ${from} failed (${r.error})`;
  }
}

/** `a, b` or `nothing`. */
function addressList(addresses: readonly string[]): string {
  return addresses.length > 0 ? addresses.join(', ') : 'nothing';
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** True when the DNS server, not a record, is the problem: it timed out, failed, refused, or is not there. */
function serverFailed(r: Resolution): boolean {
  return r.error === 'ETIMEOUT' || r.error === 'ESERVFAIL' || r.error === 'EREFUSED' || r.error === 'ECONNREFUSED';
}

/** `dns.cluster`: the cluster's own name resolves. */
export function clusterNameCheck(r: Resolution, server: string | undefined, ms: number): CheckResult {
  if (r.addresses.length > 0) return pass('dns.cluster', `${r.name} -> ${addressList(r.addresses)}`);
  return fail(
    'dns.cluster',
    resolutionError(r, server, ms),
    serverFailed(r)
      ? `check that ${server ?? 'your DNS server'} answers for ${r.name}` +
          // Given --dns already, it is that server to check, not one to pass.
          (server === undefined ? ' (with split-horizon DNS, pass --dns IP[:PORT] of the server researchers use)' : '')
      : `create an A record (or CNAME) for ${r.name} pointing at the load balancer of your ingress controller or Gateway`,
  );
}

/**
 * `dns.wildcard` (and `dns.inference-wildcard`): a random label under `domain` resolves, to the
 * addresses of `domain` itself when that resolves.
 */
export function wildcardCheck(
  name: 'dns.wildcard' | 'dns.inference-wildcard',
  domain: string,
  apex: Resolution,
  probe: Resolution,
  server: string | undefined,
  ms: number,
): CheckResult {
  const target =
    apex.addresses.length > 0
      ? `the address of ${domain} (${addressList(apex.addresses)})`
      : 'the load balancer of your ingress controller or Gateway';
  if (probe.addresses.length === 0) {
    return fail(
      name,
      probe.error === 'ENOTFOUND' || probe.error === 'ENODATA'
        ? `${resolutionError(probe, server, ms)}: the wildcard record *.${domain} is missing`
        : resolutionError(probe, server, ms),
      probe.error === 'ECONNREFUSED' && server
        ? `check the address and port given to --dns: nothing listens for DNS at ${server}`
        : serverFailed(probe)
          ? `check that ${server ?? 'your DNS server'} answers for names under ${domain}`
          : `add a DNS record *.${domain} pointing at ${target} (A record, or CNAME ${domain})`,
    );
  }
  if (apex.addresses.length > 0 && !sameSet(apex.addresses, probe.addresses)) {
    return fail(
      name,
      `${probe.name} -> ${addressList(probe.addresses)}, but ${domain} -> ${addressList(apex.addresses)}: *.${domain} points elsewhere`,
      `point *.${domain} at ${target}, or make it a CNAME of ${domain}`,
    );
  }
  const same = apex.addresses.length > 0 ? `, the same as ${domain}` : '';
  return pass(name, `${probe.name} -> ${addressList(probe.addresses)}${same}`);
}
