#!/usr/bin/env python3
"""Measure initlens HTML reports in headless Chromium (selenium + chromedriver).

    scripts/html-check.py [--widths 390,800,1400] [--max-height PX] [--min-font 9] PAGE.html...

For each page and each width (the viewport's CSS pixels), as loaded and again with every
<details> open:
  - the page body never scrolls sideways: document.documentElement.scrollWidth <= innerWidth;
  - nothing is cut: no table cell's content overflows the cell, and no element that hides its
    overflow (overflow: hidden or clip) has content wider than itself;
  - every chart label (SVG <text>) is drawn at least --min-font px tall (font size times the
    SVG's scale on screen).
With --max-height, the page as loaded at the widest width is at most that many px tall.
With --fragment-check, the first link to a host's report (a fleet's incident kinds list their
hosts) opens that report: the browser opens the <details> around a fragment's target (the page
has no script).
With --section ID (repeatable), the page shows an element of that id (a fleet's "boottime").
With --chart-links SELECTOR, every link matched (e.g. "svg.boottime a") points at an element of
the page, and following the first one to a slow-stage outlier (a dot of class "out"; else the
first link) opens the report it points at.

Prints one line per page and width, then the failures; exits 1 when any check fails, 2 when
the browser cannot be started. Uses /usr/bin/chromedriver and /usr/bin/chromium by default
(CHROMEDRIVER, CHROMIUM override); nothing is downloaded.
"""

import argparse
import json
import os
import pathlib
import sys

MEASURE = r"""
const min = arguments[0];
const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
             height: document.documentElement.scrollHeight, cut: [], fonts: [], labels: 0};
function where(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.className && typeof el.className === 'string') s += '.' + el.className.split(' ').join('.');
  const t = (el.textContent || '').trim().slice(0, 40);
  return s + ' "' + t + '"';
}
function shown(el) { return el.getClientRects().length > 0; }
for (const el of document.querySelectorAll('td, th')) {
  if (shown(el) && el.scrollWidth > el.clientWidth + 1) out.cut.push('cell ' + where(el) + ' ' + el.scrollWidth + '>' + el.clientWidth);
}
for (const el of document.querySelectorAll('body *')) {
  if (!shown(el) || el instanceof SVGElement) continue;
  const o = getComputedStyle(el).overflowX;
  if ((o === 'hidden' || o === 'clip') && el.scrollWidth > el.clientWidth + 1)
    out.cut.push('clipped ' + where(el) + ' ' + el.scrollWidth + '>' + el.clientWidth);
}
for (const t of document.querySelectorAll('svg text')) {
  if (!shown(t) || !(t.textContent || '').trim()) continue;
  const m = t.getScreenCTM();
  if (!m) continue;
  const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  out.labels += 1;
  if (px < min) out.fonts.push(where(t) + ' ' + px.toFixed(1) + 'px');
}
return out;
"""

OPEN_ALL = "for (const d of document.querySelectorAll('details')) d.open = true;"

# Follows a link to `id` and tells whether its target shows: no <details> around it left closed.
FOLLOW = r"""
function follow(id) {
  location.hash = id;
  const target = document.getElementById(id);
  const closed = [];
  for (let d = target && target.parentElement; d; d = d.parentElement)
    if (d.tagName === 'DETAILS' && !d.open) closed.push(d.id || d.className);
  return {id: id, found: !!target, closed: closed, visible: !!target && target.getClientRects().length > 0};
}
"""

FRAGMENT = FOLLOW + r"""
const link = [...document.querySelectorAll('a[href^="#h"]')].find(a => /^#h[0-9]+$/.test(a.getAttribute('href')));
if (!link) return {skipped: 'no link to a host'};
return follow(link.getAttribute('href').slice(1));
"""


SECTION = r"""
const el = document.getElementById(arguments[0]);
return {found: !!el, visible: !!el && el.getClientRects().length > 0,
        labels: el ? el.querySelectorAll('svg text').length : 0};
"""

