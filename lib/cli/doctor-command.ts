/**
 * `runai-access doctor`: its flags, the test-only timeout override, and the run; the report is
 * `doctor-report.ts`. Bad flags become `InputError` (exit 2, mapped in `run.ts`); exit 1 when a
 * check failed.
 */
import { isIP } from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { loadConfig } from '../config/load';
import { Timeouts } from '../doctor/check';
import { runDoctor } from '../doctor/doctor';
import { InputError, shownBare, shownPath } from '../model/errors';
import { someOf } from '../model/list-text';
import { HTTPS_PORT, TOOL_NAME } from '../model/names';
import { DEFAULT_CONFIG, DEFAULT_OUT } from '../model/output-layout';
import { problemText } from '../model/problem-groups';
import { EXIT_CHECK_FAILED, EXIT_OK } from './command-context';
import { DOCTOR_OPTIONS } from './doctor-flags';
import { doctorJson, doctorText } from './doctor-report';
import { clusterNamed, emptyValues, flagMessage, givenTwice, notUtf8Paths, OPTIONS, unknownOptionMessage } from './flags';

/**
 * Test-only: shorter probe limits, so tests of "nothing answers" stay fast. Not for admins:
 * the defaults keep a run under about 20 s. Format: `dns=300,tls=500,kube=8000,total=10000` (ms).
 */
export const TEST_TIMEOUTS_ENV = 'RUNAI_ACCESS_TEST_ONLY_DOCTOR_TIMEOUTS';

const DOCTOR_USAGE = `usage: runai-access doctor [options]

Checks a live cluster end to end: DNS, the certificate the ingress controller serves, an HTTP
answer, and (through kubectl, read-only) the Secret, Ingress, IngressClass, RunaiConfig and
drift from the output folder. Prints one line per check and the fix for each failure.

options:
  -c, --config FILE   config file (default ${DEFAULT_CONFIG})
  -o, --out DIR       output folder to compare the live objects with (default ${DEFAULT_OUT})
      --cluster NAME  the cluster to check (needed when the config has several)
      --context NAME  kubectl context (default: the current context)
      --dns IP[:PORT] ask this DNS server instead of the system resolver (port 53 by default)
      --address IP    connect to this address instead of the one DNS gives
      --port N        TLS port (default 443)
      --no-kube       skip the checks that use kubectl
      --json          print the checks as one JSON document
  -h, --help          show this help

exit codes:
  0  no check failed
  1  a check failed
  2  bad input
`;

