import fs from 'fs';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, as DESIGN.md prescribes; never a downloaded browser. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

/**
 * Records what a page must never meet: a request to a host other than this machine, and an
 * answer of this server with a 5xx (shown to the person or not, it is a fault the suite must
 * not pass over). Every browser suite expects the list to stay empty.
 */
export function watchOutsideRequests(page: Page): string[] {
  const outside: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) outside.push(request.url());
  });
  page.on('response', (response) => {
    if (response.status() >= 500) outside.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return outside;
}

const shotsDir = path.resolve(__dirname, '../.artifacts/screenshots');

/** Screenshots go to a git-ignored folder, for a person to look at after a run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
}
