/**
 * A phased move off the cluster's current ingress controller (`migration: {to, phase}`), in
 * the order Run:ai's Gateway API page gives: add the new objects beside the old ones (1),
 * switch Run:ai to them while DNS moves (2), and only then remove the old ones (3). Sources:
 * https://run-ai-docs.nvidia.com/self-hosted/infrastructure-setup/advanced-setup/kubernetes-gateway-api
 * ("Introduce the Gateway API", "Switch Traffic to Gateway", then "ingress.enabled=false") and
 * the 2.25 upgrade page's "Migrate from NGINX to HAProxy Ingress".
 */
import { subdomainNameProblem } from './dns-names';
import { shown, ValidationError } from './errors';
import { andList } from './list-text';
import { kubectlApply } from './names';
import { GATEWAY_API_SINCE } from './release-profiles';
import { IngressController } from './routing';

/** The targets, as the config names them. */
export const MIGRATION_TARGETS = ['haproxy', 'traefik', 'gateway-api'] as const;
/** What a cluster moves to. */
export type MigrationTargetName = (typeof MIGRATION_TARGETS)[number];
/** The phases, in order. */
export type MigrationPhase = 1 | 2 | 3;

/** When ingress-nginx was retired, and the posts that say so. */
export const INGRESS_NGINX_RETIREMENT = {
  date: 'March 2026',
  sources: [
    'https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/',
    'https://kubernetes.io/blog/2026/01/29/ingress-nginx-statement/',
  ],
} as const;

/**
 * The text of the `controller-retired` warning, for a Run:ai that needs the legacy patch, or that
 * takes the Gateway API (2.25 and later): before it, gateway-api is a target only after an upgrade.
 */
export function retiredControllerMessage(legacy: boolean, gatewayApi: boolean): string {
  const move = `move with migration: {to: haproxy | traefik${gatewayApi ? ' | gateway-api' : ''}, phase: 1}`;
  const later = gatewayApi ? '' : `, or to gateway-api once Run:ai is ${GATEWAY_API_SINCE.text} or later`;
  return (
    `ingress-nginx was retired in ${INGRESS_NGINX_RETIREMENT.date}: no releases or security ` +
    `fixes since (${INGRESS_NGINX_RETIREMENT.sources[0]}); ${legacy ? `upgrade Run:ai to 2.13 or later, then ${move}` : move}` +
    `${later} (README "Leaving ingress-nginx")`
  );
}

/** Why `migration.className` is refused with `to: gateway-api`. */
export const CLASS_WITH_GATEWAY_API = 'is not used with to: gateway-api, whose class is gateway.className; remove it';

export class Migration {
  /**
   * A move to `to` in `phase`, its Ingresses of `className` (default: the controller's class);
   * refuses (ValidationError) a target or phase it does not know, as a JavaScript caller may
   * pass, and a class with the Gateway API.
   */
  public static of(to: MigrationTargetName, phase: MigrationPhase, className?: string): Migration {
    // What a JavaScript caller passed, by type (a string only as shown: it could be anything).
    const got = (v: unknown) =>
      typeof v === 'string'
        ? shown(v)
        : typeof v === 'number'
          ? String(v)
          : v === undefined
            ? 'nothing'
            : v === null
              ? 'null'
              : `a ${typeof v}`;
    const problems = [
      ...((MIGRATION_TARGETS as readonly unknown[]).includes(to)
        ? []
        : [`migration.to: must be one of: ${MIGRATION_TARGETS.join(', ')}, got ${got(to)}`]),
      ...(([1, 2, 3] as unknown[]).includes(phase) ? [] : [`migration.phase: must be 1, 2 or 3, got ${got(phase)}`]),
      ...(className !== undefined && to === 'gateway-api' ? [`migration.className: ${CLASS_WITH_GATEWAY_API}`] : []),
      ...(className !== undefined && to !== 'gateway-api' ? classNameProblems(className, got) : []),
    ];
    if (problems.length > 0) throw new ValidationError(problems.join('; '));
    return new Migration(to, phase, className);
  }

  private constructor(
    public readonly to: MigrationTargetName,
    public readonly phase: MigrationPhase,
    /** The class given for the new controller's Ingresses (`migration.className`); `undefined` for its default. */
    public readonly className?: string,
  ) {}

  /** The IngressClass of the new controller's Ingresses: the one given, else its default; `undefined` to the Gateway API. */
  public get ingressClassName(): string | undefined {
    return this.controller && (this.className ?? this.controller.defaultClassName);
  }

