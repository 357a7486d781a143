/**
 * The doctor's reads of the live cluster, through `kubectl` and the admin's context. Read-only:
 * `get` only (and the dry-run `diff` in `drift.ts`). Of the Secret only `tls.crt` is taken;
 * the private key never reaches this process's output.
 */
import { Deadline } from './check';
import { AttachedRoute, attachedRoutes, GatewayRef, HTTPROUTES } from './gateway-routes';
import { GATEWAYS, GatewayStatus, gatewayStatus } from './gateway-status';
import { field, list, text } from './json-fields';
import { kubectl, KubectlFailure } from './kubectl';

/** A value read from the cluster, or why it could not be. */
export interface Read<T> {
  readonly value?: T;
  readonly failure?: KubectlFailure;
  /** With a failure: how long kubectl was given (the total deadline may have left less than `--kube`). */
  readonly waitedMs?: number;
}

/** The failure of a read, with the time kubectl had. */
function failed(r: { readonly failure?: KubectlFailure; readonly waitedMs?: number }, failure = r.failure): Read<never> {
  return { failure, waitedMs: r.waitedMs };
}

/** The objects the doctor looks at, from the cluster's mode and names. */
export interface ClusterTargets {
  /** The wildcard Secret; `undefined` when the cluster needs none (path routing, OpenShift). */
  readonly secret?: { readonly namespace: string; readonly name: string };
  /**
   * The Ingress that carries the wildcard `tls` entry, and the class it must have (`null`: none;
   * the legacy patch's Run:ai ingress is not checked for one); `undefined` with the Gateway API or
   * no host routing.
   */
  readonly ingress?: { readonly namespace: string; readonly name: string; readonly className: string | null };
  /**
   * With path routing (Kubernetes, Ingresses): the IngressClass Run:ai's own workspace Ingresses
   * take, the class it is told or its default; there is no wildcard Ingress to read it from.
   */
  readonly ingressClass?: { readonly name: string };
  /** The RunaiConfig. */
  readonly runaiConfig: { readonly namespace: string; readonly name: string };
  /** The Gateway that serves now, with the Gateway API; `undefined` with Ingresses. */
  readonly gateway?: GatewayRef;
}

/** The parts of an Ingress the doctor reads. */
export interface IngressObject {
  readonly metadata?: { readonly annotations?: Record<string, string> };
  readonly spec?: {
    readonly ingressClassName?: string;
    readonly tls?: readonly { readonly hosts?: readonly string[]; readonly secretName?: string }[];
  };
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[] } };
}

/** The IngressClass an Ingress ends up with. */
export interface IngressClassFact {
  /** The class name, or `undefined` when the Ingress names none and no class is the default. */
  readonly name?: string;
  /** True when the Ingress names no class and this is the cluster's default class. */
  readonly isDefault: boolean;
  /** False when the Ingress names a class that does not exist. */
  readonly exists: boolean;
  /** `spec.controller` of the class. */
  readonly controller?: string;
}

export interface ClusterFacts {
  /** `tls.crt` of the Secret, decoded; an empty string when the Secret has none. */
  readonly secret?: Read<string>;
  /** Namespaces that hold a Secret of that name, when it is missing where it must be. */
  readonly secretElsewhere?: readonly string[];
  readonly ingress?: Read<IngressObject>;
  readonly ingressClass?: Read<IngressClassFact>;
  readonly runaiConfig: Read<{ readonly spec?: Record<string, unknown> }>;
  /** The Gateway's status. */
  readonly gateway?: Read<GatewayStatus>;
  /** The HTTPRoutes that name the Gateway. */
  readonly gatewayRoutes?: Read<readonly AttachedRoute[]>;
}

export interface ReadOptions {
  readonly context?: string;
  readonly kubeMs: number;
  readonly deadline: Deadline;
}

