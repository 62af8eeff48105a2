// report.html and compare.html in Chromium, as a person at a laptop uses them: no console
// errors, no network request besides the file itself, result and tag filters and the search
// box narrowing the rows, rows opening into failure details and decoded transcripts, and the
// basic content readable with JavaScript off. Screenshots (and the pages they show) are kept in
// reports/screenshots/report-html/ to be looked at.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { allScenarios } from '../../scenarios/index.ts';
import { selectScenarios } from '../../harness/runner/index.ts';
import { compareRuns } from '../../harness/report/compare.ts';
import { loadRun } from '../../harness/report/load-run.ts';
import type { Report } from '../../harness/report/model.ts';
import { writeComparisonFiles } from '../../harness/report/write-comparison-files.ts';
import { BROKEN_SCENARIO, FAULTY_PROFILE, recordRun, SELECTION } from './support.ts';

const SHOTS = resolve('reports/screenshots/report-html');
const reportsDir = join(SHOTS, 'runs');
await rm(SHOTS, { recursive: true, force: true });
await mkdir(reportsDir, { recursive: true });

const selected = selectScenarios(allScenarios, SELECTION);
const passing = await recordRun({ reportsDir, scenarios: selected, startedAt: new Date('2026-11-28T10:00:00.000Z') });
const failing = await recordRun({ reportsDir, profilePath: FAULTY_PROFILE, scenarios: [...selected, BROKEN_SCENARIO], withhold: ['restart'], startedAt: new Date('2026-11-28T11:00:00.000Z') });
const failingReport = JSON.parse(await readFile(join(failing.dir, 'report.json'), 'utf8')) as Report;
const compareDir = join(reportsDir, 'compare');
await writeComparisonFiles({
  dir: compareDir,
  comparison: compareRuns({ a: await loadRun({ run: passing.dir, reportsDir }), b: await loadRun({ run: failing.dir, reportsDir }) }),
});

const browser: Browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

test.after(() => browser.close());

interface OpenPage {
  page: Page;
  /** Every request the page made. */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  problems: string[];
  close(): Promise<void>;
}

/** A laptop-sized page on `file`; `javaScript: false` shows what a locked-down viewer shows. */
async function open(file: string, { javaScript = true } = {}): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(pathToFileURL(file).href);
  return { page, requests, problems, close: () => context.close() };
}

function assertSelfContained({ requests, problems }: OpenPage, file: string): void {
  assert.equal(problems, []);
  assert.equal(requests, [pathToFileURL(file).href]);
}

const visible = (page: Page) => page.locator('[data-item]:visible');

test('a passing run: green header, counts, nothing fetched, tag filter and search narrow the rows', async () => {
  const file = join(passing.dir, 'report.html');
  const view = await open(file);
  const { page } = view;
  try {
    assert.is(await page.locator('.verdict').textContent(), 'PASS');
    assert.is(await page.locator('.tile.pass .n').textContent(), String(selected.length));
    assert.is(await visible(page).count(), selected.length);
    assert.is(await page.locator('[data-count]').textContent(), `showing all ${selected.length}`);
    await page.screenshot({ path: join(SHOTS, 'passing.png') });

    await page.click('[data-key="tags"] button[data-value="negative"]');
    const negative = selected.filter((scenario) => scenario.tags?.includes('negative')).length;
    assert.is(await visible(page).count(), negative);
    assert.is(await page.locator('[data-count]').textContent(), `showing ${negative} of ${selected.length}`);
    await page.click('[data-reset]');
    await page.fill('[data-search]', 'counter');
    assert.equal(await visible(page).evaluateAll((items) => items.map((item) => item.id)), ['scenario-u2f.counter-increasing', 'scenario-u2f.counter-across-restart']);
    await page.fill('[data-search]', 'no such thing');
    assert.ok(await page.locator('[data-empty]').isVisible());
    assert.ok(await page.locator('#suite-u2f').isHidden());
    await page.click('[data-reset]');
    assert.is(await visible(page).count(), selected.length);
    await page.screenshot({ path: join(SHOTS, 'passing-full.png'), fullPage: true });
    assertSelfContained(view, file);
  } finally {
    await view.close();
  }
});

