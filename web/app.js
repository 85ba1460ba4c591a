// khabar's page: stories, a story's cross-outlet facts, articles with their cleaning audit,
// entities and search, all from the JSON API of the same server. Every piece of article text is
// put in the page as text (textContent), never as markup: a <script> in an article is shown.
"use strict";

const view = document.getElementById("view");
// A narrow live region: a screen reader hears "loaded: <title>", not the whole page.
const status = document.getElementById("status");

// Each page names itself in the tab and tells the live region it has loaded.
function setTitle(text) {
  document.title = `${text} — خبر`;
  status.textContent = `تم تحميل: ${text}`;
}

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

// Each navigation's number: an answer that arrives after the reader has moved on is dropped,
// not shown at the new address.
let navigation = 0;

async function api(path) {
  const asked = navigation;
  let response;
  try {
    response = await fetch(path, { headers: { Accept: "application/json" } });
  } catch (cause) {
    const error = new Error(cause.message);
    error.network = true;
    throw error;
  }
  const body = await response.json().catch(() => ({}));
  if (asked !== navigation) {
    const error = new Error("superseded");
    error.superseded = true;
    throw error;
  }
  if (!response.ok) {
    const error = new Error(body.error ? body.error.message : `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
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
    h("h3", {}, h("a", { href: `#/story/${s.id}`, dir: "auto" }, s.title || "(بلا عنوان)")),
    h("div", { class: "meta" },
      outlets(s.outlets),
      h("span", { class: "count" }, articlesWord(s.articles)),
      h("bdi", { class: "span date", dir: "ltr" }, span(s.first, s.last))));
}

// --- Story list ---------------------------------------------------------------------------
async function renderStories(params) {
  const q = params.get("q") || "";
  const heading = h("h1", {}, q ? `القصص التي تذكر «${q}»` : "القصص");
  setTitle(q ? `القصص التي تذكر «${q}»` : "القصص");
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
    if (!list.childElementCount) {
      list.append(q ? h("p", { class: "muted empty" }, "لا قصص تذكر هذه الكلمات.")
        : h("p", { class: "muted empty" }, "لا قصص بعد. أضف مقالات بالأمر ",
          h("code", { dir: "ltr" }, "khabar ingest DIR"), " أو بطلب ", h("code", { dir: "ltr" }, "POST /api/articles"),
          "، ثم أعد تحميل الصفحة."));
    }
    cursor = page.next_cursor || "";
    if (cursor) list.after(more); else more.remove();
  };
  more.addEventListener("click", () => load().catch((error) => { if (!error.superseded) fail(error); }));
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
        h("a", { href: `#/article/${m.id}`, dir: "auto" }, m.title || m.id), " ",
        h("bdi", { class: "muted date", dir: "ltr" }, day(m.published))))))));
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

// A count's reports grouped by value, each with the days it was reported (its article's
// publication day; the date its sentence names only when the article has none). Values that
// change from day to day are a revision (a toll rising), shown in order as one figure; a
// conflict is two outlets giving different exact values on the same day (or with no day to
// tell them apart). "At least 5" contradicts no one.
function countFigures(group, published) {
  const values = new Map();
  for (const r of group.reports) {
    const named = /^\d{4}-\d\d-\d\d/.test(r.date || "") ? r.date : "";
    const day = (published.get(r.article) || named).slice(0, 10);
    const key = `${r.approximate ? "≥" : ""}${r.value}`;
    if (!values.has(key)) {
      values.set(key, { value: r.value, approximate: r.approximate, outlets: new Set(), days: new Set(), byDay: new Map(), sentences: [] });
    }
    const v = values.get(key);
    const outlet = r.outlet || unnamedOutlet;
    v.outlets.add(outlet);
    if (day) v.days.add(day);
    if (!v.byDay.has(day)) v.byDay.set(day, new Set());
    v.byDay.get(day).add(outlet);
    v.sentences.push(r.sentence);
  }
  const figures = [...values.values()].sort((a, b) =>
    ([...a.days].sort()[0] || "").localeCompare([...b.days].sort()[0] || ""));
  const exact = figures.filter((f) => !f.approximate);
  const days = new Set(exact.flatMap((f) => [...f.byDay.keys()]));
  const conflict = [...days].some((day) => {
    const here = exact.filter((f) => f.byDay.has(day));
    return here.some((f, i) => here.slice(i + 1).some((g) =>
      [...f.byDay.get(day)].some((o) => [...g.byDay.get(day)].some((p) => p !== o))));
  });
  return { figures, conflict, revision: !conflict && exact.length > 1 };
}

