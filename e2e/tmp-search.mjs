import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { chromium } from 'playwright-core';
const serveDir = (dir) => createServer((req, res) => {
  let file = normalize(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (existsSync(file)) { res.writeHead(200, {'content-type': {'.html':'text/html; charset=utf-8','.js':'text/javascript','.css':'text/css','.json':'application/json'}[extname(file)] || 'application/octet-stream'}); res.end(readFileSync(file)); }
  else { res.writeHead(404); res.end('nf'); }
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
for (const [port, dir, path] of [[8765, '/tmp/sx/root/out', '/'], [8766, '/tmp/sx/sub', '/sub/'], [8767, '/tmp/sx/rel', '/deep/x/']]) {
  const s = serveDir(dir); await new Promise(r => s.listen(port, '127.0.0.1', r));
  const page = await browser.newPage();
  page.on('console', m => console.log('console', m.type(), m.text()));
  page.on('response', r => { if (r.status() >= 400) console.log('HTTP', r.status(), r.url()); });
  for (const q of ['zymurgy', '香港', '軟件']) {
    await page.goto(`http://127.0.0.1:${port}${path}search/?q=${encodeURIComponent(q)}`);
    try {
      await page.waitForSelector('.pagefind-ui__result-link', { timeout: 5000 });
      const links = await page.$$eval('.pagefind-ui__result-link', as => as.map(a => a.href));
      console.log(path, q, links);
    } catch (e) { console.log(path, q, 'NO RESULTS', await page.locator('.pagefind-ui__message').allInnerTexts()); }
  }
  await page.close(); s.close();
}
await browser.close();
