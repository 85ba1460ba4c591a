#!/usr/bin/env python3
"""Writes the labelled story corpus, data/stories/corpus.jsonl and gold.jsonl.

    eval/make_story_corpus.py [--out DIR] [--seed N]

Each made-up event in data/stories/facts.json is reported by several outlets the way a news
wire is: an agency item, outlets running it verbatim or with paragraphs of their own, outlets
rewording it with their own spellings of names, month names and digits, short breaking items,
follow-ups days later with revised counts, and for some events English reports. Outlets add
their boilerplate: related-headline lists (naming other stories), share prompts, copyright
lines, pull-quotes repeating a paragraph. The gold label of an article is its event; the
input carries no trace of it (ids and URLs are opaque).

The corpus is committed; eval/CMakeLists.txt checks that this script still writes it byte for
byte, so the facts and phrasings stay its source.
"""

import argparse
import datetime as dt
import json
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "stories"

# name, web domain, month names, digits, preferred spelling of names, home countries (empty:
# pan-Arab), boilerplate habits.
OUTLETS_AR = [
    ("الجزيرة نت", "aljazeera.net", "both", "latin", 0, [], ["read_also", "tags"]),
    ("العربية نت", "alarabiya.net", "egyptian", "latin", 1, [], ["read_also", "social"]),
    ("سكاي نيوز عربية", "skynewsarabia.com", "egyptian", "latin", 0, [], ["social", "copyright"]),
    ("الشرق الأوسط", "aawsat.com", "egyptian", "latin", 1, [], ["copyright"]),
    ("الميادين", "almayadeen.net", "levantine", "latin", 2, [], ["latest", "social"]),
    ("النهار", "annahar.com", "levantine", "latin", 1, ["لبنان"], ["read_also", "copyright"]),
    ("اليوم السابع", "youm7.com", "egyptian", "latin", 1, ["مصر"], ["read_also", "social", "pullquote"]),
    ("المصري اليوم", "almasryalyoum.com", "egyptian", "latin", 0, ["مصر"], ["tags", "copyright"]),
    ("الثورة", "thawra.sy", "levantine", "indic", 0, ["سوريا"], ["latest"]),
    ("عنب بلدي", "enabbaladi.net", "levantine", "latin", 2, ["سوريا"], ["read_also"]),
    ("هسبريس", "hespress.com", "egyptian", "latin", 1, ["المغرب"], ["social", "tags"]),
    ("الشروق", "echoroukonline.com", "maghreb", "latin", 0, ["الجزائر"], ["read_also", "pullquote"]),
    ("الصباح", "assabah.com.tn", "maghreb", "latin", 1, ["تونس"], ["copyright"]),
    ("السومرية نيوز", "alsumaria.tv", "levantine", "latin", 1, ["العراق"], ["latest", "social"]),
    ("رؤيا", "royanews.tv", "levantine", "latin", 1, ["الأردن"], ["social", "pullquote"]),
    ("المشهد اليمني", "almashhad-alyemeni.com", "both", "latin", 1, ["اليمن"], ["read_also"]),
    ("سودان تربيون", "sudantribune.net", "both", "latin", 0, ["السودان"], ["copyright"]),
    ("بوابة الوسط", "alwasat.ly", "both", "latin", 1, ["ليبيا"], ["read_also", "tags"]),
    ("الأناضول", "aa.com.tr", "both", "latin", 1, ["تركيا"], ["copyright"]),
    ("الأيام", "alayam.com", "egyptian", "latin", 0, ["البحرين"], ["social"]),
    ("تينغريس", "tengrinews.kz", "both", "latin", 1, ["كازاخستان"], ["read_also"]),
]
# Agencies whose items outlets run; the dateline names the agency the Arab way.
AGENCIES_AR = [("وكالة الصحافة الفرنسية", "أ ف ب"), ("رويترز", "رويترز"),
               ("وكالة الأنباء الألمانية", "د ب أ"), ("وكالة الأناضول", "الأناضول")]
