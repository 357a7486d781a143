/**
 * Researchers' exposed ports: the expose types and what a Service port is. The config layer
 * reads them from `expose:`; the ExposedWorkload construct emits them.
 */

/** The exposure types, as written in the config. */
export const EXPOSE_TYPES = ['port-forward', 'node-port', 'load-balancer', 'subdomain'] as const;
export type ExposeTypeName = (typeof EXPOSE_TYPES)[number];

/** Kubernetes' default NodePort range. */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

/** One Service port, normalized. */
export interface PortSpec {
  readonly port: number;
  readonly targetPort: number | string;
  readonly nodePort?: number;
  readonly name?: string;
}

/** How a workload's ports are reached; decides the Service type and the access hint. */
export class ExposeType {
  /** A ClusterIP Service reached with `kubectl port-forward`. */
  public static readonly PORT_FORWARD = new ExposeType('port-forward', 'ClusterIP');
  /** A NodePort Service: `<node-ip>:<nodePort>` from outside the cluster. */
  public static readonly NODE_PORT = new ExposeType('node-port', 'NodePort');
  /** A LoadBalancer Service: the cloud provider's load balancer. */
  public static readonly LOAD_BALANCER = new ExposeType('load-balancer', 'LoadBalancer');
  /** A ClusterIP Service behind an Ingress for `https://<project>-<workload>.<clusterUrl>/`. */
  public static readonly SUBDOMAIN = new ExposeType('subdomain', 'ClusterIP');

  /** The type named in the config. */
  public static of(name: ExposeTypeName): ExposeType {
    return [ExposeType.PORT_FORWARD, ExposeType.NODE_PORT, ExposeType.LOAD_BALANCER, ExposeType.SUBDOMAIN].find((t) => t.name === name)!;
  }

  private constructor(public readonly name: ExposeTypeName, public readonly serviceType: 'ClusterIP' | 'NodePort' | 'LoadBalancer') {}
}

/** @deprecated use {@link ExposeType}: `expose` types, not the cluster's `exposure`. */
export const ExposureType = ExposeType;
/** @deprecated use {@link ExposeType}. */
export type ExposureType = ExposeType;
