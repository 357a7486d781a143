import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';

import { requireHost, wildcardHost } from '../model/cluster-url';
import { subdomainNameProblem } from '../model/dns-names';
import { ValidationError } from '../model/errors';
import { annotationsProblems, ingressClassAnnotationProblem } from '../model/labels';
import { INGRESS_CLASS_ANNOTATION, RUNAI_NAMESPACE, STAR_INGRESS_NAME } from '../model/names';
import { ingressClassOrDefault } from '../model/routing';
import { checkNames, checkPropTypes, optional, PropKinds } from './prop-types';
import { IRunaiTlsSecret, requireSecretIn, TLS_SECRET_KINDS } from './tls-secret';

/** Props of {@link WildcardIngress}. */
export interface WildcardIngressProps {
  /** The cluster URL as a host name, `runai.example.com`. */
  readonly clusterUrl: string;
  /** The wildcard TLS Secret; it must be in namespace `runai`, like the Ingress. */
  readonly secret: IRunaiTlsSecret;
  /**
   * `spec.ingressClassName`; `null` leaves the field out, as newer Run:ai docs do.
   * @default 'nginx'
   */
  readonly ingressClassName?: string | null;
  /**
   * Extra annotations.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * The Ingress name; a migration's second wildcard Ingress takes a suffixed one.
   * @default 'runai-cluster-domain-star-ingress'
   */
  readonly name?: string;
}

/**
 * The dedicated wildcard Ingress of Run:ai 2.13 and later: one rule with only
 * `host: '*.<clusterUrl>'` (no `http`), which makes ingress-nginx build a server for the
 * wildcard host, and a `tls` entry that hands it the wildcard certificate.
 */
export class WildcardIngress extends Construct {
  public readonly name: string;
  public readonly namespace = RUNAI_NAMESPACE;
  /** The Ingress object; `ApiObject.of(ingress.resource)` gives the escape hatch. */
  public readonly resource: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: WildcardIngressProps) {
    super(scope, id);
    checkPropTypes(props, {
      clusterUrl: 'string',
      secret: TLS_SECRET_KINDS,
      ingressClassName: optional('string-or-null'),
      annotations: optional('string-record'),
      name: optional('string'),
    } satisfies PropKinds<WildcardIngressProps>);
    this.name = props.name ?? STAR_INGRESS_NAME;
    const clusterHost = requireHost('clusterUrl', props.clusterUrl);
    requireSecretIn('secret', props.secret, this.namespace, 'the ingress');
    const host = wildcardHost(clusterHost);
    const className = ingressClassOrDefault(props.ingressClassName);
    checkNames([
      ['name', this.name, subdomainNameProblem],
      ['ingressClassName', className, subdomainNameProblem],
    ]);
    const annotations = props.annotations ?? {};
    const classAnnotation = ingressClassAnnotationProblem(annotations, className);
    const bad = [...annotationsProblems(annotations), ...(classAnnotation ? [`${INGRESS_CLASS_ANNOTATION}: ${classAnnotation}`] : [])];
    if (bad.length > 0) throw new ValidationError(`annotations: ${bad.join('; ')}`);
    this.resource = new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        annotations: Object.keys(annotations).length > 0 ? { ...annotations } : undefined,
      },
      spec: {
        ingressClassName: className ?? undefined,
        rules: [{ host }],
        tls: [{ hosts: [host], secretName: props.secret.name }],
      },
    });
  }
}
