/**
 * `doctor`'s flags, apart from the command: `run.ts` needs them to find the command in any
 * argv, and loads `doctor.ts` (the probes, `node:tls`, `node:dns`) only when `doctor` runs, so
 * the other commands, and the V8 start-up snapshot (`snapshot.ts`), never load the probes.
 */
export const DOCTOR_OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  cluster: { type: 'string' },
  context: { type: 'string' },
  dns: { type: 'string' },
  address: { type: 'string' },
  port: { type: 'string' },
  'no-kube': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
