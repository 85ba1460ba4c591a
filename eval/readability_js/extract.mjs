// Mozilla Readability.js on saved pages, for eval/score_html.py: one JSON line per page,
// {"file", "text"} (text null when it finds no article). Paths come one a line on stdin.
import { readFileSync } from "node:fs";
import { Readability } from "@mozilla/readability";
import { JSDOM, VirtualConsole } from "jsdom";

const quiet = new VirtualConsole();  // pages' CSS and script errors are not ours
const paths = readFileSync(0, "utf8").split("\n").filter(Boolean);
for (const path of paths) {
  let text = null;
  try {
    // Bytes, so that jsdom sniffs the encoding as a browser would.
    const dom = new JSDOM(readFileSync(path), { virtualConsole: quiet });
    const article = new Readability(dom.window.document).parse();
    if (article && article.textContent) text = article.textContent;
    dom.window.close();
  } catch (e) {
    text = null;
  }
  process.stdout.write(JSON.stringify({ file: path, text }) + "\n");
}
