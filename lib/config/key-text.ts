/**
 * Key text pasted into the config. No field takes PEM (certificates and keys are files), so a
 * PEM marker in any key or value is refused; a value with a run of base64 as random as a line of
 * a key is written into the manifests as given, so it gets a warning (an annotation may hold a
 * token on purpose). Neither is ever quoted.
 */
import { formatPath, holdsPemMarker, holdsRandomBase64, Problem } from '../model/errors';

type Path = (string | number)[];

/** The keys whose values are file paths: certFile, keyFile, caFile, controllerCertFile. */
const FILE_KEY = /File$/;

/** The config's PEM text as errors, and its key-like base64 as warnings, each at its field. */
export function keyTextProblems(raw: unknown, source: string): Problem[] {
  const problems: Problem[] = [];
  const check = (text: string, path: Path) => {
    if (holdsPemMarker(text)) {
      problems.push({
        source,
        path: formatPath(path),
        message: 'holds PEM text; no field takes a certificate or key itself: name its file in certFile, keyFile or caFile',
      });
    } else if (holdsRandomBase64(text)) {
      problems.push({
        source,
        path: formatPath(path),
        message: 'holds a run of base64 as random as a line of a key, which is written into the manifests as it is; make sure it is no key',
        code: 'value-looks-like-key',
        severity: 'warning',
      });
    }
  };
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'string') check(value, path);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        check(k, [...path, k]);
        // A file's path is read, never written into a manifest: a random-looking one is only a name.
        if (typeof v === 'string' && FILE_KEY.test(k) && !holdsPemMarker(v)) continue;
        walk(v, [...path, k]);
      }
    }
  };
  walk(raw, []);
  return problems;
}
