/** Types of report.mjs (the runtime matrix's output), for the tests that import it. */

/** A pass count of one part of the suite. */
export interface PartCount {
  readonly total: number;
  readonly passed: number;
  readonly failures: readonly string[];
}

/** What the suite reports for one runtime (consumer/suite.js). */
export interface SuiteReport {
  readonly runtime: string;
  readonly backend: string;
  readonly webCrypto?: Readonly<Record<string, boolean>>;
  readonly interop: PartCount;
  readonly wycheproof: PartCount & { readonly families: Readonly<Record<string, { total: number; passed: number }>> };
  readonly fresh: PartCount;
}

/** One cell of the matrix: a runtime run one way, and its report when it produced one. */
export interface Cell {
  readonly label: string;
  readonly how: string;
  readonly expectBackend?: string;
  readonly report?: SuiteReport;
}

export function cellPasses(cell: Cell): boolean;
export function matrixTable(cells: readonly Cell[]): string;
export function familyTable(cells: readonly Cell[]): string;
export function webCryptoTable(cells: readonly Cell[]): string;
export function docsBlock(cells: readonly Cell[], versions: string): string;
export function replaceBlock(page: string, block: string): string;
export const BEGIN: string;
export const END: string;
