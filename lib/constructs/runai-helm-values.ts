/**
 * The Run:ai cluster's Helm values fragment (`helm/runai-cluster-values.yaml`): the settings a
 * Helm-managed Run:ai takes through its release values rather than a RunaiConfig overlay.
 */
import { Construct } from 'constructs';

import { shown, ValidationError } from '../model/errors';
import { kubernetesYaml } from '../model/kubernetes-yaml';
import { HELM_VALUES_PATH } from '../model/output-layout';
import { GENERATED_HEADER, IFileProducer, OutputFile } from './output-file';
import { checkPropTypes, optional, PropKinds } from './prop-types';

/** Props of {@link RunaiHelmValues}. */
export interface RunaiHelmValuesProps {
  /** The values to merge into the Run:ai cluster release, such as `{clusterConfig: {global: {subdomainSupport: true}}}`. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * The file, relative to the cluster folder.
   * @default RunaiHelmValues.PATH, the cluster release's values
   */
  readonly path?: string;
  /**
   * The release the values are for, as the file's comment names it.
   * @default 'the Run:ai cluster release'
   */
  readonly release?: string;
}

/**
 * A values fragment for the Run:ai cluster Helm release: where Run:ai is installed and upgraded
 * with Helm, an upgrade reverts a kubectl change of the RunaiConfig, so settings belong in the
 * release values; chart-only settings such as `global.customCA` live only there. Written to
 * `helm/`, which `kubectl apply -f` does not read.
 */
export class RunaiHelmValues extends Construct implements IFileProducer {
  public static readonly PATH = HELM_VALUES_PATH;
  public readonly values: Readonly<Record<string, unknown>>;
  public readonly path: string;
  private readonly release: string;

  constructor(scope: Construct, id: string, props: RunaiHelmValuesProps) {
    super(scope, id);
    checkPropTypes(props, { values: {}, path: optional('string'), release: optional('string') } satisfies PropKinds<RunaiHelmValuesProps>);
    if (Object.keys(props.values).length === 0) throw new ValidationError('values: must set at least one value');
    this.values = props.values;
    this.path = props.path ?? RunaiHelmValues.PATH;
    this.release = props.release ?? 'the Run:ai cluster release';
    // The file goes inside the cluster folder, and the release's name into a one-line comment.
    const segments = this.path.split('/');
    // In a subfolder: kubectl apply -f of the cluster folder reads every YAML file at its top.
    const outside = segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'));
    if (!/\.ya?ml$/.test(this.path) || outside || segments.length < 2)
      throw new ValidationError(
        `path: ${shown(this.path)} must be a relative path in a subfolder of the cluster folder, such as helm/values.yaml`,
      );
    if (/[\r\n]/.test(this.release)) throw new ValidationError('release: must be one line: it goes into a comment of the values file');
  }

  public outputFiles(): OutputFile[] {
    return [
      {
        path: this.path,
        content:
          `${GENERATED_HEADER}# Values for ${this.release.replace(/ release$/, ' Helm release')}: ` +
          `helm upgrade <release> <chart> --reuse-values -f ${this.path}\n${kubernetesYaml(this.values)}`,
        mode: 0o644,
        description: `Helm values fragment for ${this.release}`,
        secret: false,
      },
    ];
  }
}
