/**
 * Plain words for the YAML mistakes people make by hand, and the source text of a value.
 * The `yaml` library reports a wrongly indented key on the line before it ("Nested mappings
 * are not allowed in compact mappings"); this points at the line to fix and says why. A key
 * given twice is named by its field. Messages never quote the file: a line could hold a pasted key.
 */
import { Document, isMap, isNode, isPair, isScalar, isSeq, LineCounter, visit, YAMLError } from 'yaml';

import { formatPath, Problem } from '../model/errors';

/** Where a YAML error is and what it means, in the user's terms. */
interface YamlProblem {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

const SAME_COLUMN = 'keys of one mapping start in the same column';
/** What the parser running out of stack means. */
export const TOO_DEEP = 'is nested too deeply to read; a config needs a few levels';

/** Deeper than any config goes, and well inside what the parser's stack takes (it fails near 900 levels). */
const MAX_DEPTH = 200;

/**
 * Where `text` nests deeper than {@link MAX_DEPTH}: block levels (each deeper indentation, and each
 * `- ` or `? ` that opens a compact one on a line) or flow collections (`[`, `{`). Found before
 * parsing, since the parser runs out of stack further down, and V8 may then abort the process
 * rather than throw (a regular expression first compiled that deep). A token is read as YAML
 * starts it: a bracket or quote opens a collection or a quoted scalar only where a value starts
 * (the start of a line's text, after `- `, `? ` or `: `, and in a flow collection after `[`, `{`,
 * `,` or a space); in plain text it is text. Blank lines, comments, the lines of a block scalar
 * (`|`, `>`) and of a quoted scalar are no level.
 */
export function tooDeep(text: string): { line: number; col: number } | undefined {
  const levels: number[] = []; // the indentation of each open block level
  let flow = 0;
  let quote = ''; // the quote of a quoted scalar still open, across lines
  let blockScalar = -1; // the indentation of the line that opened a block scalar, while it lasts
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const content = lines[i].replace(/\r$/, '');
    const indent = content.length - content.replace(/^ +/, '').length;
    const rest = content.slice(indent);
    if (blockScalar >= 0) {
      if (rest.trim() === '' || indent > blockScalar) continue;
      blockScalar = -1;
    }
    if (!quote && flow === 0) {
      if (/^\s*(#|$)/.test(rest)) continue;
      while (levels.length > 0 && levels[levels.length - 1] >= indent) levels.pop();
      levels.push(indent);
      const compact = (/^(?:[-?](?: +|$))*/.exec(rest)?.[0].match(/[-?]/g) ?? []).length;
      if (levels.length + compact > MAX_DEPTH) return { line: i + 1, col: indent + 1 };
    }
    let valueStarts = !quote;
    for (let j = 0; j < rest.length; j++) {
      const c = rest[j];
      if (quote) {
        if (c === '\\' && quote === '"') j++;
        else if (c === quote && quote === "'" && rest[j + 1] === "'") j++;
        else if (c === quote) quote = '';
        continue;
      }
      const next = rest[j + 1];
      if (c === ' ' || c === '\t') {
        if (flow > 0) valueStarts = true; // in block context, a space inside plain text starts nothing
      } else if (c === '#' && (j === 0 || /\s/.test(rest[j - 1]))) {
        break; // a comment
      } else if ((c === '-' || c === '?' || c === ':') && (next === undefined || next === ' ' || (flow > 0 && /[,\]}]/.test(next)))) {
        valueStarts = true; // an indicator: a value starts after it
      } else if (valueStarts && (c === '"' || c === "'")) {
        quote = c;
      } else if ((c === '[' || c === '{') && (valueStarts || flow > 0)) {
        if (++flow > MAX_DEPTH) return { line: i + 1, col: indent + j + 1 };
        valueStarts = true;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        valueStarts = false;
      } else if (c === ',' && flow > 0) {
        valueStarts = true;
      } else if ((c === '|' || c === '>') && valueStarts && flow === 0) {
        blockScalar = indent;
        break;
      } else {
        valueStarts = false;
      }
    }
  }
  return undefined;
}

