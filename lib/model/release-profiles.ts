/**
 * Run:ai release profiles: what each range of Run:ai releases documents about host-based
 * routing, one row per range, each citing its source. A cluster's `runaiVersion` picks its row;
 * without one the newest row applies, and a version newer than the newest row uses it too,
 * with a note. The README's "Run:ai versions" table is generated from this table
 * (`npm run docs`; a test fails when it is stale).
 */
import { ValidationError } from './errors';
import { IngressController } from './routing';
import { RunaiVersion } from './runai-version';

/** How the workspace wildcard certificate reaches the ingress controller in a release. */
export type ProfileWiring = 'legacy-patch' | 'dedicated-ingress';

/** One range of Run:ai releases and what its docs say. */
export interface ReleaseProfile {
  /** The range, as the summary and README name it: `2.9-2.12`, `2.25`. */
  readonly id: string;
  /** The first release of the range. */
  readonly first: RunaiVersion;
  /** The last release of the range. */
  readonly last: RunaiVersion;
  /** How the wildcard certificate is wired. */
  readonly wiring: ProfileWiring;
  /** True when the docs of the range describe the Gateway API as an option. */
  readonly gatewayApi: boolean;
  /** The ingress controller the docs install or recommend: the default `ingress.controller`. */
  readonly controller: IngressController;
  /** `ingressClassName` of the wildcard Ingress in the docs: `null` when they leave it out, `undefined` with the legacy patch. */
  readonly documentedWildcardClass: string | null | undefined;
  /** `ingressClassName` of the docs' knative-serving Ingress, when they show one. */
  readonly documentedKnativeClass?: string;
  /**
   * The IngressClass Run:ai assumes when it is not told one, or `undefined` when the docs
   * contradict each other about it, so that the class is always set explicitly.
   */
  readonly runaiAssumedClass?: string;
  /** The Helm values the docs name for routing; empty when they name none. */
  readonly helmKeys: readonly string[];
  /**
   * True when the docs set the self-hosted control plane's ingress class by its Helm values
   * (`global.ingress.ingressClass` of runai-backend, switched before the cluster's).
   */
  readonly controlPlaneIngressClass: boolean;
  /** The way the docs set `subdomainSupport`: the RunaiConfig overlay or the Helm values. */
  readonly runaiConfigVia: 'overlay' | 'helm-values';
  /** Run:ai's own default of `subdomainSupport` in the range. */
  readonly subdomainSupportDefault: boolean;
  /** Where each fact of the row comes from. */
  readonly source: string;
  /** Further sources of the row. */
  readonly alsoSources?: readonly string[];
}

const v = (text: string) => RunaiVersion.parse(text);

/** The profiles, oldest first; ranges are contiguous and do not overlap. */
export const RELEASE_PROFILES: readonly ReleaseProfile[] = [
  {
    id: '2.9-2.12',
    first: v('2.9'),
    last: v('2.12'),
    wiring: 'legacy-patch',
    gatewayApi: false,
    controller: IngressController.NGINX,
    documentedWildcardClass: undefined,
    runaiAssumedClass: 'nginx',
    helmKeys: [],
    controlPlaneIngressClass: false,
    runaiConfigVia: 'overlay',
    subdomainSupportDefault: false,
    // The 2.9-2.12 / 2.13 boundary is the project's own reading: the published v2.13 page
    // (docs.run.ai/v2.13/admin/runai-setup/config/allow-external-access-to-containers/) still opens with
    // this source's 2.9-era text (the JSON patch); see RunaiVersion.FIRST_DEDICATED_INGRESS.
    source: 'https://github.com/run-ai/docs/blob/37429e8d/docs/admin/runai-setup/config/allow-external-access-to-containers.md',
    alsoSources: [
      'https://github.com/run-ai/docs/blob/6c30b28854163115354fea0acfc2a698f516f5d0/docs/admin/runai-setup/cluster-setup/cluster-prerequisites.md',
    ],
  },
  {
    id: '2.13-2.17',
    first: v('2.13'),
    last: v('2.17'),
    wiring: 'dedicated-ingress',
    gatewayApi: false,
    controller: IngressController.NGINX,
    documentedWildcardClass: 'nginx',
    runaiAssumedClass: 'nginx',
    helmKeys: [],
    controlPlaneIngressClass: false,
    runaiConfigVia: 'overlay',
    subdomainSupportDefault: false,
    source: 'https://github.com/run-ai/docs/blob/f9a174d6/docs/admin/config/allow-external-access-to-containers.md',
    // From 2.15, "Cluster configurations … are done using the runaiconfig file": the overlay, not Helm values.
    alsoSources: ['https://github.com/run-ai/docs/blob/033541e62ad046eb913f5c100d13948276f170be/docs/home/whats-new-2-15.md'],
  },
  {
    id: '2.18-2.24',
    first: v('2.18'),
    last: v('2.24'),
    wiring: 'dedicated-ingress',
    gatewayApi: false,
    controller: IngressController.NGINX,
    documentedWildcardClass: 'nginx',
    runaiAssumedClass: 'nginx',
    helmKeys: [],
    controlPlaneIngressClass: false,
    runaiConfigVia: 'overlay',
    subdomainSupportDefault: false,
    // spec.global.subdomainSupport in runaiconfig, "Default: false"; the page names v2.19 as earlier.
    source:
      'https://github.com/run-ai/docs/blob/7bb34edb5f60c477fe46d84b70eb77cf2241b04a/self-hosted/advanced-setup/advanced-cluster-configurations.md',
    alsoSources: ['https://docs.run.ai/latest/admin/config/allow-external-access-to-containers/'],
  },
  {
    id: '2.25',
    first: v('2.25'),
    last: v('2.25'),
    wiring: 'dedicated-ingress',
    gatewayApi: true,
    controller: IngressController.HAPROXY,
    documentedWildcardClass: null,
    documentedKnativeClass: 'haproxy',
    runaiAssumedClass: undefined,
    helmKeys: [
      'clusterConfig.global.subdomainSupport',
      'clusterConfig.global.ingress.ingressClass',
      'clusterConfig.global.ingress.enabled',
      'clusterConfig.global.gatewayAPI.{enabled,name,namespace}',
      'control plane: global.ingress.{ingressClass,enabled}',
      'control plane: global.gatewayAPI.{enabled,parentRefs[0].name,parentRefs[0].namespace}',
    ],
    controlPlaneIngressClass: true,
    runaiConfigVia: 'helm-values',
    subdomainSupportDefault: true,
    source: 'https://run-ai-docs.nvidia.com/self-hosted/getting-started/installation/install-using-helm/system-requirements',
    alsoSources: [
      'https://run-ai-docs.nvidia.com/self-hosted/getting-started/installation/install-using-helm/upgrade',
      'https://run-ai-docs.nvidia.com/self-hosted/infrastructure-setup/advanced-setup/cluster-config',
      'https://run-ai-docs.nvidia.com/self-hosted/infrastructure-setup/advanced-setup/kubernetes-gateway-api',
    ],
  },
];

