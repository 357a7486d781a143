/**
 * What the CLI prints on success: the synth summary, the validate report and its JSON form.
 */
import * as path from 'node:path';
import { ClusterSpec } from './config';
import { formatProblem, Problem, redact } from './errors';
import { ClusterOutput } from './synthesize';

const DAY_MS = 24 * 60 * 60 * 1000;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What synth wrote and how to apply it, for stderr. */
export function summary(config: string, out: string, outputs: readonly ClusterOutput[]): string {
  const lines = [`runai-access: wrote ${plural(outputs.length, 'cluster')} from ${config} to ${out}/`];
  for (const o of outputs) {
    const dir = path.join(out, o.name);
    lines.push('', `${o.name}: workspaces at https://<project>-<workload>.${o.clusterUrl}/ (${o.legacy ? 'Run:ai 2.9-2.12: patch of the existing ingress' : 'dedicated wildcard Ingress'})`);
    for (const f of o.files) lines.push(`  ${path.join(dir, f.path)}  ${f.description}`);
    lines.push('  apply in this order, once Run:ai is installed:');
    for (const step of o.applySteps) {
      const target = step.path ? path.join(dir, step.path) : `${dir}/`;
      lines.push(step.run === 'script' ? `    sh ${target}` : `    kubectl apply -f ${target}`);
    }
    lines.push(`  DNS: *.${o.clusterUrl} must resolve to the same address as ${o.clusterUrl}.`);
    if (o.access.length > 0) lines.push('  researcher access:');
    for (const a of o.access) {
      lines.push(`    ${a.service} (${a.type}):`);
      for (const hint of a.hints) lines.push(`      ${hint}`);
    }
    if (o.files.some((f) => f.secret)) lines.push(`  note: ${dir} holds a plaintext private key; do not commit it to git unencrypted.`);
  }
  return `${lines.join('\n')}\n`;
}

/** The readable report of `validate`, for stdout. */
export function validateReport(config: string, clusters: readonly ClusterSpec[], warnings: readonly Problem[], now: Date): string {
  const lines = [`${config}: ${plural(clusters.length, 'cluster')} valid, ${plural(warnings.length, 'warning')}`];
  for (const c of clusters) {
    const wiring = c.runaiVersion?.needsLegacyPatch
      ? `Run:ai ${c.runaiVersion.text}: patch of ${c.deployment.legacyIngressName}`
      : `${c.runaiVersion ? `Run:ai ${c.runaiVersion.text}: ` : ''}dedicated wildcard Ingress`;
    lines.push('', `${c.name}  ${c.clusterUrl}  (${c.deployment.name}, ${wiring})`);
    if (c.tls.source === 'files') {
      const cert = c.tls.certificate;
      const days = Math.floor((cert.validTo.getTime() - now.getTime()) / DAY_MS);
      lines.push(`  certificate ${cert.subject}, names ${cert.dnsNames.join(', ')}`);
      lines.push(`  valid until ${cert.validTo.toISOString().replace('.000Z', 'Z')} (${plural(days, 'day')}), chain of ${cert.chainLength}, sha256 ${cert.fingerprint256}`);
    } else {
      lines.push('  certificate: existing Secret runai-cluster-domain-star-tls-secret, not checked');
    }
    for (const w of warnings.filter((p) => p.cluster === c.name)) lines.push(`  ${formatProblem(w)}`);
  }
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

/** `validate --json`: every finding, and what was checked, for CI. */
export function validateJson(config: string, clusters: readonly ClusterSpec[], problems: readonly Problem[], now: Date): string {
  const findings: JsonFinding[] = problems.map((p) => ({
    code: p.code ?? 'config',
    severity: p.severity ?? 'error',
    cluster: p.cluster ?? null,
    file: redact(p.source),
    field: redact(p.path),
    message: redact(p.message),
  }));
  return `${JSON.stringify({
    ok: !findings.some((f) => f.severity === 'error'),
    config,
    checkedAt: now.toISOString(),
    clusters: clusters.map((c) => ({
      name: c.name,
      clusterUrl: c.clusterUrl,
      deployment: c.deployment.name,
      wiring: c.runaiVersion?.needsLegacyPatch ? 'legacy-patch' : 'dedicated-ingress',
      tls: c.tls.source === 'files'
        ? {
          source: 'files',
          subject: c.tls.certificate.subject,
          dnsNames: c.tls.certificate.dnsNames,
          validFrom: c.tls.certificate.validFrom.toISOString(),
          validTo: c.tls.certificate.validTo.toISOString(),
          fingerprint256: c.tls.certificate.fingerprint256,
          chainLength: c.tls.certificate.chainLength,
        }
        : { source: 'existing' },
    })),
    findings,
  }, undefined, 2)}\n`;
}