/** The annotation that makes an IngressClass the default (Kubernetes docs, "Default IngressClass"). */
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
/** The pre-IngressClass annotation some Ingresses still carry. */
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

function json<T>(stdout: string): T | undefined {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    return undefined;
  }
}

async function getJson<T>(args: readonly string[], o: ReadOptions): Promise<Read<T>> {
  const r = await kubectl([...args, '-o', 'json'], { context: o.context, timeoutMs: o.deadline.budget(o.kubeMs) });
  if (r.failure) return failed(r);
  const value = json<T>(r.stdout);
  return value === undefined ? failed(r, 'error') : { value };
}

/** The longest wait for `kubectl config current-context`, which needs no server. */
const CURRENT_CONTEXT_MS = 1000;

/** Reads every target; the reads run side by side, each within the deadline. */
export async function readCluster(t: ClusterTargets, o: ReadOptions): Promise<ClusterFacts> {
  if (!o.context) {
    // Without a current context kubectl falls back to http://localhost:8080: ask which it has first.
    // At most CURRENT_CONTEXT_MS: a kubectl that is a version dispatcher (Google's `kubectl-dispatcher`)
    // asks the API server's /version before any command, this one too, and would spend the reads'
    // time on a server that does not answer. A timeout here is no failure: the reads find out.
    const current = await kubectl(['config', 'current-context'], { timeoutMs: o.deadline.budget(Math.min(o.kubeMs, CURRENT_CONTEXT_MS)) });
    if (current.failure === 'no-current-context') {
      const failure = failed(current);
      return {
        runaiConfig: failure,
        ...(t.secret ? { secret: failure } : {}),
        ...(t.ingress ? { ingress: failure } : {}),
        ...(t.ingressClass ? { ingressClass: failure } : {}),
        ...(t.gateway ? { gateway: failure, gatewayRoutes: failure } : {}),
      };
    }
  }
  const [secret, ingress, runaiConfig, gateway, gatewayRoutes] = await Promise.all([
    t.secret ? readSecretCertificate(t.secret, o) : undefined,
    t.ingress
      ? readIngress(t.ingress, o)
      : t.ingressClass
        ? readNamedClass(t.ingressClass.name, o).then((c) => ({ ingressClass: c }))
        : undefined,
    getJson<{ spec?: Record<string, unknown> }>(['get', 'runaiconfig', t.runaiConfig.name, '-n', t.runaiConfig.namespace], o),
    t.gateway ? readGateway(t.gateway, o) : undefined,
    t.gateway ? readGatewayRoutes(t.gateway, o) : undefined,
  ]);
  return { ...secret, ...ingress, runaiConfig, ...(gateway && gatewayRoutes ? { gateway, gatewayRoutes } : {}) };
}

async function readSecretCertificate(
  s: NonNullable<ClusterTargets['secret']>,
  o: ReadOptions,
): Promise<Pick<ClusterFacts, 'secret' | 'secretElsewhere'>> {
  // Only tls.crt leaves kubectl. No --allow-missing-template-keys=false: its error prints the whole Secret.
  const r = await kubectl(['get', 'secret', s.name, '-n', s.namespace, '-o', 'jsonpath={.data.tls\\.crt}'], {
    context: o.context,
    timeoutMs: o.deadline.budget(o.kubeMs),
  });
  if (r.failure === 'not-found') return { secret: failed(r), secretElsewhere: await findSecretElsewhere(s.name, o) };
  if (r.failure) return { secret: failed(r) };
  return { secret: { value: Buffer.from(r.stdout.trim(), 'base64').toString('latin1') } };
}

/** Other namespaces with a Secret of this name; empty when none, or when listing is not allowed. */
async function findSecretElsewhere(name: string, o: ReadOptions): Promise<string[]> {
  const r = await kubectl(
    [
      'get',
      'secret',
      '--all-namespaces',
      `--field-selector=metadata.name=${name}`,
      '-o',
      'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}',
    ],
    { context: o.context, timeoutMs: o.deadline.budget(o.kubeMs) },
  );
  if (r.failure) return [];
  return r.stdout
    .split('\n')
    .filter((line) => line.endsWith(`/${name}`))
    .map((line) => line.slice(0, -name.length - 1));
}