test('a failing run: result filters, a failure opening into expected versus actual and its decoded transcript', async () => {
  const file = join(failing.dir, 'report.html');
  const view = await open(file);
  const { page } = view;
  try {
    assert.is(await page.locator('.verdict').textContent(), 'FAIL');
    await page.screenshot({ path: join(SHOTS, 'failing.png') });

    await page.click('[data-key="outcome"] button[data-value="fail"]');
    const outcomes = () => visible(page).evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.outcome));
    assert.equal(await outcomes(), Array(failingReport.totals.fail).fill('fail'));
    await page.click('[data-key="outcome"] button[data-value="error"]');
    assert.is((await outcomes()).length, failingReport.totals.fail + failingReport.totals.error);
    await page.screenshot({ path: join(SHOTS, 'failing-filtered.png') });
    await page.click('[data-reset]');

    const version = page.locator('[id="scenario-u2f.version"]');
    assert.ok(await version.locator('.detail').isHidden());
    await version.locator('summary').click();
    assert.ok(await version.locator('.detail').isVisible());
    const reason = failingReport.scenarios.find((scenario) => scenario.id === 'u2f.version')!.reason!;
    assert.is(await version.locator('.failure .what').textContent(), `✗ ${reason}`);
    assert.ok(await version.locator('.tx.tx-apdu').count() >= 2);
    assert.match(await version.locator('.tx.tx-apdu.in').last().textContent() ?? '', /SW6D00 INS_NOT_SUPPORTED/);
    assert.ok(await version.locator('.tx-hid .seg-cid').first().isVisible());
    await version.screenshot({ path: join(SHOTS, 'failing-details-version.png') });

    await page.click('[data-show-kind="hid"]');
    assert.ok(await version.locator('.tx-hid').first().isHidden());
    assert.ok(await version.locator('.tx-apdu').first().isVisible());

    await page.click('[data-expand]');
    assert.is(await page.locator('[data-expand]').textContent(), 'Collapse all');
    const opened = await page.locator('details.scenario[open]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.outcome));
    assert.equal([...new Set(opened)].sort(), ['error', 'fail']);
    const registration = page.locator('[id="scenario-u2f.register-authenticate"]');
    await registration.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'failing-expanded.png') });
    assert.is(await registration.locator('.versus .expected pre').textContent(), 'true');
    assert.is(await registration.locator('.versus .actual pre').textContent(), 'false');
    await registration.screenshot({ path: join(SHOTS, 'failing-details-register.png') });
    await page.click('[data-expand]');
    assert.is(await page.locator('details.scenario[open]').count(), 0);
    assert.is(await page.locator('[data-expand]').textContent(), 'Expand failures');
    assertSelfContained(view, file);
  } finally {
    await view.close();
  }
});

test('with JavaScript off, every row shows and still opens; the filter bar, which needs the script, is hidden', async () => {
  const file = join(failing.dir, 'report.html');
  const view = await open(file, { javaScript: false });
  const { page } = view;
  try {
    assert.ok(await page.locator('[data-filters]').isHidden());
    assert.is(await visible(page).count(), failingReport.scenarios.length);
    const broken = page.locator('[id="scenario-u2f.harness-bug"]');
    await broken.locator('summary').click();
    assert.match(await broken.locator('.failure .what').textContent() ?? '', /TypeError: Cannot read properties of undefined/);
    await page.screenshot({ path: join(SHOTS, 'failing-no-javascript.png') });
    assertSelfContained(view, file);
  } finally {
    await view.close();
  }
});

test('a comparison: differences first, status filter, rows opening into both runs\' reasons', async () => {
  const file = join(compareDir, 'compare.html');
  const view = await open(file);
  const { page } = view;
  try {
    assert.is(await page.locator('.verdict').textContent(), 'DIFFERENT');
    await page.screenshot({ path: join(SHOTS, 'compare.png') });
    await page.screenshot({ path: join(SHOTS, 'compare-full.png'), fullPage: true });

    await page.click('[data-key="status"] button[data-value="differs"]');
    const statuses = await visible(page).evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.status));
    assert.ok(statuses.length > 0 && statuses.every((status) => status === 'differs'));
    const version = page.locator('[id="pair-u2f.version"]');
    await version.locator('summary').click();
    assert.match(await version.locator('.detail').textContent() ?? '', /B: failed.*6D00 INS_NOT_SUPPORTED/s);
    await page.locator('.suite').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'compare-differences.png') });
    assertSelfContained(view, file);
  } finally {
    await view.close();
  }
});

test.run();
