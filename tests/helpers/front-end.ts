import http from 'http';
import type { AddressInfo } from 'net';
import type { Page } from 'playwright-core';
import type { KnowledgeBase } from './strapi';

/** Opens the knowledge base on a real port of this machine (browsers need one); returns its origin. */
export async function listen(kb: KnowledgeBase): Promise<string> {
  const server = kb.strapi.server.httpServer.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export const closeServer = (server: http.Server) => new Promise((resolve) => server.close(resolve));

/**
 * A partner's web site on a second port: another origin than the knowledge base, as the browser
 * sees it (localhost vs 127.0.0.1, and another port). Serves the given pages by path.
 */
export async function partnerSite(pages: Record<string, string>): Promise<{ origin: string; server: http.Server }> {
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://localhost').pathname];
    res.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? 'Not found');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (the npm package, injected into the page) and returns its serious and critical
 * violations. Pages under the knowledge base's CSP need a context made with `bypassCSP: true`
 * for the injection.
 */
export async function seriousAccessibilityProblems(page: Page): Promise<AxeProblem[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => (await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n: any) => n.target.join(' ')) }));
}
