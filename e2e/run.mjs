// End-to-end check of the CODE IS PLAY site in Debian's Chromium, driven by Playwright.
//
// Builds the sample site into a temp dir, serves it on 127.0.0.1, walks a reader's path
// (index -> post -> Next Post -> Prev Post -> series -> a part -> a tag) in the light and the
// dark colour scheme, and fails on console errors, failed requests or axe-core violations.
// Validates every page with the Nu HTML Checker (vnu) and saves screenshots of the index and
// a post at 375x800 and 1280x900 to e2e/screenshots/. Then searches as a reader does
// (e2e/search.mjs): from the header field, in Chinese, under a subpath and with --relative.
// Then reads the blog in its two languages (e2e/languages.mjs): the Chinese index and post
// under /zh-hant/, the language switcher there and back (and to the Chinese home from a post
// with no translation), the hreflang alternates, and a search from the Chinese header.
//
// Then runs `playpress serve` on a copy of the site, breaks a post and checks the live-reload
// error overlay in both colour schemes: it appears, its text has a contrast of at least 4.5:1
// whatever the site's stylesheet says, and fixing the post takes it away. Screenshots of it
// at 1280 px go to /tmp/overlay-light.png and /tmp/overlay-dark.png (and e2e/screenshots/).
//
//   cd e2e && npm ci && node run.mjs

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFileSync, cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { checkSearch } from './search.mjs';
import { checkLanguages } from './languages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const vnuJar = join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const shots = join(here, 'screenshots');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`FAIL ${message}`);
};
const ok = (message) => console.log(`ok   ${message}`);

// 1. Build the sample site.
const out = join(mkdtempSync(join(tmpdir(), 'playpress-e2e-')), 'public');
const build = spawnSync('cargo', ['run', '--quiet', '--', 'build', '--output', out], {
  cwd: repo,
  encoding: 'utf8',
});
if (build.status !== 0) {
  console.error(build.stdout, build.stderr);
  throw new Error('playpress build failed');
}
ok(build.stdout.trim());

// 2. Validate every HTML page with the Nu HTML Checker.
const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--skip-non-html', out], { encoding: 'utf8' });
if (vnu.status !== 0 || vnu.stderr.trim() !== '') {
  fail(`HTML validation:\n${vnu.stdout}${vnu.stderr}`);
} else {
  ok('every page passes the Nu HTML Checker with zero errors');
}

