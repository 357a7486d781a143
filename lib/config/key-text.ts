/**
 * Key text pasted into the config. No field takes PEM (certificates and keys are files), so a
 * PEM boundary line in any key or value is refused. An annotation value, free text that goes into
 * the manifests as written, gets a warning when it holds random base64 as long as a line of a
 * key (an annotation may hold a token on purpose). Neither is ever quoted.
 */
import { formatPath, holdsPemBoundary, Problem } from '../model/errors';

type Path = (string | number)[];

/** Base64 lines of PEM keys are 64 characters; a token, an ARN or a path rarely has 40 random ones in a row. */
const KEY_LINE_RUN = 40;
const BASE64_RUN = new RegExp(`[A-Za-z0-9+/=]{${KEY_LINE_RUN},}`, 'g');

/**
 * True when `text` has a run of base64 that reads like encoded bytes: capitals and small letters
 * a fifth of it each at least, some digits, and the kind of character (capital, small, digit, other) changing
 * at more than a third of the steps (about 2 in 3 in random base64, fewer in a key's DER header).
 * Names in CamelCase, paths, ARNs and hexadecimal digests do not: few capitals or digits, or one
 * case only, and long runs of one kind.
 */
function keyLikeRun(text: string): boolean {
  const kind = (c: string) => (/[A-Z]/.test(c) ? 'A' : /[a-z]/.test(c) ? 'a' : /[0-9]/.test(c) ? '0' : '+');
  return (text.match(BASE64_RUN) ?? []).some((run) => {
    const kinds = [...run].map(kind);
    const share = (k: string) => kinds.filter((x) => x === k).length / kinds.length;
    const changes = kinds.filter((k, i) => i > 0 && k !== kinds[i - 1]).length / (kinds.length - 1);
    return share('A') >= 0.2 && share('a') >= 0.2 && share('0') >= 0.04 && changes >= 0.38;
  });
}

/** The config's PEM text as errors, and its key-like annotation values as warnings, each at its field. */
export function keyTextProblems(raw: unknown, source: string): Problem[] {
  const problems: Problem[] = [];
  const check = (text: string, path: Path, annotationValue: boolean) => {
    if (holdsPemBoundary(text)) {
      problems.push({
        source,
        path: formatPath(path),
        message:
          'holds PEM text; no field takes a certificate or key itself: name its file in certFile, keyFile, caFile or controllerCertFile',
      });
    } else if (annotationValue && keyLikeRun(text)) {
      problems.push({
        source,
        path: formatPath(path),
        message:
          `holds ${KEY_LINE_RUN} or more characters of random base64 in a row, as a line of a key does, and goes into the ` +
          'manifests as written; make sure it is no key',
        code: 'value-looks-like-key',
        severity: 'warning',
      });
    }
  };
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'string') check(value, path, path.at(-2) === 'annotations');
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        check(k, [...path, k], false);
        walk(v, [...path, k]);
      }
    }
  };
  walk(raw, []);
  return problems;
}
