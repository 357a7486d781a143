/**
 * Reads the config text as one YAML document, as an admin means it: YAML 1.2's core schema, no
 * merge keys, tags or `__proto__`, no duplicate keys, aliases or nesting past a bound, and no text
 * that is not UTF-8; each refused with where it is. A PEM file given as the config is named as one.
 */
import {
  Alias,
  Document,
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Pair,
  parseDocument,
  Scalar,
  visit,
} from 'yaml';

import { formatPath, InputError, Problem, shownBare } from '../model/errors';
import { PRIVATE_KEY_BEGIN } from '../model/names';
import { CONTROL_CHARACTER } from './encoding';
import { duplicateKeyProblem, placesOf, TOO_DEEP, tooDeep, unquotedVersionMessage, yamlProblem } from './yaml-messages';

/** YAML syntax errors reported before the rest are summed up in one line. */
const MAX_YAML_ERRORS = 5;

/** The first {@link MAX_YAML_ERRORS} of `problems`, and a line that says how many more `what` there are. */
function firstFew(problems: Problem[], source: string, what: string): Problem[] {
  const shown = problems.slice(0, MAX_YAML_ERRORS);
  if (problems.length > shown.length) shown.push({ source, path: '', message: `and ${problems.length - shown.length} more ${what}` });
  return shown;
}

/** PEM files a config path may name by mistake, and what each is. */
const PEM_CONFIG: readonly (readonly [RegExp, string])[] = [
  [PRIVATE_KEY_BEGIN, 'is a PEM private key, not a config'],
  [/-----BEGIN CERTIFICATE-----/, 'is a PEM certificate, not a config'],
];

export function parseYaml(given: string, source: string, brokenUtf8: boolean): { raw: unknown; doc: Document; lines: LineCounter } {
  // A byte-order mark (Windows editors write one) is no text of the document: without it, line 1's columns are an editor's.
  const text = given.startsWith('\ufeff') ? given.slice(1) : given;
  const deep = tooDeep(text);
  if (deep) throw new InputError([{ source, path: `line ${deep.line}, column ${deep.col}`, message: TOO_DEEP }]);
  const lines = new LineCounter();
  // logLevel 'error': the library's warnings (a collection used as a key) would print a line quoting the file.
  // resolveKnownTags false: !!binary, !!set, !!timestamp and !!omap would become a Buffer, a Set, a
  // Date or a Map, which the schema reads as strange objects (a Buffer as one key per byte).
  const doc = parseDocument(text, {
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    lineCounter: lines,
    logLevel: 'error',
    // The core schema whatever a %YAML 1.1 directive asks: 1.1 would read yes as true and apply << merges.
    schema: 'core',
    resolveKnownTags: false,
  });
  // A syntax error (other than a repeated key) makes the parser misread what follows it, with errors of its own:
  // the first one in the file is the one to fix, and the only one said.
  const syntax = doc.errors
    .filter((e) => e.code !== 'DUPLICATE_KEY')
    .map((e) => yamlProblem(e, text, lines))
    .sort((a, b) => a.line - b.line || a.col - b.col);
  if (syntax.length > 0) {
    // The parser runs out of stack at each level it unwinds through: that, when it happens, is the line.
    const first = syntax.find((e) => e.message === TOO_DEEP) ?? syntax[0];
    // A raw control character (a NUL, a BEL) before it on its line is what the parser stumbled on
    // ("Unexpected scalar at node end"): said as what it is, where it is (one in a comment of a file
    // that otherwise parses is let be, as a comment may hold anything).
    const control = RAW_CONTROL.exec(text);
    const at = control ? lines.linePos(control.index) : undefined;
    if (control && at && at.line === first.line && at.col <= first.col)
      throw new InputError([{ source, path: `line ${at.line}, column ${at.col}`, message: rawControlMessage(control[0]) }]);
    throw new InputError([{ source, path: `line ${first.line}, column ${first.col}`, message: first.message }]);
  }
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => duplicateKeyProblem(e, doc, text, lines, source));
  if (duplicates.length > 0) throw new InputError(duplicates);
  const errors = [
    ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED').map((w) => ({ pos: w.pos[0], message: UNREAD_TAG })),
    ...nodeProblems(doc, brokenUtf8),
  ];
  if (errors.length > 0) {
    const problems = new Map<string, Problem>();
    const places = placesOf(
      doc,
      errors.map((e) => e.pos),
      lines,
    );
    for (const { pos, message } of errors) {
      const problem = { source, path: places.get(pos)!, message };
      problems.set(`${problem.path}: ${problem.message}`, problem);
    }
    // A file can hold hundreds of such scalars or keys: report the first few.
    throw new InputError(firstFew([...problems.values()], source, 'YAML errors; fix the first ones and run again'));
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new InputError([{ source, path: '', message: 'uses too many YAML aliases; write the values out' }]);
  }
  if (value === null || value === undefined) {
    throw new InputError([{ source, path: '', message: 'is empty; expected a mapping with a clusters list' }]);
  }
  // A PEM file given as the config (a plain scalar to YAML): named as what it is, never quoted.
  const pem = typeof value === 'string' ? PEM_CONFIG.find(([begin]) => begin.test(value as string)) : undefined;
  if (pem) throw new InputError([{ source, path: '', message: `${pem[1]}; give the YAML config (runai-access.yaml)` }]);
  return { raw: value, doc, lines };
}