// 3. Serve the output on 127.0.0.1 like a static host (404.html for missing paths).
const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = normalize(join(out, path));
  if (!file.startsWith(out + sep) && file !== out) {
    res.writeHead(403).end();
    return;
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (existsSync(file)) {
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  } else {
    res.writeHead(404, { 'content-type': types['.html'] });
    res.end(readFileSync(join(out, '404.html')));
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

// 4. Drive Chromium.
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  if (result.violations.length > 0) {
    const details = result.violations
      .map((v) => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`)
      .join('\n');
    fail(`axe-core on ${label}: ${result.violations.length} violation(s)\n${details}`);
  } else {
    ok(`axe-core: no violations on ${label}`);
  }
}

async function expectHeading(page, text, label) {
  const h1s = await page.locator('h1').allInnerTexts();
  if (h1s.length !== 1) fail(`${label}: expected one h1, found ${h1s.length}`);
  else if (!h1s[0].includes(text)) fail(`${label}: h1 is "${h1s[0]}", expected "${text}"`);
  else ok(`${label}: h1 "${h1s[0]}"`);
}

async function follow(page, locator, label) {
  const target = locator.first();
  if ((await target.count()) === 0) {
    fail(`${label}: link not found`);
    return;
  }
  await Promise.all([page.waitForLoadState('load'), target.click()]);
  ok(`followed ${label} -> ${new URL(page.url()).pathname}`);
}

for (const scheme of ['light', 'dark']) {
  const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const consoleErrors = [];
  const failedRequests = [];
  page.on('console', (m) => {
    // The one page we open on purpose that does not exist answers 404, which Chromium logs.
    const expected404 = page.url().endsWith('/no-such-page/') && m.text().includes('404');
    if (m.type() === 'error' && !expected404) consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  // A request the browser cancels because the page navigated away (net::ERR_ABORTED, seen on
  // the favicon) is no failure of the site; a 4xx or 5xx answer still is (below).
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') failedRequests.push(`${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/no-such-page/')) failedRequests.push(`${r.url()} (HTTP ${r.status()})`);
  });
  const tag = `[${scheme}]`;

  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await expectHeading(page, 'CODE IS PLAY', `${tag} index`);
  await axe(page, `${tag} the index`);
  if (scheme === 'light') {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'index-1280x900.png') });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: join(shots, 'index-375x800.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
  } else {
    await page.screenshot({ path: join(shots, 'index-dark-1280x900.png') });
  }

  await follow(page, page.locator('.card h2 a', { hasText: 'Part Two' }), `${tag} a post card`);
  await expectHeading(page, 'Part Two', `${tag} post`);
  const box = await page.locator('.series-box-title').innerText();
  if (!/^Part 2 of \d+ in AI Industry Review in 2024$/.test(box)) fail(`${tag} series box says "${box}"`);
  else ok(`${tag} series box: "${box}"`);
  await axe(page, `${tag} a post in a series`);
  if (scheme === 'light') {
    await page.screenshot({ path: join(shots, 'post-1280x900.png') });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: join(shots, 'post-375x800.png') });
    await axe(page, `${tag} a post in a series at 375 px`);
    await page.setViewportSize({ width: 1280, height: 900 });
  } else {
    await page.screenshot({ path: join(shots, 'post-dark-1280x900.png') });
  }

  for (const path of ['/', '/posts/ai-industry-review-2024-part-two/', '/posts/how-this-blog-is-built/']) {
    const narrow = await context.newPage();
    await narrow.setViewportSize({ width: 320, height: 700 });
    await narrow.goto(`${origin}${path}`, { waitUntil: 'load' });
    const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
    if (width > 320) fail(`${tag} ${path} overflows a 320 px screen (${width} px wide)`);
    else ok(`${tag} ${path} fits a 320 px screen`);
    await narrow.close();
  }

  await follow(page, page.locator('a[rel="next"]', { hasText: 'Next Post' }), `${tag} Next Post`);
  await expectHeading(page, 'The AI Divide', `${tag} next post`);
  await follow(page, page.locator('a[rel="prev"]', { hasText: 'Prev Post' }), `${tag} Prev Post`);
  await expectHeading(page, 'Part Two', `${tag} back to the post`);

  await follow(page, page.locator('.series-box-title a'), `${tag} the series link`);
  await expectHeading(page, 'AI Industry Review in 2024', `${tag} series page`);
  await axe(page, `${tag} a series page`);
  await follow(page, page.locator('.part h2 a', { hasText: 'Part One' }), `${tag} a part`);
  await expectHeading(page, 'Part One', `${tag} part one`);

  await follow(page, page.locator('.post-header .tags a', { hasText: 'AI' }), `${tag} a tag`);
  await expectHeading(page, 'Posts tagged', `${tag} tag page`);
  await axe(page, `${tag} a tag page`);

  // Finding one's way (issue 16): the archive from the menu, a related post, the menu's mark.
  await follow(page, page.locator('.site-nav a', { hasText: 'Archive' }), `${tag} the archive in the menu`);
  await expectHeading(page, 'Archive', `${tag} archive page`);
  const marked = await page.locator('.site-nav a[aria-current="page"]').innerText();
  if (marked !== 'Archive') fail(`${tag} the menu marks ${marked} on the archive`);
  await axe(page, `${tag} the archive`);
  await page.screenshot({ path: join(shots, `archive${scheme === 'light' ? '' : '-dark'}-1280x900.png`) });
  await follow(page, page.locator('.archive-posts a', { hasText: 'How This Blog Is Built' }), `${tag} a post in the archive`);
  await expectHeading(page, 'How This Blog Is Built', `${tag} post from the archive`);
  await follow(page, page.locator('.related a').first(), `${tag} a related post`);
  if ((await page.locator('h1').count()) !== 1) fail(`${tag} the related post has no heading`);
  const home = await page.locator('.site-nav a[aria-current="page"]').innerText();
  if (home !== 'Home') fail(`${tag} the menu marks ${home} on a post`);
  // An author from a post's byline, their page, the list of authors, and back to a post.
  const dark = scheme === 'light' ? '' : '-dark';
  await page.goto(`${origin}/posts/ai-industry-review-2024-part-two/`, { waitUntil: 'load' });
  await follow(page, page.locator('.byline a[rel="author"]', { hasText: 'Anthony Law' }), `${tag} the author in the byline`);
  await expectHeading(page, 'Posts by Anthony Law', `${tag} author page`);
  if ((await page.locator('.profile img.avatar').count()) !== 1) fail(`${tag} the author page shows no avatar`);
  if ((await page.locator('.profile .bio').count()) !== 1) fail(`${tag} the author page shows no bio`);
  await axe(page, `${tag} an author page`);
  await page.screenshot({ path: join(shots, `author${dark}-1280x900.png`) });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: join(shots, `author${dark}-375x800.png`) });
  await axe(page, `${tag} an author page at 375 px`);
  await page.goto(`${origin}/archive/`, { waitUntil: 'load' });
  await page.screenshot({ path: join(shots, `archive${dark}-375x800.png`) });
  await axe(page, `${tag} the archive at 375 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${origin}/posts/ai-industry-review-2024-part-two/`, { waitUntil: 'load' });
  await follow(page, page.locator('.byline a[rel="author"]'), `${tag} the author again`);
  await follow(page, page.locator('.kicker a', { hasText: 'Authors' }), `${tag} the list of authors`);
  await expectHeading(page, 'Authors', `${tag} authors page`);
  await axe(page, `${tag} the authors page`);
  await page.screenshot({ path: join(shots, `authors${dark}-1280x900.png`) });
  await follow(page, page.locator('.authors h2 a', { hasText: 'CODE IS PLAY' }), `${tag} an author from the list`);
  await follow(page, page.locator('.card h2 a').first(), `${tag} a post on an author page`);
  if ((await page.locator('h1').count()) !== 1) fail(`${tag} the post from the author page has no heading`);
  // Stylesheets are linked by a hashed name, which the server serves.
  const sheets = await page.locator('link[rel="stylesheet"]').evaluateAll((links) => links.map((l) => new URL(l.href).pathname));
  if (!sheets.every((p) => /^\/(style|highlight)\.[0-9a-f]{8}\.css$/.test(p))) fail(`${tag} stylesheets not hashed: ${sheets.join(', ')}`);
  else ok(`${tag} stylesheets linked by hashed names: ${sheets.join(', ')}`);

  for (const path of ['/series/', '/tags/', '/archive/', '/about/', '/privacy-policy/', '/posts/how-this-blog-is-built/']) {
    await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    await axe(page, `${tag} ${path}`);
  }
  // The post with pictures, maths, footnotes and components (issue 15).
  const rich = '/posts/pictures-maths-and-notes/';
  await page.goto(`${origin}${rich}`, { waitUntil: 'load' });
  await expectHeading(page, 'Pictures, Maths and Notes', `${tag} the rich post`);
  if ((await page.locator('math').count()) < 2) fail(`${tag} the rich post shows no MathML`);
  const unsized = await page.locator('.post img:not([width])').count();
  if (unsized > 0) fail(`${tag} the rich post has ${unsized} picture(s) without a size`);
  await axe(page, `${tag} ${rich}`);
  // The hero is 1200 pixels wide: a reader's browser takes its 600-pixel WebP copy.
  const hero = await page.locator('img.hero').evaluate((img) => img.currentSrc);
  if (!hero.endsWith('/banner.600w.webp')) fail(`${tag} the hero loaded ${hero}, not its WebP copy`);
  const suffix = scheme === 'light' ? '' : '-dark';
  await page.screenshot({ path: join(shots, `rich${suffix}-1280x900.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: join(shots, `rich${suffix}-375x800.png`), fullPage: true });
  await axe(page, `${tag} ${rich} at 375 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
  const missing = await page.goto(`${origin}/no-such-page/`, { waitUntil: 'load' });
  if (missing.status() !== 404) fail(`${tag} missing page answered ${missing.status()}`);
  await expectHeading(page, 'Page not found', `${tag} 404 page`);
  await axe(page, `${tag} the 404 page`);

  if (consoleErrors.length) fail(`${tag} console errors:\n  ${consoleErrors.join('\n  ')}`);
  else ok(`${tag} no console errors`);
  if (failedRequests.length) fail(`${tag} failed requests:\n  ${failedRequests.join('\n  ')}`);
  else ok(`${tag} no failed requests`);
  await context.close();
}

// 5. Search (issue 14): the header field, the results, a Chinese query, a subpath, --relative.
await checkSearch({ browser, origin, repo, shots, axe, ok, fail });
// Languages (issue 17): the Chinese pages, the switcher both ways, a search in Chinese.
await checkLanguages({ browser, origin, shots, axe, ok, fail });

server.close();

// 6. The live-reload error overlay of `playpress serve`, over the site's own stylesheet.
const siteCopy = mkdtempSync(join(tmpdir(), 'playpress-e2e-serve-'));
copyFileSync(join(repo, 'config.yaml'), join(siteCopy, 'config.yaml'));
for (const folder of ['content', 'static', 'templates']) {
  cpSync(join(repo, folder), join(siteCopy, folder), { recursive: true });
}
// `cargo run` replaces itself with playpress, so the child is the server; its own process
// group lets it be stopped with everything it started.
const serve = spawn('cargo', ['run', '--quiet', '--', 'serve', '--root', siteCopy, '--port', '0'], {
  cwd: repo,
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
});
const stopServe = () => {
  try {
    process.kill(-serve.pid, 'SIGINT');
  } catch {
    // Already gone.
  }
};
// Also when a check throws: the server never outlives the run.
process.on('exit', stopServe);
let serveStderr = '';
serve.stderr.on('data', (d) => (serveStderr += d));
const serveUrl = await new Promise((resolveUrl, reject) => {
  let seen = '';
  const timer = setTimeout(() => reject(new Error(`playpress serve did not start:\n${seen}${serveStderr}`)), 300_000);
  serve.stdout.on('data', (d) => {
    seen += d;
    const m = seen.match(/^serving (http:\/\/\S+)/m);
    if (m) {
      clearTimeout(timer);
      resolveUrl(m[1]);
    }
  });
  serve.on('exit', (code) => reject(new Error(`playpress serve exited (${code}):\n${seen}${serveStderr}`)));
});
ok(`playpress serve: ${serveUrl}`);

// The contrast of the overlay's text against what is really behind it (backgrounds of the
// element and its ancestors laid over each other, over white), WCAG 2 formula.
const overlayContrasts = () => {
  const parse = (css) => {
    const m = css.match(/rgba?\(([^)]*)\)/);
    if (!m) throw new Error(`cannot read the colour ${css}`);
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const overlay = document.getElementById('playpress-overlay');
  if (!overlay) return null;
  return [...overlay.querySelectorAll('*')]
    .filter((el) => el.textContent.trim() !== '')
    .map((el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) layers.unshift(parse(getComputedStyle(e).backgroundColor));
      const background = layers.reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
      const text = over(parse(getComputedStyle(el).color), background);
      const [hi, lo] = [luminance(text), luminance(background)].sort((x, y) => y - x);
      return { element: el.tagName.toLowerCase(), color: getComputedStyle(el).color, background, ratio: (hi + 0.05) / (lo + 0.05) };
    });
};

async function checkOverlay(page, label) {
  const contrasts = await page.evaluate(overlayContrasts);
  if (!contrasts || contrasts.length === 0) {
    fail(`${label}: no overlay with text`);
    return;
  }
  for (const c of contrasts) {
    const bg = `rgb(${[c.background.r, c.background.g, c.background.b].map(Math.round).join(', ')})`;
    const what = `${label}: <${c.element}> ${c.color} on ${bg}, contrast ${c.ratio.toFixed(2)}:1`;
    if (c.ratio < 4.5) fail(`${what} (below 4.5:1)`);
    else ok(what);
  }
}

const broken = join(siteCopy, 'content', 'posts', 'zz-broken.md');
for (const scheme of ['light', 'dark']) {
  const tag = `[serve, ${scheme}]`;
  const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // A post with code blocks: the site's stylesheet gives `pre` its own colours.
  await page.goto(new URL('posts/how-this-blog-is-built/', serveUrl).href, { waitUntil: 'load' });
  if ((await page.locator('.post-body pre').count()) === 0) fail(`${tag} the post has no code block to test against`);
  await page.waitForFunction(() => document.getElementById('playpress-live-reload') !== null);
  // Give the event stream a moment to connect before the change.
  await page.waitForTimeout(500);
  writeFileSync(broken, '---\ntitle: "Broken <post>\ndate: 2024-02-01\n---\nBody\n');
  try {
    await page.waitForSelector('#playpress-overlay pre', { timeout: 30_000 });
    ok(`${tag} a failed rebuild shows the overlay`);
    const text = await page.locator('#playpress-overlay pre').innerText();
    if (!text.includes('zz-broken.md')) fail(`${tag} the overlay does not name the file: ${text}`);
    await checkOverlay(page, `${tag} overlay after a failed rebuild`);
    await page.screenshot({ path: `/tmp/overlay-${scheme}.png` });
    await page.screenshot({ path: join(shots, `overlay-${scheme}-1280x900.png`) });

    // The overlay the server puts in the page itself (no script run).
    const noScript = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const served = await noScript.newPage();
    await served.goto(new URL('posts/how-this-blog-is-built/', serveUrl).href, { waitUntil: 'load' });
    await checkOverlay(served, `${tag} overlay served in the page`);
    await noScript.close();
  } catch (e) {
    fail(`${tag} no overlay after a failed rebuild: ${e.message}`);
  }
  const reloaded = page.waitForEvent('load', { timeout: 30_000 });
  rmSync(broken);
  try {
    await reloaded;
    if ((await page.locator('#playpress-overlay').count()) !== 0) fail(`${tag} the overlay stays after the fix`);
    else ok(`${tag} fixing the post reloads the page without the overlay`);
  } catch (e) {
    fail(`${tag} the page did not reload after the fix: ${e.message}`);
  }
  await context.close();
}
// An edited stylesheet is swapped into an open page under its new hashed name, no reload.
{
  const tag = '[serve, stylesheet]';
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(serveUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('playpress-live-reload') !== null);
  await page.waitForTimeout(500);
  const before = await page.locator('link[rel="stylesheet"]').first().getAttribute('href');
  await page.evaluate(() => { window.playpressMarker = 1; });
  const css = join(siteCopy, 'static', 'style.css');
  writeFileSync(css, readFileSync(css, 'utf8') + '\n.brand{outline:3px solid rgb(1, 2, 3)}\n');
  try {
    await page.waitForFunction(
      (old) => [...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.getAttribute('href') !== old && /\/style\.[0-9a-f]{8}\.css/.test(l.href))
        && getComputedStyle(document.querySelector('.brand')).outlineColor === 'rgb(1, 2, 3)',
      before,
      { timeout: 30_000 },
    );
    const kept = await page.evaluate(() => window.playpressMarker === 1);
    if (!kept) fail(`${tag} the page reloaded`);
    else ok(`${tag} the new stylesheet applies without a reload (${before} swapped)`);
  } catch (e) {
    fail(`${tag} the edited stylesheet was not swapped in: ${e.message}`);
  }
  await context.close();
}
stopServe();
await browser.close();

if (failures.length) {
  console.error(`\n${failures.length} end-to-end check(s) failed`);
  process.exit(1);
}
console.log(`\nall end-to-end checks passed; screenshots in ${shots}`);
