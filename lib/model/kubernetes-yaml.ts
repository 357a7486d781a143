/**
 * YAML text as the Kubernetes tools read it. kubectl, Helm, Argo CD and Flux decode YAML with
 * sigs.k8s.io/yaml, that is go-yaml v2: YAML 1.1, where a plain `on`, `off`, `yes`, `no`, `y`,
 * `n` (any case) is a boolean, and a plain scalar that Go's number parsers take (after go-yaml
 * drops every `_`) is a number: `1_000`, `0o17`, `0X1F`, `+0b1`, `1e0_1`. The `yaml` library
 * writes YAML 1.2 by default and leaves those strings plain; written as YAML 1.1 it quotes the
 * words and the numbers YAML 1.1 itself defines (cdk8s's own `Yaml.stringify` does the same),
 * and every other string go-yaml would read as a number is quoted here.
 */
import { Document, Scalar, ToStringOptions, visit } from 'yaml';

/**
 * go-yaml v2's `resolve` for a plain scalar that starts with a digit, a sign or a dot: with every
 * `_` removed, Go's `strconv.ParseInt(s, 0, 64)` (a sign, then decimal, or `0x`, `0o`, `0b` in
 * either case, or a leading `0` for octal), `ParseUint`, go-yaml's own `0b` form, or its float
 * pattern `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
 */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** True when go-yaml v2 reads the plain scalar `text` as a number. */
export function goReadsAsNumber(text: string): boolean {
  if (!/^[-+.0-9]/.test(text)) return false;
  const plain = text.replace(/_/g, '');
  return GO_INT.test(plain) || GO_FLOAT.test(plain);
}

export function kubernetesYaml(doc: unknown, options: Pick<ToStringOptions, 'lineWidth' | 'singleQuote'> = {}): string {
  const document = new Document(doc, { version: '1.1' });
  const quoted = options.singleQuote ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
  visit(document, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && goReadsAsNumber(node.value)) node.type = quoted;
    },
  });
  return document.toString(options);
}