/** The first-column indentation of each line (1-based index), `undefined` for blank or comment lines. */
function indentOf(text: string, line: number): number | undefined {
  const content = text.split('\n')[line - 1];
  if (content === undefined || /^\s*(#.*)?\r?$/.test(content)) return undefined;
  return content.length - content.trimStart().length;
}

/** The error in plain words, at the line to fix. */
export function yamlProblem(e: YAMLError, text: string, lines: LineCounter): YamlProblem {
  const at = lines.linePos(e.pos[0]);
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      // The library stops at the value before the mistake: the culprit is the next line indented deeper.
      const own = indentOf(text, at.line) ?? 0;
      const total = text.split('\n').length;
      for (let line = at.line + 1; line <= total; line++) {
        const indent = indentOf(text, line);
        if (indent === undefined) continue;
        if (indent <= own) break;
        return {
          line,
          col: indent + 1,
          message:
            `is indented more than the key on line ${at.line} (column ${own + 1}); ${SAME_COLUMN}, so ` +
            `move it to column ${own + 1}, or give line ${at.line} no value to make this a nested ` +
            `mapping`,
        };
      }
      break;
    }
    case 'BAD_INDENT':
      if (/same column/.test(e.message)) return { ...at, message: `is not indented like the keys above it; ${SAME_COLUMN}` };
      break;
    case 'MULTIPLE_DOCS':
      return {
        ...at,
        message: 'starts a second YAML document (a --- line); the config is one document: remove the line or what follows it',
      };
    case 'DUPLICATE_KEY': {
      const first = earlierKeyLine(text, at.line, at.col);
      return {
        ...at,
        message: `is a key this mapping already has${first ? ` (line ${first})` : ''}; YAML keys must be unique: keep one`,
      };
    }
    case 'MISSING_CHAR':
      if (/Sequence item without/.test(e.message))
        return { ...at, message: `is not indented like the keys of the list item above it (after its "- "); ${SAME_COLUMN}` };
      break;
  }
  if (/Maximum call stack/.test(e.message)) return { ...at, message: TOO_DEEP };
  return { ...at, message: `invalid YAML: ${yamlMessage(e.message)}` };
}

/**
 * The line where a block mapping first gives the key that starts at `line`, `col`: the nearest line
 * above whose key starts in the same column with the same text, within the mapping (which starts at
 * the list item's `- ` line, or after the last line indented less). `undefined` in a flow mapping,
 * or when the text is not found.
 */
function earlierKeyLine(text: string, line: number, col: number): number | undefined {
  const lines = text.split('\n');
  const key = /^[^\s:]+:/.exec(lines[line - 1]?.slice(col - 1) ?? '')?.[0];
  if (!key) return undefined;
  for (let n = line - 1; n >= 1; n--) {
    const content = lines[n - 1];
    if (/^\s*(#.*)?\r?$/.test(content)) continue;
    // Where the line's key starts: after its indentation and any "- " that opens a list item.
    const [lead, indent, dashes] = /^( *)((?:- +)*)/.exec(content)!;
    if (lead.length === col - 1 && content.slice(lead.length).startsWith(key)) return n;
    if (lead.length <= col - 1 && (dashes !== '' || indent.length < col - 1)) return undefined;
  }
  return undefined;
}

/** The value at `path` as written in the file, when it is a plain scalar (e.g. `2.20`, which YAML reads as 2.2). */
export function sourceText(doc: Document, text: string, path: readonly PropertyKey[]): string | undefined {
  const node = doc.getIn(path as unknown[], true) as { range?: [number, number, number] } | undefined;
  return node?.range ? text.slice(node.range[0], node.range[1]) : undefined;
}

/**
 * The library's message without the part that quotes the file: only its first line, and only up
 * to a word's ": " (after which `yaml` quotes a token, tag or alias, which may hold a key). A colon
 * after a space is the `:` indicator the message is about ("The : indicator must be …").
 */
export function yamlMessage(message: string): string {
  return message.split('\n')[0].split(/(?<=\S): /)[0];
}

/**
 * A key given twice in one mapping, named by its field (`clusters[0].clusterUrl`) with the lines of
 * both; by its line alone when the field cannot be told (a key that is no plain value).
 */
export function duplicateKeyProblem(e: YAMLError, doc: Document, text: string, lines: LineCounter, source: string): Problem {
  const at = lines.linePos(e.pos[0]);
  let field: (string | number)[] | undefined;
  let firstLine: number | undefined;
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== e.pos[0]) return undefined;
      const key = pair.key.value;
      const map = ancestors.at(-1);
      const first = isMap(map) ? map.items.find((p) => p !== pair && isScalar(p.key) && p.key.value === key) : undefined;
      const start = isScalar(first?.key) ? first.key.range?.[0] : undefined;
      firstLine = start === undefined ? undefined : lines.linePos(start).line;
      field = fieldOf(ancestors, pair);
      return visit.BREAK;
    },
  });
  if (field === undefined) return { source, path: `line ${at.line}, column ${at.col}`, message: yamlProblem(e, text, lines).message };
  const where = firstLine === undefined || firstLine === at.line ? `line ${at.line}` : `lines ${firstLine} and ${at.line}`;
  return { source, path: formatPath(field), message: `is given twice in one mapping (${where}); YAML keys must be unique: keep one` };
}

