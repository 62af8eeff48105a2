// Reading the mock console's pages from code: the CSRF token, the page's alert and the rows the
// pages mark with data attributes. The console's markup is ours, so a few anchored patterns do;
// these are not a general HTML parser.

export interface PageAlert {
  kind: 'error' | 'success' | 'info';
  /** The AWS error code or the console's own (data-code), '' when the alert has none. */
  code: string;
  message: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

const decodeHtml = (text: string): string => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);

export function csrfTokenOf(html: string): string | undefined {
  const match = /<meta name="csrf-token" content="([^"]*)">/.exec(html);
  return match && match[1] !== '' ? match[1] : undefined;
}

/** The page's first alert, or the first after `after` (a section's marker, e.g. `id="mfa"`). */
export function alertOf(html: string, after?: string): PageAlert | undefined {
  const from = after === undefined ? 0 : html.indexOf(after);
  if (from < 0) return undefined;
  const match = /<div class="alert alert-(error|success|info)" role="(?:alert|status)" data-code="([^"]*)">[\s\S]*?<p class="alert-message">([\s\S]*?)<\/p>/.exec(html.slice(from));
  if (!match) return undefined;
  return { kind: match[1] as PageAlert['kind'], code: decodeHtml(match[2]), message: decodeHtml(match[3]) };
}

/** Every value of `attribute` on the page's elements, in order (e.g. `data-serial`). */
export function attributeValues(html: string, attribute: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, 'g'))].map((match) => decodeHtml(match[1]));
}

/** Add permissions' policy checkboxes: name (the label text) and ARN (the value). */
export function policyChoicesOf(html: string): Array<{ name: string; arn: string; attached: boolean }> {
  return [...html.matchAll(/<input type="checkbox" name="policyArn" value="([^"]*)"( checked disabled)?> ([^<]*)/g)].map((match) => ({
    arn: decodeHtml(match[1]),
    attached: match[2] !== undefined,
    name: decodeHtml(match[3].trim()),
  }));
}

/** The hidden fields of the form that posts to `action` (to continue a multi-step form). */
export function hiddenFieldsOf(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) return {};
  const end = html.indexOf('</form>', start);
  const form = html.slice(start, end < 0 ? undefined : end);
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[decodeHtml(match[1])] = decodeHtml(match[2]);
  return fields;
}
