#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Parses the VM matrix report (igt_vm_results matrix --html FILE) and
every cell page it links: well-formed tables, one cell per kernel in every
row, each link to an existing page that links back, a summary line, a
legend, no script and nothing fetched from elsewhere.

usage: report_check.py FILE [--expected]
  --expected: the run had --expect: every cell says expected,
              UNEXPECTED or new.
"""
import html.parser
import os
import re
import sys

VOID = {"meta", "br", "hr", "img", "link", "input"}


class Page(html.parser.HTMLParser):
    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.stack = []
        self.errors = []
        self.links = []
        self.tables = []      # each: list of rows, each: list of cell texts
        self.text = []
        self.cell = None
        self.h = []
        self.cur_h = None

    def err(self, msg):
        self.errors.append("%s:%d: %s" % (self.path, self.getpos()[0], msg))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.err("a script")
        for k in ("src", "href"):
            if k in a and re.match(r"[a-z]+:", a[k] or ""):
                self.err("a link elsewhere: %s" % a[k])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            if not self.tables or self.stack[-2] != "table":
                self.err("tr outside a table")
            else:
                self.tables[-1].append([])
        elif tag in ("td", "th"):
            if len(self.stack) < 2 or self.stack[-2] != "tr":
                self.err("%s outside a tr" % tag)
            self.cell = []
        elif tag in ("h1", "h2"):
            self.cur_h = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.err("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
            return
        self.stack.pop()
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join(self.cell).strip())
            self.cell = None
        if tag in ("h1", "h2"):
            self.h.append("".join(self.cur_h))
            self.cur_h = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)
        if self.cur_h is not None:
            self.cur_h.append(data)

    def close(self):
        super().close()
        if self.stack:
            self.err("unclosed: %s" % self.stack)


def parse(path):
    p = Page(path)
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    return p


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    index = sys.argv[1]
    expected = "--expected" in sys.argv[2:]
    top = parse(index)
    errors = list(top.errors)
    text = " ".join(top.text)
    if not re.search(r"\d+ cells: \d+ matched their expectation, \d+ "
                     r"unexpected, \d+ new", text):
        errors.append("%s: no summary line" % index)
    if "Legend" not in text:
        errors.append("%s: no legend" % index)
    if not top.tables:
        errors.append("%s: no table" % index)
    for t in top.tables:
        width = len(t[0])
        if width < 3 or t[0][0] not in ("driver", "probe"):
            errors.append("%s: bad header %s" % (index, t[0]))
        for row in t[1:]:
            if len(row) != width:
                errors.append("%s: row %s has %d cells, not %d"
                              % (index, row[:2], len(row), width))
            for c in row[2:]:
                if expected and c != "-" and not re.search(
                        r"\b(expected|UNEXPECTED|new)\b", c):
                    errors.append("%s: cell %r says nothing of its "
                                  "expectation" % (index, c))
    base = os.path.dirname(index)
    pages = [l for l in top.links if l.startswith("cells/")]
    if not pages:
        errors.append("%s: no cell links to its evidence" % index)
    for link in sorted(set(pages)):
        path = os.path.join(base, link)
        if not os.path.exists(path):
            errors.append("%s: %s does not exist" % (index, link))
            continue
        page = parse(path)
        errors += page.errors
        if "../" + os.path.basename(index) not in page.links:
            errors.append("%s: no link back" % path)
        if not any(h.startswith("igt@") for h in
                   re.findall(r"igt@\S+", " ".join(page.text))):
            errors.append("%s: no entry" % path)
    for e in errors:
        print(e)
    print("report_check: %s: %d tables, %d cell pages, %d problems"
          % (index, len(top.tables), len(set(pages)), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
