/** Fields of kubectl's JSON, read without trusting their shape: a field of another type is left out. */

/** `v[key]` when `v` is an object, else undefined. */
export function field(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}

/** `v` when it is a list, else an empty one. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `v` when it is a string. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
