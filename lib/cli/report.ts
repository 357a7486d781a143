/**
 * What the CLI prints on success: the synth summary, the validate report and its JSON form.
 */
import * as path from 'node:path';

import { ClusterSpec, tlsSettings, TlsSpec } from '../config/spec';
import { formatProblem, plural, Problem, redact, shellPath, shownPath } from '../model/errors';
import { groupBy } from '../model/group-by';
import { CLUSTER_TLS_SECRET_NAME, kubectlApply, RUNAI_CONFIG_NAME } from '../model/names';
import { objectFileName } from '../model/output-layout';
import { ClusterOutput } from '../output/render';
import { WriteOutcome } from '../output/writer';
import { DAY_MS } from '../tls/findings';
import { migrationLines } from './migration-summary';
import { clusterRemovalLines, PreviousOutput, removedFolderLines } from './removal-report';

/** What synth wrote and how to apply it, for stderr. */
export function summary(
  givenConfig: string,
  givenOut: string,
  outputs: readonly ClusterOutput[],
  outcome: WriteOutcome = 'written',
  previous: PreviousOutput = { removed: [] },
  /** The plaintext-key files git tracks (`trackedKeyFiles`), which no .gitignore keeps out. */
  tracked: ReadonlySet<string> = new Set(),
): string {
  // The paths as the user gave them, through the one function that keeps key-like text out.
  const config = shownPath(givenConfig);
  const out = shownPath(givenOut);
  const lines = [
    outcome === 'written'
      ? `runai-access: wrote ${plural(outputs.length, 'cluster')} from ${config} to ${out}/`
      : `runai-access: ${out}/ already holds ${plural(outputs.length, 'cluster')} from ${config}, byte for byte: nothing rewritten`,
    ...removedFolderLines(config, out, previous),
    ...outputs.flatMap((o) => ['', ...clusterLines(o, givenOut, previous, tracked)]),
  ];
  return `${lines.join('\n')}\n`;
}

/** A cluster's part of the summary: its files, how to apply them, what the write left out, access and notes. */
function clusterLines(o: ClusterOutput, givenOut: string, previous: PreviousOutput, tracked: ReadonlySet<string>): string[] {
  const dir = path.join(shownPath(givenOut), o.name);
  const lines = [`${o.name}: workspaces at ${o.mode.workspaceUrl(o.clusterUrl)} (${o.mode.summaryText})`, `  ${o.mode.profileText}`];
  for (const f of o.files) lines.push(`  ${path.join(dir, f.path)}  ${f.description}`);
  const overlay = o.files.some((f) => f.path === objectFileName('RunaiConfig', RUNAI_CONFIG_NAME));
  lines.push(
    o.applySteps.length === 0
      ? '  no Kubernetes objects to apply'
      : `  apply in this order, once Run:ai is installed${overlay ? ' (server-side, so the RunaiConfig overlay merges)' : ' (server-side)'}:`,
  );
  // Commands are pasted into a shell: their paths are quoted when they hold a space or a quote.
  const rawDir = path.join(givenOut, o.name);
  const shellDir = shellPath(rawDir);
  for (const step of o.applySteps) {
    const target = step.path ? shellPath(path.join(rawDir, step.path)) : `${shellDir}/`;
    lines.push(step.run === 'script' ? `    sh ${target}` : `    ${kubectlApply(target, step.run === 'kubectl-apply-k')}`);
  }
  if (o.mode.hostUrls) lines.push(`  DNS: *.${o.clusterUrl} must resolve to the same address as ${o.clusterUrl}.`);
  lines.push(...migrationLines(o, shellDir));
  for (const line of clusterRemovalLines(o, givenOut, previous, true)) lines.push(`  ${line}`);
  if (o.access.length > 0) lines.push('  researcher access:');
  for (const a of o.access) {
    lines.push(`    ${a.service} (${a.type}):`);
    for (const hint of a.hints) lines.push(`      ${hint}`);
  }
  // Notes name the cluster's folder as <this folder>: here it is known, so a command can be pasted.
  for (const note of o.notes) lines.push(`  note: ${note.split('<this folder>').join(shellDir)}`);
  return [...lines, ...plaintextKeyNotes(o, dir, tracked).map((note) => `  note: ${note}`)];
}

