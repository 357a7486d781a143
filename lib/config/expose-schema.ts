/**
 * The `expose:` list of a cluster: Services that let researchers reach ports of their
 * containers (Jupyter 8888, TensorBoard 6006, SSH 22), as `runai submit --service-type` did.
 */

import { z } from 'zod';

import { DNS_1035_LABEL, DNS_LABEL, DNS_LABEL_MAX_LENGTH } from '../model/dns-names';
import { formatPath, shown } from '../model/errors';
import {
  cidrProblem,
  CONTAINER_PORT_NAME,
  EXPOSE_TYPES,
  exposeClashes,
  exposeNamesValid,
  exposeRuleBreaks,
  NODE_PORT_MAX,
  NODE_PORT_MIN,
  NODE_PORT_TEXT,
  PortSpec,
  TARGET_PORT_TEXT,
} from '../model/expose';
import { projectNamespaceProblem } from '../model/names';
import {
  describe,
  expected,
  expectedText,
  keyMessage,
  labelValue,
  metadataKey,
  oneOfMessage,
  refuse,
  strict,
  unknownKeyMessage,
} from './schema-helpers';

const SELECTOR_KEY = 'must be a label key such as app.kubernetes.io/name';
const PORT_STRING = /^(\d{1,5})(?::(\d{1,5}))?$/;

const port = (what: string) =>
  z
    .number({ error: expected(`${what}, a whole number from 1 to 65535`) })
    .int({ error: `must be ${what}, a whole number from 1 to 65535`, abort: true })
    .min(1, { error: `must be ${what}, a whole number from 1 to 65535` })
    .max(65535, { error: `must be ${what}, a whole number from 1 to 65535` });

const portObject = strict(
  {
    port: port('the Service port'),
    targetPort: z
      .union([port('the container port'), z.string().regex(CONTAINER_PORT_NAME, { error: TARGET_PORT_TEXT })], {
        error: TARGET_PORT_TEXT,
      })
      .optional(),
    nodePort: z
      .number({ error: expected(`a node port from ${NODE_PORT_MIN} to ${NODE_PORT_MAX}`) })
      .int({ error: NODE_PORT_TEXT, abort: true })
      .min(NODE_PORT_MIN, { error: NODE_PORT_TEXT })
      .max(NODE_PORT_MAX, { error: NODE_PORT_TEXT })
      .optional(),
    // A Service port's name is a DNS-1123 label (ValidateServicePort); the 15-character IANA
    // name is a container port's, which targetPort names.
    name: z
      .string({ error: expectedText('a port name such as http') })
      .max(DNS_LABEL_MAX_LENGTH, { error: `must be at most ${DNS_LABEL_MAX_LENGTH} characters` })
      .regex(DNS_LABEL, { error: 'must be a DNS label such as http' })
      .optional(),
  },
  'a mapping with port, and optionally targetPort, nodePort and name',
);

/** `"8888"` or `"8080:80"` (Service port 8080 to container port 80), or the object form. */
/** The forms a port takes: a string, a number, or the object form (the union's options, in order). */
const PORT_FORMS = [
  z.string().superRefine((text, ctx) => {
    const m = PORT_STRING.exec(text);
    const bad = !m || [m[1], m[2]].some((p) => p !== undefined && (Number(p) < 1 || Number(p) > 65535));
    if (bad)
      ctx.addIssue({
        code: 'custom',
        message: `${shown(text)} is not a port: use "8888", "8080:80" (Service port:container port, 1-65535) or {port: 8080, targetPort: 80}`,
      });
    // A leading zero is no port number anyone writes: a typo, or a number meant in another base.
    else if ([m[1], m[2]].some((p) => p?.startsWith('0')))
      ctx.addIssue({
        code: 'custom',
        message: `${shown(text)} has a port with a leading zero; write ${shown(text.replace(/(^|:)0+(?=\d)/g, '$1'))}`,
      });
  }),
  port('a port'),
  portObject,
] as const;

const portSpec = z.union(PORT_FORMS, {
  error: (issue) => {
    // A mapping is meant as the object form: say what is wrong inside it, not that it is a mapping;
    // an unknown key first (a misspelt port is also a missing one, and the spelling is the fix).
    type Inner = { code: string; path: PropertyKey[]; keys?: string[]; message: string };
    const inner = isMapping(issue.input) ? ((issue as { errors?: Inner[][] }).errors?.[PORT_FORMS.indexOf(portObject)] ?? []) : [];
    const first = inner.find((e) => e.code === 'unrecognized_keys') ?? inner[0];
    if (!first) return `must be a port such as "8888" or "8080:80", or {port, targetPort}, got ${describe(issue.input)}`;
    if (first.code !== 'unrecognized_keys') return `${formatPath(first.path)}: ${first.message}`;
    const keys = first.keys ?? [];
    const message = unknownKeyMessage(keys, first.message);
    return `${keys.map((k) => formatPath([...first.path, k])).join(', ')}: ${message}`;
  },
});