function countsSection(counts, members) {
  if (!counts.length) return h("p", { id: "counts", class: "muted" }, "لا أعداد.");
  const published = new Map(members.map((m) => [m.id, m.published]));
  return h("section", { id: "counts" }, counts.map((g) => {
    const { figures, conflict, revision } = countFigures(g, published);
    const kind = conflict ? "conflict" : revision ? "revision" : "agreed";
    return h("div", { class: `card count ${kind}`, "data-kind": kind },
      h("h3", {}, g.event ? `${eventName[g.event] || g.event} · ${whatName[g.what] || g.what}` : whatName[g.what] || g.what,
        conflict ? h("span", { class: "tag conflict" }, "تعارض بين المنافذ في اليوم نفسه") : null,
        revision ? h("span", { class: "tag revision" }, "تحديث عبر الأيام") : null,
        g.single_source ? h("span", { class: "tag single" }, "مصدر واحد") : null),
      h(revision ? "ol" : "ul", { class: "figures" }, figures.map((f) => h("li", { title: f.sentences.join("\n") },
        h("b", { class: "value" }, h("bdi", {}, `${f.approximate ? "≥ " : ""}${f.value.toLocaleString("ar")}`)), " ",
        outlets([...f.outlets]), " ",
        [...f.days].sort().map((d) => h("bdi", { class: "date", dir: "ltr" }, d))))));
  }));
}

const when = (iso) => (iso ? iso.replace("T", " ").slice(0, 16) : "—");

// What happened at a glance: who reported first and when, how many outlets over what span,
// the figures outlets agree on, and a warning when the story looks like several happenings
// (places in many countries, or several figures in conflict).
function storySummary(s, facts) {
  // Times keep their own offsets: compare instants, as the chart does.
  const dated = s.members.filter((m) => !Number.isNaN(Date.parse(m.published || "")))
    .sort((a, b) => Date.parse(a.published) - Date.parse(b.published));
  const first = dated[0];
  const outletCount = new Set(s.members.map((m) => m.outlet ?? null)).size;
  const published = new Map(s.members.map((m) => [m.id, m.published]));
  const agreed = [], conflicts = [];
  for (const g of facts.counts) {
    const { figures, conflict } = countFigures(g, published);
    if (conflict) conflicts.push(g);
    else if (figures.length === 1 && figures[0].outlets.size > 1) agreed.push([g, figures[0]]);
  }
  const countries = new Set(facts.entities.filter((e) => e.type === "place" && e.country).map((e) => e.country));
  const several = countries.size >= 5 || conflicts.length >= 3;
  return h("section", { id: "summary", class: "card summary", "data-story": s.id }, h("ul", {},
    first ? h("li", {}, "أول من نشر: ", outlets([first.outlet]), " ", h("bdi", { class: "date", dir: "ltr" }, when(first.published))) : null,
    h("li", {}, `${outletCount.toLocaleString("ar")} ${outletCount === 1 ? "منفذ" : "منافذ"}، ${articlesWord(s.articles)}، `,
      h("bdi", { class: "date", dir: "ltr" }, span(s.first, s.last))),
    agreed.length ? h("li", {}, "أرقام تتفق عليها المنافذ: ", agreed.map(([g, f]) =>
      h("span", { class: "agreed" }, h("bdi", {}, `${f.approximate ? "≥ " : ""}${f.value.toLocaleString("ar")}`),
        ` ${whatName[g.what] || g.what}${g.event ? ` (${eventName[g.event] || g.event})` : ""} `))) : null,
    several ? h("li", { class: "warning" }, `قد تجمع هذه القصة أكثر من حدث: أماكن في ${countries.size.toLocaleString("ar")} بلدان، و${conflicts.length.toLocaleString("ar")} أرقام متعارضة.`) : null));
}

