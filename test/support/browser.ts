import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CONSOLE_DIR } from '../../src/operator-console/static';

// Debian's chromium package (browsers cannot be downloaded on these machines; .ci/run installs it).
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function assertConsoleBuilt(): void {
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) throw new Error(`the console is not built in ${CONSOLE_DIR}: npm test runs npm run build first (pretest)`);
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
}

export const launchBrowser = (extraArgs: string[] = []): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', ...extraArgs] });

/**
 * axe-core on the page as it is now, strictly (issue 29): every violation at any impact, and colour
 * contrast left undecided (axe's "incomplete", e.g. text over an image or SVG text) counts too — as does
 * a run in which colour contrast was never decided at all, which would pass vacuously.
 */
export async function a11yFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    type Found = { id: string; impact: string | null; nodes: { target: unknown[] }[] };
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Found[]; incomplete: Found[]; passes: Found[] }> } }).axe;
    const { violations, incomplete, passes } = await axe.run();
    if (!passes.some((p) => p.id === 'color-contrast')) return [{ id: 'color-contrast (never checked)', impact: null, nodes: [] }];
    return [...violations, ...incomplete.filter((i) => i.id === 'color-contrast').map((i) => ({ ...i, id: 'color-contrast (undecided)' }))];
  });
  return result.map((v) => `${v.id} [${v.impact}]: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** axe-core's serious and critical violations on the page as it is now (rule id: the offending elements). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/**
 * The pictures of docs/console.md: taken only when CONSOLE_SCREENSHOTS names a folder
 * (`CONSOLE_SCREENSHOTS=docs/console npx jest test/console.e2e.spec.ts`), so that ordinary runs do
 * not rewrite tracked files.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.CONSOLE_SCREENSHOTS;
  if (!folder) return;
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: false });
}

/**
 * The visible, enabled controls of the page as it is now that pressing Tab from the top never
 * focuses (each described by tag, label or text): none means every control is usable by keyboard. Of
 * a radio group only the checked radio is a Tab stop (arrow keys move within the group), so unchecked
 * radios are left out; so are elements taken out of the order on purpose (tabindex="-1").
 */
export async function controlsOutOfTabReach(page: Page, maxTabs = 300): Promise<string[]> {
  const total = await page.evaluate<number>(`(() => {
    const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')].filter(
      (el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !(el.type === 'radio' && !el.checked),
    );
    controls.forEach((el, i) => el.setAttribute('data-kb', String(i)));
    const reached = (globalThis.__kbReached = new Set());
    document.addEventListener('focusin', (e) => {
      const i = e.target.getAttribute && e.target.getAttribute('data-kb');
      if (i !== null) reached.add(i);
    });
    document.activeElement?.blur();
    return controls.length;
  })()`);
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press('Tab');
    if (i % 10 === 9 && (await page.evaluate<number>('globalThis.__kbReached.size')) >= total) break;
  }
  return page.evaluate<string[]>(`[...document.querySelectorAll('[data-kb]')]
    .filter((el) => !globalThis.__kbReached.has(el.getAttribute('data-kb')))
    .map((el) => el.tagName.toLowerCase() + ' ' + (el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || el.name || '').trim().slice(0, 60))`);
}
