// report.json: the report model as written, pretty-printed, the input of `keyloop report`.
import type { Report } from './model.ts';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
