#!/usr/bin/python3
"""Time to first render of attune ui's journal page, in Debian's headless Chromium.

Opens the address `attune ui` printed, RUNS times, each in a fresh tab of one browser (so the
browser's own start is not counted), and prints {"first_render_ms": median, "entries": N} as
JSON: the milliseconds from the navigation's start to the page's mark that its journal list is
on screen (performance.mark 'attune:journal-rendered' in app.js); the page draws the newest
200 entries first, and "entries" says how many it drew.
"""
import argparse
import json
import statistics
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

MARK = "attune:journal-rendered"


def start_browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 "--window-size=1280,900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def one_render(driver, url):
    driver.switch_to.new_window("tab")
    driver.get(url)
    WebDriverWait(driver, 120).until(
        lambda d: d.execute_script(
            "return performance.getEntriesByName(arguments[0]).length > 0", MARK))
    millis = driver.execute_script(
        "return performance.getEntriesByName(arguments[0])[0].startTime", MARK)
    entries = driver.execute_script("return document.querySelectorAll('#entry-list > li').length")
    driver.close()
    driver.switch_to.window(driver.window_handles[0])
    return millis, entries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    driver = start_browser()
    try:
        driver.get("about:blank")
        samples, entries = [], 0
        for _ in range(args.runs):
            millis, entries = one_render(driver, args.url)
            samples.append(millis)
    finally:
        driver.quit()
    json.dump({"first_render_ms": statistics.median(samples), "entries": entries,
               "samples_ms": samples}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
