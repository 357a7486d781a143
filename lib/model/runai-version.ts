import { shown, ValidationError } from './errors';

const VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

/**
 * A Run:ai cluster version such as `2.20`. It decides how the wildcard certificate is wired:
 * Run:ai 2.13 and later use a dedicated wildcard Ingress; 2.9–2.12 patch the existing one.
 */
export class RunaiVersion {
  /** The first version with host-based routing (Workspaces). */
  public static readonly MIN_HOST_ROUTING = new RunaiVersion(2, 9, '2.9');
  /**
   * The first version this tool writes the dedicated `runai-cluster-domain-star-ingress` for: the
   * project's choice, not a documented boundary. Run:ai's published v2.13 page still has the 2.9-era
   * JSON patch; the Ingress appears after its docs moved to admin/config/, in an undated release before 2.18.
   * The Ingress needs nothing from the release, so 2.13 gets it.
   */
  public static readonly FIRST_DEDICATED_INGRESS = new RunaiVersion(2, 13, '2.13');

  /**
   * Parses `"2.10"` or `"2.10.3"`.
   * @throws ValidationError when the text is not such a version or is older than 2.9
   */
  public static parse(text: string): RunaiVersion {
    if (typeof text !== 'string')
      throw new ValidationError(
        `runaiVersion: must be a string such as "2.20", got ${text === null ? 'null' : text === undefined ? 'nothing' : `a ${typeof text}`}`,
      );
    const problem = RunaiVersion.check(text);
    if (problem) throw new ValidationError(`runaiVersion: ${shown(text)} ${problem}`);
    const m = VERSION.exec(text)!;
    return new RunaiVersion(Number(m[1]), Number(m[2]), text);
  }

  /** Why `text` is not an acceptable version, or `undefined` when it is. */
  public static check(text: string): string | undefined {
    const m = VERSION.exec(text);
    if (!m) return 'is not a Run:ai version; use major.minor such as "2.20"';
    // "2.020" could mean 2.2 or 2.20; Run:ai writes its versions without leading zeros.
    const parts = m.slice(1).filter((p): p is string => p !== undefined);
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) {
      const plain = parts.map((p) => String(Number(p))).join('.');
      return (
        "has a part with a leading zero, which Run:ai's versions do not have, so the version is in doubt; " +
        `write it as Run:ai does, such as "${plain}"`
      );
    }
    const v = new RunaiVersion(Number(m[1]), Number(m[2]), text);
    if (v.isBefore(RunaiVersion.MIN_HOST_ROUTING)) return 'is too old; host-based routing needs Run:ai 2.9 or later';
    return undefined;
  }

  private constructor(
    public readonly major: number,
    public readonly minor: number,
    public readonly text: string,
  ) {}

  /** True when this version is older than `other` (major.minor only). */
  public isBefore(other: RunaiVersion): boolean {
    return this.major !== other.major ? this.major < other.major : this.minor < other.minor;
  }

  /** True for 2.9–2.12, which have no dedicated wildcard Ingress and need the legacy patch. */
  public get needsLegacyPatch(): boolean {
    return this.isBefore(RunaiVersion.FIRST_DEDICATED_INGRESS);
  }
}