CHART_LINKS = FOLLOW + r"""
const links = [...document.querySelectorAll(arguments[0])].filter(a => (a.getAttribute('href') || '').startsWith('#'));
const missing = links.map(a => a.getAttribute('href')).filter(h => !document.getElementById(h.slice(1)));
const link = links.find(a => a.querySelector('.out')) || links[0];
if (!link) return {links: 0, missing: missing};
return Object.assign(follow(link.getAttribute('href').slice(1)),
                     {links: links.length, missing: missing, outlier: !!link.querySelector('.out')});
"""


def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-dev-shm-usage",
                "--force-device-scale-factor=1", "--window-size=1400,1000"]:
        options.add_argument(arg)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def viewport(d, width):
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("pages", nargs="+")
    p.add_argument("--widths", default="390,800,1400")
    p.add_argument("--max-height", type=int, default=0)
    p.add_argument("--min-font", type=float, default=9)
    p.add_argument("--fragment-check", action="store_true")
    p.add_argument("--section", action="append", default=[])
    p.add_argument("--chart-links", default="")
    args = p.parse_args()
    widths = [int(w) for w in args.widths.split(",")]
    try:
        d = driver()
    except Exception as e:  # noqa: BLE001 - any failure to start the browser is reported the same way
        print(f"html-check: cannot start Chromium through chromedriver: {e}", file=sys.stderr)
        return 2
    failures = []
    try:
        for page in args.pages:
            url = pathlib.Path(page).resolve().as_uri()
            name = pathlib.Path(page).name
            for width in widths:
                viewport(d, width)
                d.get(url)
                loaded = d.execute_script(MEASURE, args.min_font)
                d.execute_script(OPEN_ALL)
                opened = d.execute_script(MEASURE, args.min_font)
                print(f"{name} @{width}px: body {loaded['scrollWidth']}/{loaded['innerWidth']} px wide "
                      f"({opened['scrollWidth']} all open), {loaded['height']} px tall "
                      f"({opened['height']} all open), {opened['labels']} chart labels")
                for state, m in (("as loaded", loaded), ("all open", opened)):
                    if m["scrollWidth"] > m["innerWidth"]:
                        failures.append(f"{name} @{width}px {state}: the page scrolls sideways "
                                        f"({m['scrollWidth']} > {m['innerWidth']})")
                    for c in m["cut"][:5]:
                        failures.append(f"{name} @{width}px {state}: cut: {c}")
                    for f in m["fonts"][:5]:
                        failures.append(f"{name} @{width}px {state}: chart label under {args.min_font} px: {f}")
                for section in args.section:
                    r = d.execute_script(SECTION, section)
                    if not r["found"] or not r["visible"]:
                        failures.append(f"{name} @{width}px: no section #{section} shown: {r}")
                    elif width == max(widths):
                        print(f"{name}: section #{section} shown, {r['labels']} chart labels")
                if args.max_height and width == max(widths) and loaded["height"] > args.max_height:
                    failures.append(f"{name} @{width}px: {loaded['height']} px tall, over {args.max_height}")
            if args.fragment_check:
                viewport(d, max(widths))
                d.get(url)
                r = d.execute_script(FRAGMENT)
                print(f"{name}: fragment {json.dumps(r)}")
                if "skipped" in r or not r["found"] or r["closed"] or not r["visible"]:
                    failures.append(f"{name}: a link to a host does not open the host's report: {r}")
            if args.chart_links:
                viewport(d, max(widths))
                d.get(url)
                r = d.execute_script(CHART_LINKS, args.chart_links)
                print(f"{name}: chart links {json.dumps(r)}")
                if not r["links"] or r["missing"] or not r["found"] or r["closed"] or not r["visible"]:
                    failures.append(f"{name}: the links of {args.chart_links} do not all open a report: {r}")
    finally:
        d.quit()
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
