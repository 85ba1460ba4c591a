// khabar's web page in a real browser: Debian's headless Chromium driven by playwright-core.
//
//   node tests/browser/page_test.mjs --khabar build/khabar --seeds ../shared/seeds --out build/browser
//
// Ingests the two seed reports and one article carrying markup into a fresh database, starts
// `khabar serve` on a free loopback port, and walks the page as a reader would: the story list,
// the story holding both seeds (both outlets, Tokayev's two spellings as one person), an
// entity, a search for «الما اتا», an article with its removed boilerplate struck through, and
// the markup article shown as text, never run. Then the generated corpus's story with the most
// outlets, at 1,400 and 390 px: its summary, coverage chart, counts, quotes and a timeline
// without repeats, with no page wider than the window. Screenshots go to --out.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}
const khabar = resolve(option("--khabar", "build/khabar"));
const seeds = resolve(option("--seeds", "../shared/seeds"));
const out = resolve(option("--out", "build/browser"));
const chromiumPath = process.env.KHABAR_CHROMIUM || "/usr/bin/chromium";
mkdirSync(out, { recursive: true });

const work = mkdtempSync(join(tmpdir(), "khabar-browser-"));
const db = join(work, "k.db");
const run = (args, input) =>
  execFileSync(khabar, ["--db", db, ...args], { input, encoding: "utf8", stdio: ["pipe", "pipe", "inherit"] });

run(["ingest", "--quiet", seeds]);
const hostile = {
  source: "اختبار",
  published: "2022-01-11",
  url: "javascript:window.__pwned = 'url'",
  title: "عنوان <img src=x onerror=\"window.__pwned = 'title'\">",
  text: "نص تجريبي عن اجتماع اللجنة المالية في المدينة لمناقشة الميزانية السنوية وخطط الإنفاق. " +
    "<script>window.__pwned = 'body'</script> " +
    "<img src=x onerror=\"window.__pwned = 'img'\"> وقال المتحدث إن النقاش سيستمر غدا.",
};
run(["ingest", "--quiet", "--format", "jsonl", "-"], JSON.stringify(hostile) + "\n");

const server = spawn(khabar, ["--db", db, "serve", "--listen", "127.0.0.1:0"], {
  stdio: ["ignore", "ignore", "pipe"],
});
const base = await new Promise((resolveBase, reject) => {
  let said = "";
  const timer = setTimeout(() => reject(new Error(`khabar serve did not start: ${said}`)), 20000);
  server.stderr.on("data", (chunk) => {
    said += chunk;
    const match = said.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (match) {
      clearTimeout(timer);
      resolveBase(`http://127.0.0.1:${match[1]}`);
    }
  });
  server.on("exit", (code) => reject(new Error(`khabar serve exited (${code}): ${said}`)));
});

