// The shell every HTML report page shares: one self-contained file with its style sheet and
// script inline, and a Content-Security-Policy that forbids any network access from the page.
import { html, trustedHtml, type SafeHtml } from './html-escape.ts';
import { FILTER_SCRIPT } from './html-script.ts';
import { REPORT_CSS } from './html-style.ts';

export interface HtmlPageOptions {
  title: string;
  /** Colours the tab icon: green for a passing run, red for a failing one, blue otherwise. */
  verdict: 'pass' | 'fail' | 'neutral';
  body: SafeHtml;
}

const VERDICT_COLOUR = { pass: '#1a7f37', fail: '#cf222e', neutral: '#0969da' } as const;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

export function htmlPage({ title, verdict, body }: HtmlPageOptions): string {
  const icon = `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${VERDICT_COLOUR[verdict]}"/></svg>`)}`;
  return `${html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="${icon}">
<style>${trustedHtml(REPORT_CSS)}</style>
</head>
<body>
${body}
<script>${trustedHtml(FILTER_SCRIPT)}</script>
</body>
</html>`}\n`;
}
