/**
 * With `gateway.httpRedirect`: what answers `http://` on the Gateway's plain-HTTP listener with a
 * redirect to `https://`, as ingress-nginx does for an Ingress with TLS. The route lives in a
 * namespace of its own, the only one the listener admits: a listener that admitted `runai` would
 * take Run:ai's routes too (they name no listener), which would then serve plain HTTP.
 */
import * as kube from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';

import { HttpRoute } from '../../imports/gateway.networking.k8s.io';
import { labelNameProblem } from '../model/dns-names';
import { HTTP_LISTENER, HTTPS_REDIRECT } from '../model/names';
import { checkNames, checkPropTypes, PropKinds } from './prop-types';

/** Props of {@link HttpsRedirect}. */
export interface HttpsRedirectProps {
  /** The Gateway whose `http` listener the route attaches to. */
  readonly gateway: { readonly name: string; readonly namespace: string };
}

/** The Namespace `runai-https-redirect` and its HTTPRoute `https-redirect`: every host, 301 to https. */
export class HttpsRedirect extends Construct {
  public readonly namespace: kube.KubeNamespace;
  public readonly route: HttpRoute;

  constructor(scope: Construct, id: string, props: HttpsRedirectProps) {
    super(scope, id);
    checkPropTypes(props, { gateway: { name: 'string', namespace: 'string' } } satisfies PropKinds<HttpsRedirectProps>);
    checkNames([
      ['gateway.name', props.gateway.name, labelNameProblem],
      ['gateway.namespace', props.gateway.namespace, labelNameProblem],
    ]);
    this.namespace = new kube.KubeNamespace(this, 'Namespace', { metadata: { name: HTTPS_REDIRECT.namespace } });
    this.route = new HttpRoute(this, 'Resource', {
      metadata: { name: HTTPS_REDIRECT.name, namespace: HTTPS_REDIRECT.namespace },
      spec: {
        parentRefs: [{ name: props.gateway.name, namespace: props.gateway.namespace, sectionName: HTTP_LISTENER }],
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });
  }
}
