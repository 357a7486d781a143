/**
 * The summary lines of a migration phase: its ordered steps and how to roll back to the
 * previous phase.
 */
import { migrationSteps } from '../model/migration';
import { ClusterOutput } from '../output/render';

/** The lines the synth summary prints for a cluster in a migration, indented; none without one. */
export function migrationLines(o: ClusterOutput, dir: string): string[] {
  const m = o.mode.migration;
  if (!m || !o.migration) return [];
  const kustomized = o.applySteps.some((s) => s.run === 'kubectl-apply-k');
  const { steps, rollback } = migrationSteps(m, { ...o.migration, dir, kustomized, applies: o.applySteps.length > 0 });
  return [`  ${m.text}:`, ...steps.map((s, i) => `    ${i + 1}. ${s}`), ...rollback.map((r) => `    ${r}`)];
}