/** Where a field is in the config: its line and column, from 1. */
export interface FieldPlace {
  readonly line: number;
  readonly column: number;
}

/**
 * Where each field of the document is, by its path as problems name it (`formatPath`): a mapping
 * entry where its key starts, a list item where it starts. A field that is not in the file (a
 * required key left out) is placed where the nearest field that holds it is. Built on the first
 * call: most configs load without a problem to place.
 */
export function fieldPlaces(doc: Document, lines: LineCounter): (path: string) => FieldPlace | undefined {
  let places: Map<string, FieldPlace> | undefined;
  const build = () => {
    const found = new Map<string, FieldPlace>();
    const place = (segments: PropertyKey[], pos: number | undefined) => {
      if (pos === undefined) return;
      const { line, col } = lines.linePos(pos);
      found.set(formatPath(segments), { line, column: col });
    };
    const walk = (node: unknown, segments: PropertyKey[]): void => {
      if (isMap(node))
        for (const pair of node.items) {
          if (!isScalar(pair.key) || (typeof pair.key.value !== 'string' && typeof pair.key.value !== 'number')) continue;
          const at = [...segments, String(pair.key.value)];
          place(at, pair.key.range?.[0]);
          walk(pair.value, at);
        }
      else if (isSeq(node))
        node.items.forEach((item, i) => {
          place([...segments, i], isNode(item) ? item.range?.[0] : undefined);
          walk(item, [...segments, i]);
        });
    };
    walk(doc.contents, []);
    return found;
  };
  return (path) => {
    places ??= build();
    // The field, or the nearest field that holds it: cut at each "." or "[" from the end (a key may hold a ".").
    for (let end = path.length; end > 0; end = Math.max(path.lastIndexOf('.', end - 1), path.lastIndexOf('[', end - 1))) {
      const place = places.get(path.slice(0, end));
      if (place) return place;
    }
    return undefined;
  };
}

/** A problem found in the YAML document: where it starts (an offset in the text), and what it is. */
interface Found {
  readonly pos: number;
  readonly message: string;
}

/**
 * What the YAML reader takes and the schema would not see, or would get otherwise than meant, in
 * one walk of the document (a config of a thousand clusters has tens of thousands of nodes):
 * {@link unreadKey}s, then {@link aliasProblem}s, then {@link scalarProblem}s, each kind in the
 * order of the file.
 */
function nodeProblems(doc: Document, brokenUtf8: boolean): Found[] {
  const keys: Found[] = [];
  const aliases: Found[] = [];
  const scalars: Found[] = [];
  const anchors = new Set<string>(); // the anchors (&name) before the node the walk is at
  visit(doc, (key, node, path) => {
    if (isPair(node)) unreadKey(node, keys);
    else if (isAlias(node)) aliasProblem(node, path, anchors, aliases);
    else {
      const pair = key === 'value' ? path.at(-1) : undefined;
      if (isScalar(node)) scalarProblem(node, brokenUtf8, scalars, isPair(pair) && isScalar(pair.key) ? pair.key.value : undefined);
      if (isNode(node) && node.anchor) anchors.add(node.anchor);
    }
  });
  return [...keys, ...aliases, ...scalars];
}

/**
 * A mapping key the schema would never see: a list or mapping (which JavaScript objects cannot
 * hold), YAML 1.1's merge key, and `__proto__`, which zod skips without a word (so a label or
 * selector of that name would vanish from the output); or a key glued to its value.
 */
