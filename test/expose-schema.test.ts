import { parseConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';

/** Problem lines (or warnings, prefixed) for a cluster with the given `expose` YAML lines. */
function check(expose: string): string[] {
  const yaml = `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n    expose:\n${expose}`;
  try {
    return parseConfig(yaml, 'c.yaml', '/').warnings.map((w) => `warning: ${w.path}: ${w.message} [${w.code}]`);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
}
const at = (i: number, rest: string) => `clusters[0].expose[${i}]${rest}`;

describe('expose: accepted forms', () => {
  test('normalizes port strings, objects and bare numbers, and applies the defaults', () => {
    const [cluster] = parseConfig(
      `clusters:
  - name: prod
    clusterUrl: runai.example.com
    tls: {source: existing}
    expose:
      - {project: team-a, workload: nb1, type: node-port, ports: ["8888", "8080:80", 9000, {port: 6006, targetPort: http, nodePort: 30001, name: tb}]}
`,
      'c.yaml',
      '/',
    ).clusters;
    expect(cluster.expose).toEqual([
      {
        project: 'team-a',
        workload: 'nb1',
        type: 'node-port',
        namespace: 'runai-team-a',
        selector: { release: 'nb1' },
        loadBalancerSourceRanges: [],
        ports: [
          { port: 8888, targetPort: 8888 },
          { port: 8080, targetPort: 80 },
          { port: 9000, targetPort: 9000 },
          { port: 6006, targetPort: 'http', nodePort: 30001, name: 'tb' },
        ],
      },
    ]);
  });

  test('takes a namespace and a selector', () => {
    const [cluster] = parseConfig(
      `clusters:
  - name: prod
    clusterUrl: runai.example.com
    tls: {source: existing}
    expose: [{project: a, workload: w, type: port-forward, ports: ["22"], namespace: lab, selector: {app.kubernetes.io/name: w, run.ai/job: w}}]
`,
      'c.yaml',
      '/',
    ).clusters;
    expect(cluster.expose[0]).toMatchObject({ namespace: 'lab', selector: { 'app.kubernetes.io/name': 'w', 'run.ai/job': 'w' } });
  });

  test('warns when a load balancer has no source ranges', () => {
    expect(check('      - {project: a, workload: tb, type: load-balancer, ports: ["6006"]}\n')).toEqual([
      'warning: clusters[0].expose[0]: load balancer runai-a/tb accepts any address, the internet included; set loadBalancerSourceRanges to limit it [expose-open-load-balancer]',
    ]);
    expect(
      check(
        '      - {project: a, workload: tb, type: load-balancer, ports: ["6006"], loadBalancerSourceRanges: [10.0.0.0/8, "2001:db8::/32"]}\n',
      ),
    ).toEqual([]);
  });
  test.each(['0.0.0.0/0', '::/0'])('warns when a load balancer has the source range %s, which admits every address', (range) => {
    expect(
      check(
        `      - {project: a, workload: tb, type: load-balancer, ports: ["6006"], loadBalancerSourceRanges: [10.0.0.0/8, "${range}"]}\n`,
      ),
    ).toEqual([
      `warning: clusters[0].expose[0]: load balancer runai-a/tb accepts any address, the internet included (its source range ${range}); give narrower ranges [expose-open-load-balancer]`,
    ]);
  });
});

describe('expose rules', () => {
  const one = (fields: string) => check(`      - {project: team-a, workload: nb1, ${fields}}\n`);

  test('fails when a port is out of range', () => {
    expect(one('type: node-port, ports: ["70000"]')).toEqual([
      `${at(0, '.ports[0]')}: "70000" is not a port: use "8888", "8080:80" (Service port:container port, 1-65535) or {port: 8080, targetPort: 80}`,
    ]);
    expect(one('type: node-port, ports: [{port: 0}]')).toEqual([
      `${at(0, '.ports[0].port')}: must be the Service port, a whole number from 1 to 65535`,
    ]);
    expect(one('type: node-port, ports: ["8080:0"]')[0]).toMatch(/is not a port/);
  });
  test('fails when a port string has a leading zero, giving the form to write', () => {
    expect(one('type: port-forward, ports: ["080:0080", "0443"]')).toEqual([
      `${at(0, '.ports[0]')}: "080:0080" has a port with a leading zero; write "80:80"`,
      `${at(0, '.ports[1]')}: "0443" has a port with a leading zero; write "443"`,
    ]);
  });
  test('fails when a port string is not a port', () => {
    expect(one('type: node-port, ports: ["http"]')[0]).toBe(
      `${at(0, '.ports[0]')}: "http" is not a port: use "8888", "8080:80" (Service port:container port, 1-65535) or {port: 8080, targetPort: 80}`,
    );
  });
  test('fails on a misspelt key of the object form by naming it, not the port it leaves missing', () => {
    expect(one('type: node-port, ports: [{prt: 80}]')).toEqual([
      `${at(0, '.ports[0]')}: prt: unknown key; did you mean port? allowed keys here: port, targetPort, nodePort, name`,
    ]);
  });
  test('fails on two misspelt keys of the object form by naming, for each, the key it most likely means', () => {
    expect(one('type: node-port, ports: [{prt: 80, targtPort: 8080}]')).toEqual([
      `${at(0, '.ports[0]')}: prt, targtPort: unknown key; did you mean port for prt, targetPort for targtPort? allowed keys here: port, targetPort, nodePort, name`,
    ]);
  });
  test('fails inside the object form with one line that says what is wrong there', () => {
    expect(
      one('type: node-port, ports: [{port: 80.5}, {port: 81, nodePort: 99999999999999999999}, {port: 82, targetPort: HTTP_x}]'),
    ).toEqual([
      `${at(0, '.ports[0]')}: port: must be the Service port, a whole number from 1 to 65535`,
      `${at(0, '.ports[1]')}: nodePort: must be a whole number from 30000 to 32767, the NodePort range`,
      `${at(0, '.ports[2].targetPort')}: must be a port number from 1 to 65535, or a named port such as http: at most 15 lower-case letters, digits and -, with a letter, no two - together and none at either end`,
    ]);
  });
  test("fails when a named targetPort has two hyphens in a row, which Kubernetes' IANA_SVC_NAME refuses, and takes one", () => {
    const text =
      'must be a port number from 1 to 65535, or a named port such as http: at most 15 lower-case letters, digits and -, with a letter, ' +
      'no two - together and none at either end';
    expect(one('type: node-port, ports: [{port: 80, targetPort: a--b}]')).toEqual([`${at(0, '.ports[0].targetPort')}: ${text}`]);
    expect(one('type: node-port, ports: [{port: 80, targetPort: a-b}]')).toEqual([]);
  });
  test('fails with one line per bad port string, and no second one about a port NaN', () => {
    expect(one('type: node-port, ports: ["99999999999999999999:1", "1e3", "80:"]')).toEqual(
      ['"99999999999999999999:1"', '"1e3"', '"80:"'].map(
        (v, i) =>
          `${at(0, `.ports[${i}]`)}: ${v} is not a port: use "8888", "8080:80" (Service port:container port, 1-65535) or {port: 8080, targetPort: 80}`,
      ),
    );
  });
  test('fails when a nodePort is a fraction, inside the range: the message says whole (it said the range only)', () => {
    expect(one('type: node-port, ports: [{port: 80, nodePort: 30000.5}]')).toEqual([
      `${at(0, '.ports[0]')}: nodePort: must be a whole number from 30000 to 32767, the NodePort range`,
    ]);
  });
  test('fails when a nodePort is outside 30000-32767', () => {
    expect(one('type: node-port, ports: [{port: 80, nodePort: 8080}]')).toEqual([
      `${at(0, '.ports[0].nodePort')}: must be a whole number from 30000 to 32767, the NodePort range`,
    ]);
  });
  test('fails when the selector is empty: a Service without a selector reaches no pods', () => {
    expect(one('type: port-forward, ports: ["22"], selector: {}')).toEqual([
      `${at(0, '.selector')}: must name at least one pod label, such as {release: <workload>} (the default): a Service with no selector reaches no pods`,
    ]);
  });
  test('fails when a nodePort is given for a type without node ports', () => {
    expect(one('type: port-forward, ports: [{port: 80, nodePort: 30080}]')).toEqual([
      `${at(0, '.ports[0].nodePort')}: is only for type node-port or load-balancer, not port-forward`,
    ]);
  });
  test('fails when a nodePort is used twice in the cluster', () => {
    expect(
      check(`      - {project: a, workload: w1, type: node-port, ports: [{port: 80, nodePort: 30080}]}
      - {project: b, workload: w2, type: node-port, ports: [{port: 81, nodePort: 30080}]}
`),
    ).toEqual([`${at(1, '.ports[0].nodePort')}: 30080 is already used by expose[0].ports[0]; node ports are unique in a cluster`]);
  });
  test('fails when the project is not a DNS label', () => {
    expect(check('      - {project: Team_A, workload: nb1, type: node-port, ports: ["80"]}\n')).toEqual([
      `${at(0, '.project')}: must be a Run:ai project name: a DNS label such as team-a`,
    ]);
  });
  test('fails when the workload is not a DNS-1035 label (it names the Service)', () => {
    expect(check('      - {project: a, workload: 1nb, type: node-port, ports: ["80"]}\n')).toEqual([
      `${at(0, '.workload')}: must be a DNS-1035 label (it names the Service): a-z, 0-9 and "-", starting with a letter`,
    ]);
  });
  test('fails when a port name is not a DNS label or is used twice', () => {
    expect(one('type: node-port, ports: [{port: 80, name: HTTP}]')).toEqual([
      `${at(0, '.ports[0].name')}: must be a DNS label such as http`,
    ]);
    expect(one('type: node-port, ports: [{port: 80, name: web}, {port: 81, name: web}]')).toEqual([
      `${at(0, '.ports[1].name')}: "web" is already the name of ports[0]`,
    ]);
  });
  test('fails when a port without a name gets the name tcp-<port> that another port has (the API server refuses it)', () => {
    expect(one('type: node-port, ports: [{port: 80, name: tcp-6006}, "6006"]')).toEqual([
      `${at(0, '.ports[1]')}: is named tcp-6006, as a port without a name is, which is already the name of ports[0]; name one of them`,
    ]);
    expect(one('type: node-port, ports: [{port: 80, name: tcp-81}]')).toEqual([]);
  });
  test('fails when a Service port is listed twice', () => {
    expect(one('type: node-port, ports: ["80", "80:8080"]')).toEqual([`${at(0, '.ports[1]')}: Service port 80 is already ports[0]`]);
  });
  test('fails when there are no ports', () => {
    expect(one('type: node-port, ports: []')).toEqual([`${at(0, '.ports')}: must list at least one port`]);
  });
  test('fails when the type is unknown', () => {
    expect(one('type: nodeport, ports: ["80"]')).toEqual([
      `${at(0, '.type')}: must be one of: port-forward, node-port, load-balancer, subdomain`,
    ]);
  });
  test('fails when <project>-<workload> does not fit one DNS label for subdomain', () => {
    const workload = `w${'x'.repeat(56)}`;
    expect(check(`      - {project: team-a, workload: ${workload}, type: subdomain, ports: ["80"]}\n`)).toEqual([
      `${at(0, '.workload')}: the subdomain team-a-${workload} is 64 characters; <project>-<workload> must fit one DNS label (63)`,
    ]);
  });
  test('fails when a subdomain entry has more than one port', () => {
    expect(one('type: subdomain, ports: ["80", "81"]')).toEqual([
      `${at(0, '.ports')}: must hold exactly one port for type subdomain, which routes https://<project>-<workload>.<clusterUrl>/ to it`,
    ]);
  });
  test('fails when two entries are one Service', () => {
    expect(
      check(`      - {project: a, workload: w, type: node-port, ports: ["80"]}
      - {project: a, workload: w, type: port-forward, ports: ["22"]}
`),
    ).toEqual([`${at(1, '.workload')}: Service runai-a/w is already expose[0]; give each workload one entry`]);
  });
  test('fails when two subdomain entries share a host (a-b + c and a + b-c)', () => {
    expect(
      check(`      - {project: a-b, workload: c, type: subdomain, ports: ["80"]}
      - {project: a, workload: b-c, type: subdomain, ports: ["80"]}
`),
    ).toEqual([`${at(1, '.workload')}: subdomain a-b-c is already the subdomain of expose[0]`]);
  });
  test('fails when source ranges are given for another type, or are not CIDRs', () => {
    expect(one('type: node-port, ports: ["80"], loadBalancerSourceRanges: [10.0.0.0/8]')).toEqual([
      `${at(0, '.loadBalancerSourceRanges')}: is only for type load-balancer, not node-port`,
    ]);
    expect(one('type: load-balancer, ports: ["80"], loadBalancerSourceRanges: [10.0.0.0/33, office]')).toEqual([
      `${at(0, '.loadBalancerSourceRanges[0]')}: "10.0.0.0/33" is not a CIDR; use an address and prefix such as 10.0.0.0/8 or 2001:db8::/32`,
      `${at(0, '.loadBalancerSourceRanges[1]')}: "office" is not a CIDR; use an address and prefix such as 10.0.0.0/8 or 2001:db8::/32`,
    ]);
  });
  test.each([
    ['10.0.0.1/8', '10.0.0.0/8', '10.0.0.1/32'],
    ['192.168.7.200/25', '192.168.7.128/25', '192.168.7.200/32'],
    ['2001:db8::1/32', '2001:db8::/32', '2001:db8::1/128'],
    ['2001:0db8:0:0:0:0:ff00:42/64', '2001:db8::/64', '2001:0db8:0:0:0:0:ff00:42/128'],
  ])(
    'fails when the source range %s has address bits past its prefix, naming the network and the one address',
    (given, network, single) => {
      expect(one(`type: load-balancer, ports: ["80"], loadBalancerSourceRanges: ["${given}"]`)).toEqual([
        `${at(0, '.loadBalancerSourceRanges[0]')}: "${given}" has address bits past its /${given.split('/')[1]} prefix: write ${network} ` +
          `for the network, or ${single} for the one address`,
      ]);
    },
  );
  test('takes source ranges that name their network, written as Kubernetes takes them: 10.0.0.0/8, 203.0.113.7/32, 2001:db8::/32, fe80::1/128', () => {
    expect(
      one('type: load-balancer, ports: ["80"], loadBalancerSourceRanges: [10.0.0.0/8, 203.0.113.7/32, "2001:db8::/32", "fe80::1/128"]'),
    ).toEqual([]);
  });
  test.each([
    ['10.0.0.0/08', 'is not written the way Kubernetes takes it: write 10.0.0.0/8'],
    ['2001:DB8::/32', 'is not written the way Kubernetes takes it: write 2001:db8::/32'],
    ['2001:db8:0:0::/64', 'is not written the way Kubernetes takes it: write 2001:db8::/64'],
    ['::ffff:10.0.0.0/104', 'is an IPv4-mapped IPv6 range, which Kubernetes does not take: give the IPv4 range instead'],
  ])('fails when the source range %s is not in the form Kubernetes takes, naming it', (given, message) => {
    expect(one(`type: load-balancer, ports: ["80"], loadBalancerSourceRanges: ["${given}"]`)).toEqual([
      `${at(0, '.loadBalancerSourceRanges[0]')}: "${given}" ${message}`,
    ]);
  });
  test('fails when a source range has an IPv6 zone, which Go (the API server) does not parse, and takes IPv6 without one', () => {
    expect(one('type: load-balancer, ports: ["80"], loadBalancerSourceRanges: ["fe80::1%eth0/64", "fe80::/64"]')).toEqual([
      `${at(0, '.loadBalancerSourceRanges[0]')}: <15 characters of text, not shown> is not a CIDR; use an address and prefix such as 10.0.0.0/8 or 2001:db8::/32`,
    ]);
  });
  test('takes a Service port name of up to 63 characters, a DNS label (not the 15 of a container port name)', () => {
    expect(one(`type: node-port, ports: [{port: 80, name: ${'p'.repeat(63)}}]`)).toEqual([]);
    expect(one(`type: node-port, ports: [{port: 80, name: ${'p'.repeat(64)}}]`)).toEqual([
      `${at(0, '.ports[0].name')}: must be at most 63 characters`,
    ]);
  });
  test('fails when a selector key or value is not a label', () => {
    expect(one('type: node-port, ports: ["80"], selector: {"bad key": x}')).toEqual([
      `${at(0, '.selector."bad key"')}: must be a label key such as app.kubernetes.io/name: its name may hold alphanumerics, "-", "_" and ".", and must start and end with an alphanumeric`,
    ]);
    expect(one('type: node-port, ports: ["80"], selector: {app: "a b"}')).toEqual([
      `${at(0, '.selector.app')}: must be a label value: empty, or at most 63 alphanumerics, "-", "_" and ".", starting and ending alphanumeric`,
    ]);
  });
  test('fails when the project makes the default namespace too long', () => {
    const project = 'p'.repeat(58);
    expect(check(`      - {project: ${project}, workload: w, type: node-port, ports: ["80"]}\n`)).toEqual([
      `${at(0, '.project')}: makes the namespace runai-${project} longer than 63 characters; shorten it or set namespace`,
    ]);
  });
  test('fails when an entry has an unknown key', () => {
    expect(one('type: node-port, ports: ["80"], port: 80')).toEqual([
      `${at(0, '.port')}: unknown key; did you mean ports? allowed keys here: project, workload, type, ports, namespace, selector, loadBalancerSourceRanges`,
    ]);
  });
});
