import { loadOne, problemLines, runInProcess, tempDir, writeConfig } from './helpers';

/**
 * Label and annotation keys and label values in the config, held to the API server's rules
 * (kubernetes/apimachinery IsQualifiedName, IsValidLabelValue), so no object we write is
 * refused for them. The rule itself is tested in labels.test.ts.
 */
const LONG_NAME = 'a'.repeat(64);
const LONG_PREFIX = 'b'.repeat(254);
const CERT_MANAGER = 'tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}';
const expose = (selector: string) => `    tls: {source: existing}
    expose: [{project: p, workload: w, type: port-forward, ports: ["80"], selector: {${selector}}}]\n`;
const ANNOTATION = 'must be an annotation key such as nginx.ingress.kubernetes.io/ssl-redirect';
const NAME_TOO_LONG = 'its name (after "/") is 64 characters; at most 63 are allowed';
const NOT_SUBDOMAIN =
  'its prefix (before "/") must be a DNS subdomain: lower-case a-z, 0-9, "-" and ".", each dot-separated part starting and ending with a letter or digit';
const PREFIX_TOO_LONG = 'its prefix (before "/") is 254 characters; at most 253 are allowed';

describe('ingress.annotations keys', () => {
  test('fails when a name part is over 63, a prefix is not a DNS subdomain or is over 253', () => {
    const lines = problemLines(() =>
      loadOne(`    tls: {source: existing}
    ingress: {annotations: {"x.com/${LONG_NAME}": x, "a..b/c": y, "${LONG_PREFIX}/c": z}}\n`),
    );
    expect(lines).toEqual([
      `clusters[0].ingress.annotations.x.com/${LONG_NAME}: ${ANNOTATION}: ${NAME_TOO_LONG}`,
      `clusters[0].ingress.annotations.a..b/c: ${ANNOTATION}: ${NOT_SUBDOMAIN}`,
      // The path of a 256-character key is described, not shown.
      expect.stringMatching(
        new RegExp(`^clusters\\[0\\]\\.ingress\\.annotations\\..*: ${ANNOTATION}: ${PREFIX_TOO_LONG.replace(/[()]/g, '\\$&')}$`),
      ),
    ]);
  });
  test('accepts a 253-character prefix and a 63-character name', () => {
    expect(
      problemLines(() => loadOne(`    tls: {source: existing}\n    ingress: {annotations: {"${'b'.repeat(253)}/${'a'.repeat(63)}": x}}\n`)),
    ).toEqual([]);
  });
});

describe('tls.secretTemplate keys', () => {
  test('fails when a label key name is over 63 characters', () => {
    expect(problemLines(() => loadOne(`    ${CERT_MANAGER}, secretTemplate: {labels: {"${LONG_NAME}": v}}}\n`))).toEqual([
      `clusters[0].tls.secretTemplate.labels.${LONG_NAME}: must be a label key such as app.kubernetes.io/part-of: its name is 64 characters; at most 63 are allowed`,
    ]);
  });
  test('fails when an annotation key prefix is not a DNS subdomain, and the example is an annotation', () => {
    expect(problemLines(() => loadOne(`    ${CERT_MANAGER}, secretTemplate: {annotations: {"a..b/c": v}}}\n`))).toEqual([
      `clusters[0].tls.secretTemplate.annotations.a..b/c: must be an annotation key such as example.com/owner: ${NOT_SUBDOMAIN}`,
    ]);
  });
  test('fails when a label value is not one (kubectl label refuses it), and passes any annotation value', () => {
    const lines = problemLines(() =>
      loadOne(
        `    ${CERT_MANAGER}, secretTemplate: {labels: {team: "platform team / gpu!", long: "${'v'.repeat(64)}"}, annotations: {a: "any text / at all!"}}}\n`,
      ),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^clusters\[0\]\.tls\.secretTemplate\.labels\.team: must be a label value: /);
    expect(lines[1]).toMatch(/^clusters\[0\]\.tls\.secretTemplate\.labels\.long: must be a label value: .*\(this one is 64 characters\)$/);
  });
  test('fails when an annotation key has a space, with an annotation as its example', () => {
    expect(problemLines(() => loadOne(`    ${CERT_MANAGER}, secretTemplate: {annotations: {"a b": v}}}\n`))).toEqual([
      'clusters[0].tls.secretTemplate.annotations."a b": must be an annotation key such as example.com/owner' +
        ': its name may hold alphanumerics, "-", "_" and ".", and must start and end with an alphanumeric',
    ]);
  });
});