/** The config field a YAML node is at (`clusters[0].runaiVersion`), from the nodes above it. */
function fieldOf(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  return [...ancestors, node].flatMap((n, i, all): (string | number)[] => {
    const parent = all[i - 1];
    if (isPair(n) && isScalar(n.key)) return [String(n.key.value)];
    return isSeq(parent) && isNode(n) ? [parent.items.indexOf(n)] : [];
  });
}

/**
 * Where each problem the YAML reader found at an offset of the text is, for its line: the field of
 * the innermost node that starts there (of the mapping that holds it, for a key), and the line and
 * column: `clusters[0].runaiVersion (line 4, column 19)`. A tag's offset is its own, before its
 * node's: it takes the tagged node after it on its line. The line and column alone when no node is
 * found. One walk for all of them.
 */
export function placesOf(doc: Document, positions: readonly number[], lines: LineCounter): Map<number, string> {
  const wanted = new Set(positions);
  const fields = new Map<number, (string | number)[]>();
  const tagged: { start: number; field: (string | number)[] }[] = [];
  visit(doc, (_, node, ancestors) => {
    const start = isNode(node) ? node.range?.[0] : undefined;
    if (start === undefined) return;
    const parent = ancestors.at(-1);
    const field = isPair(parent) && parent.key === node ? fieldOf(ancestors.slice(0, -2), ancestors.at(-2)) : fieldOf(ancestors, node);
    if (wanted.has(start)) fields.set(start, field); // the innermost, visited last
    if (isNode(node) && node.tag) tagged.push({ start, field });
  });
  return new Map(
    positions.map((pos) => {
      const { line, col } = lines.linePos(pos);
      const field =
        fields.get(pos) ??
        tagged.filter((t) => t.start > pos && lines.linePos(t.start).line === line).sort((a, b) => a.start - b.start)[0]?.field;
      return [pos, field && field.length > 0 ? `${formatPath(field)} (line ${line}, column ${col})` : `line ${line}, column ${col}`];
    }),
  );
}

/**
 * Why a runaiVersion written without quotes, which YAML reads as a number (`2.10` as 2.1, `0o12`
 * as 10), is refused, and what to write: the version quoted, when it is one. `written` is the text
 * as in the file; `read` the number YAML made of it, when known.
 */
export function unquotedVersionMessage(written: string, read?: number): string {
  const number = read === undefined ? 'a number' : `the number ${read}`;
  return /^\d+\.\d+$/.test(written)
    ? `must be a quoted string: YAML reads an unquoted ${written} as ${number}; write runaiVersion: "${written}"`
    : `must be a quoted major.minor version such as "2.25", got ${written} unquoted, which YAML reads as ${number}`;
}
