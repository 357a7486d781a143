/**
 * Behaviour corpus: one config with a cluster per mode (legacy and current, SaaS and
 * self-hosted, every TLS source, path routing, OpenShift, Gateway API, inference, private CA,
 * every controller and expose type). Its whole output — every file, the synth summary and both
 * validate reports — is compared with the committed snapshot, so that moving code cannot
 * change what the tool writes without a reviewed snapshot diff.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';

import { buildCharts, ClusterMode, loadConfig, summary, synthesize, validateJson, validateReport } from '../lib';
import { SEALED_AS_ANNOTATION } from '../lib/model/names';
import { ROOT, yamlDocs } from './helpers';

const CONFIG = path.join(ROOT, 'test', 'fixtures', 'corpus', 'corpus.yaml');
const SHOWN_AS = 'test/fixtures/corpus/corpus.yaml';
const AT = new Date('2030-01-01T00:00:00Z');
const loaded = loadConfig(CONFIG, { now: AT });
const outputs = synthesize(loaded.clusters);

/** Secret data as digests of its bytes; sealed ciphertext (random by design) as a placeholder. */
function stable(content: string): string {
  const [doc] = yamlDocs(content);
  let out = content;
  const values: Record<string, string> =
    doc?.kind === 'Secret' ? (doc.data ?? {}) : doc?.kind === 'SealedSecret' ? doc.spec.encryptedData : {};
  for (const [key, value] of Object.entries(values)) {
    const shownAs =
      doc.kind === 'Secret' ? `<sha256:${createHash('sha256').update(Buffer.from(value, 'base64')).digest('hex')}>` : `<sealed ${key}>`;
    out = out.split(value).join(shownAs);
  }
  const sealedAs = doc?.kind === 'SealedSecret' ? doc.metadata.annotations?.[SEALED_AS_ANNOTATION] : undefined;
  return sealedAs ? out.split(sealedAs).join('<digest of the ciphertexts>') : out;
}

test('every file of every mode is as reviewed', () => {
  expect(outputs.map((o) => o.name)).toHaveLength(22);
  for (const o of outputs) {
    expect(o.files.map((f) => `=== ${f.path} (mode ${f.mode.toString(8)})\n${stable(f.content)}`).join('\n')).toMatchSnapshot(o.name);
  }
});

test('the synth summary of every mode is as reviewed', () => {
  expect(summary(SHOWN_AS, 'dist', outputs)).toMatchSnapshot();
});

test('validate, as text and as JSON, is as reviewed', () => {
  // Warnings name the config as loaded (an absolute path): shown relative, so any checkout matches.
  const warnings = loaded.warnings.map((w) => ({ ...w, source: SHOWN_AS }));
  expect(validateReport(SHOWN_AS, loaded.clusters, warnings, AT)).toMatchSnapshot();
  expect(validateJson(SHOWN_AS, loaded.clusters, warnings, AT)).toMatchSnapshot();
});

test("each chart's mode is its config's: the same wiring, settings and defaults the release profile chose", () => {
  const charts = buildCharts(loaded.clusters);
  const facts = (m: ClusterMode) => ({
    wiring: m.wiring,
    controller: m.controller.name,
    ingressClassName: m.ingressClassName,
    runaiConfigVia: m.runaiConfigVia,
    runaiIngressClass: m.runaiIngressClass,
    profileText: m.profileText,
    profileDefaults: m.profileDefaults,
  });
  expect(loaded.clusters.some((c) => c.mode.profileDefaults.length > 0)).toBe(true);
  for (const [i, chart] of charts.entries()) expect(facts(chart.mode)).toEqual(facts(loaded.clusters[i].mode));
});
