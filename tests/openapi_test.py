#!/usr/bin/env python3
"""The API's answers against its own description (web/openapi.json, served at /api/openapi.json).

Stores the seed reports, starts `khabar serve` on a free port and asks every route of the
description, with good and bad parameters; each answer's status must be one the description
lists for the route, and its body must hold to that status's schema (JSON Schema 2020-12, with
"additionalProperties": false, so a field the description does not name fails too). Every
route and method the description lists must have been asked at least once.

    tests/openapi_test.py --khabar build/khabar --seeds ../shared/seeds --spec web/openapi.json
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

try:
    from jsonschema import Draft202012Validator
except ImportError:  # scripts/install-deps --dev installs python3-jsonschema
    print("python3-jsonschema is missing: skipped", file=sys.stderr)
    sys.exit(77)

TOKEN = "openapi-test-token"
SPEC_URI = "urn:khabar:openapi"


def validator_at(spec, pointer):
    """A validator for the schema at `pointer` in the description, its $refs resolved in it:
    with the `referencing` registry of jsonschema 4.18+, or Debian's 4.10 RefResolver."""
    schema = {"$ref": f"{SPEC_URI}#{pointer}"}
    try:
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012
        registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
        return Draft202012Validator(schema, registry=registry)
    except (ImportError, TypeError):  # no referencing, or a jsonschema older than 4.18
        from jsonschema import RefResolver
        return Draft202012Validator(schema, resolver=RefResolver(SPEC_URI, spec))


def escaped(token):
    return token.replace("~", "~0").replace("/", "~1")


class Server:
    def __init__(self, khabar, db):
        self.process = subprocess.Popen(
            [khabar, "--db", db, "serve", "--listen", "127.0.0.1:0", "--token", TOKEN],
            stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:
            found = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
            if found:
                self.base = found.group(1)
                return
        raise SystemExit("khabar serve did not say where it listens")

    def ask(self, method, path, body=None, headers=None):
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class Checker:
    def __init__(self, spec, server):
        self.spec = spec
        self.server = server
        self.asked = set()
        self.failures = []

    def check(self, method, template, path, expect, body=None, headers=None):
        """Asks `path` (an instance of the description's `template`), wants status `expect`."""
        self.asked.add((template, method))
        status, answer_headers, raw = self.server.ask(method.upper(), path, body, headers)
        where = f"{method.upper()} {path}"
        if status != expect:
            self.failures.append(f"{where}: status {status}, want {expect}: {raw[:300]!r}")
        operation = self.spec["paths"].get(template, {}).get(method)
        if operation is None:
            self.failures.append(f"{where}: {template} {method} is not in the description")
            return None
        response = operation["responses"].get(str(status))
        if response is None:
            self.failures.append(f"{where}: status {status} is not one the description lists")
            return None
        pointer = f"/paths/{escaped(template)}/{method}/responses/{status}"
        if "$ref" in response:
            pointer = response["$ref"].removeprefix("#")
        content_type = answer_headers.get("Content-Type", "")
        if content_type != "application/json":
            self.failures.append(f"{where}: Content-Type {content_type!r}")
        document = json.loads(raw)
        validator = validator_at(self.spec, pointer + "/content/application~1json/schema")
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path))[:5]:
            at = "/".join(str(p) for p in error.absolute_path)
            self.failures.append(f"{where}: at /{at}: {error.message[:300]}")
        return document


    def refused(self, method, path, allow):
        """A method the path does not take: 405, Allow naming the one it does, an Error body."""
        status, headers, raw = self.server.ask(method.upper(), path, b"" if method != "get" else None)
        where = f"{method.upper()} {path}"
        if status != 405 or headers.get("Allow") != allow:
            self.failures.append(f"{where}: {status}, Allow {headers.get('Allow')!r}; want 405, {allow}")
        validator = validator_at(self.spec, "/components/schemas/Error")
        for error in list(validator.iter_errors(json.loads(raw)))[:3]:
            self.failures.append(f"{where}: {error.message[:300]}")


