import { parseConfig } from '../lib/config/load';
import { configSchema } from '../lib/config/schema';
import { yamlMessage } from '../lib/config/yaml-messages';
import { InputError } from '../lib/model/errors';
import { existingCluster as cluster, oneExisting as one, problemLines } from './helpers';

/** The problem lines a config produces, or [] when it is valid. */
function problems(yaml: string, baseDir = '/'): string[] {
  try {
    parseConfig(yaml, 'runai-access.yaml', baseDir);
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.message.split('\n');
  }
}

describe('config rules', () => {
  test('reports every problem at once, one line each, naming file and field', () => {
    expect(
      problems(`clusters:
  - name: Prod
    clusterUrl: https://runai.example.com:443/
    runaiVersion: 2.10
    deployment: cloud
    tls: {source: existing}
    colour: blue
`),
    ).toEqual([
      'runai-access.yaml: clusters[0].name: must be a DNS-1123 label: lower-case a-z, 0-9 and "-", not at either end, such as prod',
      'runai-access.yaml: clusters[0].clusterUrl: must not have a port; Run:ai serves workspaces on https port 443',
      'runai-access.yaml: clusters[0].deployment: must be one of: saas, self-hosted',
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted string: YAML reads an unquoted 2.10 as a number; write runaiVersion: "2.10"',
      'runai-access.yaml: clusters[0].colour: unknown key; allowed keys here: name, clusterUrl, deployment, runaiVersion, platform, routing, ingress, exposure, gateway, tls, clusterTls, inference, privateCa, subdomainSupport, expose, migration, runaiConfig, gitops, output',
    ]);
  });

  test('fails when clusters is missing', () => {
    expect(problems('other: 1')).toEqual([
      'runai-access.yaml: clusters: is required: a list of clusters, each with name, clusterUrl and tls',
      'runai-access.yaml: other: unknown key; allowed keys here: clusters, delivery',
    ]);
  });
  test('fails when a file that is no config has a key per line: ten unknown keys said, the rest counted in one line', () => {
    const keys = Array.from({ length: 14 }, (_, i) => `user${i}`);
    const lines = problems(keys.map((k) => `${k}: x`).join('\n'));
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('runai-access.yaml: clusters: is required: a list of clusters, each with name, clusterUrl and tls');
    expect(lines[10]).toBe('runai-access.yaml: user9: unknown key; allowed keys here: clusters, delivery');
    expect(lines[11]).toBe('runai-access.yaml: and 4 more unknown keys in this mapping, not listed');
  });
  test('fails when a cluster has eleven unknown keys: all eleven said, since a count line would be no shorter', () => {
    const keys = Array.from({ length: 11 }, (_, i) => `    extra${i}: 1`).join('\n');
    const lines = problems(`clusters:\n  - name: prod\n    clusterUrl: https://runai.example.com\n    tls: {source: existing}\n${keys}\n`);
    expect(lines).toHaveLength(11);
    expect(lines.every((l) => /^runai-access\.yaml: clusters\[0\]\.extra\d+: unknown key;/.test(l))).toBe(true);
  });
  test('fails when a cluster has twelve unknown keys: the count line names the cluster', () => {
    const keys = Array.from({ length: 12 }, (_, i) => `    extra${i}: 1`).join('\n');
    const lines = problems(`clusters:\n  - name: prod\n    clusterUrl: https://runai.example.com\n    tls: {source: existing}\n${keys}\n`);
    expect(lines.at(-1)).toBe('runai-access.yaml: clusters[0]: and 2 more unknown keys in this mapping, not listed');
    expect(lines).toHaveLength(11);
  });
  test('fails when a misspelt required key is among more than eleven unknown keys: its line is said, not counted', () => {
    const junk = Array.from({ length: 11 }, (_, i) => `    junk${i}: 1`).join('\n');
    const lines = problems(`clusters:\n  - name: prod\n${junk}\n    clusterurl: https://runai.example.com\n    tls: {source: existing}\n`);
    expect(lines).toHaveLength(11);
    expect(lines[9]).toMatch(/^runai-access\.yaml: clusters\[0\]\.clusterurl: unknown key; did you mean clusterUrl\?/);
    expect(lines[10]).toBe('runai-access.yaml: clusters[0]: and 2 more unknown keys in this mapping, not listed');
  });
  test('fails when eleven misspelt keys and one other are in a cluster: each misspelt key said, the other counted as one key', () => {
    const misspelt = [
      'clusterurl',
      'runaiversion',
      'tsl',
      'ingres',
      'expse',
      'deploymnet',
      'routng',
      'exposur',
      'gatway',
      'runaiconfig',
      'migraton',
    ];
    const keys = [...misspelt, 'junk'].map((k) => `    ${k}: 1`).join('\n');
    const lines = problems(`clusters:\n  - name: prod\n    clusterUrl: https://runai.example.com\n    tls: {source: existing}\n${keys}\n`);
    expect(lines.filter((l) => l.includes('did you mean'))).toHaveLength(11);
    expect(lines.at(-1)).toBe('runai-access.yaml: clusters[0]: and 1 more unknown key in this mapping, not listed');
  });
  test('fails when clusters is empty', () => {
    expect(problems('clusters: []')).toEqual(['runai-access.yaml: clusters: must list at least one cluster']);
  });
  test('fails when clusters is not a list', () => {
    expect(problems('clusters: 3')).toEqual(['runai-access.yaml: clusters: must be a list of clusters, got the number 3']);
  });
  test('fails when a cluster is not a mapping', () => {
    expect(problems('clusters: [prod]')).toEqual([
      'runai-access.yaml: clusters[0]: must be a mapping with name, clusterUrl and tls, got a string',
    ]);
  });
  test('fails when the file is not a mapping', () => {
    expect(problems('- 1')).toEqual(['runai-access.yaml: must be a mapping with a clusters list, got a list']);
  });
  test('fails when the file is empty', () => {
    expect(problems('# nothing\n')).toEqual(['runai-access.yaml: is empty; expected a mapping with a clusters list']);
  });
  test('fails when the YAML is malformed, with the line', () => {
    expect(problems('clusters: [\n')).toEqual([expect.stringMatching(/^runai-access\.yaml: line \d+, column \d+: invalid YAML: /)]);
  });
  test("fails with the library's whole sentence when it speaks of the : indicator, and never what follows a word's colon", () => {
    const long = `clusters:\n  - name: a\n    ${'z'.repeat(1100)}: 1\n`;
    expect(problems(long)).toEqual([
      'runai-access.yaml: line 3, column 5: invalid YAML: ' +
        'The : indicator must be at most 1024 chars after the start of an implicit block mapping key',
    ]);
    expect(yamlMessage('Alias ending in : is ambiguous')).toBe('Alias ending in : is ambiguous');
    expect(yamlMessage('Missing , or : between flow map items')).toBe('Missing , or : between flow map items');
    // After a word's colon the library quotes the file (a tag, a token), which may hold a key.
    expect(yamlMessage('Unresolved tag: !MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe('Unresolved tag');
    expect(yamlMessage('Unexpected scalar token in YAML stream: "MIIEvQ"\nmore')).toBe('Unexpected scalar token in YAML stream');
  });
  test("fails when the file holds a second YAML document, in our words rather than the library's", () => {
    expect(problems(`clusters:\n${cluster()}---\nclusters: []\n`)).toEqual([
      'runai-access.yaml: line 5, column 1: starts a second YAML document (a --- line); the config is one document: remove the line or what follows it',
    ]);
  });
  test.each([
    ['!!binary', 'clusters:\n  - !!binary aGVsbG8=\n', 'clusters[0] (line 2, column 5)'],
    ['!!set', 'clusters: !!set {a}\n', 'clusters (line 1, column 11)'],
    ['!!timestamp', 'clusters:\n  - {name: a, clusterUrl: !!timestamp 2001-12-14}\n', 'clusters[0].clusterUrl (line 2, column 27)'],
    ['a custom tag', 'clusters:\n  - !vault secret/runai\n', 'clusters[0] (line 2, column 5)'],
  ])('fails in one line when a value has the YAML tag %s, not one line per byte of it, naming its field', (_, yaml, place) => {
    expect(problems(yaml)).toEqual([
      `runai-access.yaml: ${place}: uses a YAML tag (such as !!binary, !!set or a custom !tag) that runai-access does not read; write the plain value`,
    ]);
  });
  test('reads YAML 1.2 whatever a %YAML 1.1 directive asks: the tags stay refused, and yes stays a string', () => {
    expect(problems('%YAML 1.1\n---\nclusters:\n  - !!binary aGVsbG8=\n')).toEqual([
      expect.stringMatching(
        /: uses a YAML tag \(such as !!binary, !!set or a custom !tag\) that runai-access does not read; write the plain value$/,
      ),
    ]);
    expect(problems(`%YAML 1.1\n---\n${one('    subdomainSupport: yes\n')}`)).toEqual([
      expect.stringMatching(/^runai-access\.yaml: clusters\[0\]\.subdomainSupport: /),
    ]);
  });
  test('reads the core tags as usual: !!str makes 2.20 a string', () => {
    expect(parseConfig(one('    runaiVersion: !!str 2.20\n'), 'runai-access.yaml', '/').clusters[0].runaiVersion?.text).toBe('2.20');
  });
  test('fails when a mapping uses the merge key <<, naming it rather than describing it', () => {
    expect(problems(`clusters:\n  - <<: {deployment: saas}\n${cluster().replace('  - ', '    ')}`)).toEqual([
      'runai-access.yaml: clusters[0] (line 2, column 5): uses a YAML merge key (<<), which runai-access does not read; write the keys out',
    ]);
  });
  test('fails when a mapping key is __proto__, which zod would drop without a word (a selector of that name selected nothing)', () => {
    expect(problems(one('    ingress: {annotations: {__proto__: x}}\n'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.annotations (line 5, column 29): uses the key __proto__, which is no config key and no label, annotation or selector key; remove it',
    ]);
    expect(problems(`__proto__: {a: 1}\n${one('')}`)).toEqual([
      'runai-access.yaml: line 1, column 1: uses the key __proto__, which is no config key and no label, annotation or selector key; remove it',
    ]);
  });
  test('fails when a cluster or a map key is named constructor, which cdk8s cannot take (it crashed with a stack)', () => {
    const why = '"constructor" is a name cdk8s, which renders the manifests, cannot take; choose another';
    expect(problems('clusters: [{name: constructor, clusterUrl: runai.example.com, tls: {source: existing}}]\n')).toEqual([
      `runai-access.yaml: clusters[0].name: ${why}`,
    ]);
    const expose = 'expose: [{project: a, workload: w, type: port-forward, ports: ["80"], selector: {constructor: x}}]';
    expect(problems(one(`    runaiVersion: "2.20"\n    ingress: {annotations: {constructor: x}}\n    ${expose}\n`))).toEqual([
      `runai-access.yaml: clusters[0].ingress.annotations.constructor: ${why}, such as example.com/constructor`,
      `runai-access.yaml: clusters[0].expose[0].selector.constructor: ${why}, such as example.com/constructor`,
    ]);
  });
  test('fails when ingress.annotations sets kubernetes.io/ingress.class to another class than the Ingress gets (given or defaulted)', () => {
    const annotation = (cls: string) => `    ingress: {annotations: {kubernetes.io/ingress.class: ${cls}}}\n`;
    expect(problems(one(annotation('nginx')))).toEqual([
      'runai-access.yaml: clusters[0].ingress.annotations.kubernetes.io/ingress.class: is "nginx", but the Ingress\'s ingressClassName ' +
        'is haproxy, and the API server refuses an Ingress whose two differ; remove the annotation (ingressClassName replaces it), or ' +
        'make the two the same class',
    ]);
    expect(problems(one(annotation('haproxy')))).toEqual([]);
    // Phase 3 of a migration writes no Ingress with the current class, and the new one has no annotations.
    expect(
      problems(
        one(
          `    runaiVersion: "2.20"\n    ingress: {controller: nginx, annotations: {kubernetes.io/ingress.class: haproxy}}\n    migration: {to: haproxy, phase: 3}\n`,
        ),
      ),
    ).toEqual([]);
  });
  test('fails when the YAML is nested too deeply for the parser, in words', () => {
    expect(problems(`clusters: ${'['.repeat(1200)}${']'.repeat(1200)}\n`)).toEqual([
      expect.stringMatching(/^runai-access\.yaml: line 1, column \d+: is nested too deeply to read; a config needs a few levels$/),
    ]);
    expect(problems(`clusters:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')}\n`)).toEqual([
      'runai-access.yaml: line 201, column 202: is nested too deeply to read; a config needs a few levels',
    ]);
    // An apostrophe inside plain text in a flow collection opens no quote: the check finds level 201.
    expect(problems(`clusters: [a'b, ${'['.repeat(1000)}\n`)).toEqual([
      'runai-access.yaml: line 1, column 216: is nested too deeply to read; a config needs a few levels',
    ]);
    expect(problems(`clusters:\n  ${'- '.repeat(5000)}x\n`)).toEqual([
      'runai-access.yaml: line 2, column 3: is nested too deeply to read; a config needs a few levels',
    ]);
    const pathological = problems('['.repeat(200000));
    expect(pathological.length).toBeLessThanOrEqual(6);
    expect(pathological[0]).toMatch(/^runai-access\.yaml: line 1, column \d+: (is nested too deeply|invalid YAML: )/);
  });
  test('passes what only looks deep: a blank line of spaces, a comment, a line of a block scalar, brackets in quotes and comments', () => {
    const deep = ' '.repeat(250);
    const yaml = `clusters:\n${deep}\n${deep}# a comment\n${cluster(`    ingress:\n      annotations:\n        note: |\n          text\n${' '.repeat(230)}far in\n`)}`;
    expect(problems(yaml)).toEqual([]);
    const brackets = '['.repeat(250);
    const quoted = cluster(`    ingress: {annotations: {a: "${brackets}", b: '${brackets}'}} # ${brackets}\n`);
    expect(problems(`# ${'{'.repeat(250)}\nclusters:\n${quoted}`)).toEqual([]);
    // Brackets in plain text, in a block scalar's lines, in a quoted scalar's continuation lines.
    const plain = Array.from({ length: 210 }, (_, i) => `        example.com/n${i}: ticket [OPS-${i}`).join('\n');
    const snippet = Array.from({ length: 210 }, (_, i) => `          location /p${i} {`).join('\n');
    const lines = Array.from({ length: 250 }, () => '          { more').join('\n');
    const annotations = `${plain}\n        example.com/snippet: |\n${snippet}\n        example.com/quoted: "start\n${lines}\n          end"\n`;
    expect(problems(`clusters:\n${cluster(`    ingress:\n      annotations:\n${annotations}`)}`)).toEqual([]);
  });
  test('fails when a key is duplicated, naming its field and the lines that give it', () => {
    expect(problems(`clusters:\n${cluster()}    name: again\n`)).toEqual([
      'runai-access.yaml: clusters[0].name: is given twice in one mapping (lines 2 and 5); YAML keys must be unique: keep one',
    ]);
    expect(problems(`clusters:\n${cluster('    ingress:\n      className: a\n      controller: nginx\n      className: b\n')}`)).toEqual([
      'runai-access.yaml: clusters[0].ingress.className: is given twice in one mapping (lines 6 and 8); YAML keys must be unique: keep one',
    ]);
    // In a flow mapping both are on one line; another list item's key is no duplicate.
    expect(problems(`clusters:\n${cluster('    ingress: {className: a, className: b}\n')}`)).toEqual([
      'runai-access.yaml: clusters[0].ingress.className: is given twice in one mapping (line 5); YAML keys must be unique: keep one',
    ]);
    // Two of them: two lines.
    expect(problems(`clusters:\n${cluster('    ingress: {className: a, className: b}\n')}    name: again\n`)).toEqual([
      'runai-access.yaml: clusters[0].ingress.className: is given twice in one mapping (line 5); YAML keys must be unique: keep one',
      'runai-access.yaml: clusters[0].name: is given twice in one mapping (lines 2 and 6); YAML keys must be unique: keep one',
    ]);
  });
  test('fails on one YAML syntax error with one line: the first, not what the parser misreads after it', () => {
    // A stray "}": the parser reads the lines after it wrongly too (five lines and "3 more" before).
    expect(problems('clusters:\n  - name: t1\n    clusterUrl: {a: b}}\n    tls: {source: existing}\n')).toEqual([
      'runai-access.yaml: line 3, column 23: invalid YAML: Unexpected flow-map-end token in YAML stream',
    ]);
    // A tab as indentation: not also advice to move the next, well indented line.
    expect(problems('clusters:\n  - name: t1\n\tclusterUrl: runai.example.com\n    tls: {source: existing}\n')).toEqual([
      'runai-access.yaml: line 3, column 1: invalid YAML: Tabs are not allowed as indentation',
    ]);
  });
  test('fails when aliases expand too far (billion laughs)', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    expect(problems(bomb.join('\n'))).toEqual(['runai-access.yaml: uses too many YAML aliases; write the values out']);
  });
  // It said "uses too many YAML aliases", with no line. The name is not quoted: it could be key text.
  // It ran out of stack: "internal error", exit 70.
  test('fails when an alias is inside the value its anchor names, naming its line', () => {
    expect(problems('clusters: [&c {name: a, clusterUrl: runai.example.com, expose: [*c]}]')).toEqual([
      'runai-access.yaml: clusters[0].expose[0] (line 1, column 65): is an alias (*) inside the value its own anchor (&) names, which would hold itself; write the value out',
    ]);
  });
  test('fails when an alias names no anchor before it, naming its line', () => {
    expect(problems('clusters: *MIIEvQIBADANBgkqhkiG9w0B')).toEqual([
      'runai-access.yaml: clusters (line 1, column 11): is an alias (*) of an anchor not defined before it; define the anchor (&) above it, or write the value out',
    ]);
    expect(problems('a: *c\nb: &c [x]\nclusters: []')).toEqual([
      'runai-access.yaml: a (line 1, column 4): is an alias (*) of an anchor not defined before it; define the anchor (&) above it, or write the value out',
    ]);
  });

  test('fails when name is missing', () => {
    expect(problems('clusters:\n  - {clusterUrl: runai.example.com, tls: {source: existing}}')).toEqual([
      'runai-access.yaml: clusters[0].name: is required',
    ]);
  });
  test('fails when name is longer than 63 characters', () => {
    expect(problems(`clusters:\n${cluster('', 'a'.repeat(64))}`)).toEqual([
      'runai-access.yaml: clusters[0].name: must be at most 63 characters',
    ]);
  });
  test('fails when two clusters share a name, even when other fields are wrong', () => {
    expect(problems(`clusters:\n${cluster()}${cluster('    deployment: x', 'prod')}`)).toEqual([
      'runai-access.yaml: clusters[1].deployment: must be one of: saas, self-hosted',
      'runai-access.yaml: clusters[1].name: "prod" is already the name of clusters[0]; names must be unique',
    ]);
  });
  test('fails with one line when migration.to is no migration target (nginx), not also a line about the class it would have', () => {
    expect(
      problems(
        'clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    runaiVersion: "2.20"\n    ingress: {controller: nginx}\n' +
          '    migration: {to: nginx, phase: 1}\n    tls: {source: existing}\n',
      ),
    ).toEqual(['runai-access.yaml: clusters[0].migration.to: must be one of: haproxy, traefik, gateway-api']);
  });

  test("warns when ingress.className is another controller's class while the release profile chose the controller; not when either is set to agree", () => {
    const classWarnings = (lines: string) =>
      parseConfig(
        `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n${lines}`,
        'runai-access.yaml',
        '/',
      )
        .warnings.filter((w) => w.code === 'class-of-another-controller')
        .map((w) => `${w.path}: ${w.message}`);
    // The bundled example, raised to 2.25: its class is ingress-nginx's, the 2.25 profile's controller HAProxy.
    expect(classWarnings('    runaiVersion: "2.25"\n    ingress: {className: nginx}\n')).toEqual([
      'clusters[0].ingress.className: nginx is the class the nginx controller watches by default, while ingress.controller is haproxy, ' +
        'the default of Run:ai profile 2.25: set ingress.controller: nginx if nginx serves this cluster (its notes, the retired-controller ' +
        'warning and a migration away from it follow the controller), or ingress.controller: haproxy',
    ]);
    expect(classWarnings('    runaiVersion: "2.20"\n    ingress: {className: traefik}\n')).toHaveLength(1);
    // With path routing the class is what Run:ai is told: the same mix-up, the same warning.
    const pathRouted = parseConfig(
      'clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    runaiVersion: "2.20"\n    routing: path\n    ingress: {className: haproxy}\n',
      'runai-access.yaml',
      '/',
    ).warnings.filter((w) => w.code === 'class-of-another-controller');
    expect(pathRouted.map((w) => `${w.path}: ${w.message}`)).toEqual([
      'clusters[0].ingress.className: haproxy is the class the haproxy controller watches by default, while ingress.controller is nginx, ' +
        'the default of Run:ai profile 2.18-2.24: set ingress.controller: haproxy if haproxy serves this cluster (its notes, the ' +
        'retired-controller warning and a migration away from it follow the controller), or ingress.controller: nginx',
    ]);
    for (const agrees of [
      '    runaiVersion: "2.20"\n    ingress: {className: nginx}\n',
      '    runaiVersion: "2.25"\n    ingress: {controller: nginx, className: nginx}\n',
      '    runaiVersion: "2.25"\n    ingress: {controller: haproxy, className: nginx}\n',
      '    runaiVersion: "2.25"\n    ingress: {className: internal-lb}\n',
      '    runaiVersion: "2.25"\n    ingress: {className: null}\n',
    ])
      expect({ agrees, warnings: classWarnings(agrees) }).toEqual({ agrees, warnings: [] });
  });

  test('warns when two clusters share a clusterUrl, also written in another case or as a URL; not for different URLs', () => {
    const shared = (yaml: string) =>
      parseConfig(yaml, 'runai-access.yaml', '/')
        .warnings.filter((w) => w.code === 'cluster-url-shared')
        .map((w) => `${w.path}: ${w.message}`);
    const other = (url: string, name: string) => cluster().replace('runai.example.com', url).replace('name: prod', `name: ${name}`);
    expect(shared(`clusters:\n${cluster()}${other('https://RUNAI.example.com/', 'blue')}${other('runai.example.com', 'green')}`)).toEqual([
      'clusters[1].clusterUrl: runai.example.com is also the clusterUrl of clusters[0] (prod) and clusters[2] (green): DNS points ' +
        'runai.example.com and *.runai.example.com at one address, so researchers reach only one of these clusters; fine while one ' +
        'replaces the other, else give each cluster its own URL',
    ]);
    expect(shared(`clusters:\n${cluster()}${other('runai.example.com', 'blue')}`)[0]).toMatch(
      /^clusters\[1\]\.clusterUrl: runai\.example\.com is also the clusterUrl of clusters\[0\] \(prod\): DNS points/,
    );
    expect(shared(`clusters:\n${cluster()}${other('staging.example.com', 'staging')}`)).toEqual([]);
    // Two URLs, each shared, their clusters interleaved: one warning each, at its second cluster,
    // naming four others at most (seven share a.example.com).
    const urls = ['a', 'b', 'a', 'b', 'a', 'a', 'a', 'a', 'a'];
    const names = 'cdefghijk';
    const interleaved = `clusters:\n${urls.map((u, i) => other(`${u}.example.com`, names[i])).join('')}`;
    expect(shared(interleaved).map((w) => w.replace(/: DNS points .*/, ''))).toEqual([
      'clusters[2].clusterUrl: a.example.com is also the clusterUrl of clusters[0] (c), clusters[4] (g), clusters[5] (h), ' +
        'clusters[6] (i) and 2 more clusters',
      'clusters[3].clusterUrl: b.example.com is also the clusterUrl of clusters[1] (d)',
    ]);
  });
  test('warns when two clusters share an inference.domain, also in another case; not for their own domains, nor when only one is loaded', () => {
    const infer = (name: string, url: string, domain: string) =>
      `  - {name: ${name}, clusterUrl: ${url}, tls: {source: existing}, inference: {domain: ${domain}, tls: {source: existing}}}\n`;
    const shared = (yaml: string, options = {}) =>
      parseConfig(yaml, 'runai-access.yaml', '/', options)
        .warnings.filter((w) => w.code === 'inference-domain-shared')
        .map((w) => `${w.path}: ${w.message}`);
    const config = `clusters:\n${infer('a', 'a.example.com', 'infer.example.com')}${infer('b', 'b.example.com', 'INFER.example.com')}`;
    expect(shared(config)).toEqual([
      'clusters[1].inference.domain: infer.example.com is also the inference.domain of clusters[0] (a): DNS points *.infer.example.com ' +
        'at one address, so inference endpoints reach only one of these clusters; fine while one replaces the other, else give each ' +
        'cluster its own domain',
    ]);
    // Said at the second cluster, loaded alone too (doctor and url load one): the first is read from the config.
    expect(shared(config, { cluster: 'b' })).toHaveLength(1);
    expect(shared(config, { cluster: 'a' })).toEqual([]);
    expect(shared(`clusters:\n${infer('a', 'a.example.com', 'ia.example.com')}${infer('b', 'b.example.com', 'ib.example.com')}`)).toEqual(
      [],
    );
  });
  test('fails for every cluster that names a missing file, not only the first', () => {
    const named = (name: string, url: string) =>
      `  - name: ${name}\n    clusterUrl: ${url}\n    tls: {source: files, certFile: /nonexistent/c.pem, keyFile: /nonexistent/k.pem}\n` +
      '    privateCa: {caFile: /nonexistent/ca.pem}\n';
    const yaml = `clusters:\n${named('a', 'a.example.com')}${cluster('', 'b')}${named('c', 'c.example.com')}`;
    const problems = (() => {
      try {
        parseConfig(yaml, 'c.yaml', '/');
      } catch (e) {
        return (e as InputError).problems;
      }
      return [];
    })();
    // It was clusters[0] alone: fixing it brought up clusters[2] in the next run, and a CI job reading --json saw c as clean.
    expect(problems.map((p) => `${p.cluster} ${p.path} [${p.code}]`)).toEqual([
      'a clusters[0].privateCa.caFile [file-missing]',
      'a clusters[0].tls.certFile [file-missing]',
      'a clusters[0].tls.keyFile [file-missing]',
      'c clusters[2].privateCa.caFile [file-missing]',
      'c clusters[2].tls.certFile [file-missing]',
      'c clusters[2].tls.keyFile [file-missing]',
    ]);
  });
  test("with the cluster option, loads that cluster alone: the others' files are not read, its problems keep their place", () => {
    const broken = (name: string, url: string) =>
      `  - name: ${name}\n    clusterUrl: ${url}\n    tls: {source: files, certFile: /nonexistent/${name}.pem, keyFile: /nonexistent/${name}-key.pem}\n`;
    const open = '    expose: [{project: p, workload: w, type: load-balancer, ports: ["8888"]}]\n';
    const yaml = `clusters:\n${broken('a', 'runai.example.com')}${cluster(open, 'b')}${broken('c', 'other.example.com')}`;
    const lines = (name?: string) => problemLines(() => parseConfig(yaml, 'c.yaml', '/', { cluster: name }));
    const missing = (name?: string) => lines(name).flatMap((l) => (l.endsWith('[file-missing]') ? [l.split(':')[0]] : []));
    expect(missing()).toEqual([
      'clusters[0].tls.certFile',
      'clusters[0].tls.keyFile',
      'clusters[2].tls.certFile',
      'clusters[2].tls.keyFile',
    ]);
    // b: a's and c's missing files are not its problem; its warnings name clusters[1], and the
    // clusterUrl it shares with a, which is not loaded, is still said.
    const b = parseConfig(yaml, 'c.yaml', '/', { cluster: 'b' });
    expect(b.clusters.map((c) => c.name)).toEqual(['b']);
    expect(b.clusterNames).toEqual(['a', 'b', 'c']);
    expect(b.warnings.map((w) => `${w.path} [${w.code}]`)).toEqual([
      'clusters[1].expose[0] [expose-open-load-balancer]',
      'clusters[1].clusterUrl [cluster-url-shared]',
    ]);
    expect(b.warnings[1].message).toMatch(/^runai\.example\.com is also the clusterUrl of clusters\[0\] \(a\): /);
    expect(b.inputs).toEqual([]);
    expect(lines('c')).toEqual([
      'clusters[2].tls.certFile: /nonexistent/c.pem does not exist [file-missing]',
      'clusters[2].tls.keyFile: /nonexistent/c-key.pem does not exist [file-missing]',
    ]);
    // A name no cluster has: none is loaded, and no file read.
    expect(parseConfig(yaml, 'c.yaml', '/', { cluster: 'd' })).toMatchObject({ clusters: [], clusterNames: ['a', 'b', 'c'] });
    // The config itself is still checked whole.
    expect(() => parseConfig(`${yaml}  - name: e\n`, 'c.yaml', '/', { cluster: 'b' })).toThrow(/clusters\[3\]\.clusterUrl/);
  });
  test.each([
    ['"1"', 'must be the number 1, 2 or 3, got the string "1": write phase: 1, without quotes'],
    ['4', 'must be 1, 2 or 3, got the number 4'],
    ['two', 'must be 1, 2 or 3, got a string'],
    ['missing', 'is required: 1, 2 or 3'],
  ])('fails when migration.phase is %s, saying what was given', (phase, message) => {
    const migration = phase === 'missing' ? '{to: haproxy}' : `{to: haproxy, phase: ${phase}}`;
    expect(problems(`clusters:\n${cluster(`    ingress: {controller: nginx}\n    migration: ${migration}\n`)}`)).toEqual([
      `runai-access.yaml: clusters[0].migration.phase: ${message}`,
    ]);
  });
  test('fails when clusterUrl is missing', () => {
    expect(problems('clusters:\n  - {name: a, tls: {source: existing}}')).toEqual([
      'runai-access.yaml: clusters[0].clusterUrl: is required',
    ]);
  });
  test('fails when clusterUrl is not a string', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: 42, tls: {source: existing}}')).toEqual([
      'runai-access.yaml: clusters[0].clusterUrl: must be a host name such as runai.example.com, got 42 unquoted, ' +
        'which YAML reads as a number; write clusterUrl: "42" if it is text',
    ]);
  });
  test('fails when a flow mapping has no space after a colon ({source:existing}), naming the key to write', () => {
    expect(problems('clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    tls: {source:existing}\n')).toEqual([
      'runai-access.yaml: clusters[0].tls (line 4, column 11): is one key with no value, as YAML needs a space after ":"; write source: existing',
    ]);
    // The value as written: "true" or "null" in quotes would be text.
    const gateway =
      '    exposure: gateway-api\n    tls: {source: existing}\n    gateway: {name: gw, namespace: runai, className: k, httpRedirect:true}\n';
    expect(problems(`clusters:\n  - name: a\n    clusterUrl: runai.example.com\n${gateway}`)).toEqual([
      'runai-access.yaml: clusters[0].gateway (line 6, column 57): is one key with no value, as YAML needs a space after ":"; write httpRedirect: true',
    ]);
    // A label key with a prefix holds a "/": the same hint, not a label-key error about "app.kubernetes.io/name:nb".
    const expose =
      '    tls: {source: existing}\n    expose: [{project: a, workload: nb, type: node-port, ports: ["8080"], selector: {app.kubernetes.io/name:nb}}]\n';
    expect(problems(`clusters:\n  - name: a\n    clusterUrl: runai.example.com\n${expose}`)).toEqual([
      'runai-access.yaml: clusters[0].expose[0].selector (line 5, column 86): is one key with no value, as YAML needs a space after ":"; write app.kubernetes.io/name: nb',
    ]);
  });
  test('fails when a number is written other than in plain decimal (0o22 is 18), with its line; 1.0 and -1 are plain', () => {
    const entry = '  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n';
    const line = (ports: string) => `    expose: [{project: p, workload: w, type: node-port, ports: [${ports}]}]`;
    const numbers = (ports: string) => problems(`clusters:\n${entry}${line(ports)}\n`);
    const given = '0o22, 0x50, 1e3, +5, 007, 8080';
    expect(numbers(given)).toEqual(
      (
        [
          ['0o22', 18],
          ['0x50', 80],
          ['1e3', 1000],
          ['+5', 5],
          ['007', 7],
        ] as const
      ).map(
        ([text, n], i) =>
          `runai-access.yaml: clusters[0].expose[0].ports[${i}] (line 5, column ${line(given).indexOf(text) + 1}): is read by YAML as the number ${n}; ` +
          'write a number in plain decimal, or quote text ("…")',
      ),
    );
    expect(numbers('8080, 1.0, -1').join('\n')).not.toContain('plain decimal');
    // A version is no number in any notation: "plain decimal" would be no fix there.
    expect(problems(`clusters:\n${entry}    runaiVersion: 0o12\n`)).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion (line 5, column 19): must be a quoted major.minor version such as "2.25", ' +
        'got 0o12 unquoted, which YAML reads as the number 10',
    ]);
  });
  test('fails when text reads as a number or true/false, saying to quote it (a project 12, a revision 1.0)', () => {
    const entry = '  - name: a\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n';
    expect(problems(`clusters:\n${entry}    expose: [{project: 12, workload: "on", type: node-port, ports: ["80"]}]\n`)).toEqual([
      'runai-access.yaml: clusters[0].expose[0].project: must be a Run:ai project name such as team-a, got 12 unquoted, ' +
        'which YAML reads as a number; write project: "12" if it is text',
    ]);
    // A selector's label value says the same, with the file's own text (true, not a boolean's name).
    expect(
      problems(`clusters:\n${entry}    expose: [{project: p, workload: w, type: node-port, ports: ["80"], selector: {b: True}}]\n`),
    ).toEqual([
      'runai-access.yaml: clusters[0].expose[0].selector.b: must be a label value (a string), got True unquoted, ' +
        'which YAML reads as a boolean; write b: "True" if it is text',
    ]);
    expect(problems(`clusters:\n${entry}delivery: {repoURL: https://git.example.com/r.git, targetRevision: 1.0, argocd: {}}\n`)).toEqual([
      'runai-access.yaml: delivery.targetRevision: must be a branch, tag or commit, got 1.0 unquoted, which YAML reads as a number; ' +
        'write targetRevision: "1.0" if it is text',
    ]);
  });
  test.each([
    ['https://runai.example.com/runai', 'must not have a path'],
    ['https://runai.example.com/?x=1', 'must not have a query'],
    ['10.1.2.3', 'not an IP address'],
    ['"*.runai.example.com"', 'must not contain "*"'],
    ['runai', 'single-label name'],
    [`${'a'.repeat(64)}.example.com`, 'DNS allows at most 63'],
    [Array(4).fill('a'.repeat(63)).join('.'), 'at most 251 are allowed'],
  ])('fails when clusterUrl is %s', (url, message) => {
    const lines = problems(`clusters:\n  - {name: a, clusterUrl: ${url}, tls: {source: existing}}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^runai-access\.yaml: clusters\[0\]\.clusterUrl: /);
    expect(lines[0]).toContain(message);
  });
  test('fails when runaiVersion is a bare number, quoting exactly what was written', () => {
    expect(problems(one('    runaiVersion: 2.20'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted string: YAML reads an unquoted 2.20 as a number; write runaiVersion: "2.20"',
    ]);
    expect(problems(one('    runaiVersion: 2.9'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted string: YAML reads an unquoted 2.9 as a number; write runaiVersion: "2.9"',
    ]);
    expect(problems('clusters:\n  - {name: a, clusterUrl: a.b, runaiVersion: 2.10, tls: {source: existing}}')).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted string: YAML reads an unquoted 2.10 as a number; write runaiVersion: "2.10"',
    ]);
  });
  test('fails when runaiVersion is a bare number that is no major.minor, saying what is allowed rather than to quote it', () => {
    expect(problems(one('    runaiVersion: 3'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: must be a quoted major.minor version such as "2.25", got 3 unquoted, which YAML reads as a number',
    ]);
    // Quoted as the message of a bare 3 once said, it is still no version.
    expect(problems(one('    runaiVersion: "3"'))).toEqual([
      expect.stringContaining('clusters[0].runaiVersion: "3" is not a Run:ai version'),
    ]);
  });
  test('the schema alone, without the source text, still says to quote the version', () => {
    const r = configSchema.safeParse({ clusters: [{ name: 'a', clusterUrl: 'a.b', runaiVersion: 2.2, tls: { source: 'existing' } }] });
    expect(r.success ? [] : r.error.issues.map((i) => i.message)).toEqual([
      'must be a quoted string such as "2.20", got the number 2.2: YAML reads an unquoted version as a number; quote it',
    ]);
  });
  test.each([
    [
      'a key indented deeper than the one above',
      'clusters:\n  - name: prod\n    clusterUrl: a.b\n     tls: {source: existing}\n',
      'line 4, column 6: is indented more than the key on line 3 (column 5); keys of one mapping start in the same column, so move it to column 5, or give line 3 no value to make this a nested mapping',
    ],
    [
      'a key indented less than its siblings',
      'clusters:\n  - name: prod\n    clusterUrl: a.b\n  tls: {source: existing}\n',
      'line 4, column 1: is not indented like the keys above it; keys of one mapping start in the same column',
    ],
    [
      'a list item key out of line',
      'clusters:\n  - name: prod\n   clusterUrl: a.b\n',
      'line 3, column 1: is not indented like the keys of the list item above it (after its "- "); keys of one mapping start in the same column',
    ],
  ])('fails on %s, pointing at the line to fix in plain words', (_what, yaml, line) => {
    expect(problems(yaml)).toEqual([`runai-access.yaml: ${line}`]);
  });
  test('fails when runaiVersion is not a version', () => {
    expect(problems(one('    runaiVersion: latest'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: "latest" is not a Run:ai version; use major.minor such as "2.20"',
    ]);
  });
  test.each([
    ['2.020', '2.20'],
    ['02.20', '2.20'],
    ['2.25.01', '2.25.1'],
  ])('fails when runaiVersion %s has a leading zero, which leaves the version in doubt', (given, plain) => {
    expect(problems(one(`    runaiVersion: "${given}"`))).toEqual([
      `runai-access.yaml: clusters[0].runaiVersion: "${given}" has a part with a leading zero, which Run:ai's versions do not have, ` +
        `so the version is in doubt; write it as Run:ai does, such as "${plain}"`,
    ]);
  });
  test.each([
    ['on OpenShift', '    platform: openshift\n    migration: {to: gateway-api, phase: 1}\n', 'is not used on OpenShift'],
    [
      'with exposure: gateway-api',
      '    exposure: gateway-api\n    gateway: {name: g, namespace: runai, className: k}\n    migration: {to: haproxy, phase: 1}\n',
      'is not used with exposure: gateway-api',
    ],
  ])('fails %s with the one line that refuses the migration, not its target or gateway too', (_name, lines, message) => {
    const cluster = `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    runaiVersion: "2.25"\n${lines}`;
    expect(problems(cluster).filter((p) => p.includes('migration') || p.includes('gateway:'))).toEqual([
      expect.stringContaining(`clusters[0].migration: ${message}`),
    ]);
  });
  test('takes "2.25.0", whose 0 is a part of its own, not a leading zero', () => {
    expect(problems(one('    runaiVersion: "2.25.0"'))).toEqual([]);
  });
  test('fails when runaiVersion is older than 2.9', () => {
    expect(problems(one('    runaiVersion: "2.8"'))).toEqual([
      'runai-access.yaml: clusters[0].runaiVersion: "2.8" is too old; host-based routing needs Run:ai 2.9 or later',
    ]);
  });
  test('fails when ingress is set for a legacy version, which creates no Ingress', () => {
    expect(problems(one('    runaiVersion: "2.12"\n    ingress: {className: nginx}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress: is not used with runaiVersion "2.12": before 2.13 the existing ingress is patched and no wildcard Ingress is created; remove ingress',
    ]);
  });
  test('fails when deployment is not saas or self-hosted', () => {
    expect(problems(one('    deployment: SaaS'))).toEqual(['runai-access.yaml: clusters[0].deployment: must be one of: saas, self-hosted']);
  });
  test('fails when ingress.className is not an IngressClass name', () => {
    expect(problems(one('    ingress: {className: Nginx}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.className: must be an IngressClass name (lower-case DNS subdomain), such as nginx',
    ]);
  });
  test('fails when an annotation value is not a string', () => {
    expect(problems(one('    ingress: {annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 0}}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.annotations.nginx.ingress.kubernetes.io/proxy-body-size: must be a string, got the number 0; quote the value',
    ]);
  });
  test('fails when an annotation key is not a Kubernetes key', () => {
    expect(problems(one('    ingress: {annotations: {"bad key": "x"}}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.annotations."bad key": must be an annotation key such as nginx.ingress.kubernetes.io/ssl-redirect' +
        ': its name may hold alphanumerics, "-", "_" and ".", and must start and end with an alphanumeric',
    ]);
  });
  test('fails when ingress has an unknown key', () => {
    expect(problems(one('    ingress: {class: nginx}'))).toEqual([
      'runai-access.yaml: clusters[0].ingress.class: unknown key; allowed keys here: controller, className, annotations',
    ]);
  });
  test('fails when tls is missing', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com}')).toEqual([
      'runai-access.yaml: clusters[0].tls: is required: where the wildcard certificate comes from ({source: files, certFile, keyFile}, {source: cert-manager, issuerRef}, ...)',
    ]);
  });
  test('fails when tls.source is unknown', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: vault}}')).toEqual([
      'runai-access.yaml: clusters[0].tls.source: must be one of: files, existing, cert-manager, sealed-secret, external-secret',
    ]);
  });
  test('fails when tls.source is missing', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {certFile: a.pem}}')).toEqual([
      'runai-access.yaml: clusters[0].tls.source: is required: one of files, existing, cert-manager, sealed-secret, external-secret',
    ]);
  });
  test.each(['sorce', 'Source'])('fails when tls.source is misspelt (%s): the line names the key it most likely is', (key) => {
    expect(
      problems(`clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {${key}: files, certFile: a.pem, keyFile: b.pem}}`),
    ).toEqual([
      'runai-access.yaml: clusters[0].tls.source: is required: one of files, existing, cert-manager, sealed-secret, external-secret; ' +
        `did you mean source for ${key}?`,
    ]);
  });
  test('fails when tls files has a misspelt keyFile: one line, the unknown key naming the right spelling, not also "keyFile: is required"', () => {
    expect(
      problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: files, certFile: a.pem, keyfile: b.pem}}'),
    ).toEqual([
      'runai-access.yaml: clusters[0].tls.keyfile: unknown key; did you mean keyFile? allowed keys here: source, certFile, keyFile, commitPlaintextKey',
    ]);
  });
  test('fails when a required key is missing and an unknown key beside it misspells another: both are said', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: files, keyfile: b.pem}}')).toEqual([
      'runai-access.yaml: clusters[0].tls.certFile: is required',
      'runai-access.yaml: clusters[0].tls.keyfile: unknown key; did you mean keyFile? allowed keys here: source, certFile, keyFile, commitPlaintextKey',
    ]);
  });
  test('fails when tls existing has file keys', () => {
    expect(problems('clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing, certFile: a.pem}}')).toEqual([
      'runai-access.yaml: clusters[0].tls.certFile: unknown key; allowed keys here: source',
    ]);
  });
  test('fails when subdomainSupport is not a boolean', () => {
    expect(problems(one('    subdomainSupport: "yes"'))).toEqual([
      'runai-access.yaml: clusters[0].subdomainSupport: must be true or false, got a string',
    ]);
  });
});
