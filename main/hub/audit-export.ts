/**
 * The audit log as text: CSV (RFC 4180, a header line first) and chunks of one JSON array. Pure.
 * A CSV cell that a spreadsheet would run as a formula (=, +, -, @, a tab or CR first) gets a
 * leading apostrophe: entries hold names and messages other people chose, and an export is opened
 * in spreadsheets.
 */
import { AUDIT_COLUMNS, type AuditEntry } from '../api/audit-dto';

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const AUDIT_CSV_HEADER = `${AUDIT_COLUMNS.join(',')}\r\n`;

export function auditCsv(entries: readonly AuditEntry[]): string {
  return entries.map((e) => `${AUDIT_COLUMNS.map((c) => csvCell(e[c])).join(',')}\r\n`).join('');
}

/** Entries as the inside of a JSON array: `first` says whether a comma must come before them. */
export function auditJsonItems(entries: readonly AuditEntry[], first: boolean): string {
  return entries.map((e, i) => `${first && i === 0 ? '' : ',\n'}${JSON.stringify(e)}`).join('');
}
