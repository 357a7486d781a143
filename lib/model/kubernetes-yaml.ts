/**
 * YAML text as the Kubernetes tools read it. kubectl, Helm, Argo CD and Flux decode YAML with
 * sigs.k8s.io/yaml, that is go-yaml v2: YAML 1.1, where a plain `on`, `off`, `yes`, `no`, `y`,
 * `n` (any case), `1_000` or `0b1010` is a boolean or a number. The `yaml` library writes YAML
 * 1.2 by default and leaves those strings plain; written as YAML 1.1 they are quoted. cdk8s's own
 * `Yaml.stringify` does the same.
 */
import { stringify, ToStringOptions } from 'yaml';

export function kubernetesYaml(doc: unknown, options: Pick<ToStringOptions, 'lineWidth' | 'singleQuote'> = {}): string {
  return stringify(doc, { ...options, version: '1.1' });
}