OUTLETS_EN = [("Associated Press", "apnews.com"), ("Al Jazeera English", "aljazeera.com"),
              ("The National", "thenationalnews.com"), ("Middle East Eye", "middleeasteye.net")]
CAPITALS = {"المغرب": "الرباط", "تركيا": "أنقرة", "ليبيا": "بنغازي", "السودان": "بورتسودان",
            "اليمن": "عدن", "العراق": "بغداد", "الأردن": "عمان", "سوريا": "دمشق",
            "كازاخستان": "أستانا", "الجزائر": "الجزائر", "تونس": "تونس", "مصر": "القاهرة",
            "لبنان": "بيروت", "البحرين": "المنامة"}

MONTHS = {
    "levantine": ["كانون الثاني", "شباط", "آذار", "نيسان"],
    "egyptian": ["يناير", "فبراير", "مارس", "أبريل"],
    "maghreb": ["جانفي", "فيفري", "مارس", "أفريل"],
}
MONTHS["both"] = [f"{a}/{b}" for a, b in zip(MONTHS["levantine"], MONTHS["egyptian"])]
MONTHS_EN = ["January", "February", "March", "April"]
WEEKDAYS_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")

SUBHEADS = {"quote": ["تصريحات رسمية", "موقف الحكومة"], "background": ["خلفية", "سياق"],
            "reaction": ["ردود فعل", "تفاعل دولي"], "extra": ["تفاصيل", "من الميدان"]}
TOPIC_TAGS = {"earthquake": "زلازل", "flood": "فيضانات", "protest": "احتجاجات", "bombing": "تفجيرات",
              "election": "انتخابات", "fire": "حرائق", "talks": "مفاوضات", "economy": "اقتصاد",
              "accident": "حوادث", "visit": "زيارات رسمية", "boat": "الهجرة غير النظامية"}
SOCIAL = ["تابعونا على فيسبوك وتويتر وتيليغرام لمعرفة آخر الأخبار العاجلة",
          "لمتابعة آخر الأخبار اشترك في قناتنا على واتساب", "شارك هذا الخبر على مواقع التواصل"]


class Outlet:
    def __init__(self, name, domain, months, digits, spelling, home, habits):
        self.name, self.domain, self.months, self.digits = name, domain, months, digits
        self.spelling, self.home, self.habits = spelling, home, habits


class Fields(dict):
    """Looks a template's fields up in a story, in one outlet's spellings."""

    def __init__(self, story, spelling, extra, english):
        super().__init__()
        self.story, self.spelling, self.extra, self.english = story, spelling, extra, english

    def __missing__(self, key):
        if key in self.extra:
            return self.extra[key]
        if self.english:
            value = self.story.get("en", {}).get(key)
            if value is None:
                value = self.story.get(key)
                if value is None or ARABIC_LETTER.search(str(value)):
                    raise KeyError(f"{self.story['id']}: no English value for {{{key}}}")
            return str(value)
        value = self.story[key]
        if isinstance(value, list):
            return value[self.spelling % len(value)]
        return str(value)


def parse_time(text):
    return dt.datetime.fromisoformat(text)


def day_phrase(event, published, months, english):
    """How an article dated `published` names the day of `event` (both local times)."""
    days = (published.date() - event.date()).days
    weekday = event.weekday()
    if english:
        if days == 0:
            return f"on {WEEKDAYS_EN[weekday]}"
        return f"on {WEEKDAYS_EN[weekday]}, {MONTHS_EN[event.month - 1]} {event.day}"
    if days == 0:
        return f"اليوم {WEEKDAYS_AR[weekday]}"
    if days == 1:
        return f"أمس {WEEKDAYS_AR[weekday]}"
    return f"يوم {WEEKDAYS_AR[weekday]} {event.day} {MONTHS[months][event.month - 1]}"