/**
 * The class Run:ai's own Ingresses take when it is told none: "NVIDIA Run:ai uses NGINX as the
 * default ingress controller" (2.25's cluster-config page, `global.ingress.ingressClass`).
 */
export const RUNAI_DEFAULT_INGRESS_CLASS = 'nginx';

/** True when the release's docs name the setting that tells Run:ai its ingress class (`…global.ingress.ingressClass`). */
export function documentsIngressClassKey(profile: ReleaseProfile): boolean {
  return profile.helmKeys.some((key) => key.endsWith('global.ingress.ingressClass'));
}

/** The newest profile: used without `runaiVersion` and for versions newer than any row. */
export const NEWEST_PROFILE = RELEASE_PROFILES[RELEASE_PROFILES.length - 1];

/** The first release whose docs describe the Gateway API: Run:ai takes it "from cluster v2.25 onward". */
export const GATEWAY_API_SINCE: RunaiVersion = RELEASE_PROFILES.find((p) => p.gatewayApi)!.first;

/** A profile chosen for a cluster, and why. */
export interface ProfileChoice {
  readonly profile: ReleaseProfile;
  /** Why this profile: `runaiVersion 2.20`, `no runaiVersion: the newest`, ... */
  readonly reason: string;
  /** Set when the version is newer than the newest profile, which is used anyway. */
  readonly note?: string;
}

/** The profile of a Run:ai version; the newest without one or past the newest row. */
export function profileFor(given?: RunaiVersion | string): ProfileChoice {
  // A JavaScript caller may give the text ("2.25"): it is parsed, and refused as the config refuses it.
  const version = typeof given === 'string' ? RunaiVersion.parse(given) : given;
  if (version !== undefined && !(version instanceof RunaiVersion))
    throw new ValidationError('version: must be a RunaiVersion (RunaiVersion.parse("2.25")) or its text, such as "2.25"');
  if (!version) return { profile: NEWEST_PROFILE, reason: 'no runaiVersion: the newest profile' };
  const row = RELEASE_PROFILES.find((p) => !version.isBefore(p.first) && !p.last.isBefore(version));
  if (row) return { profile: row, reason: `runaiVersion ${version.text}` };
  return {
    profile: NEWEST_PROFILE,
    reason: `runaiVersion ${version.text}: the newest profile`,
    note:
      `Run:ai ${version.text} is newer than the newest release profile (${NEWEST_PROFILE.id}, ` +
      `the newest release whose docs were read); its defaults apply: check them against your ` +
      `release's docs`,
  };
}

/** The Markdown table of the README's "Run:ai versions" section, generated from {@link RELEASE_PROFILES}. */
export function profilesMarkdown(): string {
  const rows = RELEASE_PROFILES.map((p) => {
    const wiring =
      p.wiring === 'legacy-patch'
        ? 'JSON patch of the existing ingress'
        : `dedicated wildcard Ingress${p.gatewayApi ? '; Gateway API optional' : ''}`;
    const documented =
      p.documentedWildcardClass === undefined
        ? 'none (no new Ingress)'
        : `${p.documentedWildcardClass === null ? 'left out' : `\`${p.documentedWildcardClass}\``}; we write \`${p.controller.defaultClassName}\``;
    const sources = [p.source, ...(p.alsoSources ?? [])].map((s, i) => `[${i + 1}](${s})`).join(' ');
    return (
      `| ${p.id} | ${wiring} | \`${p.controller.name}\` | ${documented} | ` +
      `${p.documentedKnativeClass ? `\`${p.documentedKnativeClass}\`` : 'not shown'} | ` +
      `${p.helmKeys.length > 0 ? p.helmKeys.map((k) => `\`${k}\``).join(', ') : 'none (RunaiConfig only)'} ` +
      `| \`${p.runaiConfigVia}\`, default \`${p.subdomainSupportDefault}\` | ${sources} |`
    );
  });
  return [
    '| Run:ai | wiring | default controller | wildcard Ingress class | knative Ingress class ' +
      '| Helm keys | `subdomainSupport` via, Run:ai default | sources |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
