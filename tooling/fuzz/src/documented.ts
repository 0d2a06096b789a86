/**
 * Documented results: calls that return on bad-looking input by design. Each entry names the
 * export, the inputs it covers, why, and the test or document that pins the behaviour down.
 * @module
 */

/** One documented behaviour. */
export interface Documented {
  package: string;
  /** Export name (or `Class#method`, `ns.member`), or a pattern. */
  export: string | RegExp;
  /** Which inputs (the case label), default all. */
  input?: RegExp;
  /** Which outcomes (the failure detail), default all. */
  outcome?: RegExp;
  reason: string;
  /** Where the behaviour is tested or documented. */
  test: string;
}

export const DOCUMENTED: Documented[] = [];

/** The reason a failing-looking outcome is documented, or null. */
export function documentedFor(pkg: string, exportName: string, label: string, detail: string): string | null {
  for (const d of DOCUMENTED) {
    if (d.package !== pkg) continue;
    const nameOk = typeof d.export === 'string' ? d.export === exportName || label.startsWith(`${d.export}(`) || label.startsWith(`new ${d.export}(`) : d.export.test(label);
    if (!nameOk) continue;
    if (d.input && !d.input.test(label)) continue;
    if (d.outcome && !d.outcome.test(detail)) continue;
    return `${d.reason} (${d.test})`;
  }
  return null;
}
