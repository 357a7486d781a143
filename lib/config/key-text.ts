/**
 * Key text pasted into the config. No field takes PEM (certificates and keys are files), so a
 * PEM boundary line in any key or value is refused, at its field and never quoted. A bare line of
 * base64 is not: in an annotation it cannot be told from a digest, a token or a fingerprint, and
 * annotation values are the admin's own data, written as given.
 */
import { formatPath, holdsPemBoundary, Problem } from '../model/errors';

type Path = (string | number)[];

/** One problem for each key or value of the config that holds a PEM boundary line. */
export function keyTextProblems(raw: unknown, source: string): Problem[] {
  const problems: Problem[] = [];
  const check = (text: string, path: Path) => {
    if (holdsPemBoundary(text))
      problems.push({
        source,
        path: formatPath(path),
        message:
          'holds PEM text; no field takes a certificate or key itself: name its file in certFile, keyFile, caFile or controllerCertFile',
      });
  };
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'string') check(value, path);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        check(k, [...path, k]);
        walk(v, [...path, k]);
      }
    }
  };
  walk(raw, []);
  return problems;
}
