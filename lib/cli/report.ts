/**
 * What the CLI prints on success: the synth summary, the validate report and its JSON form.
 */
import * as path from 'node:path';

import { ClusterSpec, tlsSettings, TlsSpec } from '../config/spec';
import { formatProblem, plural, Problem, redact, shellPath, shownPath } from '../model/errors';
import { ClusterMode } from '../model/mode';
import {
  CLUSTER_TLS_SECRET_NAME,
  DELIVERY_DIR,
  DELIVERY_NAME_PREFIX,
  kubectlApply,
  objectFileName,
  RUNAI_CONFIG_NAME,
} from '../model/names';
import { DroppedValues } from '../output/helm-leftovers';
import { RemovedFolder, RemovedObject } from '../output/removed-folders';
import { ClusterOutput } from '../output/render';
import { WriteOutcome } from '../output/writer';
import { DAY_MS } from '../tls/findings';
import { migrationLines } from './migration-summary';

/**
 * The Flux Kustomizations of the clusters a synth removed from this config's output (not those
 * another config wrote), which `kubectl apply` of the delivery objects leaves; '' when none.
 */
export function fluxLeftovers(namespace: string, removed: readonly RemovedFolder[], ownConfig: string | undefined): string {
  const gone = removed.filter((r) => r.name !== DELIVERY_DIR && (r.writtenFrom === undefined || r.writtenFrom === ownConfig));
  if (gone.length === 0) return '';
  // prune: false first: with prune: true, Flux deletes every object of the folder with its Kustomization (any Flux release).
  const deletes = gone.map((r) => {
    const name = `${DELIVERY_NAME_PREFIX}${r.name}`;
    const pruneOff = `kubectl patch kustomization -n ${namespace} ${name} --type merge -p '{"spec":{"prune":false}}'`;
    return `${pruneOff} && kubectl delete kustomization -n ${namespace} ${name}`;
  });
  return (
    'kubectl apply does not delete the Flux Kustomization of a removed cluster; delete it with prune off first, so that ' +
    `its objects stay in the cluster: ${deletes.join('; ')}\n`
  );
}

/**
 * A note when the Ingresses a synth dropped had another class than those it writes, outside a
 * migration: leaving one that used `migration.className` without that class in `ingress.className`
 * moves the cluster to a class its controller may not watch.
 */
function classChangeNote(stale: readonly RemovedObject[], mode: ClusterMode): string[] {
  if (mode.migration || mode.wiring !== 'dedicated-ingress') return [];
  const now = mode.ingressClassName;
  const before = [
    ...new Set(stale.flatMap((r) => (r.ingressClassName === undefined || r.ingressClassName === now ? [] : [r.ingressClassName]))),
  ];
  if (before.length === 0) return [];
  const shown = (c: string | null) => (c === null ? 'none' : c);
  return [
    `note: the Ingresses no longer written had class ${before.map(shown).join(', ')}; those written now have ` +
      `${now === null ? 'none' : `class ${now}`}: if the controller serving this cluster watches ${before.map(shown).join(' or ')}, ` +
      `set ingress.className to it (after a migration with migration.className, as README "Leaving ingress-nginx" says)`,
  ];
}

/** What to do about an object a kept folder no longer holds. */
function staleAdvice(r: RemovedObject): string {
  // Told before the SealedSecret is applied (with GitOps, before the push): the controller checks once it sees it.
  const takeOver = r.takeOver
    ? `; the Sealed Secrets controller takes over a Secret it did not create only when told to, before the SealedSecret is applied: ${r.takeOver}`
    : '';
  if (r.writes) {
    // SealedSecrets and ExternalSecrets own their Secret: a plain delete (or a GitOps tool's prune) deletes it too.
    return (
      `it still writes Secret ${r.writes}, which the new source uses: delete it and keep the Secret ` +
      `(kubectl delete ${r.object} --cascade=orphan)${takeOver}; a GitOps tool with pruning deletes both, and ` +
      (r.madeAgain ? 'the Secret is missing until the new source makes it again' : 'nothing this config writes makes the Secret again')
    );
  }
  if (r.takeOver) return `its SealedSecret now makes that Secret${takeOver}`;
  if (r.patchedHost) {
    return (
      `the spec.tls entry for ${r.patchedHost} its script added to Ingress ${r.object.replace(/^ingress -n (\S+) /, '$1/')} stays, ` +
      `so two Ingresses serve that host, each from its own Secret: remove that entry (kubectl edit ${r.object}) ` +
      'before you delete the Secret it reads'
    );
  }
  if (r.unread) return `nothing written now makes or reads that Secret; ${STAYS(r.object)}`;
  return STAYS(r.object);
}