function unreadKey(pair: Pair, found: Found[]): void {
  const pos = (isCollection(pair.key) || isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? 0;
  if (isCollection(pair.key)) found.push({ pos, message: 'invalid YAML: a mapping key must be a plain value, not a list or a mapping' });
  else if (isScalar(pair.key) && pair.key.value === '<<') found.push({ pos, message: MERGE_KEY });
  else if (isScalar(pair.key) && pair.key.value === '__proto__') found.push({ pos, message: PROTO_KEY });
  else if (isScalar(pair.key) && typeof pair.key.value === 'string' && pair.value === null) {
    // {source:existing}: in a flow mapping, no space after the colon makes one key without a value (a label key may hold a "/").
    const glued = /^([A-Za-z][\w./-]*):(\S.*)$/.exec(pair.key.value);
    if (glued)
      // The value as written: quoting it would make text of a true, a number or a null.
      found.push({
        pos,
        message: `is one key with no value, as YAML needs a space after ":"; write ${glued[1]}: ${shownBare(glued[2])}`,
      });
  }
}

/**
 * A scalar the YAML reader takes and the cluster would get otherwise than meant: a key or value
 * holding a control character (raw, or from an escape such as `"\0"`), or, when the file's bytes
 * were no UTF-8, a character they were read as (U+FFFD); or a number written other than in plain
 * decimal (0o22, 0x50, 1e3, +5, 007), which YAML reads as a value the admin may not have meant
 * (0o22 is 18): a port or a phase written so is a typo, a name text that lacks its quotes. A
 * comment may hold anything.
 */
function scalarProblem(node: Scalar, brokenUtf8: boolean, found: Found[], key: unknown): void {
  const pos = node.range?.[0] ?? 0;
  if (typeof node.value === 'number') {
    const source = (node as { source?: unknown }).source;
    if (typeof source === 'string' && !/^-?(0|[1-9]\d*)(\.\d+)?$/.test(source))
      found.push({
        pos,
        // A version is never a number, in any notation: the schema's own advice (load.ts), not "plain decimal".
        message:
          key === 'runaiVersion'
            ? unquotedVersionMessage(source, node.value)
            : `is read by YAML as the number ${node.value}; write a number in plain decimal, or quote text ("…")`,
      });
    return;
  }
  if (typeof node.value !== 'string') return;
  const control = CONTROL_CHARACTER.exec(node.value);
  if (control) {
    const name = `U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const what = /\p{Surrogate}/u.test(control[0])
      ? `the lone surrogate ${name}, which is no character`
      : `the control character ${name}, which no value takes`;
    found.push({ pos, message: `holds ${what}; remove it` });
  } else if (brokenUtf8 && node.value.includes('\ufffd')) found.push({ pos, message: NOT_UTF8 });
}

/** A control character YAML allows nowhere in a file: C0 but tab and line ends, DEL, C1 but NEL. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/;
function rawControlMessage(c: string): string {
  const name = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `holds the control character ${name}, which YAML does not allow here (an editor shows none); remove it`;
}

const NOT_UTF8 =
  'holds a byte that is not UTF-8 (a Latin-1 or Windows-1252 character, perhaps); save the file as UTF-8 ' +
  '(iconv -f WINDOWS-1252 -t UTF-8 old.yaml > new.yaml)';

/**
 * An alias (`*name`) with no anchor (`&name`) before it (`anchors`), or inside the value its anchor
 * names (`path`: the nodes it is in), which the YAML reader only finds when it builds the values
 * (the second by running out of stack). The name is not quoted: it could be anything pasted.
 */
function aliasProblem(node: Alias, path: readonly unknown[], anchors: ReadonlySet<string>, found: Found[]): void {
  const pos = node.range?.[0] ?? 0;
  // An alias inside the value its anchor names holds itself: building it never ends.
  if (path.some((p) => isNode(p) && !isAlias(p) && p.anchor === node.source)) found.push({ pos, message: LOOPING_ALIAS });
  else if (!anchors.has(node.source)) found.push({ pos, message: UNDEFINED_ALIAS });
}
const UNDEFINED_ALIAS = 'is an alias (*) of an anchor not defined before it; define the anchor (&) above it, or write the value out';
const LOOPING_ALIAS = 'is an alias (*) inside the value its own anchor (&) names, which would hold itself; write the value out';

/** A tag other than YAML's core ones (`!!str`, `!!int`, …), which are read as usual. */
const UNREAD_TAG = 'uses a YAML tag (such as !!binary, !!set or a custom !tag) that runai-access does not read; write the plain value';

/** `__proto__`: no config key, label, annotation or selector key has that name. */
const PROTO_KEY = 'uses the key __proto__, which is no config key and no label, annotation or selector key; remove it';
/** YAML 1.1's merge key, which YAML 1.2 (what runai-access reads) does not have. */
const MERGE_KEY = 'uses a YAML merge key (<<), which runai-access does not read; write the keys out';
