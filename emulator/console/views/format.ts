// How dates read on the console's pages: minutes are enough, and UTC keeps screenshots and
// tests independent of the machine's time zone.

export function formatDate(date: Date | undefined): string {
  if (date === undefined) return '—';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
