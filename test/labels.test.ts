import { ANNOTATION_KEY } from '../lib/model/dns-names';
import { annotationKeyProblem, labelKeyProblem, labelValueProblem } from '../lib/model/labels';

const SHAPE = 'must be a label key such as app.kubernetes.io/name';

/**
 * The cases of Kubernetes' own tests: kubernetes/apimachinery pkg/api/validate/content/kube_test.go
 * (TestIsLabelKey, TestIsLabelValue), commit eed236ceee2c19c2753a3d93ac0631dc20750454.
 */
describe('label keys and values: the cases of Kubernetes own tests', () => {
  test.each([
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes',
    'now.with.dots/simple',
    'now-with.dashes-and.dots/simple',
    '1-num.2-num/3-num',
    '1234/5678',
    '1.2.3.4/5678',
    'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo',
    'a'.repeat(63),
    `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ])('accepts the key %s', (key) => {
    expect(labelKeyProblem(key, SHAPE)).toBeUndefined();
  });
  test.each([
    'nospecialchars%^=@',
    'cantendwithadash-',
    '-cantstartwithadash-',
    'only/one/slash',
    'Example.com/abc',
    'example_com/abc',
    'example.com/',
    '/simple',
    'a'.repeat(64),
    `${'a'.repeat(254)}/abc`,
  ])('fails when the key is %s', (key) => {
    expect(labelKeyProblem(key, SHAPE)).toMatch(/^must be a label key such as app.kubernetes.io\/name/);
  });
  test.each(['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), ''])(
    'accepts the value "%s"',
    (value) => {
      expect(labelValueProblem(value)).toBeUndefined();
    },
  );
  test.each([
    'nospecialchars%^=@',
    'Tama-nui-te-rā.is.Māori.sun',
    '\\backslashes\\are\\bad',
    '-starts-with-dash',
    'ends-with-dash-',
    '.starts.with.dot',
    'ends.with.dot.',
    'a'.repeat(64),
  ])('fails when the value is %s', (value) => {
    expect(labelValueProblem(value)).toMatch(/^must be a label value: empty, or at most 63/);
  });
});

describe('label key messages name the part that is wrong', () => {
  test('fails when the name part is longer than 63 characters', () => {
    expect(labelKeyProblem('a'.repeat(64), SHAPE)).toBe(`${SHAPE}: its name is 64 characters; at most 63 are allowed`);
    expect(labelKeyProblem(`x.com/${'a'.repeat(64)}`, SHAPE)).toBe(
      `${SHAPE}: its name (after "/") is 64 characters; at most 63 are allowed`,
    );
  });
  test('fails when the prefix is not a DNS subdomain', () => {
    expect(labelKeyProblem('a..b/c', SHAPE)).toBe(
      `${SHAPE}: its prefix (before "/") must be a DNS subdomain: lower-case a-z, 0-9, "-" and ".", each dot-separated part starting and ending with a letter or digit`,
    );
  });
  test('fails when the prefix is longer than 253 characters', () => {
    expect(labelKeyProblem(`${'b'.repeat(254)}/c`, SHAPE)).toBe(
      `${SHAPE}: its prefix (before "/") is 254 characters; at most 253 are allowed`,
    );
  });
  test('fails when the prefix or the name is empty, or there are two "/"', () => {
    expect(labelKeyProblem('/c', SHAPE)).toBe(
      `${SHAPE}: its prefix (before "/") is empty; leave the "/" out, or give a DNS subdomain such as example.com`,
    );
    expect(labelKeyProblem('x.com/', SHAPE)).toBe(`${SHAPE}: its name (after "/") is empty`);
    expect(labelKeyProblem('a/b/c', SHAPE)).toBe(`${SHAPE}: it has more than one "/"; only a prefix and a name, such as example.com/name`);
  });
  test('fails when the name has a character not allowed, or starts or ends with one that may not, saying what it may hold', () => {
    const rule = 'may hold alphanumerics, "-", "_" and ".", and must start and end with an alphanumeric';
    expect(labelKeyProblem('bad key', SHAPE)).toBe(`${SHAPE}: its name ${rule}`);
    expect(labelKeyProblem('example.com/_x', SHAPE)).toBe(`${SHAPE}: its name (after "/") ${rule}`);
    expect(labelKeyProblem('x.', SHAPE)).toBe(`${SHAPE}: its name ${rule}`);
  });
  test('fails when a label value is longer than 63 characters, and says the rule', () => {
    expect(labelValueProblem('v'.repeat(64))).toBe(
      'must be a label value: empty, or at most 63 alphanumerics, "-", "_" and ".", starting and ending alphanumeric (this one is 64 characters)',
    );
  });
});

test("the JSON Schema's annotation key pattern agrees with the API server's rule, capitals in the prefix included", () => {
  const keys = [
    'Example.com/Owner',
    'example.com/owner',
    'a..b/c',
    'x',
    'Foo',
    'bad key',
    'x.',
    'example.com/_x',
    'A-.b/c',
    `${'b'.repeat(254)}/c`,
  ];
  const verdicts = keys.map((k) => [k, ANNOTATION_KEY.test(k), annotationKeyProblem(k, 'shape') === undefined]);
  expect(verdicts.filter(([, pattern, rule]) => pattern !== rule)).toEqual([]);
  expect(new Set(verdicts.map(([, , rule]) => rule))).toEqual(new Set([true, false]));
});

describe('the key cdk8s cannot write, though the API server takes it', () => {
  const REFUSED =
    '"constructor" is a name cdk8s, which renders the manifests, cannot take; choose another, such as example.com/constructor';
  test('fails when a label or annotation key is constructor, with a prefixed key as the way out', () => {
    expect(labelKeyProblem('constructor', SHAPE)).toBe(REFUSED);
    expect(annotationKeyProblem('constructor', SHAPE)).toBe(REFUSED);
  });
  test('takes the same word with a prefix or capitals, which cdk8s renders', () => {
    expect(labelKeyProblem('example.com/constructor', SHAPE)).toBeUndefined();
    expect(annotationKeyProblem('Constructor', SHAPE)).toBeUndefined();
  });
});
