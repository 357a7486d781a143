import { Construct } from 'constructs';

import { requireHost, wildcardHost } from '../model/cluster-url';
import { ControlPlane } from '../model/control-plane';
import { DNS_SUBDOMAIN, labelNameProblem, subdomainNameProblem } from '../model/dns-names';
import { PATCHES_DIR, SCRIPT_MODE } from '../model/output-layout';
import { GENERATED_HEADER, IFileProducer, OutputFile } from './output-file';
import { checkPropTypes, PropKinds } from './prop-types';
import { IRunaiTlsSecret, requireSecretIn, TLS_SECRET_KINDS } from './tls-secret';

/** Props of {@link LegacyIngressTlsPatch}. */
export interface LegacyIngressTlsPatchProps {
  /** The cluster URL as a host name, `runai.example.com`. */
  readonly clusterUrl: string;
  /** Picks the ingress to patch: `researcher-service-ingress` (SaaS) or `runai-backend-ingress`. */
  readonly deployment: ControlPlane;
  /** The wildcard TLS Secret; it must be in the patched ingress's namespace. */
  readonly secret: IRunaiTlsSecret;
}

/**
 * Run:ai 2.9–2.12 wiring: no new Ingress; the existing Run:ai ingress gets one more `tls`
 * entry for `*.<clusterUrl>`. Emitted as a JSON patch file and a script that applies it only
 * when the entry is missing, since `add /spec/tls/-` appends a duplicate on every run.
 */
export class LegacyIngressTlsPatch extends Construct implements IFileProducer {
  /** The ingress that is patched. */
  public readonly ingressName: string;
  public readonly namespace: string;
  /** The wildcard host added to its `tls`. */
  public readonly host: string;
  /** The RFC 6902 JSON patch, as in Run:ai's docs. */
  public readonly operations: ReadonlyArray<{ op: 'add'; path: string; value: { hosts: string[]; secretName: string } }>;

  constructor(scope: Construct, id: string, props: LegacyIngressTlsPatchProps) {
    super(scope, id);
    checkPropTypes(props, {
      clusterUrl: 'string',
      deployment: ControlPlane,
      secret: TLS_SECRET_KINDS,
    } satisfies PropKinds<LegacyIngressTlsPatchProps>);
    const host = requireHost('clusterUrl', props.clusterUrl);
    this.ingressName = props.deployment.legacyIngressName;
    this.namespace = props.deployment.legacyNamespace;
    requireSecretIn('secret', props.secret, this.namespace, this.ingressName);
    this.host = wildcardHost(host);
    this.operations = [{ op: 'add', path: '/spec/tls/-', value: { hosts: [this.host], secretName: props.secret.name } }];
  }

  /** `patches/<ingress>-tls.json` and the script beside it. */
  public get patchPath(): string {
    return `${PATCHES_DIR}/${this.ingressName}-tls.json`;
  }

  public get scriptPath(): string {
    return `${PATCHES_DIR}/${SCRIPT_PREFIX}${this.ingressName}${SCRIPT_SUFFIX}`;
  }

  /** The patch for an ingress without `tls`, where `add /spec/tls/-` fails: it creates the array. */
  public get createPatchPath(): string {
    return `${PATCHES_DIR}/${this.ingressName}-tls-create.json`;
  }

  public outputFiles(): OutputFile[] {
    const target = `ingress ${this.namespace}/${this.ingressName}`;
    const create = [{ op: 'add', path: '/spec/tls', value: [this.operations[0].value] }];
    return [
      {
        path: this.patchPath,
        content: `${JSON.stringify(this.operations, undefined, 2)}\n`,
        mode: 0o644,
        description: `JSON patch adding ${this.host} to ${target}`,
        secret: false,
      },
      {
        path: this.createPatchPath,
        content: `${JSON.stringify(create, undefined, 2)}\n`,
        mode: 0o644,
        description: `the same, for an ingress that has no tls yet`,
        secret: false,
      },
      {
        path: this.scriptPath,
        content: this.script(),
        mode: SCRIPT_MODE,
        description: `applies that patch unless ${target} already has it`,
        secret: false,
      },
    ];
  }

