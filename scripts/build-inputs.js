// What `npm run build` is made from, as one digest: npm test skips the build when build/ was made
// from these very inputs (the stamp scripts/build.js writes after a build that succeeded), so the
// build that `npm ci` just made is not made again. Everything the build reads is in it: the
// sources, the build scripts, the example the code cache and snapshot are warmed up with, the
// installed packages, and the Node binary (a V8 snapshot runs only on the Node that made it).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
/** Where scripts/build.js writes the digest, under `root`'s build/. */
const stampFile = (root = ROOT) => path.join(root, 'build', '.build-inputs');
const FILES = ['main.ts', 'snapshot.ts', 'tsconfig.json', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json'];
const FOLDERS = ['lib', 'imports', 'scripts', 'examples'];
/** What every build writes: a stamp without them does not count. */
const OUTPUTS = ['main.js', 'runai-access', 'runai-access.js', 'runai-access.bundle.js'];

/**
 * Every file under `dir` (relative to `root`), sorted; none when it is missing. A link to a folder
 * is followed, as tsc follows it, once: `seen` holds the real folders walked, so a link back into
 * the tree ends there (and is digested by where it points). A link to the repository, a folder
 * above it, or build/ (or into it) is not walked: it would take in the stamp, which then never matches.
 */
function filesUnder(root, dir, seen = new Set(), repo = fs.realpathSync(root)) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  const real = fs.realpathSync(full);
  if (seen.has(real) || holds(real, repo) || holds(path.join(repo, 'build'), real)) return [];
  seen.add(real);
  const found = [];
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory() || (entry.isSymbolicLink() && isFolder(path.join(root, rel)))) {
      found.push(...(entry.isSymbolicLink() ? [rel] : []), ...filesUnder(root, rel, seen, repo));
    } else found.push(rel);
  }
  return found.sort();
}

/** True when the folder `outer` is `inner` or holds it. */
function holds(outer, inner) {
  const rel = path.relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** True when `file` is, or links to, a folder. */
function isFolder(file) {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * What a file holds, for the digest: a link to a file by that file's bytes, a link to a folder or
 * to nothing by where it points, a missing file as such.
 */
function contentOf(file) {
  let stat;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return '(none)';
  }
  if (!stat.isSymbolicLink()) return fs.readFileSync(file);
  const target = fs.readlinkSync(file);
  try {
    return fs.statSync(file).isFile() ? fs.readFileSync(file) : `(link to the folder ${target})`;
  } catch {
    return `(link to nothing: ${target})`;
  }
}

/** The digest of the build's inputs in `root` now. */
function buildInputsDigest(root = ROOT) {
  const hash = crypto.createHash('sha256');
  const node = fs.statSync(process.execPath);
  hash.update(JSON.stringify([process.version, process.arch, process.execPath, node.size, node.mtimeMs]));
  for (const file of [...FILES, ...FOLDERS.flatMap((dir) => filesUnder(root, dir))]) {
    hash.update(`\0${file}\0`);
    hash.update(contentOf(path.join(root, file)));
  }
  return hash.digest('hex');
}

/** Whether `root`'s build/ was made from its inputs as they are now. */
function buildIsCurrent(root = ROOT) {
  try {
    const made = OUTPUTS.every((f) => fs.existsSync(path.join(root, 'build', f)));
    return made && fs.readFileSync(stampFile(root), 'utf8') === buildInputsDigest(root);
  } catch {
    return false;
  }
}

module.exports = { stampFile, buildInputsDigest, buildIsCurrent };