// Articles over time by outlet, drawn here as SVG (no library, no CDN): time runs right to
// left, one row an outlet, one dot an article; the first report is the larger dot.
function coverageChart(members) {
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs, ...children) => {
    const el = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return el;
  };
  const dated = members.map((m) => ({ m, t: Date.parse(m.published || "") })).filter((d) => !Number.isNaN(d.t));
  if (!dated.length) return h("p", { id: "coverage", class: "muted" }, "لا تواريخ نشر لرسم التغطية.");
  dated.sort((a, b) => a.t - b.t);
  const rows = [...new Set(dated.map((d) => d.m.outlet || unnamedOutlet))];
  const width = 720, label = 170, row = 26, top = 10, axis = 28;
  const height = top + rows.length * row + axis;
  const t0 = dated[0].t, t1 = dated[dated.length - 1].t, range = Math.max(t1 - t0, 1);
  const plot = width - label - 60;
  const x = (t) => width - label - 30 - ((t - t0) / range) * plot;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "coverage",
    "aria-label": `التغطية: ${dated.length} من المقالات في ${rows.length} من المنافذ` });
  rows.forEach((outlet, i) => {
    const y = top + i * row + row / 2;
    chart.append(svg("line", { x1: 10, x2: width - label, y1: y, y2: y, class: "row" }),
      svg("text", { x: width - 4, y: y + 5, "text-anchor": "start", direction: "rtl", class: "outlet-label" }, outlet));
  });
  dated.forEach((d, i) => {
    const y = top + rows.indexOf(d.m.outlet || unnamedOutlet) * row + row / 2;
    chart.append(svg("a", { href: `#/article/${d.m.id}` },
      svg("circle", { cx: x(d.t), cy: y, r: i === 0 ? 8 : 5, class: i === 0 ? "dot first" : "dot" },
        svg("title", {}, `${d.m.title || d.m.id} — ${when(d.m.published)}`))));
  });
  const bottom = top + rows.length * row + 18;
  // The first time under the rightmost dot, the last under the leftmost, inside the frame.
  chart.append(svg("text", { x: x(t0) + 8, y: bottom, "text-anchor": "end", class: "axis" }, when(dated[0].m.published)));
  if (t1 > t0) chart.append(svg("text", { x: x(t1) - 8, y: bottom, "text-anchor": "start", class: "axis" }, when(dated[dated.length - 1].m.published)));
  return h("figure", { id: "coverage", class: "card" }, chart,
    h("figcaption", { class: "muted" }, "أول من نشر: ", outlets([dated[0].m.outlet]), " (النقطة الكبرى)"));
}

// One line a speaker's words, with every outlet that printed them; then who relayed whom.
function quotesSection(quotes, chains) {
  const relayed = new Map();
  for (const c of chains.filter((c) => c.length > 1)) relayed.set(JSON.stringify(c), c);
  if (!quotes.length && !relayed.size) return h("p", { id: "quotes", class: "muted" }, "لا اقتباسات.");
  const said = new Map();
  for (const q of quotes) {
    const key = JSON.stringify([q.speaker, q.text.replace(/\s+/g, " ").trim()]);
    if (!said.has(key)) said.set(key, { ...q, outlets: [] });
    const line = said.get(key);
    if (!line.outlets.includes(q.outlet)) line.outlets.push(q.outlet);
    line.direct = line.direct || q.direct;
  }
  return h("section", { id: "quotes" },
    h("ul", { class: "quotes" }, [...said.values()].map((q) => h("li", { class: "quote" },
      h("bdi", { class: "speaker" }, q.speaker || "بلا قائل مسمى"), ": ",
      h("q", { dir: "auto" }, q.text), " ", outlets(q.outlets),
      q.direct ? null : h("span", { class: "muted" }, " (بتصرف)")))),
    relayed.size ? h("ul", { id: "chains", class: "chains" }, [...relayed.values()].map((c) => h("li", {},
      outlets([c[0]]), c.slice(1).map((source) => [" نقلا عن ", h("bdi", {}, source || "مصدر غير مسمى")])))) : null);
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
  // TIMEX3 writes a century by its hundreds: "19" is the twentieth.
  const century = /^(\d\d)$/.exec(value || "");
  if (century) return `القرن ${Number(century[1]) + 1}`;
  return value || "—";
}