/** Where output goes: the report on stdout, the warnings of the config on stderr. */
interface Out {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

function problem(message: string) {
  return { source: TOOL_NAME, path: '', message };
}

/** Runs `doctor` and returns its exit code; throws `InputError` on bad input. */
export async function doctor(argv: readonly string[], io: Out, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: DOCTOR_OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    const allowed = Object.keys(DOCTOR_OPTIONS);
    const more = '; see runai-access doctor --help';
    const other = { command: 'doctor', options: Object.keys(OPTIONS) };
    const error = e as Error & { code?: string };
    // Every unknown option, one line each, as the other commands say them (parseArgs stops at the first).
    const loose = parseArgs({ args: [...argv], options: DOCTOR_OPTIONS, allowPositionals: true, strict: false, tokens: true });
    const unknown = [...new Set(loose.tokens.flatMap((t) => (t.kind === 'option' && !(t.name in DOCTOR_OPTIONS) ? [t.rawName] : [])))];
    if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || unknown.length < 2)
      throw new InputError([problem(flagMessage(error, allowed, more, other))]);
    throw new InputError(unknown.map((given) => problem(unknownOptionMessage(given, allowed, more, other))));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(DOCTOR_USAGE);
    return EXIT_OK;
  }
  const problems: string[] = [];
  for (const extra of positionals.slice(1)) problems.push(`${shownBare(extra)}: unexpected argument; see runai-access doctor --help`);
  problems.push(
    ...emptyValues(values, ['config', 'out'], ['cluster', 'context', 'port', 'address', 'dns']),
    ...notUtf8Paths(values, ['config', 'out']),
    ...givenTwice(parsed.tokens),
  );
  const given = (v: string | undefined): v is string => v !== undefined && v !== '';
  const port = given(values.port) ? Number(values.port) : HTTPS_PORT;
  if (given(values.port) && (!/^\d{1,5}$/.test(values.port) || port < 1 || port > 65535)) {
    problems.push(`--port: must be a port number from 1 to 65535, got ${shownBare(values.port)}`);
  }
  if (given(values.address) && isIP(values.address) === 0) {
    problems.push(`--address: must be an IPv4 or IPv6 address, got ${shownBare(values.address)}`);
  }
  if (given(values.dns) && !validDnsServer(values.dns)) {
    problems.push(`--dns: must be IP:PORT, [IPv6]:PORT or an IP address (the DNS server to ask), got ${shownBare(values.dns)}`);
  }
  if (values['no-kube'] && given(values.context))
    problems.push('--context: not used with --no-kube, which reads no cluster; give one of them');
  const timeouts = testTimeouts(env[TEST_TIMEOUTS_ENV], problems);
  if (problems.length > 0) throw new InputError(problems.map(problem));

  const config = values.config ?? DEFAULT_CONFIG;
  const name = values.cluster ?? onlyCluster(config);
  // The doctor never reads a private key: it works in a GitOps clone, where the key file is absent,
  // and as a user who may not read it. Nor another cluster's files: only the named cluster's are
  // read. A certificate that has expired does not stop it either (an outage is when it is run): said as a warning.
  const loaded = loadConfig(config, { readKeys: false, cluster: name, tolerateCertificateProblems: true });
  const cluster = clusterNamed(loaded, name, config);
  if (!values.json) io.stderr.write(problemText(loaded.tolerated));
  const report = await runDoctor({
    cluster,
    dnsServer: values.dns,
    address: values.address,
    port,
    kube: !values['no-kube'],
    context: values.context,
    outDir: path.join(values.out ?? DEFAULT_OUT, cluster.name),
    timeouts,
  });
  io.stdout.write(values.json ? doctorJson(report, loaded.tolerated) : doctorText(report));
  return report.checks.some((c) => c.status === 'fail') ? EXIT_CHECK_FAILED : EXIT_OK;
}

/**
 * The name of the config's one cluster, for doctor without --cluster; a config of several is
 * told to name one. Read without any cluster's files (no cluster has the empty name, which the
 * schema refuses), so that another cluster's certificate is not what it is told.
 */
function onlyCluster(config: string): string {
  const names = loadConfig(config, { cluster: '' }).clusterNames;
  if (names.length === 1) return names[0];
  throw new InputError([
    problem(`--cluster: ${shownPath(config)} has ${names.length} clusters; name the one to check: ${someOf(names, 10)}`),
  ]);
}

function validDnsServer(s: string): boolean {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(s) ?? /^([^:]+):(\d{1,5})$/.exec(s);
  if (m) return isIP(m[1]) !== 0 && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
  return isIP(s) !== 0;
}

const TIMEOUT_KEYS: Readonly<Record<string, keyof Timeouts>> = { dns: 'dnsMs', tls: 'tlsMs', kube: 'kubeMs', total: 'totalMs' };

function testTimeouts(value: string | undefined, problems: string[]): Partial<Timeouts> | undefined {
  if (value === undefined || value === '') return undefined;
  const out: Partial<Record<keyof Timeouts, number>> = {};
  for (const part of value.split(',')) {
    const [key, ms] = part.split('=');
    if (!TIMEOUT_KEYS[key] || !/^\d{1,6}$/.test(ms ?? '')) {
      problems.push(`${TEST_TIMEOUTS_ENV}: must be like dns=300,tls=500,kube=8000,total=10000 (milliseconds), got ${shownBare(value)}`);
      return undefined;
    }
    out[TIMEOUT_KEYS[key]] = Number(ms);
  }
  return out;
}