/** The advice for an object left in the cluster. */
const STAYS = (object: string) =>
  `the object stays in the cluster until deleted (kubectl delete ${object}), unless a GitOps tool with pruning applies this folder`;

/** What a write left out of the previous output: the folders it removed, and the objects kept folders no longer hold. */
export interface PreviousOutput {
  readonly removed: readonly RemovedFolder[];
  readonly objects?: readonly RemovedObject[];
  /** The config the previous output's header names, when it is this one. */
  readonly ownConfig?: string;
  /** The Helm values keys the previous output set and this one does not. */
  readonly helm?: readonly DroppedValues[];
}

/**
 * A line for each values file of the cluster that stopped setting a key: `helm upgrade
 * --reuse-values` keeps it in the release, so the `--set` that undoes it is given where known.
 */
function droppedValueLines(o: ClusterOutput, givenDir: string, previous: PreviousOutput): string[] {
  return (previous.helm ?? [])
    .filter((d) => d.cluster === o.name)
    .map((d) => {
      const file = path.join(shownPath(givenDir), d.file);
      const keys = d.dropped.map((v) => `${v.key} (was ${v.was})`).join(', ');
      const known = d.dropped.filter((v) => v.reset !== undefined);
      const unknown = d.dropped.filter((v) => v.reset === undefined);
      const values = d.fileGone ? '' : ` -f ${shellPath(path.join(givenDir, d.file))}`;
      return (
        `${file} ${d.fileGone ? 'is no longer written; it set' : 'no longer sets'} ${keys}, which helm upgrade --reuse-values keeps in the release` +
        (known.length > 0
          ? `: undo it with helm upgrade ${d.release} --reuse-values${values} --set ${known.map((v) => `${v.key}=${v.reset}`).join(',')}`
          : '') +
        (unknown.length > 0 ? `; set ${unknown.map((v) => v.key).join(', ')} as the release needs` : '')
      );
    });
}

/** A line for each folder the write removed. */
function removedFolderLines(config: string, out: string, previous: PreviousOutput): string[] {
  return previous.removed.map((r) =>
    r.writtenFrom !== undefined && r.writtenFrom !== previous.ownConfig
      ? `removed ${out}/${r.name}/, written from ${shownPath(r.writtenFrom)}: an output folder holds the clusters of one config ` +
        '(give each config its own --out)'
      : `removed ${out}/${r.name}/: ${config} has no ${r.name === DELIVERY_DIR ? 'delivery' : `cluster ${r.name}`} any more`,
  );
}

/**
 * The routing objects a cluster's folder no longer holds, which `kubectl apply` leaves in the
 * cluster. With `stepsShown` (the summary), those a migration phase's steps delete are left to them.
 */
function staleObjectLines(o: ClusterOutput, dir: string, previous: PreviousOutput, stepsShown: boolean): string[] {
  const inSteps = (object: string) => stepsShown && (o.migration?.currentObjects.includes(object) ?? false);
  const ours = (previous.objects ?? []).filter((r) => r.cluster === o.name);
  const stale = ours.filter((r) => r.classNow === undefined && !inSteps(r.object));
  return [
    ...stale.map((r) => `no longer written: ${path.join(dir, r.file)}; ${staleAdvice(r)}`),
    ...classChangeNote(stale, o.mode),
    ...reclassedLines(
      ours.filter((r) => r.classNow !== undefined),
      o.mode,
      dir,
    ),
  ];
}

/**
 * A line when Ingresses still written change class outside a migration: a controller that
 * watches only the old class stops serving them at the next apply (a `runaiVersion` bump whose
 * profile defaults to another controller does this to a config that never set one).
 */
function reclassedLines(reclassed: readonly RemovedObject[], mode: ClusterMode, dir: string): string[] {
  if (reclassed.length === 0 || mode.migration) return [];
  const shown = (c: string | null | undefined) => (c === null || c === undefined ? 'none' : c);
  const pairs = [...new Set(reclassed.map((r) => `${shown(r.ingressClassName)} to ${shown(r.classNow)}`))].join(', ');
  const defaulted = mode.profileDefaults.some((d) => d.setting === 'ingress.controller');
  return [
    `ingress class changed: ${reclassed.map((r) => path.join(dir, r.file)).join(', ')}, from ${pairs}` +
      `${defaulted ? `, the default of Run:ai profile ${mode.profile.id} (this config sets no ingress.controller)` : ''}: ` +
      `a controller that watches only the old class stops serving ${reclassed.length === 1 ? 'it' : 'them'} once applied, and ` +
      'Run:ai is told the new class too; if the cluster still runs that controller, set ingress.controller (or ingress.className) ' +
      'to keep it, or move in phases with migration (README "Leaving ingress-nginx")',
  ];
}

