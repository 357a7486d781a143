/**
 * The JavaScript types of a construct's props, checked at run time. TypeScript refuses a number
 * for `clusterUrl` or a string for `runaiVersion`; a cdk8s app in JavaScript does not, and would
 * otherwise get a TypeError from deep inside the chart instead of a `ValidationError` naming the prop.
 */
import { shown, ValidationError } from '../model/errors';

/** Why a name is not one the API server takes (`labelNameProblem`, `subdomainNameProblem`), or `undefined`. */
type NameProblem = (name: string) => string | undefined;

/**
 * Throws one {@link ValidationError} naming every prop whose name the API server would refuse.
 * A prop left out (`undefined`, or `null` where that means "none") is not checked.
 */
export function checkNames(names: readonly (readonly [prop: string, value: string | null | undefined, problem: NameProblem])[]): void {
  const bad = names.flatMap(([prop, value, problem]) => {
    const found = value === undefined || value === null ? undefined : problem(value);
    return found ? [`${prop}: ${shown(value!)} ${found}`] : [];
  });
  if (bad.length > 0) throw new ValidationError(bad.join('; '));
}

/** A class whose instances a prop takes (`RunaiVersion`, `TlsSource`), its constructor private or not. */
interface AnyClass {
  readonly prototype: object;
  readonly name: string;
}

/**
 * What one prop must be: a JavaScript type, a class, an object of its own kinds, or
 * {@link optional} of one of those.
 */
export type PropKind =
  | 'string'
  | 'boolean'
  | 'number'
  | 'string-or-null'
  | 'boolean-or-null'
  | 'number-or-string'
  | 'bytes-or-string'
  | 'string-record'
  | 'function'
  | AnyClass
  | { readonly [field: string]: PropKind }
  | Optional
  | OneOf
  | ArrayOf
  | Either;

// Each wrapper has a field of its own name, so that TypeScript tells them apart.
class Optional {
  constructor(public readonly optional: PropKind) {}
}
class OneOf {
  constructor(public readonly values: readonly string[]) {}
}
class ArrayOf {
  constructor(public readonly items: PropKind) {}
}
class Either {
  constructor(public readonly kinds: readonly [PropKind, PropKind]) {}
}

/** A prop that may be left out (`undefined`). */
export function optional(kind: PropKind): Optional {
  return new Optional(kind);
}

/** A prop that is one of these strings. */
export function oneOf(values: readonly string[]): OneOf {
  return new OneOf(values);
}

/** A prop of either kind (the first one's problems are reported when it is neither). */
export function eitherKind(first: PropKind, second: PropKind): Either {
  return new Either([first, second]);
}

/** An array whose every item is of `kind`. */
export function arrayOf(kind: PropKind): ArrayOf {
  return new ArrayOf(kind);
}

/** The kinds of every prop of `Props`, so that a new prop cannot be forgotten here. */
export type PropKinds<Props> = { readonly [K in keyof Required<Props>]: PropKind };

/**
 * Throws one {@link ValidationError} naming every prop whose value is not of its kind. Messages
 * give the kind received; a string only as {@link shown} gives it, since a prop may hold key material.
 */
export function checkPropTypes(props: unknown, kinds: { readonly [field: string]: PropKind }): void {
  const problems = wrongProps(props, kinds, '');
  if (problems.length > 0) throw new ValidationError(problems.join('; '));
}

function wrongProps(value: unknown, kinds: { readonly [field: string]: PropKind }, at: string): string[] {
  if (!isRecord(value)) return [`${at || 'props'}: must be an object, got ${received(value)}`];
  const record = value as Record<string, unknown>;
  return Object.entries(kinds).flatMap(([field, kind]) => wrongProp(record[field], kind, at ? `${at}.${field}` : field));
}

function wrongProp(value: unknown, kind: PropKind, at: string): string[] {
  if (kind instanceof Optional) return value === undefined ? [] : wrongProp(value, kind.optional, at);
  if (kind instanceof OneOf) {
    return typeof value === 'string' && kind.values.includes(value)
      ? []
      : [`${at}: must be one of ${kind.values.map((v) => `'${v}'`).join(', ')}, got ${received(value)}`];
  }
  if (kind instanceof Either) {
    const [first, second] = kind.kinds.map((k) => wrongProp(value, k, at));
    return first.length === 0 || second.length === 0 ? [] : first;
  }
  if (kind instanceof ArrayOf) {
    return Array.isArray(value)
      ? // By index: flatMap would skip the holes of a sparse array.
        Array.from({ length: value.length }, (_, i) => wrongProp(value[i], kind.items, `${at}[${i}]`)).flat()
      : [`${at}: must be an array, got ${received(value)}`];
  }
  if (isClass(kind)) {
    const fits = typeof value === 'object' && value !== null && Object.prototype.isPrototypeOf.call(kind.prototype, value);
    return fits ? [] : [`${at}: must be an instance of ${kind.name}, got ${received(value)}`];
  }
  if (typeof kind === 'object') return wrongProps(value, kind, at);
  const [described, fits] = SIMPLE_KINDS[kind];
  return fits(value) ? [] : [`${at}: must be ${described}, got ${received(value)}`];
}

function isClass(kind: PropKind): kind is AnyClass {
  return typeof kind === 'function';
}

const isRecord = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An object literal (or one without a prototype), not a Map or another class, whose entries are its keys. */
const isPlainObject = (v: unknown): v is object => isRecord(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** The kinds named by a string: how a message says each, and the test of a value. */
const SIMPLE_KINDS: Readonly<Record<Extract<PropKind, string>, readonly [string, (value: unknown) => boolean]>> = {
  string: ['a string', (v) => typeof v === 'string'],
  boolean: ['a boolean', (v) => typeof v === 'boolean'],
  number: ['a number', (v) => typeof v === 'number'],
  function: ['a function', (v) => typeof v === 'function'],
  'string-or-null': ['a string or null', (v) => v === null || typeof v === 'string'],
  'boolean-or-null': ['a boolean or null', (v) => v === null || typeof v === 'boolean'],
  'number-or-string': ['a number or a string', (v) => typeof v === 'number' || typeof v === 'string'],
  'bytes-or-string': ['a Uint8Array or a string', (v) => v instanceof Uint8Array || typeof v === 'string'],
  'string-record': ['an object of string values', (v) => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string')],
};

/** The kind of a value, for a message: its type or class; a string or number also as it is shown. */
function received(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${shown(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return value === undefined ? 'nothing' : `a ${typeof value}`;
}