  /** The new ingress controller, or `undefined` when moving to the Gateway API. */
  public get controller(): IngressController | undefined {
    return this.to === 'gateway-api' ? undefined : IngressController.of(this.to);
  }

  /** True while the current controller's objects are still written (phases 1 and 2). */
  public get keepsCurrent(): boolean {
    return this.phase < 3;
  }

  /** True once Run:ai is told to use the new controller or Gateway (phases 2 and 3). */
  public get runaiSwitched(): boolean {
    return this.phase >= 2;
  }

  /** The suffix of the new controller's Ingress names, so they never collide with the current ones. */
  public get nameSuffix(): string {
    return `-${this.to}`;
  }

  /** The name of the new controller's copy of the Ingress `name`: `runai-cluster-domain-star-ingress-haproxy`. */
  public ingressName(name: string): string {
    return `${name}${this.nameSuffix}`;
  }

  /** `migration to haproxy, phase 2 of 3`. */
  public get text(): string {
    return `migration to ${this.to}, phase ${this.phase} of 3`;
  }
}

/** What the steps of a phase need to name. */
export interface MigrationContext {
  readonly clusterUrl: string;
  /** The cluster folder, such as `dist/prod`. */
  readonly dir: string;
  /** True when the folder holds a kustomization.yaml, so it is applied with `-k` (`-f` fails on that file). */
  readonly kustomized: boolean;
  /** The current controller's class, such as `nginx`. */
  readonly currentClass: string | null;
  /** The new Ingress class, with haproxy or traefik. */
  readonly newClass?: string;
  /**
   * The object whose address DNS moves to: the Gateway, the new wildcard Ingress, or (path
   * routing) the new inference Ingress; `undefined` with path routing and none of them, where
   * Run:ai's own Ingresses move once it is told the new class.
   */
  readonly newObject?: { readonly namespace: string; readonly name: string };
  /** The host phase 1's check connects to and the certificate it must see; `undefined` when phase 1 adds nothing that serves. */
  readonly probe?: { readonly host: string; readonly certificate: string };
  /** The names DNS moves to the new address: `runai.example.com`, `*.runai.example.com`. */
  readonly dnsNames: readonly string[];
  /** True when the folder holds objects to apply (with path routing and no inference it may hold only Helm values). */
  readonly applies: boolean;
  /** Every object phase 1 adds, as `kubectl delete` takes it: `ingress -n runai runai-cluster-domain-star-ingress-haproxy`. */
  readonly newObjects: readonly string[];
  /** The current objects phase 3 removes: `ingress -n runai runai-cluster-domain-star-ingress`. */
  readonly currentObjects: readonly string[];
  /**
   * The objects of the certificate the current objects read that phase 3 no longer writes
   * (`secret -n knative-serving …`), each with why it is named.
   */
  readonly strandedSecrets: readonly { readonly object: string; readonly why: string }[];
  /** The Helm values files Run:ai is told through, relative to the cluster folder. */
  readonly helmFiles: readonly { readonly path: string; readonly release: string }[];
  /** True when the RunaiConfig overlay carries the class. */
  readonly overlay: boolean;
}

/** What a chart's migration says, without what only its output folder knows. */
export type MigrationFacts = Omit<MigrationContext, 'dir' | 'kustomized' | 'applies'>;

