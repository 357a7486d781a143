/**
 * What `init` writes, for the settings it resolved: the config, a `.gitignore` that keeps private
 * keys out and `dist/` in, the CI of GitHub Actions and GitLab CI, and a short README.
 */
import { parse } from 'yaml';

import { SOURCES } from '../config/tls-schema';
import { STAR_TLS_SECRET_NAME } from '../model/names';
import { DEFAULT_OUT } from '../model/output-layout';
import { LEFTOVER_KINDS, leftoverFolder } from '../output/leftovers';
import { lockFileName } from '../output/lock';

/** The settings of the config init writes, each given, answered or defaulted. */
export interface Settings {
  readonly clusterUrl: string;
  readonly name: string;
  readonly deployment: string;
  readonly runaiVersion?: string;
  readonly tlsSource: string;
}

/** Every file init writes, by its path in DIR (the order of INIT_FILES). */
export function initFiles(settings: Settings): Record<string, string> {
  return {
    'runai-access.yaml': configText(settings),
    '.gitignore': GITIGNORE,
    '.github/workflows/runai-access.yml': GITHUB_WORKFLOW,
    '.gitlab-ci.yml': GITLAB_CI,
    'README.md': readme(settings),
  };
}

/** The `tls` block of each source, with the files it needs under certs/. */
/** Typed by SOURCES: a new TLS source does not compile until it has its block. */
const TLS_BLOCKS: Readonly<Record<(typeof SOURCES)[number], string>> = {
  files: `      source: files
      certFile: certs/fullchain.pem     # PEM chain for *.<clusterUrl>, leaf first; commit it
      keyFile: certs/private.key        # its unencrypted key; .gitignore keeps it out of git`,
  existing: `      source: existing                  # you create ${STAR_TLS_SECRET_NAME} yourself`,
  'cert-manager': `      source: cert-manager
      issuerRef: {name: letsencrypt-dns01, kind: ClusterIssuer}   # an issuer with a DNS-01 solver`,
  'sealed-secret': `      source: sealed-secret
      certFile: certs/fullchain.pem     # PEM chain for *.<clusterUrl>, leaf first; commit it
      keyFile: certs/private.key        # its unencrypted key; .gitignore keeps it out of git
      controllerCertFile: certs/sealed-secrets-controller.pem   # kubeseal --fetch-cert > certs/sealed-secrets-controller.pem`,
  'external-secret': `      source: external-secret
      secretStoreRef: {name: vault, kind: ClusterSecretStore}
      remoteRef: {certificate: runai/wildcard-tls-crt, privateKey: runai/wildcard-tls-key}`,
};

/** `value` as YAML reads it back as that text: quoted where YAML would read a number, a boolean or null (`123`, `true`, `0x1f`). */
function asText(value: string): string {
  let read: unknown;
  try {
    read = parse(value);
  } catch {
    read = undefined;
  }
  return read === value ? value : JSON.stringify(value);
}

function configText(s: Settings): string {
  return `# yaml-language-server: $schema=./node_modules/runai-access/schema/runai-access.schema.json
#
# runai-access: one entry per Run:ai cluster. \`npx runai-access synth\` writes dist/<name>/;
# commit dist/ and let Argo CD or Flux apply it. Paths are relative to this file.
clusters:
  - name: ${asText(s.name)}
    clusterUrl: ${asText(s.clusterUrl)}
    deployment: ${s.deployment}
${s.runaiVersion === undefined ? '' : `    runaiVersion: "${s.runaiVersion}"\n`}    tls:
${TLS_BLOCKS[s.tlsSource as (typeof SOURCES)[number]]}
`;
}

const GITIGNORE = `# Written by runai-access init. ${DEFAULT_OUT}/ is committed: it is what Argo CD or Flux applies.
node_modules/
# Private keys never go into git. The Secrets that hold them are kept out by ${DEFAULT_OUT}/<cluster>/.gitignore.
*.key
key.pem
*-key.pem
*_key.pem
*.key.pem
*privkey*.pem
private*.pem
*.p12
*.pfx
# What a synth that was killed leaves beside ${DEFAULT_OUT}/ (the next synth puts it right): its
# lock, its new output (private keys included) and the previous one set aside.
/${lockFileName(DEFAULT_OUT)}
${LEFTOVER_KINDS.map((kind) => `/${leftoverFolder(DEFAULT_OUT, kind, '*')}/`).join('\n')}
`;

/**
 * The installed bin, never npx: without runai-access in node_modules, npx would look the name up
 * in the public registry, where runai-access is not ours.
 */
const BIN = './node_modules/.bin/runai-access';
const CI_STEPS = ['npm ci', `${BIN} validate --warn-days 30`, `${BIN} check`];

const GITHUB_WORKFLOW = `# Written by runai-access init: fails a pull request whose certificates are invalid or whose dist/ is stale.
name: runai-access
on:
  pull_request:
  push:
    branches: [main]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
${CI_STEPS.map((s) => `      - run: ${s}`).join('\n')}
`;

const GITLAB_CI = `# Written by runai-access init: fails a merge request whose certificates are invalid or whose dist/ is stale.
runai-access:
  image: node:20
  script:
${CI_STEPS.map((s) => `    - ${s}`).join('\n')}
`;

function readme(s: Settings): string {
  return `# Run:ai access manifests

Generated with runai-access (installed from the tarball in this repository): the wildcard TLS
Secret and Ingress, and the RunaiConfig overlay or Helm values (by Run:ai release), that give Run:ai researchers
\`https://<project>-<workload>.${s.clusterUrl}/\`. Edit \`runai-access.yaml\`, never \`dist/\`.

| command | does |
|---|---|
| \`npx runai-access validate\` | checks the config and certificates; writes nothing |
| \`npx runai-access synth\` | writes \`dist/<cluster>/\`; commit it |
| \`npx runai-access check\` | fails when \`dist/\` is stale; works without the private keys |
| \`npx runai-access synth --stdout \\| kubectl diff -f -\` | what would change in the cluster |

CI (\`.github/workflows/runai-access.yml\`, \`.gitlab-ci.yml\`) runs \`validate --warn-days 30\`
and \`check\` on every change. Private keys stay out of git (\`.gitignore\`); \`check\` verifies
the rest, and each certificate through \`dist/<cluster>/certificates.sha256\`.
`;
}
