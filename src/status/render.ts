/**
 * Output of a listing as the CLI prints it: a PrettyTable (ages formatted as
 * dd:hh:mm:ss for `age` and every non-null `*_age` column), or upstream
 * webapp's JSON (raw values).
 */
import { formatAge } from './age.js';
import { prettyTable, type Cell } from './pretty-table.js';
import type { Listing } from './listings.js';

export function renderTable<T extends object>(listing: Listing<T>, nowSeconds?: number): string {
  const headers = listing.headers.map(([, title]) => title);
  const rows = listing.rows.map((row) =>
    listing.headers.map(([key]) => {
      const value = (row as Record<string, unknown>)[key];
      if ((key === 'age' || key.endsWith('_age')) && typeof value === 'number') return formatAge(value, nowSeconds);
      return value as Cell;
    }),
  );
  return prettyTable(headers, rows);
}

export function renderJson<T extends object>(listing: Listing<T>): string {
  return JSON.stringify(listing.rows);
}
