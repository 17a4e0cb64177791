/**
 * Reads ../shared/SECURITY-CHECKLIST.md (or $SECURITY_CHECKLIST) into ids, scans the test titles
 * of test/**\/*.test.ts for the ids they name, and reads the deliberate differences argued in
 * docs/security.md. Used by coverage.test.ts.
 *
 * Id scheme (as in the test titles):
 * - numbered items of §1.3 under their letter heading: `A.1` … `M.99`;
 * - advisories of §1.1: `V1` … `V41`;
 * - conformance rows of §2, one id per P-/F- case: `Resp-2 F-15` (attestation responses),
 *   `assertion Resp-1 F-21`, `CreationOptions Req-1 P-3`, `GetOptions Req-1 P-2`, `MDS3 F-4`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CHECKLIST_PATH = process.env.SECURITY_CHECKLIST ?? resolve(REPO_ROOT, '../shared/SECURITY-CHECKLIST.md');

/** One checklist entry that needs a test. */
export interface ChecklistEntry {
  readonly id: string;
  readonly kind: 'item' | 'advisory' | 'conformance';
  readonly text: string;
}

/** Expands `F-2/F-3`, `F-6..F-8` and `F-1` into the single case ids. */
function expandCases(token: string): string[] {
  const out: string[] = [];
  for (const part of token.split('/')) {
    const range = /^([PF])-(\d+)\.\.[PF]-(\d+)$/.exec(part);
    if (range !== null) {
      for (let n = Number(range[2]); n <= Number(range[3]); n++) out.push(`${range[1]}-${n}`);
    } else {
      out.push(part);
    }
  }
  return out;
}

const CASE_TOKEN = /\b[PF]-\d+(?:(?:\.\.|\/)[PF]-\d+)*/g;

/** The short id prefix of a conformance table row, from its first cell. */
function conformancePrefix(cell: string): string | undefined {
  if (cell.includes('CreationOptions-Req-1')) return 'CreationOptions Req-1';
  if (cell.includes('GetOptionsResponse-Req-1')) return 'GetOptions Req-1';
  if (cell.includes('Metadata Service')) return 'MDS3';
  const resp = /-(Resp-[0-9A-Z])\*\*/.exec(cell);
  if (resp === null) return undefined;
  return cell.includes('Assertion') ? `assertion ${resp[1]}` : resp[1];
}

/** The case ids of one conformance row's description. */
function conformanceCases(prefix: string, description: string): string[] {
  // "Same 17 F-cases as attestation Resp-2" (the assertion CollectedClientData row).
  const same = /Same (\d+) F-cases/.exec(description);
  if (same !== null) return Array.from({ length: Number(same[1]) }, (_, i) => `F-${i + 1}`);
  const cases = (description.match(CASE_TOKEN) ?? []).flatMap(expandCases);
  // The metadata row lists its failures unnumbered after "F:", separated by semicolons.
  if (prefix === 'MDS3') {
    const failures = /\bF: (.*)$/.exec(description)?.[1] ?? '';
    const count = failures.replace(/\([^)]*\)/g, '').split(';').filter((s) => s.trim() !== '').length;
    for (let n = 1; n <= count; n++) cases.push(`F-${n}`);
  }
  return [...new Set(cases)];
}

/** Every item, advisory and conformance case of the checklist. */
export function readChecklist(path = CHECKLIST_PATH): ChecklistEntry[] {
  const entries: ChecklistEntry[] = [];
  let letter: string | undefined;
  let section = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const heading = /^#{2,3} (\d+(?:\.\d+)?)/.exec(line);
    if (heading !== null) section = heading[1] as string;
    const letterHeading = /^\*\*([A-Z])\. /.exec(line);
    if (letterHeading !== null && section === '1.3') letter = letterHeading[1];
    const item = /^(\d+)\. (.*)$/.exec(line);
    if (item !== null && section === '1.3' && letter !== undefined) {
      entries.push({ id: `${letter}.${item[1]}`, kind: 'item', text: item[2] as string });
    }
    const advisory = /^\| (V\d+) \|(.*)$/.exec(line);
    if (advisory !== null && section === '1.1') entries.push({ id: advisory[1] as string, kind: 'advisory', text: advisory[2] as string });
    if (section === '2' && line.startsWith('| **')) {
      const [, first = '', description = ''] = line.split(/\s*\|\s*/);
      const prefix = conformancePrefix(first);
      if (prefix !== undefined) {
        for (const id of conformanceCases(prefix, description)) entries.push({ id: `${prefix} ${id}`, kind: 'conformance', text: description });
      }
    }
  }
  return entries;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** A string literal (quotes, backquotes) starting at `text[start]`; returns its raw body and end. */
