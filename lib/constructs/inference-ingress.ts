import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';

import { requireHost, wildcardHost } from '../model/cluster-url';
import { subdomainNameProblem } from '../model/dns-names';
import { INFERENCE_INGRESS_NAME, KNATIVE_NAMESPACE, KOURIER_SERVICE } from '../model/names';
import { ingressClassOrDefault } from '../model/routing';
import { checkNames, checkPropTypes, optional, PropKinds } from './prop-types';
import { IRunaiTlsSecret, requireSecretIn, TLS_SECRET_KINDS } from './tls-secret';

/** Props of {@link InferenceIngress}. */
export interface InferenceIngressProps {
  /** The inference domain, its own setting (not derived from the cluster URL). */
  readonly domain: string;
  /** The inference wildcard Secret; it must be in `knative-serving`, like the Ingress. */
  readonly secret: IRunaiTlsSecret;
  /**
   * `ingressClassName`; `null` leaves it out.
   * @default 'nginx'
   */
  readonly ingressClassName?: string | null;
  /**
   * The Ingress name; a migration's second inference Ingress takes a suffixed one.
   * @default 'knative-serving'
   */
  readonly name?: string;
}

/**
 * The Ingress `knative-serving` in `knative-serving`: `*.<domain>`, path `/` (Prefix), to the
 * Service `kourier` port 80, with TLS from `runai-cluster-inference-tls-secret`.
 */
export class InferenceIngress extends Construct {
  public readonly resource: k8s.KubeIngress;
  /** The inference domain: the Ingress serves `*.<domain>`. */
  public readonly domain: string;

  constructor(scope: Construct, id: string, props: InferenceIngressProps) {
    super(scope, id);
    checkPropTypes(props, {
      domain: 'string',
      secret: TLS_SECRET_KINDS,
      ingressClassName: optional('string-or-null'),
      name: optional('string'),
    } satisfies PropKinds<InferenceIngressProps>);
    const domain = requireHost('domain', props.domain, 'runai-inference.example.com');
    requireSecretIn('secret', props.secret, KNATIVE_NAMESPACE, 'the ingress');
    this.domain = domain;
    const host = wildcardHost(domain);
    const className = ingressClassOrDefault(props.ingressClassName);
    const name = props.name ?? INFERENCE_INGRESS_NAME;
    checkNames([
      ['name', name, subdomainNameProblem],
      ['ingressClassName', className, subdomainNameProblem],
    ]);
    this.resource = new k8s.KubeIngress(this, 'Resource', {
      metadata: { name, namespace: KNATIVE_NAMESPACE },
      spec: {
        ingressClassName: className ?? undefined,
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: KOURIER_SERVICE.name, port: { number: KOURIER_SERVICE.port } } },
                },
              ],
            },
          },
        ],
        tls: [{ hosts: [host], secretName: props.secret.name }],
      },
    });
  }
}