const browser = await chromium.launch({
  executablePath: chromiumPath,
  // Root in a container has no user namespace for Chromium's sandbox.
  args: process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: "ar" });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });

  // The story list, right to left, in the served Arabic font.
  await page.goto(`${base}/`);
  await page.waitForSelector("#stories .story");
  assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), "rtl");
  const fontLoaded = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].some((f) => f.family.includes("khabar-arabic") && f.status === "loaded");
  });
  const fontServed = (await fetch(`${base}/static/arabic.ttf`)).ok;
  assert.equal(fontLoaded, fontServed, "the page uses the Arabic font the server has");
  await page.screenshot({ path: join(out, "stories.png"), fullPage: true });

  // The one story holding both seeds. 000's byline names its outlet, الثورة; 004 names none.
  const cards = page.locator('#stories .story[data-articles="2"]').filter({ hasText: "الثورة" });
  assert.equal(await cards.count(), 1, "one story holds both seeds");
  await cards.first().locator("h3 a").click();
  await page.waitForSelector("#members");
  const outlets = await page.locator("#members .outlet-group").evaluateAll((groups) =>
    groups.map((g) => g.getAttribute("data-outlet")).sort());
  assert.deepEqual(outlets, ["", "الثورة"], "both outlets, each with its article");
  assert.equal(await page.locator("#members li").count(), 2);
  const tokayev = page.locator("#entities tr.entity").filter({ hasText: "توكايف" }).filter({ hasText: "توكاييف" });
  assert.equal(await tokayev.count(), 1, "Tokayev's two spellings are one entity");
  assert.ok(await page.locator("#facts, #timeline").count() >= 1);
  await page.screenshot({ path: join(out, "story.png"), fullPage: true });

  // His page across the store.
  await tokayev.locator("a").first().click();
  await page.waitForSelector("h1");
  // The story page's entity table has td.aliases too: wait for the entity page's own paragraph.
  await page.waitForSelector("p.aliases");
  const aliases = await page.locator("p.aliases").innerText();
  assert.ok(aliases.includes("توكايف") && aliases.includes("توكاييف"), aliases);

  // Search without hamza or madda finds «ألما آتا».
  await page.fill("#q", "الما اتا");
  await page.press("#q", "Enter");
  await page.waitForSelector("#hits .hit");
  const marks = await page.locator("#hits mark").allInnerTexts();
  assert.ok(marks.some((m) => m.includes("آتا")), `matches: ${marks.join(" | ")}`);
  await page.screenshot({ path: join(out, "search.png"), fullPage: true });

  // An article with its removed boilerplate struck through.
  await page.locator("#hits .hit h3 a").first().click();
  await page.waitForSelector("#audit");
  assert.ok(await page.locator("#audit del").count() > 0, "removed spans are shown struck through");
  await page.screenshot({ path: join(out, "article.png"), fullPage: true });

  // Markup in an article is text on the page, never run.
  const found = await (await fetch(`${base}/api/search?q=${encodeURIComponent("اللجنة المالية")}`)).json();
  assert.equal(found.hits.length, 1);
  await page.goto(`${base}/#/article/${found.hits[0].id}`);
  await page.waitForSelector("#audit");
  await page.waitForTimeout(300);  // time for an injected handler to fire, were there one
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "no article markup ran");
  assert.equal(await page.locator("#view img, #view script").count(), 0);
  assert.equal(await page.locator('#view a[href^="javascript:"]').count(), 0, "no javascript: link");
  const shown = await page.locator("#view").innerText();
  assert.ok(shown.includes("<script>") || shown.includes("<img"), "the markup is shown as text");

  // The seeds' story (undated), and the story with the most outlets (357 dated reports of 30
  // outlets, data/stories, stored beside the running server), as a reader sees them first.
  const tokayev_hits = await (await fetch(`${base}/api/search?q=${encodeURIComponent("توكايف")}`)).json();
  const seedsStory = tokayev_hits.hits[0].story;
  run(["ingest", "--quiet", new URL("../../data/stories/corpus.jsonl", import.meta.url).pathname]);
  const listed = await (await fetch(`${base}/api/stories?limit=200`)).json();
  const many = listed.stories.reduce((a, b) => (b.outlets.length > a.outlets.length ? b : a));
  assert.ok(many.outlets.length >= 3, `a many-outlet story: ${many.outlets.length} outlets`);
  // Nothing wider than the window: the page scrolls down, never sideways.
  const noOverflow = async (what) => {
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= width, `${what}: ${scroll} px wide in a ${width} px window`);
  };
  for (const [name, id] of [["seeds", seedsStory], ["many", many.id]]) {
    const story = await (await fetch(`${base}/api/stories/${id}`)).json();
    const dated = story.members.filter((m) => m.published).length;
    for (const width of [1400, 390]) {
      const at = `story ${name} at ${width} px`;
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/#/story/${id}`);
      await page.reload();  // drawn afresh at this width, not the last width's page
      await page.waitForSelector(`#summary[data-story="${id}"]`);
      assert.ok((await page.title()).includes((story.title || "(بلا عنوان)").slice(0, 20)), `${at}: the tab names the story`);
      if (dated) assert.ok((await page.locator("#summary").innerText()).includes("أول من نشر"), at);
      assert.equal(await page.locator("#coverage circle").count(), dated, `${at}: one dot an article`);
      assert.equal(await page.locator("#coverage circle.first").count(), dated ? 1 : 0, `${at}: the first report marked`);
      assert.equal(await page.locator("#counts .count").count(), story.facts.counts.length, at);
      const lines = await page.locator("#timeline li").allInnerTexts();
      assert.equal(new Set(lines).size, lines.length, `${at}: no timeline line twice`);
      if (story.facts.quotes.length) assert.ok(await page.locator("#quotes .quote").count() > 0, at);
      // A date inside an Arabic line reads left to right, isolated from the words around it.
      const direction = await page.locator("#summary bdi.date").first().evaluate((el) => getComputedStyle(el).direction);
      assert.equal(direction, "ltr", at);
      await noOverflow(at);
      await page.screenshot({ path: join(out, `story-${name}-${width}.png`), fullPage: true });
      // The first screen, as the README shows it (web/story-page.png).
      await page.screenshot({ path: join(out, `story-${name}-${width}-top.png`) });
    }
  }
  // Counts over time: a value that changes from day to day is a revision; two outlets with
  // different values on one day conflict; one outlet correcting itself, or "at least 5", does not.
  const figures = (reports) => page.evaluate((rs) => {
    const published = new Map(rs.map((r, i) => [`a${i}`, r.day]));
    const { conflict, revision } = countFigures(
      { reports: rs.map((r, i) => ({ ...r, article: `a${i}`, approximate: !!r.approximate, sentence: "" })) },
      published);
    return { conflict, revision };
  }, reports);
  assert.deepEqual(await figures([{ value: 5, outlet: "أ", day: "2025-01-01" }, { value: 12, outlet: "ب", day: "2025-01-02" }]),
    { conflict: false, revision: true });
  assert.deepEqual(await figures([{ value: 5, outlet: "أ", day: "2025-01-01" }, { value: 7, outlet: "ب", day: "2025-01-01" }]),
    { conflict: true, revision: false });
  assert.deepEqual(await figures([{ value: 5, outlet: "أ", day: "2025-01-01" }, { value: 7, outlet: "أ", day: "2025-01-01" }]),
    { conflict: false, revision: true });
  assert.deepEqual(await figures([{ value: 5, outlet: "أ", day: "2025-01-01", approximate: true }, { value: 7, outlet: "ب", day: "2025-01-01" }]),
    { conflict: false, revision: false });

  // At 390 px the other pages fit too, the search button on screen.
  for (const [path, ready] of [["/#/", "#stories .story"], [`/#/search?q=${encodeURIComponent("الدولار")}`, "#hits"]]) {
    await page.goto(`${base}${path}`);
    await page.waitForSelector(ready);
    await noOverflow(path);
    const button = await page.locator("#search button").boundingBox();
    assert.ok(button && button.x >= 0 && button.x + button.width <= 390, "the search button is on screen");
    await page.screenshot({ path: join(out, `${path.includes("search") ? "search" : "stories"}-390.png`), fullPage: true });
  }

  assert.deepEqual(errors, [], "no script errors on the page");
  console.log(`browser: all checks passed; screenshots in ${out}`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
