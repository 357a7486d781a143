/**
 * The golden snapshot of the bundled (or your own) runai-access.yaml. `npm test` snapshots the
 * whole output into __snapshots__/, so any change to the generated YAML shows up as a diff in
 * review. Secret data appears only as a SHA-256 digest: no key ever lands in __snapshots__/.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig } from '../lib/config/load';
import { synthesize } from '../lib/output/render';
import { KEY_BODY_LINES, ROOT, yamlDocs } from './helpers';

const CONFIG = path.join(ROOT, 'runai-access.yaml');
const outputs = synthesize(loadConfig(CONFIG).clusters);

/** Replaces every Secret data value with the SHA-256 of its decoded bytes. */
function digestSecretData(content: string): string {
  const [doc] = yamlDocs(content);
  if (doc?.kind !== 'Secret' || !doc.data) return content;
  let out = content;
  for (const [key, value] of Object.entries<string>(doc.data)) {
    const digest = createHash('sha256').update(Buffer.from(value, 'base64')).digest('hex');
    out = out.split(value).join(`<sha256:${digest}>`);
    expect(out).not.toContain(value);
    expect(key).toMatch(/^tls\.(crt|key)$/);
  }
  return out;
}

test('the whole output of runai-access.yaml matches the reviewed snapshot', () => {
  const rendered = outputs
    .flatMap((o) => o.files.map((f) => `=== ${o.name}/${f.path} (mode ${f.mode.toString(8)})\n${digestSecretData(f.content)}`))
    .join('\n');
  expect(rendered).toMatchSnapshot();
});

test('the snapshot folder holds no private-key material', () => {
  const dir = path.join(ROOT, '__snapshots__');
  for (const file of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const line of KEY_BODY_LINES) expect(text).not.toContain(line);
    for (const o of outputs) {
      for (const f of o.files.filter((x) => x.secret)) {
        expect(text).not.toContain(yamlDocs(f.content)[0].data['tls.key']);
      }
    }
  }
});