/** True for a YAML mapping (a plain object), not a list. */
function isMapping(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const cidr = z.string({ error: expectedText('a CIDR such as 10.0.0.0/8') }).superRefine(refuse(cidrProblem));

const entry = strict(
  {
    project: z
      .string({ error: expectedText('a Run:ai project name such as team-a') })
      .regex(DNS_LABEL, { error: 'must be a Run:ai project name: a DNS label such as team-a' }),
    workload: z
      .string({ error: expectedText('a workload name such as nb1') })
      .max(DNS_LABEL_MAX_LENGTH, { error: `must be at most ${DNS_LABEL_MAX_LENGTH} characters` })
      .regex(DNS_1035_LABEL, { error: 'must be a DNS-1035 label (it names the Service): a-z, 0-9 and "-", starting with a letter' }),
    type: z.enum(EXPOSE_TYPES, { error: oneOfMessage(EXPOSE_TYPES) }),
    ports: z.array(portSpec, { error: expected('a list of ports such as ["8888"]') }).min(1, { error: 'must list at least one port' }),
    namespace: z
      .string({ error: expectedText('a namespace') })
      .max(DNS_LABEL_MAX_LENGTH)
      .regex(DNS_LABEL, { error: 'must be a namespace: a DNS label such as runai-team-a' })
      .optional()
      .meta({ description: 'Namespace of the Service; default runai-<project>.' }),
    selector: z
      .record(metadataKey(SELECTOR_KEY), labelValue(), {
        error: (issue) => (issue.code === 'invalid_key' ? keyMessage(issue, SELECTOR_KEY) : expected('a mapping of pod labels')(issue)),
      })
      .optional()
      .meta({
        description: 'Labels of the pods to reach; default {release: <workload>}, the label the Run:ai CLI chart puts on job pods.',
      }),
    loadBalancerSourceRanges: z.array(cidr, { error: expected('a list of CIDRs such as [10.0.0.0/8]') }).optional(),
  },
  'a mapping with project, workload, type and ports',
)
  .superRefine((e, ctx) => {
    const at =
      (...path: (string | number)[]) =>
      (message: string) =>
        ctx.addIssue({ code: 'custom', path, message });
    // zod runs this even when a field failed; the rules below only make sense for valid names.
    if (!exposeNamesValid(e)) return;
    const ports = e.ports.map(toPort);
    if (ports.some((p) => !Number.isInteger(p.port))) return; // each bad port is reported on its own
    const longNamespace = e.namespace === undefined ? projectNamespaceProblem(e.project) : undefined;
    if (longNamespace) at('project')(longNamespace);
    for (const b of exposeRuleBreaks({ ...e, ports })) at(...b.path)(b.message);
  })
  .meta({ description: "A Service (and for type subdomain an Ingress) that exposes ports of a researcher's workload." });

/** A cluster's `expose` list, with the checks that span entries. */
export const expose = z
  .array(entry, { error: expected('a list of exposed workloads') })
  .superRefine((entries, ctx) => {
    // Entries whose names failed their own checks are left out of the rules across entries.
    const valid = entries.map((e) => (exposeNamesValid(e) ? { ...e, ports: e.ports.map(toPort) } : undefined));
    for (const b of exposeClashes(valid)) ctx.addIssue({ code: 'custom', path: [...b.path], message: b.message });
  })
  .meta({ description: "Services that expose ports of researchers' workloads." });

/** Reads `"8080:80"`, `"8888"` or the object form (already validated). */
export function toPort(p: string | number | { port: number; targetPort?: number | string; nodePort?: number; name?: string }): PortSpec {
  if (typeof p === 'number') return { port: p, targetPort: p };
  if (typeof p === 'string') {
    const m = PORT_STRING.exec(p);
    const service = Number(m?.[1]);
    return { port: service, targetPort: m?.[2] === undefined ? service : Number(m[2]) };
  }
  return { port: p.port, targetPort: p.targetPort ?? p.port, nodePort: p.nodePort, name: p.name };
}

/** One `expose` entry as the schema returns it. */
export type RawExpose = z.output<typeof expose>[number];
