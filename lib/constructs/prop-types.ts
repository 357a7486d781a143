/**
 * The JavaScript types of a construct's props, checked at run time. TypeScript refuses a number
 * for `clusterUrl` or a string for `runaiVersion`; a cdk8s app in JavaScript does not, and would
 * otherwise get a TypeError from deep inside the chart instead of a `ValidationError` naming the prop.
 */
import { shown, ValidationError } from '../model/errors';

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
  | 'number-or-string'
  | 'string-record'
  | AnyClass
  | { readonly [field: string]: PropKind }
  | Optional
  | OneOf
  | ArrayOf;

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

/** A prop that may be left out (`undefined`). */
export function optional(kind: PropKind): Optional {
  return new Optional(kind);
}

/** A prop that is one of these strings. */
export function oneOf(values: readonly string[]): OneOf {
  return new OneOf(values);
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
export function checkPropTypes(construct: string, props: unknown, kinds: { readonly [field: string]: PropKind }): void {
  const problems = wrongProps(props, kinds, '');
  if (problems.length > 0) throw new ValidationError(`${construct}: ${problems.join('; ')}`);
}

function wrongProps(value: unknown, kinds: { readonly [field: string]: PropKind }, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${at || 'props'}: must be an object, got ${received(value)}`];
  }
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
  if (kind instanceof ArrayOf) {
    return Array.isArray(value)
      ? value.flatMap((item, i) => wrongProp(item, kind.items, `${at}[${i}]`))
      : [`${at}: must be an array, got ${received(value)}`];
  }
  if (isClass(kind)) {
    const fits = typeof value === 'object' && value !== null && Object.prototype.isPrototypeOf.call(kind.prototype, value);
    return fits ? [] : [`${at}: must be an instance of ${kind.name}, got ${received(value)}`];
  }
  if (typeof kind === 'object') return wrongProps(value, kind, at);
  const fits =
    kind === 'string-or-null'
      ? value === null || typeof value === 'string'
      : kind === 'number-or-string'
        ? typeof value === 'number' || typeof value === 'string'
        : kind === 'string-record'
          ? typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string')
          : typeof value === kind;
  return fits ? [] : [`${at}: must be ${DESCRIBED[kind]}, got ${received(value)}`];
}

function isClass(kind: PropKind): kind is AnyClass {
  return typeof kind === 'function';
}

const DESCRIBED: Readonly<Record<Exclude<PropKind, AnyClass | object>, string>> = {
  string: 'a string',
  boolean: 'a boolean',
  number: 'a number',
  'string-or-null': 'a string or null',
  'number-or-string': 'a number or a string',
  'string-record': 'an object of string values',
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
