// npm run bench's fleets (scripts/bench.js): configs of n clusters in six modes, and the
// file-system floor they are measured against.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

/** Writes a config of `n` clusters, each naming its own copy of the demo PEM files (checked per cluster). */
function fleet(work, n) {
  const dir = path.join(work, `fleet-${n}`);
  const lines = ['clusters:'];
  const modes = [
    '',
    '    deployment: self-hosted',
    '    runaiVersion: "2.11"',
    '    runaiVersion: "2.10"\n    deployment: self-hosted',
    '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: runai, className: kgateway}',
    '    ingress: {controller: haproxy}\n    runaiConfig: {via: both}',
  ];
  for (let i = 0; i < n; i++) {
    const id = `c${String(i).padStart(4, '0')}`;
    const certs = path.join(dir, 'certs', id);
    fs.mkdirSync(certs, { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'examples', 'certs', 'fullchain.pem'), path.join(certs, 'fullchain.pem'));
    fs.copyFileSync(path.join(ROOT, 'examples', 'certs', 'private.pem'), path.join(certs, 'private.pem'));
    // Every cluster reads and parses its own copy of the demo files, which cover runai.example.com
    // only; so all use that URL. The work per cluster is what a distinct certificate costs.
    lines.push(
      `  - name: ${id}`,
      '    clusterUrl: runai.example.com',
      `    tls: {source: files, certFile: certs/${id}/fullchain.pem, keyFile: certs/${id}/private.pem}`,
    );
    if (modes[i % modes.length]) lines.push(modes[i % modes.length]);
  }
  fs.writeFileSync(path.join(dir, 'runai-access.yaml'), `${lines.join('\n')}\n`);
  return dir;
}

// The file-system floor: a bare node process that writes the same tree synth wrote (same
// folders, files, bytes and modes) into a fresh folder and removes the previous one, as the
// writer does. On a slow disk this, not runai-access, is most of a large fleet's wall time.
/** Writes the fs floor's script into `work` and returns its path. */
function writeFsFloor(work) {
  const file = path.join(work, 'fs-floor.js');
  fs.writeFileSync(
    file,
    `const fs = require('fs'), path = require('path');
const [manifest, out] = process.argv.slice(2);
const files = JSON.parse(fs.readFileSync(manifest, 'utf8'));
const next = out + '.next';
fs.mkdirSync(next);
for (const f of files) {
  if (f.dir) fs.mkdirSync(path.join(next, f.path));
  else fs.writeFileSync(path.join(next, f.path), f.content, { mode: f.mode, flag: 'wx' });
}
if (fs.existsSync(out)) fs.rmSync(out, { recursive: true });
fs.renameSync(next, out);
`,
  );
  return file;
}

/** Writes a manifest of the tree under `dir` into `work`, for the fs floor. */
function manifestOf(work, dir) {
  const files = [];
  const walk = (d, rel) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) {
        files.push({ path: r, dir: true });
        walk(path.join(d, e.name), r);
      } else
        files.push({
          path: r,
          content: fs.readFileSync(path.join(d, e.name), 'utf8'),
          mode: fs.statSync(path.join(d, e.name)).mode & 0o777,
        });
    }
  };
  walk(dir, '');
  const file = path.join(work, `manifest-${path.basename(path.dirname(dir))}.json`);
  fs.writeFileSync(file, JSON.stringify(files));
  return { file, count: files.filter((f) => !f.dir).length };
}

module.exports = { fleet, manifestOf, writeFsFloor };
