// khabar's page: stories, a story's cross-outlet facts, articles with their cleaning audit,
// entities and search, all from the JSON API of the same server. Every piece of article text is
// put in the page as text (textContent), never as markup: a <script> in an article is shown.
"use strict";

const view = document.getElementById("view");

// An article's own URL becomes a link only when it is a web address: a «javascript:» or «data:»
// URL in stored metadata would run in the page, were it not for the Content-Security-Policy.
function webUrl(url) {
  try {
    return ["http:", "https:"].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

// h("a", {href: "#/"}, "text", child, ...): an element; strings become text nodes.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.className = value;
    else el.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = body.error ? body.error.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return body;
}

const day = (iso) => (iso ? iso.slice(0, 10) : "—");
const span = (first, last) =>
  !first ? "بلا تاريخ" : day(first) === day(last) ? day(first) : `${day(first)} – ${day(last)}`;
// Arabic number agreement: مقال واحد، مقالان، 3–10 مقالات، 11+ مقالا.
function articlesWord(n) {
  if (n === 1) return "مقال واحد";
  if (n === 2) return "مقالان";
  const count = n.toLocaleString("ar");
  return n % 100 >= 3 && n % 100 <= 10 ? `${count} مقالات` : `${count} مقالا`;
}
// The extraction rules' event and class names (data/extract/count_events.tsv, counted_nouns.tsv),
// in Arabic; a name not listed here is shown as it is.
const eventName = {
  arrested: "اعتقال", killed: "قتل", injured: "إصابة", deployed: "نشر", withdrawn: "انسحاب",
  displaced: "نزوح", missing: "فقدان", evacuated: "إجلاء", rescued: "إنقاذ", released: "إفراج",
  outage: "انقطاع", protesters: "احتجاج", violence: "عنف",
};
const whatName = {
  person: "أشخاص", "security personnel": "عناصر أمن", soldier: "جنود",
  "military equipment": "معدات عسكرية", building: "مبان", vehicle: "مركبات", day: "أيام",
  hour: "ساعات", week: "أسابيع", month: "أشهر",
};
const typeName = { person: "شخص", place: "مكان", organisation: "منظمة" };

function show(...nodes) {
  view.replaceChildren(...nodes.filter(Boolean));
  window.scrollTo(0, 0);
}

const unnamedOutlet = "منفذ غير مسمى";

function outlets(list) {
  return h("span", { class: "outlets" }, (list || []).map((o) => h("bdi", { class: "outlet" }, o || unnamedOutlet)));
}

function storyCard(s) {
  return h("article", { class: "card story", "data-story": s.id, "data-articles": s.articles },
    h("h3", {}, h("a", { href: `#/story/${s.id}` }, s.title || "(بلا عنوان)")),
    h("div", { class: "meta" },
      outlets(s.outlets),
      h("span", { class: "count" }, articlesWord(s.articles)),
      h("span", { class: "span" }, span(s.first, s.last))));
}

// --- Story list ---------------------------------------------------------------------------
async function renderStories(params) {
  const q = params.get("q") || "";
  const heading = h("h1", {}, q ? `القصص التي تذكر «${q}»` : "القصص");
  const list = h("section", { id: "stories" });
  show(heading, list);
  let cursor = "";
  const more = h("button", { class: "more", type: "button" }, "المزيد");
  const load = async () => {
    const query = new URLSearchParams({ limit: "20" });
    if (q) query.set("q", q);
    if (cursor) query.set("cursor", cursor);
    const page = await api(`/api/stories?${query}`);
    page.stories.forEach((s) => list.append(storyCard(s)));
    if (!list.childElementCount) list.append(h("p", { class: "muted" }, "لا قصص بعد."));
    cursor = page.next_cursor || "";
    if (cursor) list.after(more); else more.remove();
  };
  more.addEventListener("click", () => load().catch(fail));
  await load();
}

// --- One story ----------------------------------------------------------------------------
function membersByOutlet(members) {
  const groups = new Map();
  for (const m of members) {
    const key = m.outlet || "";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  return h("section", { id: "members" }, [...groups].map(([outlet, items]) =>
    h("div", { class: "card outlet-group", "data-outlet": outlet },
      h("h3", {}, h("bdi", {}, outlet || unnamedOutlet)),
      h("ul", {}, items.map((m) => h("li", {},
        h("a", { href: `#/article/${m.id}` }, m.title || m.id), " ",
        h("span", { class: "muted" }, day(m.published))))))));
}

function entitiesTable(entities) {
  if (!entities.length) return h("p", { class: "muted" }, "لا كيانات.");
  return h("table", { id: "entities" },
    h("thead", {}, h("tr", {}, h("th", {}, "الاسم"), h("th", {}, "النوع"), h("th", {}, "الصيغ في المنافذ"), h("th", {}, "المنافذ"))),
    h("tbody", {}, entities.map((e) => h("tr", { class: "entity" },
      h("td", {}, e.id ? h("a", { href: `#/entity/${e.id}` }, e.name) : e.name,
        e.role ? h("div", { class: "muted" }, e.role) : null),
      h("td", {}, typeName[e.type] || e.type),
      h("td", { class: "aliases" }, e.aliases.map((a) => h("span", {}, h("bdi", {}, a.text), ` (${a.mentions})`))),
      h("td", {}, outlets(e.outlets))))));
}

function countsTable(counts, allOutlets) {
  if (!counts.length) return h("p", { class: "muted" }, "لا أعداد.");
  return h("table", { id: "facts" },
    h("thead", {}, h("tr", {}, h("th", {}, "الحدث"), h("th", {}, "المعدود"),
      allOutlets.map((o) => h("th", {}, h("bdi", {}, o))))),
    h("tbody", {}, counts.map((g) => h("tr", { class: g.conflict ? "conflict" : "" },
      h("td", {}, eventName[g.event] || g.event || "—",
        g.conflict ? h("span", { class: "tag conflict" }, "تعارض") : null,
        g.single_source ? h("span", { class: "tag single" }, "مصدر واحد") : null),
      h("td", {}, whatName[g.what] || g.what),
      allOutlets.map((o) => {
        const reports = g.reports.filter((r) => r.outlet === o);
        return h("td", { class: "value", title: reports.map((r) => r.sentence).join("\n") },
          reports.map((r) => `${r.approximate ? "≥ " : ""}${r.value.toLocaleString("ar")}`).join("، ") || "—");
      })))));
}

function framingsList(framings) {
  if (!framings.length) return h("p", { class: "muted" }, "لا توصيفات.");
  return h("ul", { id: "framings" }, framings.map((f) => h("li", {},
    h("q", {}, f.phrase), " — ", f.speaker ? h("bdi", {}, f.speaker) : "بلسان المنفذ", " ",
    outlets(f.outlets))));
}

// A date as extraction gives it: ISO, a day without its year (--01-10), or a weekday with no
// publication date to place it (weekday:1, Monday).
const weekdays = ["", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"];
function dateLabel(value) {
  const weekday = /^weekday:([1-7])$/.exec(value || "");
  if (weekday) return `${weekdays[Number(weekday[1])]} (بلا تاريخ نشر)`;
  const noYear = /^--(\d\d)-(\d\d)$/.exec(value || "");
  if (noYear) return `${Number(noYear[2])}/${Number(noYear[1])} (بلا سنة)`;
  return value || "—";
}

function timelineList(items) {
  if (!items.length) return h("p", { class: "muted" }, "لا تواريخ.");
  return h("ol", { id: "timeline", class: "timeline" }, items.map((t) => h("li", {},
    h("time", { datetime: t.date }, t.range ? `${dateLabel(t.range[0])} – ${dateLabel(t.range[1])}` : dateLabel(t.date)),
    h("bdi", { class: "outlet" }, t.outlet), " ", t.sentence)));
}

async function renderStory(id) {
  const s = await api(`/api/stories/${encodeURIComponent(id)}`);
  const facts = s.facts;
  show(
    h("h1", {}, s.title || "(بلا عنوان)"),
    h("div", { class: "meta" }, outlets(s.outlets),
      h("span", {}, articlesWord(s.articles)), h("span", {}, span(s.first, s.last))),
    h("h2", {}, "ما نشره كل منفذ"), membersByOutlet(s.members),
    h("h2", {}, "الكيانات"), entitiesTable(facts.entities),
    h("h2", {}, "الأرقام بين المنافذ"), countsTable(facts.counts, facts.outlets),
    h("h2", {}, "التوصيفات"), framingsList(facts.framings),
    h("h2", {}, "التسلسل الزمني"), timelineList(facts.timeline));
}

// --- One article, with what cleaning removed --------------------------------------------
async function renderArticle(id) {
  const a = await api(`/api/articles/${encodeURIComponent(id)}`);
  const audit = h("div", { id: "audit", class: "article-text audit" }, (a.audit || []).map((piece) =>
    piece.kind
      ? h("del", { class: piece.kind, title: `${piece.rule}: ${piece.reason}` }, piece.text)
      : piece.text));
  show(
    h("h1", {}, a.title || "(بلا عنوان)"),
    h("div", { class: "meta" }, outlets([a.outlet]), h("span", {}, day(a.published)),
      a.byline && a.byline.line ? h("span", {}, a.byline.line) : null,
      webUrl(a.url) ? h("a", { href: a.url, rel: "noopener noreferrer" }, "المصدر") : null),
    (a.subheads || []).map((s) => h("h3", {}, s)),
    h("h2", {}, "النص"), h("div", { id: "article-text", class: "article-text" }, a.text),
    h("h2", {}, "ما حذفه التنظيف (مشطوبا)"), audit);
}

// --- One entity -------------------------------------------------------------------------
async function renderEntity(id) {
  const e = await api(`/api/entities/${encodeURIComponent(id)}`);
  show(
    h("h1", {}, e.name),
    h("div", { class: "meta" }, h("span", {}, typeName[e.type] || e.type),
      e.role ? h("span", {}, e.role) : null, e.country ? h("span", {}, e.country) : null,
      h("span", {}, articlesWord(e.articles))),
    h("h2", {}, "الصيغ"), h("p", { class: "aliases" }, e.aliases.map((a) => h("span", {}, h("bdi", {}, a.text), ` (${a.mentions})`))),
    h("h2", {}, "المنافذ"), h("p", {}, e.outlets.map((o) => h("span", { class: "outlet" }, `${o.outlet || unnamedOutlet} (${o.articles})`))),
    h("h2", {}, "القصص"), h("section", {}, e.stories.map(storyCard)),
    h("h2", {}, "أحدث المقالات"), h("ul", {}, e.recent.map((a) =>
      h("li", {}, h("a", { href: `#/article/${a.id}` }, a.title || a.id), " ",
        h("span", { class: "muted" }, `${a.outlet || "—"} · ${day(a.published)}`)))));
}

// --- Search -----------------------------------------------------------------------------
function snippet(hit) {
  // highlights are byte offsets into the UTF-8 snippet.
  const bytes = new TextEncoder().encode(hit.snippet);
  const decode = (b, e) => new TextDecoder().decode(bytes.slice(b, e));
  const parts = [];
  let at = 0;
  for (const [b, e] of hit.highlights) {
    parts.push(decode(at, b), h("mark", {}, decode(b, e)));
    at = e;
  }
  parts.push(decode(at, bytes.length));
  return h("p", { class: "snippet" }, parts);
}

async function renderSearch(params) {
  const q = params.get("q") || "";
  const cursor = params.get("cursor");
  document.getElementById("q").value = q;
  const query = { q, limit: "30" };
  if (cursor) query.cursor = cursor;
  const result = await api(`/api/search?${new URLSearchParams(query)}`);
  const next = result.next_cursor
    ? h("p", {}, h("a", { href: `#/search?${new URLSearchParams({ q, cursor: result.next_cursor })}` },
      "النتائج التالية"))
    : null;
  show(
    h("h1", {}, `نتائج البحث عن «${q}»`),
    h("p", { class: "muted" }, `${result.total} نتيجة، منها ${result.total_all_words} بكل الكلمات`),
    h("p", {}, h("a", { href: `#/?${new URLSearchParams({ q })}` }, "القصص التي تذكرها")),
    h("section", { id: "hits" }, result.hits.length ? result.hits.map((hit) =>
      h("article", { class: "card hit" },
        h("h3", {}, h("a", { href: `#/article/${hit.id}` }, hit.title || hit.id)),
        h("div", { class: "meta" }, outlets([hit.outlet]), h("span", {}, day(hit.published)),
          hit.story ? h("a", { href: `#/story/${hit.story}` }, `القصة ${hit.story}`) : null),
        snippet(hit))) : h("p", { class: "muted" }, "لا نتائج.")),
    next);
}

// --- Routing ----------------------------------------------------------------------------
function fail(error) {
  show(h("p", { class: "error", role: "alert" }, `تعذر التحميل: ${error.message}`));
}

async function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === "story" && parts[1]) await renderStory(parts[1]);
    else if (parts[0] === "article" && parts[1]) await renderArticle(parts[1]);
    else if (parts[0] === "entity" && parts[1]) await renderEntity(parts[1]);
    else if (parts[0] === "search") await renderSearch(params);
    else await renderStories(params);
  } catch (error) {
    fail(error);
  }
}

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (q) location.hash = `#/search?${new URLSearchParams({ q })}`;
});
window.addEventListener("hashchange", route);
route();