/** The ordered steps of a phase, and how to roll back to the previous one. */
export function migrationSteps(m: Migration, c: MigrationContext): { steps: string[]; rollback: string[] } {
  const gateway = m.to === 'gateway-api';
  const o = c.newObject;
  const address = !o
    ? `kubectl get ingress -A -o wide: the ADDRESS of Run:ai's Ingresses with class ${c.newClass}, once Run:ai is told`
    : gateway
      ? `kubectl get gateway -n ${o.namespace} ${o.name} -o jsonpath='{.status.addresses[0].value}'`
      : `kubectl get ingress -n ${o.namespace} ${o.name} -o jsonpath='{.status.loadBalancer.ingress[0]}'`;
  const apply = kubectlApply(`${c.dir}/`, c.kustomized);
  const helm = c.helmFiles.map((f) => `helm upgrade ${f.release} --reuse-values -f ${c.dir}/${f.path}`);
  const tell = [...(c.overlay ? [`${apply} (the RunaiConfig overlay)`] : []), ...helm];
  const dns = andList(c.dnsNames);
  // Phase 1's Helm values state the settings as they are (Run:ai is told of the move in phase 2).
  const laterValues =
    c.helmFiles.length === 0
      ? ''
      : ` (phase 1's Helm values ${c.helmFiles.length === 1 ? 'file states' : 'files state'} the current settings)`;
  switch (m.phase) {
    case 1:
      return {
        steps: [
          gateway
            ? 'install a Gateway API implementation and its GatewayClass (Run:ai documents kgateway)'
            : `install the ${m.to} ingress controller, watching IngressClass ${c.newClass}`,
          ...(c.applies && o
            ? [`${apply} : adds ${o.namespace}/${o.name} beside the ${c.currentClass ?? 'current'} objects, with the same certificate`]
            : c.applies
              ? [apply]
              : []),
          c.probe
            ? `check the new path before any DNS change: curl -v --resolve ${c.probe.host}:443:<new address> ` +
              `https://${c.probe.host}/ (the address: ${address}) must show the ${c.probe.certificate} certificate`
            : `nothing serves through the new controller yet: with path routing Run:ai's own Ingresses move to it when Run:ai is told, in phase 2`,
          `lower the TTL of the DNS records for ${dns} now, so that phase 2's change reaches every resolver soon; ` +
            'then set migration.phase: 2 and synth again',
        ],
        rollback:
          c.newObjects.length === 0
            ? [
                c.overlay
                  ? `to undo phase 1: remove migration from the config, synth and ${apply} again (phase 1 also stated the ` +
                    'current class in the RunaiConfig overlay); it added no objects'
                  : `to undo phase 1: remove migration from the config; phase 1 added no objects, and nothing else changed${laterValues}`,
              ]
            : [
                c.overlay
                  ? `to undo phase 1: remove migration from the config, synth and ${apply} again (phase 1 ` +
                    'also stated the current class in the RunaiConfig overlay), and delete the new objects (GitOps tools with ' +
                    'pruning do both for you):'
                  : 'to undo phase 1: remove migration from the config and delete the new objects (GitOps tools with pruning ' +
                    `do it for you); nothing else changed${laterValues}:`,
                ...c.newObjects.map((n) => `  kubectl delete ${n}`),
              ],
      };
    case 2:
      return {
        steps: [
          ...(tell.length > 0 ? tell.map((t) => `tell Run:ai: ${t}`) : []),
          `DNS: point ${dns} at the new address (${address}); while DNS moves the old controller still serves the ` +
            `certificate at the old address, but the routes Run:ai makes ${gateway ? 'for the Gateway' : 'with the new class'} only ` +
            'the new address serves (the TTL lowered in phase 1 keeps that short)',
          c.probe
            ? `check: dig +short ${c.probe.host} returns the new address, and curl -v ` +
              `https://${c.probe.host}/ shows the ${c.probe.certificate} certificate`
            : `check: dig +short ${c.clusterUrl} returns the new address, and curl -v https://${c.clusterUrl}/ answers`,
          'once DNS has moved everywhere (wait at least the old record TTL), set migration.phase: 3 and synth again',
        ],
        rollback: [
          'to roll back to phase 1: point DNS back at the old address, set migration.phase: 1, synth, apply' +
            (helm.length > 0 ? ' and run the same helm upgrade with the phase 1 values (they state every value this phase changed)' : ''),
        ],
      };
    case 3:
      return {
        steps: [
          ...(gateway
            ? helm.map((h) => `disable Run:ai's ingress${helm.length > 1 ? ' (cluster first, then control plane)' : ''}: ${h}`)
            : []),
          ...(c.applies ? [apply] : []),
          ...c.currentObjects.map((n) => `kubectl delete ${n}  (GitOps tools with pruning do this for you)`),
          ...c.strandedSecrets.map((n) => `kubectl delete ${n.object}  (${n.why})`),
          ...(gateway ? [] : [`uninstall the ${c.currentClass ?? 'old'} controller once nothing uses its IngressClass`]),
        ],
        rollback: [
          `to roll back to phase 2: set migration.phase: 2, synth and apply (re-creates the ` +
            `${c.currentClass ?? 'old'} ` +
            `objects)${gateway ? ', and run the same helm upgrade with the phase 2 values (ingress enabled)' : ''}`,
        ],
      };
  }
}

/** Why `migration.className` is no IngressClass name (named as the config does), or nothing. */
function classNameProblems(className: unknown, got: (v: unknown) => string): string[] {
  if (typeof className !== 'string') return [`migration.className: must be a string such as haproxy, got ${got(className)}`];
  const problem = subdomainNameProblem(className);
  return problem ? [`migration.className: ${shown(className)} ${problem}`] : [];
}
