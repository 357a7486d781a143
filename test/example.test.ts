/**
 * The golden snapshot of your own runai-access.yaml (the bundled one until you replace it).
 * `npm test` snapshots the whole output into __snapshots__/, so any change to the generated
 * YAML shows up as a diff in review. It works for every valid config, in a clone without the
 * private keys too: Secret data appears only as the SHA-256 of what it holds, a private key
 * only as `<private key>`, and a SealedSecret only as what it was sealed from (the
 * certificate digest and controller in certificates.sha256, its scope and template), never its
 * random ciphertext. No key ever lands in __snapshots__/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig } from '../lib/config/load';
import { PRIVATE_KEY_BEGIN, SEALED_FROM_ANNOTATION } from '../lib/model/names';
import { synthesize } from '../lib/output/render';
import { KEY_BODY_LINES, ROOT, yamlDocs } from './helpers';
import { reviewable } from './reviewable';

const CONFIG = path.join(ROOT, 'runai-access.yaml');
const outputs = synthesize(loadConfig(CONFIG, { allowMissingKeys: true }).clusters);

test('the whole output of runai-access.yaml matches the reviewed snapshot', () => {
  const rendered = outputs
    .flatMap((o) => o.files.map((f) => `=== ${o.name}/${f.path} (mode ${f.mode.toString(8)})\n${reviewable(f.content)}`))
    .join('\n');
  expect(rendered).not.toMatch(PRIVATE_KEY_BEGIN);
  expect(rendered).not.toContain(SEALED_FROM_ANNOTATION + ': sha256:');
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
