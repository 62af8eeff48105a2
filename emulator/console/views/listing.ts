// A list a page shows, or the AWS error that stopped the console from reading it (the page still
// renders, with the denial where the list would be).
import { html, type SafeHtml } from '../html.ts';
import { alertBox, type Alert } from './layout.ts';

export type Listing<T> = { ok: true; items: readonly T[] } | { ok: false; alert: Alert };

/** The rendered items, `empty` when there are none, or the denial. */
export function listingBody<T>(listing: Listing<T>, empty: string, render: (items: readonly T[]) => SafeHtml): SafeHtml {
  if (!listing.ok) return alertBox(listing.alert) ?? html``;
  return listing.items.length === 0 ? html`<p class="empty">${empty}</p>` : render(listing.items);
}
