/**
 * `doctor`'s report: text that reads as the path from DNS to RunaiConfig with each step marked,
 * and one JSON document, both with anything key-like redacted.
 */
import { CheckResult, Status, Step, STEPS } from '../doctor/check';
import { DoctorReport } from '../doctor/doctor';
import { Problem, redact } from '../model/errors';

const MARK: Readonly<Record<Status, string>> = { pass: 'ok', fail: 'FAIL', skip: 'skip' };

function stepStatus(checks: readonly CheckResult[]): Status | undefined {
  if (checks.length === 0) return undefined;
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  return checks.some((c) => c.status === 'pass') ? 'pass' : 'skip';
}

/** The report as text: the path with each step marked, then the checks step by step, then the verdict. */
export function doctorText(r: DoctorReport): string {
  const byStep = new Map<Step, CheckResult[]>(STEPS.map((s) => [s, r.checks.filter((c) => c.step === s)]));
  const steps = STEPS.filter((s) => byStep.get(s)!.length > 0);
  const width = Math.max(...r.checks.map((c) => c.name.length));
  const lines = [
    `runai-access doctor: cluster ${r.cluster} (${r.clusterUrl}, ${r.wiring}), probe name ${r.probeHost}`,
    `path: ${steps.map((s) => `${s} [${MARK[stepStatus(byStep.get(s)!)!]}]`).join(' -> ')}`,
    '',
  ];
  for (const s of steps) {
    lines.push(s);
    for (const c of byStep.get(s)!) {
      lines.push(`  [${MARK[c.status].padEnd(4)}] ${c.name.padEnd(width)}  ${c.detail}`);
      if (c.fix && c.status !== 'pass') lines.push(`  ${' '.repeat(6)} ${' '.repeat(width)}  fix: ${c.fix}`);
    }
  }
  const count = (st: Status) => r.checks.filter((c) => c.status === st).length;
  const failed = r.checks.filter((c) => c.status === 'fail');
  lines.push('');
  lines.push(
    failed.length === 0
      ? `healthy: ${count('pass')} passed, ${count('skip')} skipped`
      : `${failed.length} failed, ${count('pass')} passed, ${count('skip')} skipped; the path breaks first at ${failed[0].step} (${failed[0].name})`,
  );
  return `${lines.map((l) => redact(l)).join('\n')}\n`;
}

/** The report as one JSON document: every check's name, step, status, detail and fix. */
export function doctorJson(r: DoctorReport, warnings: readonly Problem[] = []): string {
  const count = (st: Status) => r.checks.filter((c) => c.status === st).length;
  const doc = {
    cluster: r.cluster,
    clusterUrl: r.clusterUrl,
    wiring: r.wiring,
    probeHost: r.probeHost,
    address: r.address ?? null,
    port: r.port,
    ok: count('fail') === 0,
    summary: { pass: count('pass'), fail: count('fail'), skip: count('skip') },
    checks: r.checks.map((c) => ({
      name: c.name,
      step: c.step,
      status: c.status,
      detail: redact(c.detail),
      fix: c.fix ? redact(c.fix) : null,
    })),
    // The config's problems doctor went on despite (a certificate synth refuses), as validate --json has its findings.
    warnings: warnings.map((w) => ({ code: w.code ?? null, file: w.source, field: w.path, message: redact(w.message) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