async function readIngress(
  i: NonNullable<ClusterTargets['ingress']>,
  o: ReadOptions,
): Promise<Pick<ClusterFacts, 'ingress' | 'ingressClass'>> {
  const read = await getJson<unknown>(['get', 'ingress', i.name, '-n', i.namespace], o);
  const ingress: Read<IngressObject> = read.failure ? failed(read) : { value: ingressObject(read.value) };
  if (!ingress.value) return { ingress };
  const named = ingress.value.spec?.ingressClassName ?? ingress.value.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (named) return { ingress, ingressClass: await readNamedClass(named, o) };
  const all = await getJson<{ items?: unknown }>(['get', 'ingressclass'], o);
  if (!all.value) return { ingress, ingressClass: failed(all) };
  const def = list(all.value.items).find((c) => field(field(field(c, 'metadata'), 'annotations'), DEFAULT_CLASS_ANNOTATION) === 'true');
  return {
    ingress,
    ingressClass: {
      value: {
        name: text(field(field(def, 'metadata'), 'name')),
        isDefault: true,
        exists: def !== undefined,
        controller: text(field(field(def, 'spec'), 'controller')),
      },
    },
  };
}

/** The IngressClass `name`: whether it exists, and its controller. */
async function readNamedClass(name: string, o: ReadOptions): Promise<Read<IngressClassFact>> {
  const cls = await getJson<unknown>(['get', 'ingressclass', name], o);
  return cls.value
    ? { value: { name, isDefault: false, exists: true, controller: text(field(field(cls.value, 'spec'), 'controller')) } }
    : cls.failure === 'not-found'
      ? { value: { name, isDefault: false, exists: false } }
      : failed(cls);
}

/**
 * The parts of an Ingress the doctor reads, from kubectl's JSON: a field of another shape (which
 * no API server sends, but a proxy or a plugin might) is left out rather than trusted.
 */
export function ingressObject(raw: unknown): IngressObject {
  const spec = field(raw, 'spec');
  const annotations = field(field(raw, 'metadata'), 'annotations');
  return {
    metadata: {
      annotations: Object.fromEntries(
        Object.entries(annotations && typeof annotations === 'object' ? annotations : {}).filter(([, v]) => typeof v === 'string'),
      ),
    },
    spec: {
      ingressClassName: text(field(spec, 'ingressClassName')),
      tls: list(field(spec, 'tls')).map((e) => ({
        hosts: list(field(e, 'hosts')).filter((h): h is string => typeof h === 'string'),
        secretName: text(field(e, 'secretName')),
      })),
    },
    status: {
      loadBalancer: {
        ingress: list(field(field(field(raw, 'status'), 'loadBalancer'), 'ingress')).map((e) => ({
          ip: text(field(e, 'ip')),
          hostname: text(field(e, 'hostname')),
        })),
      },
    },
  };
}

/** The Gateway's status. */
async function readGateway(gw: GatewayRef, o: ReadOptions): Promise<Read<GatewayStatus>> {
  const r = await getJson<unknown>(['get', GATEWAYS, gw.name, '-n', gw.namespace], o);
  return r.value === undefined ? failed(r) : { value: gatewayStatus(r.value) };
}

/** Every HTTPRoute in the cluster that names the Gateway. */
async function readGatewayRoutes(gw: GatewayRef, o: ReadOptions): Promise<Read<readonly AttachedRoute[]>> {
  const r = await getJson<unknown>(['get', HTTPROUTES, '--all-namespaces'], o);
  return r.value === undefined ? failed(r) : { value: attachedRoutes(list(field(r.value, 'items')), gw) };
}
