/**
 * CSV for the downloads: RFC 4180 quoting, CRLF lines, and untrusted text
 * kept from reading as a spreadsheet formula.
 *
 * @example
 * ```ts
 * import { csvLine, csvText } from "./csv.ts";
 * csvLine([csvText("=1+1"), 2]); // "'=1+1,2\r\n"
 * ```
 * @module
 */

/**
 * One CSV field, quoted when it holds a comma, a quote or a line break.
 *
 * @example
 * ```ts
 * csvField('say "hi"'); // '"say ""hi"""'
 * csvField(null); // ""
 * ```
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Untrusted text for a CSV cell: a leading `=`, `+`, `-`, `@`, tab or
 * carriage return (a formula to a spreadsheet) gets a `'` before it.
 *
 * @example
 * ```ts
 * csvText("=HYPERLINK(1)"); // "'=HYPERLINK(1)"
 * ```
 */
export function csvText(value: string | null): string | null {
  if (value === null) return null;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * One CSV line (CRLF-terminated, as RFC 4180 has it).
 *
 * @example
 * ```ts
 * csvLine(["a", 1, null]); // "a,1,\r\n"
 * ```
 */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