/** Where the cluster's plaintext private keys go: kept out of git by the .gitignore, or committed. */
function plaintextKeyNotes(o: ClusterOutput, dir: string, tracked: ReadonlySet<string>): string[] {
  // A key file git tracks is said apart (trackedKeyMessage): its .gitignore keeps nothing out.
  const secrets = o.files.filter((f) => f.secret && !tracked.has(`${o.name}/${f.path}`));
  const ignored = secrets.filter((f) => f.gitIgnored);
  const committed = secrets.filter((f) => !f.gitIgnored);
  const notes: string[] = [];
  if (ignored.length > 0) {
    // Beside a committed key, the ignored files are named, so the two notes cannot be mixed up.
    const named = committed.length > 0;
    const holder = named ? ignored.map((f) => path.join(dir, f.path)).join(', ') : dir;
    const keeps =
      named && ignored.length > 1
        ? 'hold plaintext private keys; the .gitignore beside them keeps them out of git ' +
          '(commitPlaintextKey: true in a TLS setting commits its key)'
        : 'holds a plaintext private key; its .gitignore keeps it out of git (commitPlaintextKey: true in its TLS setting commits it)';
    notes.push(`${holder} ${keeps}. For GitOps use tls.source sealed-secret, external-secret or cert-manager.`);
  }
  if (committed.length > 0) {
    notes.push(
      `${committed.map((f) => path.join(dir, f.path)).join(', ')} ${committed.length === 1 ? 'holds' : 'hold'} a plaintext ` +
        `private key and commitPlaintextKey is true: it will be committed.`,
    );
  }
  return notes;
}

/** A TLS source whose files this tool does not read: the cluster holds or makes the certificate. */
type UnreadTlsSource = Exclude<TlsSpec, { certificate: unknown }>['source'];

/** How the report names a certificate it does not read, held in the Secret `secret` (`namespace/name`). */
function unreadSourceText(source: UnreadTlsSource, secret: string): string {
  switch (source) {
    case 'existing':
      return `existing Secret${secret.includes(' and ') ? 's' : ''} ${secret}`;
    case 'cert-manager':
      return 'issued by cert-manager in the cluster';
    case 'external-secret':
      return 'fetched by the External Secrets Operator in the cluster';
  }
}

/** How the report heads each TLS setting's lines: `tls` as before, the others by their key. */
const CERTIFICATE_HEADING: Readonly<Record<string, string>> = {
  tls: 'certificate',
  clusterTls: 'cluster certificate (clusterTls)',
  'inference.tls': 'inference certificate (inference.tls)',
};

/** The report's lines for one TLS setting: what the certificate is and how long it is valid. */
function certificateLines(heading: string, secret: string, tls: TlsSpec, now: Date): string[] {
  if (!('certificate' in tls)) return [`  ${heading}: ${unreadSourceText(tls.source, secret)}, not checked here`];
  const cert = tls.certificate;
  const days = Math.floor((cert.validTo.getTime() - now.getTime()) / DAY_MS);
  return [
    // A subject or name is the certificate's text, not ours: nothing key-like gets through.
    redact(`  ${heading} ${cert.subject}, names ${cert.dnsNames.join(', ')}`),
    `  valid until ${cert.validTo.toISOString().replace('.000Z', 'Z')} ` +
      `(${plural(days, 'day')}), chain of ${cert.chainLength}, sha256 ${cert.fingerprint256}`,
  ];
}

/** The readable report of `validate`, for stdout: each cluster, its inference domain and every certificate. */
export function validateReport(config: string, clusters: readonly ClusterSpec[], warnings: readonly Problem[], now: Date): string {
  const lines = [`${shownPath(config)}: ${plural(clusters.length, 'cluster')} valid, ${plural(warnings.length, 'warning')}`];
  // Each cluster's warnings, gathered once: a fleet has a thousand clusters and as many warnings.
  const ofCluster = groupBy(warnings, (w) => w.cluster);
  for (const c of clusters) {
    lines.push('', `${c.name}  ${c.clusterUrl}  (${c.mode.controlPlane.name}, ${c.mode.reportText})`, `  ${c.mode.profileText}`);
    if (c.mode.migration) lines.push(`  ${c.mode.migration.text}`);
    if (!c.tls) {
      lines.push(
        `  certificate: none ` +
          `(${c.mode.wiring === 'openshift-router' ? 'OpenShift: the router serves TLS' : 'path routing: no wildcard certificate'})`,
      );
    }
    for (const s of tlsSettings(c)) {
      // The inference domain heads its certificate, and is shown when the setting has none.
      if (s.key === 'inference.tls' && c.inference) lines.push(`  inference: *.${c.inference.domain}`);
      const secrets = s.namespaces.map((n) => `${n}/${s.secretName}`).join(' and ');
      if (s.tls) lines.push(...certificateLines(CERTIFICATE_HEADING[s.key], secrets, s.tls, now));
    }
    // The Gateway's cluster URL listener reads this Secret whether or not clusterTls writes it.
    const gateway = c.mode.gateway ?? c.mode.migrationGateway;
    if (gateway && !c.clusterTls) {
      lines.push(
        `  cluster certificate: existing Secret ${gateway.namespace}/${CLUSTER_TLS_SECRET_NAME} ` +
          `(read by the Gateway's listener for ${c.clusterUrl}; clusterTls not set), not checked here`,
      );
    }
    for (const w of ofCluster.get(c.name) ?? []) lines.push(`  ${formatProblem(w)}`);
  }
  // A warning of no cluster (or of one not in the list) is counted above, so it is shown too. The
  // config's own warnings all name a cluster today; a library caller may pass any.
  const names = new Set(clusters.map((c) => c.name));
  const elsewhere = warnings.filter((p) => p.cluster === undefined || !names.has(p.cluster));
  if (elsewhere.length > 0) lines.push('', ...elsewhere.map((w) => formatProblem(w)));
  return `${lines.join('\n')}\n`;
}

