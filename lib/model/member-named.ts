/** The member of an enum-like class by its name, for the classes' `of` (not part of the public API). */
import { shown, ValidationError } from './errors';

/**
 * The member of an enum-like class named `name`, for its `of`: a JavaScript caller's unknown name
 * (`'OpenShift'`, `'gateway'`) is refused, not read as another member.
 */
export function memberNamed<T extends { readonly name: string }>(type: string, members: readonly T[], name: unknown): T {
  const found = members.find((m) => m.name === name);
  if (found) return found;
  const given = typeof name === 'string' ? shown(name) : name === undefined ? 'nothing' : name === null ? 'null' : `a ${typeof name}`;
  throw new ValidationError(`${type}.of: ${given} is not one of: ${members.map((m) => m.name).join(', ')}`);
}
