// The blog in two languages (issue 17), as a reader meets it: the Chinese index (its lang,
// its menu, the Chinese post's card), the Chinese post and its series box, the language
// switcher to the English post and back, the post's hreflang alternates, the switcher on an
// English page with no translation (it leads to the Chinese home), and a search in Chinese
// from the Chinese header. No console errors, no failed requests, axe clean, both colour
// schemes, screenshots at 375 and 1280 px.

import { join } from 'node:path';
import { results, watchedPage } from './search.mjs';

const zhHome = '/zh-hant/';
const zhPost = '/zh-hant/posts/ai-industry-review-2024-part-one/';
const enPost = '/posts/ai-industry-review-2024-part-one/';
const untranslated = '/posts/ai-industry-review-2024-part-two/';
const zhTitle = '2024年AI行業回顧 第一部分：繁榮與創新的浪潮';
const zhMenu = ['首頁', '系列', '標籤', '文章存檔', '關於我們'];
const word = '人工智能';

export async function checkLanguages({ browser, origin, shots, axe, ok, fail }) {
  const expect = (good, what, bad = what) => (good ? ok(what) : fail(bad));
  for (const scheme of ['light', 'dark']) {
    const tag = `[${scheme}] languages`;
    const problems = [];
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const page = await watchedPage(context, problems);
    const path = () => new URL(page.url()).pathname;

    /// The page is `want` (a path) in `lang`, with one h1 (containing `h1` if given).
    const expectPage = async (want, lang, label, h1 = '') => {
      const seen = await page.getAttribute('html', 'lang');
      const h1s = await page.locator('h1').allInnerTexts();
      expect(
        path() === want && seen === lang && h1s.length === 1 && h1s[0].includes(h1),
        `${tag}: ${label}: ${path()} (expected ${want}), <html lang="${seen}"> (expected ${lang}), h1 ${JSON.stringify(h1s)}`,
      );
    };
    /// Clicks `link` and waits to land on `want`.
    const follow = async (link, want, label) => {
      if ((await link.count()) !== 1) return fail(`${tag}: ${label}: ${await link.count()} link(s) found, expected 1`);
      await Promise.all([page.waitForURL(`${origin}${want}`, { timeout: 10_000 }).catch(() => {}), link.click()]);
    };
    /// axe and screenshots at 1280 and 375 px, and no horizontal scroll at 375 px.
    const look = async (name, label) => {
      const suffix = scheme === 'light' ? '' : '-dark';
      for (const [width, height] of [[1280, 900], [375, 800]]) {
        await page.setViewportSize({ width, height });
        await page.screenshot({ path: join(shots, `${name}${suffix}-${width}x${height}.png`) });
        await axe(page, `${tag}: ${label} at ${width} px`);
      }
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > 375) fail(`${tag}: ${label} overflows 375 px (${wide} px wide)`);
      await page.setViewportSize({ width: 1280, height: 900 });
    };
    const switcher = (lang) => page.locator(`nav.language-switcher a[hreflang="${lang}"]`);

    // 1. The Chinese index.
    await page.goto(`${origin}${zhHome}`, { waitUntil: 'load' });
    await expectPage(zhHome, 'zh-Hant', 'the Chinese index');
    const menu = await page.locator('.site-nav a').allInnerTexts();
    expect(menu.join() === zhMenu.join(), `${tag}: the Chinese menu reads ${menu.join(' ')}`);
    const card = page.locator('.card h2 a', { hasText: zhTitle });
    expect((await card.count()) === 1, `${tag}: the Chinese index lists 「${zhTitle}」`, `${tag}: no card of 「${zhTitle}」 on the Chinese index`);
    await look('zh-index', 'the Chinese index');

    // 2. Its card to the Chinese post, in a series.
    await follow(card, zhPost, 'the Chinese post card');
    await expectPage(zhPost, 'zh-Hant', 'the Chinese post from its card', zhTitle);
    const box = await page.locator('.series-box-title').innerText().catch(() => '(none)');
    expect(box.startsWith('第 1 部分，共 3 部分'), `${tag}: the Chinese series box says 「${box}」`);
    await look('zh-post', 'the Chinese post');

    // 3. Its alternates, and the switcher to English and back.
    const alternates = Object.fromEntries(
      await page.$$eval('link[rel="alternate"][hreflang]', (links) => links.map((l) => [l.hreflang, new URL(l.href).pathname])),
    );
    const wanted = { en: enPost, 'zh-Hant': zhPost, 'x-default': enPost };
    const same = Object.keys(alternates).length === 3 && Object.entries(wanted).every(([lang, to]) => alternates[lang] === to);
    expect(same, `${tag}: the Chinese post's hreflang alternates: ${JSON.stringify(alternates)}`, `${tag}: the Chinese post's hreflang alternates are ${JSON.stringify(alternates)}, expected ${JSON.stringify(wanted)}`);
    await follow(switcher('en'), enPost, 'the switcher to English');
    await expectPage(enPost, 'en', 'the switcher to English');
    await follow(switcher('zh-Hant'), zhPost, 'the switcher back to Chinese');
    await expectPage(zhPost, 'zh-Hant', 'the switcher back to Chinese', zhTitle);

    // 4. An English post with no translation: its Chinese link is the Chinese home.
    await page.goto(`${origin}${untranslated}`, { waitUntil: 'load' });
    await follow(switcher('zh-Hant'), zhHome, 'the switcher on an untranslated post');
    await expectPage(zhHome, 'zh-Hant', 'the switcher on an untranslated post');

    // 5. A search in Chinese from the Chinese header.
    await page.click('#search-q');
    await page.keyboard.type(word);
    await Promise.all([page.waitForURL(/\/zh-hant\/search\/\?q=/, { timeout: 10_000 }).catch(() => {}), page.keyboard.press('Enter')]);
    await expectPage('/zh-hant/search/', 'zh-Hant', `「${word}」 from the Chinese header`);
    const found = await results(page).catch(() => []);
    expect(found.includes(zhPost), `${tag}: 「${word}」 finds ${JSON.stringify(found)}`);
    const status = page.locator('#search-status');
    await status.filter({ hasText: word }).waitFor({ timeout: 10_000 }).catch(() => {});
    const said = await status.innerText();
    expect(said.includes(word), `${tag}: the search status says 「${said}」`);
    await look('zh-search', 'the Chinese search page');

    expect(problems.length === 0, `${tag}: no console errors, no failed requests`, `${tag}: console errors or failed requests:\n  ${problems.join('\n  ')}`);
    await context.close();
  }
}