/**
 * What `--quiet` still prints of the summary: the folders the write removed and the objects left
 * in the cluster. They are said once: the next run, up to date, has nothing to compare them with.
 */
export function removalReport(givenConfig: string, givenOut: string, outputs: readonly ClusterOutput[], previous: PreviousOutput): string {
  const out = shownPath(givenOut);
  const lines = [
    ...removedFolderLines(shownPath(givenConfig), out, previous),
    // Without the summary, no migration step names what phase 3 stopped writing: these lines do.
    ...outputs.flatMap((o) =>
      [...staleObjectLines(o, path.join(out, o.name), previous, false), ...droppedValueLines(o, path.join(givenOut, o.name), previous)].map(
        (line) => `${o.name}: ${line}`,
      ),
    ),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** What synth wrote and how to apply it, for stderr. */
export function summary(
  givenConfig: string,
  givenOut: string,
  outputs: readonly ClusterOutput[],
  outcome: WriteOutcome = 'written',
  previous: PreviousOutput = { removed: [] },
): string {
  // The paths as the user gave them, through the one function that keeps key-like text out.
  const config = shownPath(givenConfig);
  const out = shownPath(givenOut);
  const lines = [
    outcome === 'written'
      ? `runai-access: wrote ${plural(outputs.length, 'cluster')} from ${config} to ${out}/`
      : `runai-access: ${out}/ already holds ${plural(outputs.length, 'cluster')} from ${config}, byte for byte: nothing rewritten`,
    ...removedFolderLines(config, out, previous),
  ];
  for (const o of outputs) {
    const dir = path.join(out, o.name);
    lines.push('', `${o.name}: workspaces at ${o.mode.workspaceUrl(o.clusterUrl)} (${o.mode.summaryText})`, `  ${o.mode.profileText}`);
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
    for (const line of staleObjectLines(o, dir, previous, true)) lines.push(`  ${line}`);
    for (const line of droppedValueLines(o, rawDir, previous)) lines.push(`  ${line}`);
    if (o.access.length > 0) lines.push('  researcher access:');
    for (const a of o.access) {
      lines.push(`    ${a.service} (${a.type}):`);
      for (const hint of a.hints) lines.push(`      ${hint}`);
    }
    // Notes name the cluster's folder as <this folder>: here it is known, so a command can be pasted.
    for (const note of o.notes) lines.push(`  note: ${note.split('<this folder>').join(shellDir)}`);
    const secrets = o.files.filter((f) => f.secret);
    const ignored = secrets.filter((f) => f.gitIgnored);
    const committed = secrets.filter((f) => !f.gitIgnored);
    if (ignored.length > 0) {
      // Beside a committed key, the ignored files are named, so the two notes cannot be mixed up.
      const named = committed.length > 0;
      const holder = named ? ignored.map((f) => path.join(dir, f.path)).join(', ') : dir;
      const keeps =
        named && ignored.length > 1
          ? 'hold plaintext private keys; the .gitignore beside them keeps them out of git ' +
            '(commitPlaintextKey: true in a TLS setting commits its key)'
          : 'holds a plaintext private key; its .gitignore keeps it out of git (commitPlaintextKey: true in its TLS setting commits it)';
      lines.push(`  note: ${holder} ${keeps}. For GitOps use tls.source sealed-secret, external-secret or cert-manager.`);
    }
    if (committed.length > 0) {
      lines.push(
        `  note: ${committed.map((f) => path.join(dir, f.path)).join(', ')} ${committed.length === 1 ? 'holds' : 'hold'} a plaintext ` +
          `private key and commitPlaintextKey is true: it will be committed.`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
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
    for (const w of warnings.filter((p) => p.cluster === c.name)) lines.push(`  ${formatProblem(w)}`);
  }
  // A warning of no cluster (or of one not in the list) is counted above, so it is shown too. The
  // config's own warnings all name a cluster today; a library caller may pass any.
  const elsewhere = warnings.filter((p) => !clusters.some((c) => c.name === p.cluster));
  if (elsewhere.length > 0) lines.push('', ...elsewhere.map((w) => formatProblem(w)));
  return `${lines.join('\n')}\n`;
}

/** One finding in `validate --json`. */
export interface JsonFinding {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly cluster: string | null;
  readonly file: string;
  readonly field: string;
  readonly message: string;
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
    field: redact(p.path),
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
        ingress: c.mode.wiring === 'dedicated-ingress' ? { controller: c.mode.controller.name, className: c.mode.ingressClassName } : null,
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