describe('expose[].selector', () => {
  test('fails when a selector key name is over 63 characters, or its prefix is not a DNS subdomain', () => {
    expect(problemLines(() => loadOne(expose(`"${LONG_NAME}": v, "a..b/c": v`)))).toEqual([
      `clusters[0].expose[0].selector.${LONG_NAME}: must be a label key such as app.kubernetes.io/name: its name is 64 characters; at most 63 are allowed`,
      `clusters[0].expose[0].selector.a..b/c: must be a label key such as app.kubernetes.io/name: ${NOT_SUBDOMAIN}`,
    ]);
  });
  test('fails when a selector value is over 63 characters, naming the rule and not a type', () => {
    expect(problemLines(() => loadOne(expose(`app: "${'v'.repeat(64)}"`)))).toEqual([
      'clusters[0].expose[0].selector.app: must be a label value: empty, or at most 63 alphanumerics, "-", "_" and ".", starting and ending alphanumeric (this one is 64 characters)',
    ]);
  });
  test('accepts an empty selector value and a 63-character one', () => {
    expect(problemLines(() => loadOne(expose(`app: "", tier: "${'v'.repeat(63)}"`)))).toEqual([]);
  });
});

test('fails when validate reads the probe config of bad keys: exit 2, one line per key', () => {
  const dir = tempDir();
  writeConfig(
    dir,
    `clusters:
  - name: a
    clusterUrl: runai.test.com
    tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}, secretTemplate: {labels: {"${LONG_NAME}": v}}}
    ingress: {annotations: {"x.com/${LONG_NAME}": x, "a..b/c": y}}
    expose: [{project: p, workload: w, type: port-forward, ports: ["80"], selector: {"${LONG_NAME}": v}}]
`,
  );
  const r = runInProcess(['validate', '-q'], { cwd: dir });
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([
    `runai-access.yaml: clusters[0].ingress.annotations.x.com/${LONG_NAME}: ${ANNOTATION}: ${NAME_TOO_LONG}`,
    `runai-access.yaml: clusters[0].ingress.annotations.a..b/c: ${ANNOTATION}: ${NOT_SUBDOMAIN}`,
    `runai-access.yaml: clusters[0].tls.secretTemplate.labels.${LONG_NAME}: must be a label key such as app.kubernetes.io/part-of: its name is 64 characters; at most 63 are allowed`,
    `runai-access.yaml: clusters[0].expose[0].selector.${LONG_NAME}: must be a label key such as app.kubernetes.io/name: its name is 64 characters; at most 63 are allowed`,
  ]);
});

describe('annotations as the API server and cert-manager take them', () => {
  test('passes an annotation key with capitals, which the API server checks lower-cased', () => {
    expect(problemLines(() => loadOne(`    tls: {source: existing}\n    ingress: {annotations: {"Example.com/Owner": team}}\n`))).toEqual(
      [],
    );
    expect(problemLines(() => loadOne(`    ${CERT_MANAGER}, secretTemplate: {annotations: {"Example.com/Owner": team}}}\n`))).toEqual([]);
  });
  test("fails when a secretTemplate holds a cert-manager.io annotation, which cert-manager's webhook refuses", () => {
    const lines = problemLines(() =>
      loadOne(
        `    ${CERT_MANAGER}, secretTemplate: {annotations: {cert-manager.io/issuer-name: x, cert-manager.io/allow-direct-injection: "true"}}}\n`,
      ),
    );
    expect(lines).toEqual([
      'clusters[0].tls.secretTemplate.annotations.cert-manager.io/issuer-name: cert-manager refuses cert-manager.io/* annotations ' +
        'in a secretTemplate (it sets them itself), but for cert-manager.io/allow-direct-injection',
    ]);
  });
  test('passes annotations of exactly 256 KiB', () => {
    const lines = problemLines(() =>
      loadOne(
        `    tls: {source: existing}\n    ingress: {annotations: {example.com/a: "${'x'.repeat(256 * 1024 - 'example.com/a'.length)}"}}\n`,
      ),
    );
    expect(lines).toEqual([]);
  });
  test('fails when the annotations of one object hold more than 256 KiB', () => {
    const big = 'x'.repeat(130 * 1024);
    const lines = problemLines(() =>
      loadOne(`    tls: {source: existing}\n    ingress: {annotations: {example.com/a: "${big}", example.com/b: "${big}"}}\n`),
    );
    expect(lines).toEqual([
      'clusters[0].ingress.annotations: hold 266266 bytes of keys and values; the API server takes at most 262144 (256 KiB) on one object',
    ]);
  });
});