function stringAt(text: string, start: number): { body: string; end: number } {
  const quote = text[start] as string;
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  return { body: text.slice(start + 1, i), end: i + 1 };
}

/** The end (index after `]`) of the array literal opening at `text[start]`, skipping strings. */
function arrayEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      i = stringAt(text, i).end - 1;
    } else if (c === '[') {
      depth++;
    } else if (c === ']' && --depth === 0) {
      return i + 1;
    }
  }
  return text.length;
}

/**
 * The titles of every describe/it/test in the test files: the literal first argument, and for
 * `.each([...])` the string literals of the inline table (its rows name the cases).
 */
export function testTitles(root = join(REPO_ROOT, 'test')): { file: string; title: string }[] {
  const titles: { file: string; title: string }[] = [];
  const call = /\b(?:describe|it|test)(?:\.(?:skip|only|concurrent|sequential|fails))?(\.each)?\(\s*/g;
  for (const path of testFiles(root)) {
    const file = relative(REPO_ROOT, path);
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(call)) {
      const at = (match.index as number) + match[0].length;
      const c = text[at];
      if (match[1] !== undefined && c === '[') {
        const end = arrayEnd(text, at);
        for (let i = at; i < end; i++) {
          const q = text[i];
          if (q === "'" || q === '"' || q === '`') {
            const literal = stringAt(text, i);
            titles.push({ file, title: literal.body });
            i = literal.end - 1;
          }
        }
      } else if (c === "'" || c === '"' || c === '`') {
        titles.push({ file, title: stringAt(text, at).body });
      }
    }
  }
  return titles;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `title` names entry `id`: the id as a whole word (`B.1` is not `B.18`), a conformance case
 * also as a member of a slash list (`Resp-9 F-2/F-3`). An attestation-response id is not named by
 * the assertion row of the same number (`assertion Resp-2 F-1`). A range (`B.11–B.14`,
 * `F-1..F-14`) names none of its cases, its ends included: each case needs a title of its own.
 */
export function names(title: string, id: string): boolean {
  const conformance = /^(.*?)([PF]-\d+)$/.exec(id);
  if (conformance === null) {
    const word = new RegExp(`(?<![\\w.])${escapeRegExp(id)}(?![\\w]|\\.\\d)`, 'g');
    for (const match of title.matchAll(word)) {
      const before = title.slice(0, match.index);
      const after = title.slice((match.index as number) + id.length);
      const rangeEnd = /[A-M]\.\d+\s*(?:[–—-]|\.\.)\s*$/.test(before) || /^\s*(?:[–—-]|\.\.)\s*[A-M]\.\d/.test(after);
      if (!rangeEnd) return true;
    }
    return false;
  }
  const prefix = (conformance[1] as string).trim();
  const guard = prefix.startsWith('Resp-') ? '(?<!assertion )' : '';
  const list = new RegExp(`${guard}(?<![\\w-])${escapeRegExp(prefix)} ((?:[PF]-\\d+(?:\\.\\.[PF]-\\d+)?/)*[PF]-\\d+(?:\\.\\.[PF]-\\d+)?)`, 'gi');
  for (const match of title.matchAll(list)) {
    const cases = (match[1] as string).split('/').filter((part) => !part.includes('..'));
    if (cases.includes(conformance[2] as string)) return true;
  }
  return false;
}

/** The ids named in the "Deliberate differences" section of docs/security.md, with their text. */
export function deliberateDifferences(path = join(REPO_ROOT, 'docs/security.md')): Map<string, string> {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('## Deliberate differences from ../shared/SECURITY-CHECKLIST.md');
  if (start < 0) return new Map();
  const rest = text.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => line.startsWith('## '));
  const section = (end < 0 ? rest : rest.slice(0, end)).join('\n');
  const out = new Map<string, string>();
  // Each entry: "- **<ids> (<topic>):** <argument>", continued on indented lines.
  for (const entry of section.split(/\n(?=- \*\*)/)) {
    const head = /^- \*\*(.*?):\*\*([\s\S]*)$/.exec(entry.trim());
    if (head === null) continue;
    const label = head[1] as string;
    const argument = (head[2] as string).replace(/\s+/g, ' ').trim();
    for (const id of label.match(/\b[A-M]\.\d+\b|\bV\d+\b/g) ?? []) out.set(id, argument);
    for (const m of label.matchAll(/((?:assertion )?Resp-[0-9A-Z]|MDS3|(?:Creation|Get)Options Req-1) ([PF]-\d+(?:\.\.[PF]-\d+)?(?:\/[PF]-\d+)*)/g)) {
      for (const c of (m[2] as string).split('/').flatMap((part) => expandCases(part))) out.set(`${m[1]} ${c}`, argument);
    }
  }
  return out;
}