/** One finding in `validate --json`. */
export interface JsonFinding {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly cluster: string | null;
  readonly file: string;
  /** The config field, such as `clusters[0].runaiVersion`; empty for the file itself. */
  readonly field: string;
  /** Where in the file the problem's field (or YAML problem) is, from 1; `null` for a problem of the file itself or a flag. */
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

/**
 * A YAML problem's place, which its line gives after the field (`clusters[0].runaiVersion (line 4,
 * column 19)`) or alone (`line 2, column 7`): split for JSON, where a script reads the field.
 */
const PLACE = /^(?:(.+) \()?line (\d+), column (\d+)\)?$/;
function placeOf(path: string): Pick<JsonFinding, 'field' | 'line' | 'column'> {
  const m = PLACE.exec(path);
  return m ? { field: m[1] ?? '', line: Number(m[2]), column: Number(m[3]) } : { field: path, line: null, column: null };
}

/** A TLS setting in `validate --json`: its source and, when its files were read, the certificate. */
function tlsJson(tls: TlsSpec | undefined): object | null {
  if (!tls) return null;
  if (!('certificate' in tls)) return { source: tls.source };
  const cert = tls.certificate;
  return {
    source: tls.source,
    subject: redact(cert.subject),
    dnsNames: cert.dnsNames.map(redact),
    validFrom: cert.validFrom.toISOString(),
    validTo: cert.validTo.toISOString(),
    fingerprint256: cert.fingerprint256,
    chainLength: cert.chainLength,
  };
}

/** `validate --json`: every finding, and what was checked, for CI. */
export function validateJson(
  config: string,
  clusters: readonly ClusterSpec[],
  problems: readonly Problem[],
  now: Date,
  notes: readonly string[] = [],
): string {
  const findings: JsonFinding[] = problems.map((p) => ({
    code: p.code ?? 'config',
    severity: p.severity ?? 'error',
    cluster: p.cluster ?? null,
    file: redact(shownPath(p.source)),
    ...placeOf(redact(p.path)),
    ...(p.line === undefined ? {} : { line: p.line, column: p.column ?? null }),
    message: redact(p.message),
  }));
  return `${JSON.stringify(
    {
      ok: !findings.some((f) => f.severity === 'error'),
      config: shownPath(config),
      checkedAt: now.toISOString(),
      clusters: clusters.map((c) => ({
        name: c.name,
        clusterUrl: c.clusterUrl,
        deployment: c.mode.controlPlane.name,
        platform: c.mode.platform.name,
        routing: c.mode.routing.name,
        wiring: c.mode.wiring,
        ingress: c.mode.usesIngressClass ? { controller: c.mode.controller.name, className: c.mode.ingressClassName } : null,
        profile: {
          id: c.mode.profile.id,
          reason: c.mode.profileChoice.reason,
          note: c.mode.profileChoice.note ?? null,
          source: c.mode.profile.source,
          defaults: Object.fromEntries(c.mode.profileDefaults.map((d) => [d.setting, d.value])),
        },
        migration: c.mode.migration ? { to: c.mode.migration.to, phase: c.mode.migration.phase } : null,
        tls: tlsJson(c.tls),
        clusterTls: tlsJson(c.clusterTls),
        inference: c.inference ? { domain: c.inference.domain, tls: tlsJson(c.inference.tls) } : null,
      })),
      findings,
      // What was not checked, and why (a key file missing in a clone): stderr's notes, here too.
      notes: notes.map(redact),
    },
    undefined,
    2,
  )}\n`;
}
