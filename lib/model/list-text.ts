/** Lists in a message line. */

/** `items` joined with commas, the first `max` of them and a count of the rest: a line stays a line. */
export function someOf(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}