  private script(): string {
    const patchFile = this.patchPath.slice(`${PATCHES_DIR}/`.length);
    const createFile = this.createPatchPath.slice(`${PATCHES_DIR}/`.length);
    return `#!/bin/sh
${GENERATED_HEADER}#
# Run:ai 2.9-2.12: adds the wildcard certificate to the existing ${this.ingressName}.
# The JSON patch appends to /spec/tls, so it is applied only when no tls entry has the host yet;
# an ingress without tls gets the array created instead.
# Extra arguments go to every kubectl call, for example: sh ${this.scriptPath} --context prod
# Without a cluster: sh ${this.scriptPath} --file INGRESS.yaml prints the patched ingress
# (kubectl patch --local); run it on its own output and it prints the same.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
ingress='${this.ingressName}'
namespace='${this.namespace}'
host='${this.host}'

# --file given at all (an empty value too: never the live cluster by mistake) means no cluster is changed.
file=; want_file=0; local=0
for arg do
  shift
  if [ "$want_file" = 1 ]; then file=$arg; want_file=0; continue; fi
  case $arg in
    --file) want_file=1; local=1; continue ;;
    --file=*) file=\${arg#--file=}; local=1; continue ;;
  esac
  set -- "$@" "$arg"
done
# printf, not echo: a file name is printed as it is (dash's echo reads backslashes in it).
if [ "$want_file" = 1 ] || { [ "$local" = 1 ] && [ ! -f "$file" ]; }; then
  printf '%s\\n' "--file: needs an ingress YAML file that exists, got '$file'" >&2
  exit 2
fi
if [ "$local" = 1 ] && [ ! -s "$file" ]; then
  printf '%s\\n' "--file: $file is empty; save the ingress in it first: kubectl\${1:+ $*} get ingress $ingress -n $namespace -o yaml > $file" >&2
  exit 2
fi

# One line "-" per tls entry, then its hosts ("-" is no host name).
entries='{.kind}/{.metadata.name}{"\\n"}{range .spec.tls[*]}{"-\\n"}{range .hosts[*]}{@}{"\\n"}{end}{end}'
if [ "$local" = 1 ]; then
  found=$(kubectl "$@" patch --local -f "$file" --type merge -p '{}' -o jsonpath="$entries") || {
    printf '%s\\n' "--file: kubectl could not read $file as ingress $ingress (its message is above)" >&2
    exit 2
  }
  if [ "$(printf '%s\\n' "$found" | head -n 1)" != "Ingress/$ingress" ]; then
    printf '%s\\n' "--file: $file does not hold ingress $ingress" >&2
    exit 2
  fi
else
  found=$(kubectl "$@" get ingress "$ingress" -n "$namespace" -o jsonpath="$entries") || {
    # Given kubectl's arguments (a --context), they are not asked for again, nor printed (a --token among them).
    if [ $# -gt 0 ]; then way="check the kubectl arguments given to this script"; else way="pass --context NAME"; fi
    failed="could not read ingress $namespace/$ingress from the cluster (kubectl's message is above)"
    printf '%s\\n' "$failed: $way, or patch a saved copy with --file" >&2
    exit 1
  }
fi
hosts=$(printf '%s\\n' "$found" | tail -n +2)
if printf '%s\\n' "$hosts" | grep -qxF -- "$host"; then
  if [ "$local" = 1 ]; then
    echo "ingress $namespace/$ingress already has tls for $host; printed unchanged" >&2
    exec kubectl "$@" patch --local -f "$file" --type merge -p '{}' -o yaml
  fi
  echo "ingress $namespace/$ingress already has tls for $host; nothing to do"
  exit 0
fi
patch="$here/${patchFile}"
printf '%s\\n' "$hosts" | grep -qx -- '-' || patch="$here/${createFile}"
if [ "$local" = 1 ]; then
  exec kubectl "$@" patch --local -f "$file" --type json --patch-file "$patch" -o yaml
fi
kubectl "$@" patch ingress "$ingress" -n "$namespace" --type json --patch-file "$patch"
`;
  }
}

/** A patch script's name in the patches folder: `apply-<ingress>-tls.sh`. */
const SCRIPT_PREFIX = 'apply-';
const SCRIPT_SUFFIX = '-tls.sh';

/** True when `file`, a name in the patches folder, is a patch script's: `apply-<ingress>-tls.sh`. */
export function isPatchScript(file: string): boolean {
  return file.length > SCRIPT_PREFIX.length + SCRIPT_SUFFIX.length && file.startsWith(SCRIPT_PREFIX) && file.endsWith(SCRIPT_SUFFIX);
}

/**
 * What a patch script (`text`, its start) adds its `spec.tls` entry to: the Ingress, its namespace
 * and the host, from the `ingress=`, `namespace=` and `host=` lines the script sets; `undefined`
 * for a script without those lines, or with a name the API server would refuse.
 */
export function readPatchScript(text: string): { ingress: string; namespace: string; host: string } | undefined {
  const [ingress, namespace, host] = ['ingress', 'namespace', 'host'].map((v) => new RegExp(`^${v}='([^'\n]+)'$`, 'm').exec(text)?.[1]);
  // Names the API server takes, or none: a hand-edited line (an escape, shell) must not reach a line or a command to paste.
  const valid =
    ingress !== undefined &&
    subdomainNameProblem(ingress) === undefined &&
    namespace !== undefined &&
    labelNameProblem(namespace) === undefined &&
    host !== undefined &&
    DNS_SUBDOMAIN.test(host.replace(/^\*\./, ''));
  return valid ? { ingress, namespace, host } : undefined;
}
