// The search of issue 14, as a reader uses it: the header field (keyboard only) leads to the
// search page, whose first result for a word of Part Two's body is Part Two; a query in
// Chinese finds the Chinese post of the `search` fixture; the same under a subpath and with
// --relative. No console errors, no failed requests, axe clean, both colour schemes,
// screenshots at 375 and 1280 px.

import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
};

/// Serves `dir` on 127.0.0.1 like a static host; resolves to its origin and a close function.
async function serveDir(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (existsSync(file)) {
      res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
      res.end(readFileSync(file));
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/// Builds the site at `root` into `out` with `args`.
function build(repo, root, out, args) {
  const run = spawnSync('cargo', ['run', '--quiet', '--', 'build', '--root', root, '--output', out, ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`playpress build failed:\n${run.stdout}${run.stderr}`);
}

/// A page that records console errors and failed requests.
export async function watchedPage(context, problems) {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  // A request the browser cancels because the page navigated away (net::ERR_ABORTED, seen on
  // the favicon) is no failure of the site; a 4xx or 5xx answer still is (below).
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.url()} (HTTP ${r.status()})`);
  });
  return page;
}

/// The result links the search page shows for `query` (after it has searched).
export async function results(page) {
  await page.waitForSelector('.search-results h2 a', { timeout: 15_000 });
  return page.$$eval('.search-results h2 a', (links) => links.map((a) => new URL(a.href).pathname));
}

/// Presses Tab until the element matching `selector` has the focus (at most 30 times).
async function tabTo(page, selector) {
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return true;
  }
  return false;
}

export async function checkSearch({ browser, origin, repo, shots, axe, ok, fail }) {
  const word = 'DeepMind';
  const partTwo = '/posts/ai-industry-review-2024-part-two/';
  for (const scheme of ['light', 'dark']) {
    const tag = `[${scheme}] search`;
    const problems = [];
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const page = await watchedPage(context, problems);
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    if (!(await tabTo(page, '#search-q'))) fail(`${tag}: Tab never reaches the header's search field`);
    await page.keyboard.type(word);
    await Promise.all([page.waitForURL(/\/search\/\?q=/), page.keyboard.press('Enter')]);
    const found = await results(page).catch(() => []);
    if (found[0] !== partTwo) fail(`${tag}: "${word}" from the header gives ${JSON.stringify(found)}, not Part Two first`);
    else ok(`${tag}: "${word}" typed in the header field: first result ${found[0]}`);
    const badge = await page.locator('.search-results li').first().innerText();
    if (!badge.includes('AI Industry Review in 2024')) fail(`${tag}: the first result shows no series: ${badge}`);
    if ((await page.locator('.search-results mark').count()) === 0) fail(`${tag}: no match marked in the excerpts`);
    await axe(page, `${tag} page with results`);
    const suffix = scheme === 'light' ? '' : '-dark';
    await page.screenshot({ path: join(shots, `search${suffix}-1280x900.png`) });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: join(shots, `search${suffix}-375x800.png`) });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 375) fail(`${tag}: the search page overflows 375 px (${width} px wide)`);
    await axe(page, `${tag} page at 375 px`);
    await page.setViewportSize({ width: 1280, height: 900 });
    // From the field of the search page to the first result, with the keyboard.
    await page.focus('#search-page-q');
    if (!(await tabTo(page, '.search-results h2 a'))) fail(`${tag}: Tab never reaches a result`);
    else {
      await Promise.all([page.waitForURL(`${origin}${partTwo}`), page.keyboard.press('Enter')]);
      ok(`${tag}: Enter on the first result opens ${new URL(page.url()).pathname}`);
    }
    if (problems.length) fail(`${tag}: console errors or failed requests:\n  ${problems.join('\n  ')}`);
    else ok(`${tag}: no console errors, no failed requests`);
    await context.close();
  }

  // The `search` fixture (a Chinese post among English ones) at a subpath and with --relative.
  const fixture = join(repo, 'tests', 'fixtures', 'search');
  const dir = mkdtempSync(join(tmpdir(), 'playpress-e2e-search-'));
  const { origin: host, close } = await serveDir(dir);
  build(repo, fixture, join(dir, 'sub'), ['--base-url', `${host}/sub/`]);
  build(repo, fixture, join(dir, 'deep', 'copy'), ['--relative']);
  for (const [label, path] of [['under a subpath', '/sub/'], ['with --relative', '/deep/copy/']]) {
    const problems = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await watchedPage(context, problems);
    for (const [query, expected] of [['zymurgy', 'posts/part-two/'], ['香港', 'posts/hong-kong/'], ['軟件', 'posts/hong-kong/']]) {
      await page.goto(`${host}${path}search/?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
      const found = await results(page).catch(() => []);
      if (found[0] !== `${path}${expected}`) fail(`search ${label}: "${query}" gives ${JSON.stringify(found)}`);
      else ok(`search ${label}: "${query}" finds ${found[0]}`);
    }
    await axe(page, `the search page ${label}`);
    const chinese = await page.goto(`${host}${path}posts/hong-kong/`, { waitUntil: 'load' });
    if (chinese.status() !== 200 || (await page.getAttribute('html', 'lang')) !== 'zh-Hant') {
      fail(`search ${label}: the Chinese post is not served as zh-Hant`);
    }
    if (problems.length) fail(`search ${label}: console errors or failed requests:\n  ${problems.join('\n  ')}`);
    else ok(`search ${label}: no console errors, no failed requests`);
    await context.close();
  }
  close();
}
