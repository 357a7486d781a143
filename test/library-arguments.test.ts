/**
 * The library's functions, called from JavaScript with arguments of the wrong kind: each throws a
 * ValidationError naming the argument (or, for run and runAsync, prints where the CLI does)
 * instead of a TypeError from deep inside.
 */
import {
  brokenRules,
  ClusterSpec,
  ControlPlane,
  ExposeType,
  IngressController,
  Io,
  loadConfig,
  Migration,
  parseConfig,
  Platform,
  profileFor,
  Routing,
  RoutingApi,
  RunaiVersion,
  runAsync,
  runDoctor,
  ValidationError,
} from '../lib';
import { oneExisting, tempDir, writeConfig } from './helpers';

const anyArg = (v: unknown) => v as never;

test('profileFor takes a RunaiVersion or its text, and fails naming both for anything else', () => {
  expect(profileFor('2.20').profile.id).toBe('2.18-2.24');
  expect(profileFor(RunaiVersion.parse('2.20')).profile.id).toBe('2.18-2.24');
  expect(() => profileFor(anyArg(2.2))).toThrow(
    new ValidationError('version: must be a RunaiVersion (RunaiVersion.parse("2.25")) or its text, such as "2.25"'),
  );
  expect(() => profileFor('2.2x')).toThrow(ValidationError);
});

test('brokenRules fails naming its input when it is not a RuleInput', () => {
  for (const input of [undefined, {}, { given: {} }]) {
    expect(() => brokenRules(anyArg(input))).toThrow(
      new ValidationError(
        'brokenRules: input must be a RuleInput: an object with given (which settings are given) and exposeTypes (a list)',
      ),
    );
  }
});

test('brokenRules fails when runaiVersion is text: the rules of a legacy release would pass unread', () => {
  const input = { given: { tls: true, ingress: true }, exposeTypes: [], runaiVersion: anyArg('2.10') };
  expect(() => brokenRules(anyArg(input))).toThrow(
    new ValidationError('brokenRules: runaiVersion must be a RunaiVersion (RunaiVersion.parse("2.20")), or left out'),
  );
  expect(brokenRules(anyArg({ ...input, runaiVersion: RunaiVersion.parse('2.10') })).map((b) => b.path.join('.'))).toEqual(['ingress']);
});

test('the enum-like classes refuse a name they do not have, rather than read it as another member', () => {
  expect(Platform.of('openshift')).toBe(Platform.OPENSHIFT);
  const cases: [() => unknown, string][] = [
    [() => Platform.of(anyArg('OpenShift')), 'Platform.of: "OpenShift" is not one of: kubernetes, openshift'],
    [() => Routing.of(anyArg('Path')), 'Routing.of: "Path" is not one of: host, path'],
    [() => RoutingApi.of(anyArg('gateway')), 'RoutingApi.of: "gateway" is not one of: ingress, gateway-api'],
    [() => ControlPlane.of(anyArg('SaaS')), 'ControlPlane.of: "SaaS" is not one of: saas, self-hosted'],
    [
      () => IngressController.of(anyArg('nginx-ingress')),
      'IngressController.of: "nginx-ingress" is not one of: nginx, haproxy, traefik, other',
    ],
    [() => ExposeType.of(anyArg(undefined)), 'ExposeType.of: nothing is not one of: port-forward, node-port, load-balancer, subdomain'],
  ];
  for (const [call, message] of cases) expect(call).toThrow(new ValidationError(message));
});

test('parseConfig fails naming the arguments that are no text', () => {
  expect(() => parseConfig('x: [', anyArg(undefined), anyArg(undefined))).toThrow(
    new ValidationError('source, baseDir: must be a string (parseConfig(text, source file name, folder its paths are relative to))'),
  );
});

test('a missing version or migration setting is "nothing", not "a undefined"', () => {
  expect(() => RunaiVersion.parse(anyArg(undefined))).toThrow(
    new ValidationError('runaiVersion: must be a string such as "2.20", got nothing'),
  );
  expect(() => Migration.of(anyArg(undefined), anyArg(undefined))).toThrow(
    new ValidationError(
      'migration.to: must be one of: haproxy, traefik, gateway-api, got nothing; migration.phase: must be 1, 2 or 3, got nothing',
    ),
  );
});

test('Migration.of refuses a className that is no IngressClass name, naming migration.className (the chart blamed ingressClassName)', () => {
  expect(() => Migration.of('haproxy', 1, 'Bad_Class')).toThrow(
    new ValidationError('migration.className: "Bad_Class" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx'),
  );
  expect(() => Migration.of('haproxy', 1, anyArg(42))).toThrow(
    new ValidationError('migration.className: must be a string such as haproxy, got 42'),
  );
  expect(() => Migration.of('haproxy', 1, anyArg(null))).toThrow(
    new ValidationError('migration.className: must be a string such as haproxy, got null'),
  );
  expect(Migration.of('haproxy', 1, 'n42-gateway').ingressClassName).toBe('n42-gateway');
});

test('runDoctor rejects a cluster given by name or as its config entry, naming what it takes', async () => {
  const entry = { name: 'prod', clusterUrl: 'runai.example.com' };
  for (const cluster of ['prod', entry]) {
    await expect(runDoctor({ cluster: anyArg(cluster), outDir: 'dist' })).rejects.toThrow(
      new ValidationError('cluster: must be a ClusterSpec, one of loadConfig(file).clusters (not its name or its config entry)'),
    );
  }
  const spec: ClusterSpec = loadConfig(writeConfig(tempDir(), oneExisting())).clusters[0];
  expect(spec.name).toBe('prod');
});

test('runAsync and run without io print to the process streams, as the CLI does; an io without stderr too', async () => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((t) => written.push(String(t)) > 0);
  try {
    expect(await runAsync(['--help'])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  expect(written.join('')).toMatch(/^usage: runai-access <command>/);
  const errors: string[] = [];
  const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((t) => errors.push(String(t)) > 0);
  const io: Partial<Io> = { stdout: { write: () => true } };
  try {
    expect(await runAsync(['validate', '--config', 'missing.yaml'], anyArg(io))).toBe(2);
  } finally {
    errSpy.mockRestore();
  }
  expect(errors.join('')).toMatch(/^missing\.yaml: does not exist/);
});