def query(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def ask_everything(c):
    c.check("get", "/healthz", "/healthz", 200)
    c.check("get", "/healthz", "/healthz?verbose=1", 400)
    served = c.check("get", "/api/openapi.json", "/api/openapi.json", 200)
    if served != c.spec:
        c.failures.append("/api/openapi.json is not web/openapi.json")

    listing = c.check("get", "/api/stories", query("/api/stories", limit=1), 200)
    stories = []
    while listing and listing["stories"]:
        stories += listing["stories"]
        if listing["next_cursor"] is None:
            break
        listing = c.check("get", "/api/stories",
                          query("/api/stories", limit=1, cursor=listing["next_cursor"]), 200)
    if not stories:
        c.failures.append("the seeds made no story")
    c.check("get", "/api/stories", query("/api/stories", q="توكايف", since="2022-01-01"), 200)
    c.check("get", "/api/stories", query("/api/stories", limt=5), 400)
    c.check("get", "/api/stories", query("/api/stories", limit=0), 400)

    entities = {}
    for s in stories:
        story = c.check("get", "/api/stories/{id}", f"/api/stories/{s['id']}", 200) or {}
        for member in story.get("members", []):
            c.check("get", "/api/articles/{id}", f"/api/articles/{member['id']}", 200)
        for e in story.get("facts", {}).get("entities", []):
            if e["id"] is not None:
                entities[e["id"]] = e["key"]
    c.check("get", "/api/stories/{id}", "/api/stories/999999", 404)
    c.check("get", "/api/stories/{id}", "/api/stories/abc", 400)
    c.check("get", "/api/articles/{id}", "/api/articles/0000000000000000", 404)
    c.check("get", "/api/articles/{id}", "/api/articles/zz", 400)
    c.refused("post", "/api/articles/0000000000000000", "GET")
    c.refused("delete", "/api/stories/1", "GET")

    if not entities:
        c.failures.append("the seeds' story has no stored entity")
    for entity_id, key in sorted(entities.items())[:8]:
        # By id and by key, the same entity the story named.
        for name in (str(entity_id), urllib.parse.quote(key)):
            profile = c.check("get", "/api/entities/{id}", f"/api/entities/{name}?limit=5", 200)
            if profile and profile["id"] != entity_id:
                c.failures.append(f"/api/entities/{name}: entity {profile['id']}, the story said {entity_id}")
    c.check("get", "/api/entities/{id}", "/api/entities/place:XX", 404)

    page = c.check("get", "/api/search", query("/api/search", q="توكايف", limit=1), 200)
    while page and page["next_cursor"] is not None:
        page = c.check("get", "/api/search",
                       query("/api/search", q="توكايف", limit=1, cursor=page["next_cursor"]), 200)
    c.check("get", "/api/search", query("/api/search", q='"ألما آتا" -موسكو الرئيس'), 200)
    c.check("get", "/api/search", query("/api/search", q="في من"), 400)
    c.check("get", "/api/search", query("/api/search", q="x", cursor="zz"), 400)
    c.check("get", "/api/search", query("/api/search", q="x", entity="place:XX"), 404)

    article = json.dumps({"id": "openapi-1", "source": "اختبار", "published": "2022-01-13",
                          "text": "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في "
                                  "جنيف بمشاركة الأطراف كافة، وإن الوفود ستصل تباعا."})
    good = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
    c.check("post", "/api/articles", "/api/articles", 200, article.encode(), good)
    c.check("post", "/api/articles", "/api/articles", 422,
            (article + "\n{\"text\": \"\"}\n").encode(),
            {"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"})
    c.check("post", "/api/articles", "/api/articles", 401, article.encode(),
            {"Content-Type": "application/json"})
    c.check("post", "/api/articles", "/api/articles", 415, article.encode(),
            {"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"})
    c.refused("get", "/api/articles", "POST")

    # An article with no title, outlet or date: its nulls, in the article and in its story.
    bare = json.dumps({"text": "أعلنت السلطات المحلية في المدينة الساحلية إغلاق الميناء أمام السفن "
                               "الصغيرة بسبب سوء الأحوال الجوية المتوقعة خلال الأيام المقبلة."})
    stored = c.check("post", "/api/articles", "/api/articles", 200, bare.encode(), good)
    if stored and stored["articles"]:
        article = c.check("get", "/api/articles/{id}", f"/api/articles/{stored['articles'][0]['id']}", 200)
        if article and (article["title"], article["outlet"], article["published"]) != (None, None, None):
            c.failures.append(f"an article without title, outlet or date: {article['title']!r}, "
                              f"{article['outlet']!r}, {article['published']!r}; want nulls")
        hits = c.check("get", "/api/search", query("/api/search", q="الميناء السفن"), 200)
        for hit in (hits or {}).get("hits", []):
            if hit["story"] is not None:
                c.check("get", "/api/stories/{id}", f"/api/stories/{hit['story']}", 200)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--khabar", required=True)
    parser.add_argument("--seeds", required=True)
    parser.add_argument("--spec", required=True)
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "openapi.db")
        subprocess.run([args.khabar, "--db", db, "ingest", "--quiet", args.seeds], check=True)
        server = Server(args.khabar, db)
        try:
            checker = Checker(spec, server)
            ask_everything(checker)
        finally:
            server.stop()
    verbs = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    listed = {(path, method) for path, item in spec["paths"].items() for method in item
              if method in verbs}
    for path, method in sorted(listed - checker.asked):
        checker.failures.append(f"{method.upper()} {path}: in the description, never asked")
    for failure in checker.failures:
        print(failure)
    print(f"{len(checker.asked)} routes and methods asked, {len(checker.failures)} failures")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
