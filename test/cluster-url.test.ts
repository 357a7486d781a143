import { App } from 'cdk8s';

import { Platform, Routing, RunaiAccessChart, RunaiVersion, ValidationError } from '../lib';
import { parseClusterUrl, requireHost, wildcardHost } from '../lib/model/cluster-url';

function host(input: string): string {
  const r = parseClusterUrl(input);
  if (!r.ok) throw new Error(`refused ${input}: ${r.message}`);
  return r.host;
}

function refusal(input: string): string {
  const r = parseClusterUrl(input);
  if (r.ok) throw new Error(`accepted ${input} as ${r.host}`);
  return r.message;
}

describe('parseClusterUrl', () => {
  test.each([
    ['runai.example.com', 'runai.example.com'],
    ['https://runai.example.com/', 'runai.example.com'],
    ['https://runai.example.com', 'runai.example.com'],
    ['HTTPS://RunAI.Example.COM/', 'runai.example.com'],
    ['runai.example.com/', 'runai.example.com'],
    ['a-1.b2.example', 'a-1.b2.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(host(input)).toBe(expected);
  });

  test('accepts a label of exactly 63 characters', () => {
    expect(host(`${'a'.repeat(63)}.example.com`)).toBe(`${'a'.repeat(63)}.example.com`);
  });

  test('accepts a name of 251 characters, so that *.<name> is 253', () => {
    const name = [61, 63, 63, 61].map((n) => 'a'.repeat(n)).join('.');
    expect(name).toHaveLength(251);
    expect(wildcardHost(host(name))).toHaveLength(253);
  });

  test('fails when the scheme is http', () => {
    expect(refusal('http://runai.example.com/')).toMatch(/scheme "http:\/\/" is not allowed/);
  });
  test('fails when there is a port', () => {
    expect(refusal('https://runai.example.com:8443/')).toMatch(/must not have a port/);
    expect(refusal('runai.example.com:443')).toMatch(/must not have a port/);
  });
  test('fails when there is a path', () => {
    expect(refusal('https://runai.example.com/runai')).toMatch(/must not have a path \(got "\/runai"\)/);
  });
  test('fails when there is a query', () => {
    expect(refusal('https://runai.example.com/?a=b')).toMatch(/must not have a query/);
  });
  test('fails when there is a fragment', () => {
    expect(refusal('runai.example.com#x')).toMatch(/must not have a fragment/);
  });
  test('fails when there is user info', () => {
    expect(refusal('https://me@runai.example.com/')).toMatch(/must not contain user info/);
  });
  test('fails when it is an IPv4 address', () => {
    expect(refusal('10.0.0.1')).toMatch(/not an IP address/);
  });
  test('fails when it is an IPv6 address, with or without its brackets (not "a port")', () => {
    expect(refusal('https://[::1]/')).toMatch(/not an IP address/);
    expect(refusal('2001:db8::1')).toMatch(/not an IP address/);
    expect(refusal('https://2001:db8::1/')).toMatch(/not an IP address/);
  });
  test.each(['${CLUSTER_URL}', '$CLUSTER_URL', '%CLUSTER_URL%', 'runai.${DOMAIN}'])(
    'fails when it is a variable (%s): the config expands none',
    (given) => {
      expect(refusal(given)).toBe(
        'holds "$", "%" or braces: variables are not expanded in the config; write the host name itself, such as runai.example.com',
      );
    },
  );
  test('fails when an xn-- label is not valid punycode; a valid one passes', () => {
    expect(refusal('xn--zz.example.com')).toBe('label "xn--zz" is not valid punycode (xn--); give the name as your DNS holds it');
    expect(host('runai.xn--bcher-kva.example')).toBe('runai.xn--bcher-kva.example');
    // The label at fault, not the first xn-- one.
    expect(refusal('xn--bcher-kva.xn--zz.com')).toBe('label "xn--zz" is not valid punycode (xn--); give the name as your DNS holds it');
  });
  test('fails when it contains a wildcard', () => {
    expect(refusal('*.runai.example.com')).toMatch(/must not contain "\*"/);
  });
  test('fails when it is a single label', () => {
    expect(refusal('runai')).toBe('is a single-label name; give a fully qualified name such as runai.example.com');
  });
  test('fails when requireHost is given a single label, naming the value once', () => {
    expect(() => requireHost('clusterUrl', 'runai')).toThrow(
      'clusterUrl: "runai" must be a lower-case host name such as runai.example.com; it is a single-label name; give a fully qualified name such as runai.example.com',
    );
  });
  test('fails when requireHost is given an empty value, saying the rule once', () => {
    expect(() => requireHost('clusterUrl', '')).toThrow(
      new ValidationError('clusterUrl: must be a lower-case host name such as runai.example.com, got ""'),
    );
  });
  test.each([
    ['path routing', { routing: Routing.PATH }],
    ['OpenShift', { platform: Platform.OPENSHIFT }],
  ])('fails when the chart is given a clusterUrl that is no host name, with %s too (it puts it in no object there)', (_, props) => {
    for (const [clusterUrl, message] of [
      [
        'not a host!',
        'clusterUrl: <11 characters of text, not shown> must be a lower-case host name such as runai.example.com; it must not contain white space; give a host name such as runai.example.com',
      ],
      ['Runai.Example.com', 'clusterUrl: "Runai.Example.com" must be a lower-case host name such as runai.example.com'],
    ])
      expect(() => new RunaiAccessChart(new App(), 'c', { clusterUrl, runaiVersion: RunaiVersion.parse('2.25'), ...props })).toThrow(
        new ValidationError(message),
      );
  });
  test('fails when a label is longer than 63 characters', () => {
    expect(refusal(`${'a'.repeat(64)}.example.com`)).toMatch(/is 64 characters; DNS allows at most 63/);
  });
  test('fails when the name is longer than 251 characters', () => {
    const name = [62, 63, 63, 61].map((n) => 'a'.repeat(n)).join('.');
    expect(refusal(name)).toMatch(/is 252 characters; at most 251 are allowed/);
  });
  test('fails when a label has a character DNS does not allow', () => {
    expect(refusal('run_ai.example.com')).toMatch(/label "run_ai" is not a DNS label/);
    expect(refusal('-runai.example.com')).toMatch(/label "-runai" is not a DNS label/);
  });
  test('fails when a label is empty', () => {
    expect(refusal('runai..example.com')).toMatch(/empty label/);
  });
  test('fails when it ends with a dot', () => {
    expect(refusal('runai.example.com.')).toMatch(/must not end with a dot/);
  });
  test('fails when it is empty', () => {
    expect(refusal('https://')).toMatch(/must be a host name/);
  });
  test('fails when it contains white space', () => {
    expect(refusal('runai .example.com')).toMatch(/must not contain white space/);
  });
  test('fails when the last label is all digits', () => {
    expect(refusal('runai.123')).toMatch(/last label cannot be all digits/);
  });
});