// One line a date and sentence, however many outlets printed it.
function timelineList(items) {
  if (!items.length) return h("p", { id: "timeline", class: "muted" }, "لا تواريخ.");
  const lines = new Map();
  for (const t of items) {
    const key = `${t.date}|${(t.sentence || "").replace(/\s+/g, " ").trim()}`;
    if (!lines.has(key)) lines.set(key, { ...t, outlets: [] });
    const line = lines.get(key);
    if (!line.outlets.includes(t.outlet)) line.outlets.push(t.outlet);
  }
  return h("ol", { id: "timeline", class: "timeline" }, [...lines.values()].map((t) => h("li", {},
    h("time", { datetime: t.date }, h("bdi", { dir: "ltr" }, t.range ? `${dateLabel(t.range[0])} – ${dateLabel(t.range[1])}` : dateLabel(t.date))),
    outlets(t.outlets), " ", h("span", { dir: "auto" }, t.sentence))));
}

async function renderStory(id) {
  const s = await api(`/api/stories/${encodeURIComponent(id)}`);
  const facts = s.facts;
  setTitle(s.title || "(بلا عنوان)");
  show(
    h("h1", { dir: "auto" }, s.title || "(بلا عنوان)"),
    storySummary(s, facts),
    h("h2", {}, "التغطية عبر الزمن"), coverageChart(s.members),
    h("h2", {}, "ما نشره كل منفذ"), membersByOutlet(s.members),
    h("h2", {}, "الأرقام وما تعدّه"), countsSection(facts.counts, s.members),
    h("h2", {}, "الاقتباسات ومصادرها"), quotesSection(facts.quotes, facts.chains),
    h("h2", {}, "التوصيفات"), framingsList(facts.framings),
    h("h2", {}, "الكيانات"), h("div", { class: "scroll" }, entitiesTable(facts.entities)),
    h("h2", {}, "التسلسل الزمني"), timelineList(facts.timeline));
}

// --- One article, with what cleaning removed --------------------------------------------
async function renderArticle(id) {
  const a = await api(`/api/articles/${encodeURIComponent(id)}`);
  setTitle(a.title || "(بلا عنوان)");
  const audit = h("div", { id: "audit", class: "article-text audit" }, (a.audit || []).map((piece) =>
    piece.kind
      ? h("del", { class: piece.kind, title: `${piece.rule}: ${piece.reason}` }, piece.text)
      : piece.text));
  show(
    h("h1", { dir: "auto" }, a.title || "(بلا عنوان)"),
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
  setTitle(e.name);
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
  setTitle(`بحث: ${q}`);
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
        h("h3", {}, h("a", { href: `#/article/${hit.id}`, dir: "auto" }, hit.title || hit.id)),
        h("div", { class: "meta" }, outlets([hit.outlet]), h("span", {}, day(hit.published)),
          hit.story ? h("a", { href: `#/story/${hit.story}` }, `القصة ${hit.story}`) : null),
        snippet(hit))) : h("p", { class: "muted" }, "لا نتائج.")),
    next);
}

// --- Routing ----------------------------------------------------------------------------
// In Arabic, with the server's own words (English) kept beside them for a bug report.
function fail(error) {
  if (!error.status && !error.network) console.error(error);  // the page's own bug: say so
  const reason = error.status === 404 ? "لم نجد ما طلبته."
    : error.status === 400 ? "الطلب غير صالح."
      : error.status ? "حدث خطأ في الخادم."
        : error.network ? "تعذر الاتصال بالخادم." : "حدث خطأ في الصفحة.";
  setTitle("خطأ");
  show(h("p", { class: "error", role: "alert" }, `تعذر التحميل: ${reason} `,
    h("small", { dir: "ltr", lang: "en" }, error.message)));
}

async function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const current = ++navigation;
  view.setAttribute("aria-busy", "true");
  status.textContent = "جار التحميل…";
  const loading = setTimeout(() => view.classList.add("loading"), 200);
  try {
    if (parts[0] === "story" && parts[1]) await renderStory(parts[1]);
    else if (parts[0] === "article" && parts[1]) await renderArticle(parts[1]);
    else if (parts[0] === "entity" && parts[1]) await renderEntity(parts[1]);
    else if (parts[0] === "search") await renderSearch(params);
    else await renderStories(params);
  } catch (error) {
    if (!error.superseded) fail(error);
  } finally {
    clearTimeout(loading);
    if (current === navigation) {
      view.classList.remove("loading");
      view.removeAttribute("aria-busy");
    }
  }
}

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (q) location.hash = `#/search?${new URLSearchParams({ q })}`;
});
window.addEventListener("hashchange", route);
route();