class Writer:
    def __init__(self, facts, phrasings_ar, phrasings_en, seed):
        self.stories = facts["stories"]
        self.ar, self.en = phrasings_ar, phrasings_en
        self.rng = random.Random(seed)
        self.outlets = [Outlet(*o) for o in OUTLETS_AR]
        self.titles = {}  # story id -> a wire title, for other stories' related-headline lists
        self.articles = []

    # --- helpers --------------------------------------------------------------------------

    def fill(self, template, story, spelling, extra, english=False):
        text = template.format_map(Fields(story, spelling, extra, english))
        # A prefix written apart (بـ، لـ) before a field joins the article the way Arabic does.
        return text.replace("بـال", "بال").replace("لـال", "لل")

    def quotes(self, story, spelling, extra, count, english=False):
        """`count` of the story's own quotes, each in a frame naming its speaker."""
        frames = (self.en if english else self.ar)["_quote_frames"]
        said = [story["en"]["quote"]] if english else story["quotes"]
        picked = self.rng.sample(said, min(count, len(said)))
        return [self.fill(self.rng.choice(frames), story, spelling, dict(extra, quote=q), english)
                for q in picked]

    def outlets_for(self, story, count):
        home = [o for o in self.outlets if story["country"] in o.home]
        pan = [o for o in self.outlets if not o.home]
        self.rng.shuffle(home)
        self.rng.shuffle(pan)
        chosen = (home[:2] + pan)[:count]
        while len(chosen) < count:  # a big story: local outlets of neighbours join in
            other = self.rng.choice([o for o in self.outlets if o.home and o not in chosen])
            chosen.append(other)
        return chosen

    def related_titles(self, story, count):
        """Headlines of other stories, as a related-articles box shows them: mostly the same
        kind of event or the same country, which is what makes them confusable."""
        near = [s for s in self.stories if s["id"] != story["id"] and (
            s["type"] == story["type"] or s["country"] == story["country"])]
        far = [s for s in self.stories if s["id"] != story["id"] and s not in near]
        pool = self.rng.sample(near, min(len(near), count - 1)) + self.rng.sample(far, 1)
        return [self.titles[s["id"]] for s in pool][:count]

    def localise(self, text, outlet):
        return text.translate(INDIC) if outlet.digits == "indic" else text

    # --- Arabic articles ------------------------------------------------------------------

    def body_paragraphs(self, story, spelling, extra, complete):
        """The event's paragraphs in one outlet's wording; `complete`, as an agency sends
        them: every detail, in order."""
        p = self.ar[story["type"]]
        paragraphs = [("lead", self.fill(self.rng.choice(p["lead"]), story, spelling, extra))]
        slots = list(range(len(p["details"])))
        if not complete:
            keep = self.rng.randint(len(slots) - 1, len(slots))
            slots = sorted(self.rng.sample(slots, keep))
            if self.rng.random() < 0.4:  # reorder the middle of the report
                middle = slots[1:]
                self.rng.shuffle(middle)
                slots = slots[:1] + middle
        for slot in slots:
            paragraphs.append(("detail", self.fill(self.rng.choice(p["details"][slot]), story,
                                                   spelling, extra)))
        quotes = self.quotes(story, spelling, extra, 1 if complete else self.rng.randint(1, 2))
        paragraphs[2:2] = [("quote", q) for q in quotes]
        if complete or self.rng.random() < 0.6:
            paragraphs.append(("background", self.fill(self.rng.choice(p["background"]), story,
                                                       spelling, extra)))
        return paragraphs

    def added_paragraphs(self, story, spelling, extra):
        """What an outlet adds to an agency item: reactions, its own reporters' details."""
        p = self.ar[story["type"]]
        added = [("reaction", self.fill(self.rng.choice(p["reaction"]), story, spelling, extra))]
        facts = list(story.get("extra", []))
        self.rng.shuffle(facts)
        added += [("extra", f) for f in facts[: self.rng.randint(1, len(facts))]]
        return added

    def decorate(self, story, outlet, paragraphs, title):
        """Lays paragraphs out the outlet's way and appends its boilerplate."""
        lines = []
        for section, text in paragraphs:
            if section in SUBHEADS and self.rng.random() < 0.35:
                lines.append(self.rng.choice(SUBHEADS[section]))
            lines.append(text)
        if "pullquote" in outlet.habits and len(lines) > 3:
            quoted = lines[-2] if self.rng.random() < 0.5 else lines[2]
            lines.insert(1, f"[two-column]\n{quoted}\n[/two-column]")
        tail = []
        for habit in outlet.habits:
            if habit == "read_also":
                tail.append("اقرأ أيضاً:")
                tail += self.related_titles(story, 3)
            elif habit == "latest":
                tail.append("آخر الأخبار")
                tail.append(" ".join(self.related_titles(story, 5)))
            elif habit == "social":
                tail.append(self.rng.choice(SOCIAL))
            elif habit == "copyright":
                tail.append(f"جميع الحقوق محفوظة © 2025 {outlet.name}")
            elif habit == "tags":
                words = [story["country"], TOPIC_TAGS[story["type"]]]
                tail.append("الكلمات المفتاحية: " + "، ".join(words))
        separator = "\n\n" if outlet.spelling == 2 else "\n"
        return self.localise(separator.join(lines + tail), outlet), self.localise(title, outlet)

    def emit(self, story, lang, kind, source, domain, published, title, text):
        self.articles.append({"story": story["id"], "lang": lang, "kind": kind, "source": source,
                              "domain": domain, "published": published, "title": title,
                              "text": text})

    def extra_fields(self, story, published, months, counts, english=False):
        event = parse_time(story["date"])
        fields = {"day": day_phrase(event, published, months, english)}
        fields.update(counts)
        if not english:
            fields["agency"] = ""
        return fields

    def counts_at(self, story, published, later):
        """Counts as known when the article was written: the first toll, rising over two
        days to the later one; some outlets are a few behind or ahead."""
        if "dead" not in story:
            return {}
        hours = (published - parse_time(story["date"])).total_seconds() / 3600
        share = min(1.0, max(0.0, hours / 48))
        first, last = story["dead"], story["dead_later"]
        dead = last if later else round(first + (last - first) * share * self.rng.random())
        return {"dead": dead, "dead_later": last}

    def write_arabic(self, story):
        event = parse_time(story["date"])
        wire_time = event + dt.timedelta(minutes=self.rng.randint(40, 150))
        agency, dateline_agency = self.rng.choice(AGENCIES_AR)
        capital = CAPITALS[story["country"]]
        dateline = f"{capital} ({dateline_agency}) - "
        p = self.ar[story["type"]]

        # The agency item: everything in its first wording, in the first spellings.
        counts = self.counts_at(story, wire_time, False)
        extra = self.extra_fields(story, wire_time, "both", counts)
        wire = self.body_paragraphs(story, 0, extra, complete=True)
        wire[0] = ("lead", dateline + wire[0][1])
        wire_title = self.fill(self.rng.choice(p["title"]), story, 0, extra)
        self.emit(story, "ar", "wire", agency, "", wire_time, wire_title,
                  "\n".join(text for _, text in wire))

        n_copies = self.rng.randint(2, 3)
        n_rewrites = self.rng.randint(3, 6)
        outlets = self.outlets_for(story, n_copies + n_rewrites + 2)

        # Outlets running the item: verbatim, or with their own paragraphs after it.
        for i in range(n_copies):
            outlet = outlets[i]
            published = wire_time + dt.timedelta(minutes=self.rng.randint(10, 240))
            paragraphs = list(wire)
            if i > 0:
                paragraphs += self.added_paragraphs(story, 0, extra)
            paragraphs.append(("source", f"المصدر: {agency}"))
            text, title = self.decorate(story, outlet, paragraphs, wire_title)
            self.emit(story, "ar", "agency-copy" if i == 0 else "agency-copy-extended",
                      outlet.name, outlet.domain, published, title, text)

        # Outlets telling it their own way.
        for outlet in outlets[n_copies:n_copies + n_rewrites]:
            published = event + dt.timedelta(minutes=self.rng.randint(60, 36 * 60))
            counts = self.counts_at(story, published, False)
            extra = self.extra_fields(story, published, outlet.months, counts)
            paragraphs = self.body_paragraphs(story, outlet.spelling, extra, complete=False)
            if self.rng.random() < 0.7:
                paragraphs += self.added_paragraphs(story, outlet.spelling, extra)
            if self.rng.random() < 0.5:
                paragraphs[0] = ("lead", f"{capital} - " + paragraphs[0][1])
            title = self.fill(self.rng.choice(p["title"]), story, outlet.spelling, extra)
            text, title = self.decorate(story, outlet, paragraphs, title)
            self.emit(story, "ar", "rewrite", outlet.name, outlet.domain, published, title, text)

        # A breaking item within the hour.
        if self.rng.random() < 0.6:
            outlet = outlets[-1]
            published = event + dt.timedelta(minutes=self.rng.randint(15, 50))
            extra = self.extra_fields(story, published, outlet.months, {})
            text = self.fill(p["brief"][0], story, outlet.spelling, extra)
            self.emit(story, "ar", "breaking", outlet.name, outlet.domain, published,
                      self.localise(text.split("،")[0], outlet), self.localise(text, outlet))

        # Follow-ups a day or more later, the second within three days of the first.
        followup_time = event
        for n in range(self.rng.randint(1, 2)):
            outlet = outlets[-2 - n]
            followup_time += dt.timedelta(hours=self.rng.randint(26, 60))
            counts = self.counts_at(story, followup_time, True)
            extra = self.extra_fields(story, followup_time, outlet.months, counts)
            extra["day"] = day_phrase(followup_time, followup_time, outlet.months, False)
            paragraphs = [(f"followup-{i}", self.fill(self.rng.choice(slot), story,
                                                      outlet.spelling, extra))
                          for i, slot in enumerate(p["followup"])]
            paragraphs.append(("background", self.fill(self.rng.choice(p["background"]), story,
                                                       outlet.spelling, extra)))
            title = self.fill(self.rng.choice(p["followup_title"]), story, outlet.spelling,
                              extra)
            text, title = self.decorate(story, outlet, paragraphs, title)
            self.emit(story, "ar", "follow-up", outlet.name, outlet.domain, followup_time, title,
                      text)

    # --- English articles -----------------------------------------------------------------

    def write_english(self, story):
        p = self.en[story["type"]]
        event = parse_time(story["date"])
        wire_time = event + dt.timedelta(minutes=self.rng.randint(60, 180))

        def fields(published, later=False):
            extra = {"day": day_phrase(event, published, "both", True)}
            extra.update(self.counts_at(story, published, later))
            return extra

        def paragraphs(extra, complete):
            out = [self.fill(self.rng.choice(p["lead"]), story, 0, extra, True)]
            for slot in p["details"]:
                if complete or self.rng.random() < 0.8:
                    out.append(self.fill(self.rng.choice(slot), story, 0, extra, True))
            out += self.quotes(story, 0, extra, 1, english=True)
            out.append(self.fill(p["background"][0], story, 0, extra, True))
            return out

        extra = fields(wire_time)
        wire = paragraphs(extra, True)
        wire_title = self.fill(self.rng.choice(p["title"]), story, 0, extra, True)
        signoff = "(Reporting by newsroom staff; Editing by the desk)"
        self.emit(story, "en", "wire", "Reuters", "reuters.com", wire_time, wire_title,
                  "\n".join(wire + [signoff]))

        outlets = self.rng.sample(OUTLETS_EN, 3)
        name, domain = outlets[0]
        published = wire_time + dt.timedelta(minutes=self.rng.randint(20, 200))
        reaction = self.fill(p["reaction"][0], story, 0, extra, True)
        text = "\n".join(wire + [reaction, "Read more:", self.titles_en(story),
                                 "Sign up for our newsletter to get the day's top stories."])
        self.emit(story, "en", "agency-copy-extended", name, domain, published, wire_title, text)

        name, domain = outlets[1]
        published = event + dt.timedelta(hours=self.rng.randint(3, 30))
        extra = fields(published)
        title = self.fill(self.rng.choice(p["title"]), story, 0, extra, True)
        text = "\n\n".join(paragraphs(extra, False) + [
            self.fill(p["reaction"][0], story, 0, extra, True),
            f"Follow {name} on social media for live updates."])
        self.emit(story, "en", "rewrite", name, domain, published, title, text)

        if self.rng.random() < 0.6:
            name, domain = outlets[2]
            published = event + dt.timedelta(hours=self.rng.randint(28, 60))
            extra = fields(published, True)
            extra["day"] = day_phrase(published, published, "both", True)
            lines = [self.fill(self.rng.choice(slot), story, 0, extra, True)
                     for slot in p["followup"]]
            lines.append(self.fill(p["background"][0], story, 0, extra, True))
            title = self.fill(p["followup_title"][0], story, 0, extra, True)
            self.emit(story, "en", "follow-up", name, domain, published, title, "\n".join(lines))

    def titles_en(self, story):
        others = [s for s in self.stories if s.get("english") and s["id"] != story["id"]]
        picked = self.rng.sample(others, 2)
        return "\n".join(self.fill(self.en[s["type"]]["title"][0], s, 0,
                                   {"day": "", "dead": s.get("dead", ""),
                                    "dead_later": s.get("dead_later", "")}, True)
                         for s in picked)

    # --- the corpus -----------------------------------------------------------------------

    def write(self):
        for story in self.stories:
            extra = {"day": "", "agency": "", "dead": story.get("dead", ""),
                     "dead_later": story.get("dead_later", "")}
            self.titles[story["id"]] = self.fill(self.ar[story["type"]]["title"][0], story, 0,
                                                 extra)
        for story in self.stories:
            self.write_arabic(story)
            if story.get("english"):
                self.write_english(story)
        self.articles.sort(key=lambda a: (a["published"].astimezone(dt.timezone.utc),
                                          a["source"]))
        corpus, gold = [], []
        for number, a in enumerate(self.articles, 1):
            article_id = f"a{number:04d}"
            published = a["published"]
            row = {"id": article_id, "title": a["title"], "text": a["text"],
                   "source": a["source"]}
            if a["domain"]:
                row["url"] = (f"https://{a['domain']}/{published:%Y/%m/%d}/"
                              f"{self.rng.randrange(10**6, 10**7)}")
            if self.rng.random() >= 0.03:  # a few outlets' feeds carry no date
                row["published"] = published.isoformat()
            corpus.append(row)
            gold.append({"id": article_id, "story": a["story"], "lang": a["lang"],
                         "kind": a["kind"], "source": a["source"]})
        return corpus, gold


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="directory for the two files")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if the files in --out differ from what would be")
    args = parser.parse_args(argv)

    def load(name):
        return json.loads((DATA / name).read_text(encoding="utf-8"))

    writer = Writer(load("facts.json"), load("phrasings_ar.json"), load("phrasings_en.json"),
                    args.seed)
    corpus, gold = writer.write()
    if args.check:
        with tempfile.TemporaryDirectory() as fresh:
            for name, rows in (("corpus.jsonl", corpus), ("gold.jsonl", gold)):
                write_jsonl(Path(fresh) / name, rows)
                if (Path(fresh) / name).read_bytes() != (args.out / name).read_bytes():
                    raise SystemExit(f"{args.out / name} is not what {Path(__file__).name} writes "
                                     "from the facts and phrasings: run it and commit the result")
        print(f"{args.out}: current")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(args.out / "corpus.jsonl", corpus)
    write_jsonl(args.out / "gold.jsonl", gold)
    stories = {g["story"] for g in gold}
    english = sum(1 for g in gold if g["lang"] == "en")
    print(f"{len(corpus)} articles ({english} English) in {len(stories)} stories -> {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
