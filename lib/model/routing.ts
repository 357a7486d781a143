/**
 * How a cluster routes researchers' traffic: the platform, host- or path-based URLs, and the
 * ingress controller. Each decides what is emitted.
 */
import { memberNamed } from './member-named';

/** The config's `platform` values. */
export const PLATFORM_NAMES = ['kubernetes', 'openshift'] as const;
export type PlatformName = (typeof PLATFORM_NAMES)[number];

/** The Kubernetes distribution. */
export class Platform {
  /** Plain Kubernetes: an ingress controller terminates TLS with the Secrets emitted here. */
  public static readonly KUBERNETES = new Platform('kubernetes', true);
  /** OpenShift: its router serves TLS for Routes; no TLS Secrets or Ingresses are emitted. */
  public static readonly OPENSHIFT = new Platform('openshift', false);

  public static of(name: PlatformName): Platform {
    return memberNamed('Platform', [Platform.KUBERNETES, Platform.OPENSHIFT], name);
  }

  private constructor(
    public readonly name: PlatformName,
    /** True when TLS Secrets and Ingresses are emitted. */ public readonly ownsTls: boolean,
  ) {}
}

/** The config's `routing` values. */
export const ROUTING_NAMES = ['host', 'path'] as const;
export type RoutingName = (typeof ROUTING_NAMES)[number];

/** Workspace URLs: `https://<project>-<workload>.<url>/` (host) or `https://<url>/<project>/<workload>` (path). */
export class Routing {
  public static readonly HOST = new Routing('host', true);
  /** Path-based only: no wildcard certificate, DNS record or Ingress; `subdomainSupport: false`. */
  public static readonly PATH = new Routing('path', false);

  public static of(name: RoutingName): Routing {
    return memberNamed('Routing', [Routing.HOST, Routing.PATH], name);
  }

  private constructor(
    public readonly name: RoutingName,
    /** The RunaiConfig subdomainSupport value. */ public readonly subdomains: boolean,
  ) {}
}

/** The controllers, as the config names them. */
export const INGRESS_CONTROLLER_NAMES = ['nginx', 'haproxy', 'traefik', 'other'] as const;
export type IngressControllerName = (typeof INGRESS_CONTROLLER_NAMES)[number];

/** The ingress controller serving workspaces; sets the default IngressClass. */
export class IngressController {
  /** ingress-nginx: serves a host without a certificate of its own with the one of the `*.<url>` server. */
  public static readonly NGINX = new IngressController(
    'nginx',
    'nginx',
    'ingress-nginx serves a workspace host without a certificate of its own with the ' +
      'certificate of its *.<url> server, which the wildcard Ingress defines (certificate.lua, ' +
      'get_pem_cert_uid).',
  );
  /** HAProxy Kubernetes Ingress Controller (Run:ai 2.25's recommendation); ignores Ingresses without its class. */
  public static readonly HAPROXY = new IngressController(
    'haproxy',
    'haproxy',
    'the HAProxy Ingress Controller ignores Ingresses without its class and loads the ' +
      'certificates of Ingress tls sections, choosing one by SNI; check that your version serves ' +
      "the wildcard Ingress's certificate for workspace hosts.",
  );
  /** Traefik. */
  public static readonly TRAEFIK = new IngressController(
    'traefik',
    'traefik',
    'Traefik collects the certificates of Ingress tls sections into its TLS store and chooses ' +
      'one by SNI; workspace routers must terminate TLS on the websecure entrypoint (check your ' +
      'entrypoint and router.tls settings).',
  );
  /** Another controller: give `ingress.className`. */
  public static readonly OTHER = new IngressController(
    'other',
    undefined,
    'check how your ingress controller picks the certificate for hosts whose Ingress has no tls section of its own.',
  );

  public static of(name: IngressControllerName): IngressController {
    return memberNamed(
      'IngressController',
      [IngressController.NGINX, IngressController.HAPROXY, IngressController.TRAEFIK, IngressController.OTHER],
      name,
    );
  }

  private constructor(
    public readonly name: IngressControllerName,
    /** The IngressClass it watches by default; `undefined` for other. */
    public readonly defaultClassName: string | undefined,
    /** How it picks up the wildcard certificate, for the summary and README. */
    public readonly certificateNote: string,
  ) {}
}

/**
 * Which namespaces' HTTPRoutes a Gateway's cluster URL and workspace listeners admit: every
 * namespace, or Run:ai's own and its projects' (`gateway.routeNamespaces`).
 */
export const ROUTE_NAMESPACES = ['all', 'runai'] as const;
export type RouteNamespaces = (typeof ROUTE_NAMESPACES)[number];

/** The config's `exposure` values. */
export const ROUTING_API_NAMES = ['ingress', 'gateway-api'] as const;
export type RoutingApiName = (typeof ROUTING_API_NAMES)[number];

/** How traffic enters the cluster: Ingress objects, or a Gateway API Gateway (Run:ai 2.25 docs). */
export class RoutingApi {
  public static readonly INGRESS = new RoutingApi('ingress');
  /** A Gateway with HTTPS listeners; no wildcard or inference Ingress; secrets in the Gateway's namespace. */
  public static readonly GATEWAY_API = new RoutingApi('gateway-api');

  public static of(name: RoutingApiName): RoutingApi {
    return memberNamed('RoutingApi', [RoutingApi.INGRESS, RoutingApi.GATEWAY_API], name);
  }

  private constructor(public readonly name: RoutingApiName) {}
}

/** @deprecated use {@link RoutingApi}: the cluster's Ingress or Gateway API, not researchers' `expose`. */
export const Exposure = RoutingApi;
/** @deprecated use {@link RoutingApi}. */
export type Exposure = RoutingApi;

/** The IngressClass a construct uses when given none: ingress-nginx's, as Run:ai 2.13–2.24 document (the chart passes its mode's class). */
export const DEFAULT_INGRESS_CLASS: string = IngressController.NGINX.defaultClassName!;

/** The class an Ingress construct writes: the one given (`null`: none, the cluster's default class), else {@link DEFAULT_INGRESS_CLASS}. */
export function ingressClassOrDefault(given: string | null | undefined): string | null {
  return given === undefined ? DEFAULT_INGRESS_CLASS : given;
}
