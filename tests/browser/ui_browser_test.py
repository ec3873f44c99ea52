#!/usr/bin/python3
"""Real-browser tests of `attune ui` (docs/ui.md): headless Chromium, driven by Selenium, against
the real binary, with journals in temporary homes and two partners paired on 127.0.0.1.

    /usr/bin/python3 tests/browser/ui_browser_test.py --attune build/test/cli/attune \\
        --out build/test/browser-screenshots [unittest arguments, e.g. TwoPartnersTest]

/usr/bin/python3, because Selenium is Debian's python3-selenium, which another python3 first on
PATH may not see. Needs chromium and chromium-driver too; ./dev.sh test installs all three.
Nothing here waits on the clock: pages through WebDriverWait and explicit conditions, attune
processes through the lines they print.
"""

import argparse
import base64
import functools
import http.server
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from loopback_ports import free_ports  # noqa: E402  (the path above)

try:
    from selenium import webdriver
    from selenium.common.exceptions import (ElementClickInterceptedException,
                                            ElementNotInteractableException,
                                            NoSuchElementException,
                                            StaleElementReferenceException,
                                            TimeoutException)
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    webdriver = None

CHROMEDRIVER = "/usr/bin/chromedriver"
# A command, a page's load or render, one sync between the two nodes: generous, because ctest
# runs these beside the other suites on two cores, and again with attune under ASan.
STEP = 60

# Set once from the command line (main).
ATTUNE = ""
OUT_DIR = ""

# While a page re-renders (an SSE event arrived), an element found a moment ago may be gone or
# covered; a wait retries through these.
TRANSIENT = (NoSuchElementException, StaleElementReferenceException,
             ElementNotInteractableException,
             ElementClickInterceptedException) if webdriver else ()


def missing_prerequisites():
    missing = []
    if webdriver is None:
        missing.append("python3-selenium (for /usr/bin/python3)")
    if not os.access(CHROMEDRIVER, os.X_OK):
        missing.append("chromium-driver (" + CHROMEDRIVER + ")")
    if shutil.which("chromium") is None:
        missing.append("chromium")
    return missing


# --- attune processes -----------------------------------------------------------------------

class Sandbox:
    """A temporary folder for homes, attune's HOME, TMPDIR and runtime dir, removed at the end."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="attune-browser-")
        for sub in ("user", "tmp", "run"):
            os.mkdir(self.path(sub), 0o700)

    def path(self, name):
        return os.path.join(self.root, name)

    def env(self):
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": self.path("user"),
               "TMPDIR": self.path("tmp"), "XDG_RUNTIME_DIR": self.path("run"), "NO_COLOR": "1"}
        # An ASan build of attune reports as the test runner asked (./dev.sh's sanitizer pass).
        for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if name in os.environ:
                env[name] = os.environ[name]
        return env

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Background:
    """An attune process left running; its standard output is read line by line as it comes."""

    def __init__(self, args, env, log_path):
        self.args = args
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.PIPE, stderr=log)
        self.lines = queue.Queue()
        threading.Thread(target=self._read_lines, daemon=True).start()

    def _read_lines(self):
        with self.process.stdout:
            for raw in self.process.stdout:
                self.lines.put(raw.decode(errors="replace").rstrip("\n"))
        self.lines.put(None)

    def read_line(self, within=STEP):
        try:
            line = self.lines.get(timeout=within)
        except queue.Empty:
            raise AssertionError(f"{self.describe()}: no line in {within} s") from None
        if line is None:
            raise AssertionError(f"{self.describe()} ended: exit {self.process.wait()}, "
                                 f"stderr: {self.stderr()}")
        return line

    def wait(self, within=STEP):
        return self.process.wait(timeout=within)

    def stop(self):
        """SIGTERM, then the exit code (killed and None if it did not end within STEP)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STEP)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def stderr(self):
        with open(self.log_path, errors="replace") as log:
            return log.read()[-4000:]

    def describe(self):
        return " ".join(self.args[1:])


class Home:
    """One partner's journal (made with --no-passphrase), and the attune commands run on it."""

    def __init__(self, sandbox, name):
        self.sandbox = sandbox
        self.name = name
        self.dir = sandbox.path("home-" + name.lower())
        self.run("init", "--name", name, "--no-passphrase")

    def command(self, args):
        return [ATTUNE, "--home", self.dir, *args]

    def run(self, *args):
        done = subprocess.run(self.command(args), env=self.sandbox.env(), capture_output=True,
                              text=True, timeout=STEP, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise AssertionError(f"attune {' '.join(args)}: exit {done.returncode}\n"
                                 f"{done.stdout}{done.stderr}")
        return done.stdout

    def start(self, *args):
        log = self.sandbox.path(f"{self.name.lower()}-{args[0]}-{os.urandom(3).hex()}.log")
        return Background(self.command(args), self.sandbox.env(), log)


# The serve ports handed out by serve_port(), so that no two homes of this run get the same one.
SERVE_PORTS = set()


def serve_port():
    """A free loopback port for a home's link to listen on, other than any given out before."""
    [port] = free_ports(1, taken=SERVE_PORTS)
    SERVE_PORTS.add(port)
    return port


def pair(inviter, joiner):
    """Pairs two homes as scripts/demo.sh does, each with a serve port of its own."""
    inviter_port, joiner_port = free_ports(2)
    invitation = inviter.start("pair", "--listen", "127.0.0.1:0", "--serve-port",
                               str(inviter_port), "--no-discovery", "--json")
    try:
        offer = json.loads(invitation.read_line())
        joiner.run("pair", "--join", offer["code"], "--to", offer["address"], "--serve-port",
                   str(joiner_port), "--no-discovery", "--json")
        if invitation.wait() != 0:
            raise AssertionError(f"the inviting pair failed: {invitation.stderr()}")
    finally:
        invitation.stop()


class Ui:
    """`attune ui` on a home: the address it printed, and the process, stopped by stop()."""

    def __init__(self, home, *options):
        self.process = home.start("ui", "--no-open", "--no-discovery", *options)
        self.url = self.process.read_line()
        printed = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]+)", self.url)
        if printed is None:
            self.process.stop()
            raise AssertionError(f"attune ui printed {self.url!r}, not its address")
        self.port = int(printed.group(1))
        self.token = printed.group(2)
        self.origin = f"http://127.0.0.1:{self.port}"

    def stop(self):
        """Ends it as a user's Ctrl-C would; complains unless it ended cleanly (an ASan build
        reports a leak or a memory error through its exit code)."""
        code = self.process.stop()
        if code != 0:
            raise AssertionError(f"attune ui did not end cleanly on SIGTERM (exit {code}): "
                                 f"{self.process.stderr()}")


def pairing_ui(home):
    """`attune ui` on a home not paired yet, ready to pair from its page: an invitation waits on
    127.0.0.1 (at a port the system picks), and the link that pairing starts listens at a serve
    port of this home's own (not the default one, which another test may hold)."""
    return Ui(home, "--pair-listen", "127.0.0.1:0", "--serve-port", str(serve_port()))


# --- the browser ----------------------------------------------------------------------------

def start_browser(network_log=False):
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    if network_log:
        # Responses' statuses and the console's security messages, read by the tests that
        # check what the server refused.
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(STEP)
    set_viewport(driver, 1280, 900)
    return driver


def set_viewport(driver, width, height):
    """The page's own size, exactly; at phone width as a phone lays it out (meta viewport)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def set_color_scheme(driver, scheme):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme}]})


def wait_until(driver, condition, message, within=STEP):
    """condition() until it returns something true; an element that went stale or was covered
    while the page re-rendered counts as not yet."""
    return WebDriverWait(driver, within, ignored_exceptions=TRANSIENT).until(
        lambda _: condition(), message)


def clear_cookies(driver):
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})


def drain_network_log(driver):
    driver.get_log("performance")


def network_events(driver):
    return [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]


def responses(events):
    """[(method, url, status)] of every request answered, as the network saw it: also those
    whose answer CORS or Cross-Origin-Resource-Policy then kept from the page."""
    requests = {}
    statuses = {}
    for event in events:  # a response's extra information may come before its request's
        params = event.get("params", {})
        if event["method"] == "Network.requestWillBeSent":
            requests[params["requestId"]] = (params["request"]["method"],
                                             params["request"]["url"])
        elif event["method"] == "Network.responseReceivedExtraInfo":
            statuses[params["requestId"]] = params["statusCode"]
    return [(*requests[request], status) for request, status in statuses.items()
            if request in requests]


# Same-origin API calls from the real page, with its session: for setting up screenshots and
# for looking at the journal after an attack.
FETCH_JS = """
const [method, path, body, done] = arguments;
const init = {method};
if (body !== null) {
  init.headers = {'Content-Type': 'application/json'};
  init.body = JSON.stringify(body);
}
fetch(path, init)
  .then(async r => done({status: r.status, body: await r.json().catch(() => null)}))
  .catch(e => done({status: 0, body: String(e)}));
"""

# Where each view shows that it is on screen.
VIEW_MARKS = {"journal": "#entry-list", "sharing": "#shared-list", "together": "#timeline",
              "exercises": "#exercise-list", "partner": "#link-state", "steps": "#steps-list",
              "quiz": "#quiz-area"}


class Page:
    """A browser tab on one `attune ui`, and what a user does on it."""

    def __init__(self, driver, ui):
        self.driver = driver
        self.ui = ui

    def open(self):
        """Opens the address attune ui printed: the page, and its session cookie."""
        self.driver.get(self.ui.url)
        self.wait_for_title()

    def reset(self):
        """A fresh copy of the page, on the session cookie: no dialog or form left open."""
        self.driver.get(self.ui.origin + "/")
        self.wait_for_title()

    def wait_for_title(self):
        wait_until(self.driver, lambda: self.one("h1#view-title").text.strip(),
                   "the page never showed a view's title (h1#view-title)")

    def all(self, selector, within=None):
        return (within or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def one(self, selector, within=None):
        return (within or self.driver).find_element(By.CSS_SELECTOR, selector)

    def wait_for(self, selector, what, within=STEP):
        return wait_until(self.driver, lambda: self.visible(selector),
                          f"{what} ({selector}) never showed", within)

    def visible(self, selector):
        shown = [e for e in self.all(selector) if e.is_displayed()]
        return shown[0] if shown else None

    def wait_gone(self, selector, what, within=STEP):
        wait_until(self.driver, lambda: self.visible(selector) is None,
                   f"{what} ({selector}) stayed", within)

    def click(self, selector, what):
        """Clicks once it can be clicked (a re-render may replace the element meanwhile)."""
        def clicked():
            target = self.visible(selector)
            return target is not None and (target.click() or True)
        wait_until(self.driver, clicked, f"could not click {what} ({selector})")

    def type(self, selector, text):
        field = self.wait_for(selector, selector)
        field.clear()
        field.send_keys(text)

    def go(self, view):
        self.click(f'a[data-nav="{view}"]', f"the {view} link")
        self.wait_present(VIEW_MARKS[view], f"the {view} view")

    def wait_present(self, selector, what):
        """Waits for selector in the document, shown or not (an empty list has no size)."""
        return wait_until(self.driver, lambda: self.all(selector),
                          f"{what} ({selector}) never came")[0]

    def text_of(self, selector):
        return self.one(selector).text.strip()

    def api(self, method, path, body=None):
        return self.driver.execute_async_script(FETCH_JS, method, path, body)

    def mark_document(self):
        """Marks this document, so that document_kept() tells whether it was reloaded."""
        self.driver.execute_script("window.attuneTestMark = true")

    def document_kept(self):
        return self.driver.execute_script("return window.attuneTestMark === true")

    def screenshot(self, name, whole_page=True):
        """name.png in OUT_DIR: the viewport, or as tall as the whole page (not with a dialog
        open: it stays where the viewport has it)."""
        path = os.path.join(OUT_DIR, name + ".png")
        if not whole_page:
            self.driver.save_screenshot(path)
            return
        width, height = self.driver.execute_script(
            "return [innerWidth, Math.max(innerHeight, document.documentElement.scrollHeight)]")
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        with open(path, "wb") as png:
            png.write(base64.b64decode(shot["data"]))


def entry_with_text(page, text):
    """The journal's li.entry whose text is `text`, or None."""
    for item in page.all("#entry-list li.entry"):
        if page.one(".entry-text", item).text.strip() == text:
            return item
    return None


def write_entry(page, kind, text):
    """Writes an entry through the journal's form; returns its id."""
    page.go("journal")
    page.click("button#new-entry", "New entry")
    page.wait_for("form#entry-form", "the entry form")
    Select(page.one("select#entry-kind")).select_by_value(kind)
    page.type("textarea#entry-text", text)
    return save_entry(page, text)


def save_entry(page, text):
    page.click("button#entry-save", "Save")
    page.wait_gone("form#entry-form", "the entry form")
    item = wait_until(page.driver, lambda: entry_with_text(page, text),
                      f"no entry reading {text!r} in the journal")
    return item.get_attribute("data-id")


def share_from_journal(page, entry_id, text):
    """Share, as a user does: the preview shows exactly `text`, then Share."""
    page.go("journal")
    page.click(f'li.entry[data-id="{entry_id}"] button.share', "Share")
    page.wait_for("dialog#share-dialog", "the share dialog")
    wait_until(page.driver, lambda: page.driver.execute_script(
        "const [view, text] = arguments;"
        "return [view, ...view.querySelectorAll('*')].some(e => e.textContent.trim() === text)",
        page.one("#preview-view"), text),
        f"the preview (#preview-view) never showed exactly {text!r}")
    page.click("button#share-confirm", "Share in the dialog")
    page.wait_gone("dialog#share-dialog", "the share dialog")


def timeline_item(page, entry_id, author):
    return page.visible(f'#timeline li.timeline-item[data-id="{entry_id}"][data-author="{author}"]')


def wait_explained(driver, condition, what, explain):
    """wait_until, and if the condition never holds, the failure adds what explain() says
    (what the node answers: whether the server or the page is behind)."""
    try:
        return wait_until(driver, condition, what)
    except TimeoutException:
        raise AssertionError(f"{what} within {STEP} s; {explain()}") from None


def partner_entries_listed(page, entry_id):
    listed = page.api("GET", "/api/entries?author=partner")
    has_it = entry_id in [entry["id"] for entry in (listed["body"] or {}).get("entries", [])]
    link = page.api("GET", "/api/overview")["body"]["link"]
    return (f"GET /api/entries?author=partner {'lists' if has_it else 'does not list'} "
            f"{entry_id}; the link: {link}")


def wait_for_arrival(page, entry_id, what):
    """The partner's entry, shown in the open Together view."""
    return wait_explained(page.driver, lambda: timeline_item(page, entry_id, "partner"), what,
                          lambda: partner_entries_listed(page, entry_id))


def share_through_api(page, body):
    """Writes and shares an entry through the API, to set a scene quickly; its id."""
    made = page.api("POST", "/api/entries", body)
    if made["status"] != 201:
        raise AssertionError(f"POST /api/entries {body}: {made}")
    return share_entry_through_api(page, made["body"]["entry"]["id"])


def share_entry_through_api(page, entry_id):
    """Shares an entry already written (preview, then share) through the API; its id."""
    preview = page.api("POST", f"/api/entries/{entry_id}/preview", {})
    shared = page.api("POST", f"/api/entries/{entry_id}/share",
                      {"digest": preview["body"]["preview"]["digest"]})
    if shared["status"] != 200:
        raise AssertionError(f"sharing {entry_id}: {preview} then {shared}")
    return entry_id


# --- exercises: doing a step together ----------------------------------------------------------

def exercise_ids(page):
    return {exercise["id"] for exercise in page.api("GET", "/api/exercises")["body"]["exercises"]}


def exercise_item(page, exercise_id, stage=None):
    """The exercise's li on the open Exercises view (in `stage`, if given), or None."""
    stage_part = f'[data-stage="{stage}"]' if stage else ""
    return page.visible(f'#exercise-list li.exercise[data-id="{exercise_id}"]{stage_part}')


def exercises_listed(page, exercise_id):
    listed = page.api("GET", "/api/exercises")["body"]["exercises"]
    found = [exercise for exercise in listed if exercise["id"] == exercise_id]
    link = page.api("GET", "/api/overview")["body"]["link"]
    return f"GET /api/exercises has {found or 'nothing'} for {exercise_id}; the link: {link}"


def wait_for_exercise_stage(page, exercise_id, stage, what):
    return wait_explained(page.driver, lambda: exercise_item(page, exercise_id, stage), what,
                          lambda: exercises_listed(page, exercise_id))


def start_exercise_on_page(page, name):
    """Starts exercise `name` with its button on the Exercises view; its id."""
    before = exercise_ids(page)
    page.click(f'#exercise-catalogue button.exercise-start[data-exercise="{name}"]',
               f"Start for {name}")
    started = wait_until(page.driver, lambda: next(
        (item for item in page.all("#exercise-list li.exercise")
         if item.get_attribute("data-id") not in before), None),
        f"the started exercise {name} never showed in #exercise-list")
    return started.get_attribute("data-id")


def answer_exercise_on_page(page, exercise_id, text):
    item = f'#exercise-list li.exercise[data-id="{exercise_id}"]'
    page.type(f"{item} textarea.exercise-answer", text)
    page.click(f"{item} button.exercise-answer-send", "Give my answer")
    page.wait_gone(f"{item} form.exercise-answer-form", "the answer form")


def revealed_answers(page, exercise_id):
    """(mine, partner's) as the exercise shows them once revealed, or None before."""
    item = exercise_item(page, exercise_id, "revealed")
    if item is None:
        return None
    return (page.one(".answers-side-by-side .my-answer", item).text.strip(),
            page.one(".answers-side-by-side .partner-answer", item).text.strip())


def ensure_revealed_exercise(jo, kai):
    """An exercise both have answered, on Jo's journal (through the API, to set a scene)."""
    listed = jo.api("GET", "/api/exercises")["body"]["exercises"]
    if any(exercise["stage"] == "revealed" for exercise in listed):
        return
    asked = jo.api("POST", "/api/exercises", {"name": "repair-noticed"})
    exercise_id = asked["body"]["exercise"]["id"]
    jo.api("POST", f"/api/exercises/{exercise_id}/answer",
           {"answer": "You came back after the argument and made tea."})
    wait_until(kai.driver, lambda: exercise_id in exercise_ids(kai),
               "Jo's exercise never reached Kai (GET /api/exercises)")
    kai.api("POST", f"/api/exercises/{exercise_id}/answer",
            {"answer": "You said sorry first, on Tuesday."})
    wait_until(jo.driver, lambda: any(
        exercise["id"] == exercise_id and exercise["stage"] == "revealed"
        for exercise in jo.api("GET", "/api/exercises")["body"]["exercises"]),
        "the exercise was never revealed on Jo's side (GET /api/exercises)")


# --- the quiz and its chart -------------------------------------------------------------------

# steps/quiz.cc: the odd statements measure anxiety, the even ones avoidance, and these are
# reverse-keyed (agreeing points away from the dimension: scored 8 - answer).
QUIZ_REVERSED = {4, 5, 8, 9, 12, 13, 16, 17}
QUIZ_ITEMS = 18
# (anxiety, avoidance) of the partners' quiz results: taken through the API to set a scene, and
# the one Kai takes on the page (elsewhere on the chart, so that it is seen to arrive).
JO_STYLE = (5, 3)
KAI_STYLE = (3, 5)
KAI_STYLE_ON_THE_PAGE = (2, 5)


def quiz_answers(anxiety, avoidance):
    """The answers, statement 1 first, that score `anxiety` and `avoidance` (1 to 7): away from
    4, a point well off the chart's centre. Agreeing and disagreeing alternate, as the keys do."""
    answers = []
    for number in range(1, QUIZ_ITEMS + 1):
        keyed = anxiety if number % 2 else avoidance
        answers.append(8 - keyed if number in QUIZ_REVERSED else keyed)
    return answers


def start_quiz(page):
    """The quiz view at its first statement: a new quiz, or again after the latest result."""
    page.reset()
    page.go("quiz")
    shown = wait_until(page.driver, lambda: page.visible("#quiz-item:not(:empty)")
                       or page.visible("button#quiz-again"),
                       "the quiz view showed neither a statement nor a result")
    if shown.get_attribute("id") == "quiz-again":
        page.click("button#quiz-again", "Take the quiz again")
    wait_until(page.driver, lambda: page.text_of("#quiz-progress").startswith("Statement 1 "),
               "the quiz never showed its first statement (#quiz-progress)")


def take_quiz(page, answers, keyboard):
    """Answers the quiz on screen from its first statement and waits for the result: with the
    keyboard alone (Space, then arrows to the answer, then Enter) or with clicks."""
    for number, answer in enumerate(answers, 1):
        progress = f"Statement {number} of {len(answers)}"
        wait_until(page.driver, lambda: page.text_of("#quiz-progress") == progress,
                   f"#quiz-progress never read {progress!r}")
        if keyboard:
            radio = 'input[name="quiz-answer"]'
            if number == 1 and not page.driver.execute_script(FOCUSED_MATCHES_JS, radio):
                if not tab_to(page, radio):
                    raise AssertionError("Tab never reached the quiz's answers")
            wait_until(page.driver, lambda: page.driver.execute_script(FOCUSED_MATCHES_JS, radio),
                       f"statement {number}: the focus is not on the answers")
            press(page.driver, Keys.SPACE)
            for _ in range(answer - 1):
                press(page.driver, Keys.ARROW_RIGHT)
        else:
            page.click(f'label[for="quiz-answer-{answer}"]', f"answer {answer}")
        wait_until(page.driver, lambda: page.one(f"input#quiz-answer-{answer}").is_selected(),
                   f"statement {number}: answer {answer} was never chosen")
        if keyboard:
            press(page.driver, Keys.ENTER)
        else:
            page.click("button#quiz-next", "Next")
    page.wait_for("#quiz-result #quiz-described", "the quiz's result")


# The chart as drawn: its plot's box, the centres of the two points (or null), its midlines,
# and its accessible name.
CHART_JS = r"""
const chart = document.querySelector('svg#style-chart');
if (!chart) return null;
const n = (e, name) => Number(e.getAttribute(name));
const centre = e => !e ? null : e.tagName === 'circle' ? [n(e, 'cx'), n(e, 'cy')] :
    [n(e, 'x') + n(e, 'width') / 2, n(e, 'y') + n(e, 'height') / 2];
const plot = chart.querySelector('rect.chart-plot');
const title = chart.querySelector('title');
return {
  plot: {x: n(plot, 'x'), y: n(plot, 'y'), width: n(plot, 'width'), height: n(plot, 'height')},
  me: centre(chart.querySelector('circle.point-me')),
  partner: centre(chart.querySelector('rect.point-partner')),
  mids: [...chart.querySelectorAll('line.chart-mid')].map(
      l => [n(l, 'x1'), n(l, 'y1'), n(l, 'x2'), n(l, 'y2')]),
  role: chart.getAttribute('role'),
  label: chart.getAttribute('aria-label') || '',
  title: title ? title.textContent : '',
};
"""


def read_chart(page):
    return page.driver.execute_script(CHART_JS)


def chart_position(chart, result):
    """Where docs/ui.md puts a result: avoidance from 1 at the plot's left to 7 at its right,
    anxiety from 1 at its bottom to 7 at its top."""
    plot = chart["plot"]
    return [plot["x"] + (result["avoidance"] - 1) / 6 * plot["width"],
            plot["y"] + (7 - result["anxiety"]) / 6 * plot["height"]]


def at_position(point, expected):
    """Whether a point is where expected (the page rounds to hundredths)."""
    return point is not None and all(abs(a - b) <= 0.011 for a, b in zip(point, expected))


def style_results(page):
    return page.api("GET", "/api/style")["body"]


def ensure_style_result(page, anxiety=JO_STYLE[0], avoidance=JO_STYLE[1]):
    """A quiz result in the page's journal, taken through the API if there is none, to set a
    scene quickly; the latest result."""
    history = style_results(page)["history"]
    if history:
        return history[-1]
    made = page.api("POST", "/api/quiz", {"answers": quiz_answers(anxiety, avoidance)})
    if made["status"] != 201:
        raise AssertionError(f"POST /api/quiz: {made}")
    return made["body"]["result"]


# --- pairing from the page ------------------------------------------------------------------

def pairing_view(page):
    """A fresh copy of the page on Partner, once it shows the node's pairing state; the state."""
    page.reset()
    page.go("partner")
    state = page.api("GET", "/api/pairing")["body"]["state"]
    page.wait_for(f'#pair-status[data-state="{state}"]', f"the pairing state {state!r}")
    return state


def wait_for_invitation(page):
    """(code, address) once the inviting page shows them."""
    def shown():
        code, address = page.text_of("#pair-code"), page.text_of("#pair-address")
        return (code, address) if code and address else None
    return wait_until(page.driver, shown,
                      "the page never showed a code and an address (#pair-code, #pair-address)")


def invite(page):
    """Show a code, on the Partner page: (code, address) once the node has made them."""
    pairing_view(page)
    page.click("button#pair-invite", "Show a code")
    return wait_for_invitation(page)


def join(page, code, address):
    """Enter a code, on the Partner page: types the code and the address, then Join."""
    pairing_view(page)
    page.type("input#pair-join-code", code)
    page.type("input#pair-join-address", address)
    page.click("button#pair-join-submit", "Join")


def another_code(code):
    """A code that is not `code` but reads as one, as a word misheard would: the same words in
    another order (or, were all three one word, another number)."""
    number, *words = code.split("-")
    turned = words[1:] + words[:1]
    if turned != words:
        return "-".join([number, *turned])
    return "-".join([str(int(number) - 1 if int(number) > 1 else 2), *words])


# --- what a page must be to everyone who uses it ----------------------------------------------

# Problems of the document as it is on screen: controls without an accessible name, headings,
# language, images without a text alternative, and the contrast of visible text (WCAG's 4.5:1,
# 3:1 for large text), each colour resolved through a canvas, so any CSS colour syntax works.
AUDIT_JS = r"""
// Colours as they end up, not halfway through a transition (after a focus, a hover, a new
// colour scheme).
for (const animation of document.getAnimations()) {
  try { animation.finish(); } catch (endless) { animation.cancel(); }
}
const problems = [];
const words = t => (t || '').replace(/\s+/g, ' ').trim();
const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && words(e.className) ?
         '.' + words(e.className).split(' ').join('.') : '');
const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility === 'visible';

if (!words(document.documentElement.getAttribute('lang'))) problems.push('html has no lang');
const headings = document.querySelectorAll('h1').length;
if (headings !== 1) problems.push(`${headings} h1 elements, not exactly one`);
const ids = new Set();
for (const e of document.querySelectorAll('[id]')) {
  if (ids.has(e.id)) problems.push(`id "${e.id}" is used twice`);
  ids.add(e.id);
}

function accessibleName(e) {
  const labelledBy = (e.getAttribute('aria-labelledby') || '').split(/\s+/)
      .map(id => document.getElementById(id)).filter(Boolean).map(l => l.textContent).join(' ');
  const labels = [...(e.labels || [])].map(l => l.textContent).join(' ');
  const own = e.matches('button, a') ? e.textContent :
      e.matches('input[type=submit], input[type=button], input[type=reset]') ? e.value : '';
  return words(labelledBy) || words(e.getAttribute('aria-label')) || words(labels) ||
      words(own) || words(e.getAttribute('title'));
}
for (const e of document.querySelectorAll(
         'input:not([type=hidden]), select, textarea, button, a[href]')) {
  if (!accessibleName(e)) problems.push(`${describe(e)} has no accessible name`);
}

for (const img of document.querySelectorAll('img:not([alt])')) {
  problems.push(`${describe(img)} has no alt`);
}
for (const svg of document.querySelectorAll('svg')) {
  if (svg.closest('[aria-hidden="true"]') || svg.closest('[role="img"][aria-label]')) continue;
  const title = svg.querySelector('title');
  const named = svg.getAttribute('role') === 'img' &&
      (words(svg.getAttribute('aria-label')) || svg.getAttribute('aria-labelledby') ||
       (title && words(title.textContent)));
  if (!named) problems.push(`${describe(svg)}: neither role="img" with a label nor aria-hidden`);
}

const canvas = document.createElement('canvas');
canvas.width = canvas.height = 1;
const paint = canvas.getContext('2d', {willReadFrequently: true});
function rgba(color) {
  paint.clearRect(0, 0, 1, 1);
  paint.fillStyle = color;
  paint.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = paint.getImageData(0, 0, 1, 1).data;
  return [r, g, b, a / 255];
}
const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3]))
    .concat([1]);
// What shows behind everything: the colour scheme's canvas (dark in dark mode if the page
// declares color-scheme).
const probe = document.createElement('div');
probe.style.backgroundColor = 'Canvas';
document.documentElement.appendChild(probe);
const canvasColor = rgba(getComputedStyle(probe).backgroundColor);
probe.remove();
function backgroundOf(e) {
  const layers = [];
  for (let n = e; n; n = n.parentElement) {
    const style = getComputedStyle(n);
    if (style.backgroundImage !== 'none') return null;  // a gradient or image: not computed
    const color = rgba(style.backgroundColor);
    if (color[3] > 0) layers.push(color);
    if (color[3] >= 1) break;
  }
  return layers.reverse().reduce((below, top) => over(top, below), canvasColor);
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
const hasText = e => [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && words(n.data));
for (const e of document.querySelectorAll('body *')) {
  if (!(hasText(e) || e.matches('button, input, select, textarea')) || !shown(e)) continue;
  if (e.disabled || e.matches('option, script, style, title')) continue;
  const style = getComputedStyle(e);
  const below = backgroundOf(e);
  if (below === null) continue;
  const text = over(rgba(style.color), below);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
  const needed = large ? 3 : 4.5;
  const ratio = contrast(text, below);
  if (ratio < needed) {
    problems.push(`${describe(e)} "${words(e.textContent).slice(0, 40)}": contrast ` +
                  `${ratio.toFixed(2)} (${style.color} on ` +
                  `rgb(${below.slice(0, 3).map(Math.round)}))` +
                  `, needs ${needed}`);
  }
}
return problems;
"""

# How the focused element shows its focus: an outline or a box shadow.
FOCUS_JS = r"""
const e = document.activeElement;
if (!e || e === document.body || e === document.documentElement) return null;
const style = getComputedStyle(e);
const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
const shadowed = style.boxShadow !== 'none';
return {element: e.outerHTML.slice(0, 120), visible: outlined || shadowed,
        outline: `${style.outlineStyle} ${style.outlineWidth}`, shadow: style.boxShadow};
"""

# Page width against the viewport, and the elements that stick out past its right edge.
WIDTH_JS = r"""
const width = document.documentElement.clientWidth;
const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
              (typeof e.className === 'string' && e.className ? '.' + e.className : '') +
              ` (right edge ${Math.round(e.getBoundingClientRect().right)})`);
return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6)};
"""

FOCUSED_MATCHES_JS = "return document.activeElement && document.activeElement.matches(arguments[0])"


def press(driver, key):
    ActionChains(driver).send_keys(key).perform()


def tab_to(page, selector, presses=80):
    """Presses Tab until `selector` has the focus; False if it never does."""
    for _ in range(presses):
        press(page.driver, Keys.TAB)
        if page.driver.execute_script(FOCUSED_MATCHES_JS, selector):
            return True
    return False


# --- fixtures -------------------------------------------------------------------------------

STATEMENT_PARTS = {"feel": "alone", "when": "you never answer my messages",
                   "need": "you answer when you can"}
# As `attune statement` composes it (steps::ComposeStatement).
STATEMENT = ("I feel alone when you never answer my messages. "
             "I feel loved and connected when you answer when you can.")
JO_ENTRIES = [("trigger", "Plans changed at the last minute and I froze.", ["work"]),
              ("note", "Walked by the river after dinner; it helped.", []),
              ("need", "To hear from Kai when plans change.", ["plans"])]
KAI_SHARED_NEED = "A quiet hour together on Sunday mornings."


def compose_statement(page, parts):
    """Opens the entry form on a statement and types its three parts."""
    page.go("journal")
    page.click("button#new-entry", "New entry")
    page.wait_for("form#entry-form", "the entry form")
    Select(page.one("select#entry-kind")).select_by_value("statement")
    for part, words in parts.items():
        page.type(f"input#statement-{part}", words)


def hints_name(page, phrase):
    return any(phrase in hint.text.lower() for hint in page.all("#statement-hints li"))


class CoupleTest(unittest.TestCase):
    """Jo and Kai, paired, each with a few entries (Kai's shared need among them) and `attune ui`
    running, which also serves and dials the partner; Jo's page open in a browser."""

    @classmethod
    def setUpClass(cls):
        # Class cleanups run even when setUpClass fails halfway, last registered first.
        cls.sandbox = Sandbox()
        cls.addClassCleanup(cls.sandbox.remove)
        cls.jo = Home(cls.sandbox, "Jo")
        cls.kai = Home(cls.sandbox, "Kai")
        pair(cls.jo, cls.kai)
        for kind, text, tags in JO_ENTRIES:
            cls.jo.run("add", kind, text, *[f"--tag={tag}" for tag in tags])
        cls.kai.run("add", "need", KAI_SHARED_NEED, "--share")
        cls.jo_ui = cls.start_ui(cls.jo)
        cls.kai_ui = cls.start_ui(cls.kai)
        cls.jo_page = cls.open_page(cls.jo_ui)

    @classmethod
    def start_ui(cls, home):
        ui = Ui(home)
        cls.addClassCleanup(ui.stop)
        return ui

    @classmethod
    def open_page(cls, ui, network_log=False):
        """A browser of its own, as each partner has their own computer (the session cookies are
        named for their ports, so one browser could also hold both sessions)."""
        driver = start_browser(network_log)
        cls.addClassCleanup(driver.quit)
        page = Page(driver, ui)
        page.open()
        return page


class TwoPartnersTest(CoupleTest):
    """What one partner shares reaches the other's open page live, and comes back answered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kai_page = cls.open_page(cls.kai_ui)

    def test_statement_composed_shared_and_answered_live(self):
        jo, kai = self.jo_page, self.kai_page
        kai.go("together")
        kai.mark_document()

        compose_statement(jo, STATEMENT_PARTS)
        wait_until(jo.driver, lambda: jo.text_of("#statement-preview") == STATEMENT,
                   f"#statement-preview never read {STATEMENT!r}")
        wait_until(jo.driver, lambda: hints_name(jo, "never"),
                   '#statement-hints never named "never"')
        statement_id = save_entry(jo, STATEMENT)
        share_from_journal(jo, statement_id, STATEMENT)

        arrived = wait_for_arrival(kai, statement_id, "Kai's Together never showed the statement")
        self.assertEqual(kai.one(".text", arrived).text.strip(), STATEMENT)
        self.assertTrue(kai.one(".who", arrived).text.strip(), "the statement names no author")
        self.assertTrue(kai.document_kept(),
                        "Kai's page was reloaded; the statement should arrive through its events")

        reply = "I hear you. I will write back, even briefly."
        item = f'#timeline li.timeline-item[data-id="{statement_id}"]'
        kai.click(f"{item} button.respond", "Respond")
        kai.wait_for(f"{item} form.respond-form", "the response form")
        kai.type(f"{item} form.respond-form textarea.respond-text", reply)
        Select(kai.one(f"{item} form.respond-form select.respond-ack")).select_by_value("heard")
        kai.click(f"{item} form.respond-form button.respond-send", "Send")

        jo.go("together")
        responses_shown = f'li.timeline-item[data-id="{statement_id}"] ul.responses li.response'
        answer = wait_until(jo.driver, lambda: next(
            (r for r in jo.all(responses_shown) if jo.one(".text", r).text.strip() == reply),
            None), "Jo's Together never showed Kai's response under the statement")
        heard = jo.api("GET", "/wording.json")["body"]["acks"]["heard"]
        self.assertIn(heard, answer.text, "the response does not show its acknowledgement")

    def test_exercise_answers_are_revealed_only_once_both_answered(self):
        jo, kai = self.jo_page, self.kai_page
        jo_answer = "When plans drift, I feel unsure; I feel connected when we set a time."
        kai_answer = "When plans drift, I feel pressed; I feel connected when we leave room."
        kai.go("exercises")
        kai.mark_document()
        jo.go("exercises")
        exercise_id = start_exercise_on_page(jo, "same-moment")
        self.assertIsNotNone(exercise_item(jo, exercise_id, "waiting_for_both"))
        answer_exercise_on_page(jo, exercise_id, jo_answer)
        mine = wait_for_exercise_stage(jo, exercise_id, "waiting_for_partner",
                                       "Jo's exercise never said it waits for Kai")
        self.assertEqual(jo.one(".my-answer", mine).text.strip(), jo_answer)

        # Kai's page: the exercise waits for Kai, and nothing of Jo's answer is there.
        waiting = wait_for_exercise_stage(kai, exercise_id, "waiting_for_you",
                                          "Kai's Exercises never showed Jo's exercise waiting "
                                          "for Kai")
        self.assertFalse(kai.all(".partner-answer", waiting), "Kai sees a partner's answer")
        self.assertNotIn(jo_answer, kai.driver.page_source)
        self.assertNotIn(jo_answer, json.dumps(kai.api("GET", "/api/exercises")["body"]))
        self.assertTrue(kai.visible(f'#exercise-list li.exercise[data-id="{exercise_id}"] '
                                    "textarea.exercise-answer"), "Kai has nowhere to answer")

        answer_exercise_on_page(kai, exercise_id, kai_answer)
        for page, expected, who in ((kai, (kai_answer, jo_answer), "Kai"),
                                    (jo, (jo_answer, kai_answer), "Jo")):
            shown = wait_explained(page.driver, lambda p=page: revealed_answers(p, exercise_id),
                                   f"{who}'s Exercises never showed both answers side by side",
                                   lambda p=page: exercises_listed(p, exercise_id))
            self.assertEqual(shown, expected)
        self.assertTrue(kai.document_kept(),
                        "Kai's page was reloaded; the exercise should arrive through its events")

    def test_withdrawn_entry_leaves_the_partner(self):
        jo, kai = self.jo_page, self.kai_page
        text = "I would like us to plan Saturdays together."
        entry_id = write_entry(jo, "need", text)
        share_from_journal(jo, entry_id, text)
        kai.go("together")
        wait_for_arrival(kai, entry_id, "Kai's Together never showed the shared need")

        jo.click(f'li.entry[data-id="{entry_id}"] button.unshare', "Stop sharing")
        jo.go("sharing")
        withdrawn = f'#shared-list li.shared-item[data-id="{entry_id}"][data-state="withdrawn"]'
        wait_explained(jo.driver, lambda: jo.visible(withdrawn),
                       "Jo's Sharing never showed the need withdrawn (Kai's node confirmed)",
                       lambda: f"GET /api/shared: {jo.api('GET', '/api/shared')['body']}")
        wait_explained(kai.driver,
                       lambda: not kai.all(f'#timeline li.timeline-item[data-id="{entry_id}"]'),
                       "Kai's Together still shows the withdrawn need",
                       lambda: partner_entries_listed(kai, entry_id))

    def test_quiz_result_shows_the_partners_shared_result(self):
        jo, kai = self.jo_page, self.kai_page
        show_quiz_result(jo)
        jo.mark_document()

        start_quiz(kai)
        take_quiz(kai, quiz_answers(*KAI_STYLE_ON_THE_PAGE), keyboard=False)
        taken = style_results(kai)["history"][-1]
        before = read_chart(jo)
        self.assertFalse(at_position(before["partner"], chart_position(before, taken)),
                         "Jo's chart shows a point of Kai's there already")
        listed = kai.api("GET", "/api/entries?kind=style")["body"]["entries"]
        text = next(entry["text"] for entry in listed if entry["id"] == taken["entry_id"])
        share_from_journal(kai, taken["entry_id"], text)

        # Jo's open result draws Kai's point, where Kai's scores put it.
        def partner_point_placed():
            chart = read_chart(jo)
            return chart if chart and at_position(chart["partner"],
                                                  chart_position(chart, taken)) else None
        chart = wait_explained(
            jo.driver, partner_point_placed,
            "Jo's chart never showed Kai's point (rect.point-partner) at Kai's scores",
            lambda: f"GET /api/style's partner: {style_results(jo)['partner']}; Kai's result: "
                    f"{taken}; the chart: {read_chart(jo)}")
        for score in (f"anxiety {taken['anxiety']:.1f}", f"avoidance {taken['avoidance']:.1f}"):
            self.assertIn(score, chart["label"].split("Kai")[-1],
                          "the chart's accessible name does not give Kai's scores")
        self.assertIn(taken["described"], jo.text_of("#quiz-partner"))
        self.assertTrue(jo.document_kept(),
                        "Jo's page was reloaded; Kai's result should arrive through its events")

    def test_screenshots_of_every_view(self):
        jo, kai = self.jo_page, self.kai_page
        statement_id = share_through_api(jo, {"kind": "statement", "parts": {
            "feel": "lonely", "when": "we eat in silence", "need": "we talk about our day"}})
        kai.go("together")
        wait_for_arrival(kai, statement_id, "Kai's Together never showed the statement")
        answered = kai.api("POST", f"/api/entries/{statement_id}/respond",
                           {"text": "Let's talk over dinner tonight.", "ack": "lets-talk"})
        self.assertEqual(answered["status"], 201, answered)
        wait_until(jo.driver, lambda: jo.api("GET", "/api/entries?author=partner&kind=response")
                   ["body"]["entries"], "Kai's response never reached Jo")

        # A quiz result of Jo's, and one Kai shared, both on Jo's chart.
        ensure_revealed_exercise(jo, kai)
        ensure_style_result(jo)
        if style_results(jo)["partner"] is None:
            share_entry_through_api(kai, ensure_style_result(kai, *KAI_STYLE)["entry_id"])
            wait_until(jo.driver, lambda: style_results(jo)["partner"],
                       "Kai's shared quiz result never reached Jo (GET /api/style)")

        show_view(jo, "partner")
        jo.wait_for('#link-state[data-state="connected"]', "the partner view, connected")
        try:
            for width, height in ((360, 800), (1280, 900)):
                set_viewport(jo.driver, width, height)
                for name, bring_up in screens(jo):
                    bring_up()
                    jo.screenshot(f"{name}-{width}", whole_page=name != "share-dialog")
            set_color_scheme(jo.driver, "dark")
            show_view(jo, "journal")
            jo.screenshot("journal-dark-1280")
        finally:
            set_viewport(jo.driver, 1280, 900)
            set_color_scheme(jo.driver, "light")
        for name in ("journal-1280", "journal-360", "together-360", "exercises-360",
                     "exercises-1280", "journal-dark-1280", "quiz-item-360", "quiz-result-1280"):
            self.assertGreater(os.path.getsize(os.path.join(OUT_DIR, name + ".png")), 1000)


# --- the screens, each brought up from a fresh copy of the page -------------------------------

# What each view lists once it has loaded.
VIEW_CONTENT = {"journal": "#entry-list li.entry", "sharing": "#shared-list li.shared-item",
                "together": "#timeline li.timeline-item",
                "exercises": "#exercise-catalogue li.exercise-guide", "partner": "#safety-number",
                "steps": "#steps-list li.step"}


def show_view(page, view):
    page.reset()
    page.go(view)
    wait_until(page.driver, lambda: any(e.text.strip() for e in page.all(VIEW_CONTENT[view])),
               f"the {view} view shows nothing ({VIEW_CONTENT[view]})")


def show_step(page, number):
    show_view(page, "steps")
    page.click(f'#steps-list li.step[data-step="{number}"] a.step-link', f"step {number}")
    wait_until(page.driver, lambda: page.text_of("p#step-guidance"),
               f"step {number}'s page shows no guidance (p#step-guidance)")


def show_composer(page):
    page.reset()
    compose_statement(page, STATEMENT_PARTS)
    wait_until(page.driver, lambda: hints_name(page, "never"),
               '#statement-hints never named "never"')


def show_share_dialog(page):
    """The share dialog of Jo's private need, left open."""
    show_view(page, "journal")
    text = JO_ENTRIES[2][1]
    entry = wait_until(page.driver, lambda: entry_with_text(page, text), f"no entry {text!r}")
    entry_id = entry.get_attribute("data-id")
    page.click(f'li.entry[data-id="{entry_id}"] button.share', "Share")
    page.wait_for("dialog#share-dialog", "the share dialog")
    wait_until(page.driver, lambda: text in page.text_of("#preview-view"),
               "the share dialog's preview never showed the entry")


def show_quiz_item(page):
    """The quiz under way: its first statement, an answer chosen."""
    start_quiz(page)
    page.click('label[for="quiz-answer-5"]', "answer 5")
    wait_until(page.driver, lambda: page.one("input#quiz-answer-5").is_selected(),
               "answer 5 was never chosen")


def show_quiz_result(page):
    """The latest quiz result and its chart (taken through the API if there is none)."""
    page.reset()
    ensure_style_result(page)
    page.go("quiz")
    page.wait_for("svg#style-chart circle.point-me", "the quiz's result and its chart")


def show_exercise_answer(page):
    """The Exercises view with an exercise of Jo's waiting for an answer: its answer box and
    Withdraw (one is started through the API if none waits)."""
    page.reset()
    listed = page.api("GET", "/api/exercises")["body"]["exercises"]
    if not any(exercise["stage"] == "waiting_for_both" for exercise in listed):
        asked = page.api("POST", "/api/exercises", {"name": "check-in"})
        if asked["status"] != 201:
            raise AssertionError(f"POST /api/exercises: {asked}")
    page.go("exercises")
    page.wait_for("#exercise-list textarea.exercise-answer", "an exercise's answer box")


def show_pairing(page, inviting):
    """The Partner page of a home not paired yet: the two ways to pair, nothing under way, or
    an invitation waiting with its code."""
    state = pairing_view(page)
    if inviting and state != "inviting":
        page.click("button#pair-invite", "Show a code")
    elif not inviting and state == "inviting":
        page.click("button#pair-cancel", "Withdraw the invitation")
    if inviting:
        wait_for_invitation(page)
    else:
        page.wait_for('#pair-status[data-state="idle"]', "no pairing under way")
        page.wait_for("form#pair-join-form", "the form to enter a code")


def screens(page, unpaired=None):
    """[(name, bring it up)] for every view and the forms and dialogs worth a look; with
    `unpaired`, a page of a home not paired yet, the Partner page's pairing too."""
    listed = ([(view, functools.partial(show_view, page, view)) for view in VIEW_CONTENT] +
              [("step-7", functools.partial(show_step, page, 7)),
               ("statement-composer", functools.partial(show_composer, page)),
               ("share-dialog", functools.partial(show_share_dialog, page)),
               ("quiz-item", functools.partial(show_quiz_item, page)),
               ("quiz-result", functools.partial(show_quiz_result, page)),
               ("exercise-answer", functools.partial(show_exercise_answer, page))])
    if unpaired is not None:
        listed += [("partner-pairing", functools.partial(show_pairing, unpaired, False)),
                   ("partner-inviting", functools.partial(show_pairing, unpaired, True))]
    return listed


class AccessibilityTest(CoupleTest):
    """Every screen can be used without a mouse, without colour vision, on a phone, and with a
    screen reader (as far as checks of the document can tell)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Something in Sharing and in Together besides Kai's need.
        share_through_api(cls.jo_page, {"kind": "statement", "parts": STATEMENT_PARTS})
        # Lee, not paired yet, for the Partner page's pairing: in Jo's browser (the session
        # cookies are named for their ports, so the two sessions live side by side).
        cls.lee = Home(cls.sandbox, "Lee")
        cls.lee_ui = pairing_ui(cls.lee)
        cls.addClassCleanup(cls.lee_ui.stop)
        cls.lee_page = Page(cls.jo_page.driver, cls.lee_ui)
        cls.lee_page.open()

    def screens(self):
        return screens(self.jo_page, unpaired=self.lee_page)

    def audit(self, name):
        return [f"{name}: {problem}" for problem in self.jo_page.driver.execute_script(AUDIT_JS)]

    def test_every_screen_names_its_controls_and_reads_well(self):
        problems = []
        for name, bring_up in self.screens():
            bring_up()
            problems += self.audit(name)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_every_screen_in_dark_mode_reads_well(self):
        problems = []
        set_color_scheme(self.jo_page.driver, "dark")
        try:
            for name, bring_up in self.screens():
                bring_up()
                problems += self.audit(name + " (dark)")
        finally:
            set_color_scheme(self.jo_page.driver, "light")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_nothing_scrolls_sideways_at_phone_width(self):
        page = self.jo_page
        problems = []
        set_viewport(page.driver, 360, 800)
        try:
            for name, bring_up in self.screens():
                bring_up()
                width = page.driver.execute_script(WIDTH_JS)
                if width["scroll"] > 360:
                    problems.append(f"{name}: {width['scroll']} px wide at 360 "
                                    f"(sticking out: {', '.join(width['wide'])})")
        finally:
            set_viewport(page.driver, 1280, 900)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_focus_is_visible_on_every_screen(self):
        page = self.jo_page
        problems = []
        for name, bring_up in self.screens():
            bring_up()
            for _ in range(4):
                press(page.driver, Keys.TAB)
                focused = page.driver.execute_script(FOCUS_JS)
                if focused and not focused["visible"]:
                    problems.append(f"{name}: no visible focus on {focused['element']} "
                                    f"(outline {focused['outline']}, box-shadow "
                                    f"{focused['shadow']})")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_keyboard_alone_opens_the_entry_form(self):
        page = self.jo_page
        page.reset()
        self.assertTrue(tab_to(page, 'a[data-nav="journal"]'), "Tab never reached Journal")
        press(page.driver, Keys.ENTER)
        page.wait_present(VIEW_MARKS["journal"], "the journal view")
        self.assertTrue(tab_to(page, "button#new-entry"), "Tab never reached New entry")
        press(page.driver, Keys.ENTER)
        page.wait_for("form#entry-form", "the entry form, opened with Enter")


# --- two homes that pair from their pages ---------------------------------------------------

class PairingTest(unittest.TestCase):
    """Jo and Kai, new to attune, pair from their pages alone, each in a browser of their own
    (as at two computers): one shows a code, the other types it in; then their link comes up by
    itself. Each test has two homes of its own, never paired before."""

    @classmethod
    def setUpClass(cls):
        cls.jo_driver = start_browser()
        cls.addClassCleanup(cls.jo_driver.quit)
        cls.kai_driver = start_browser()
        cls.addClassCleanup(cls.kai_driver.quit)

    def setUp(self):
        # Cleanups run last registered first: the attune uis end before their homes go.
        sandbox = Sandbox()
        self.addCleanup(sandbox.remove)
        self.jo_page = self.open_page(Home(sandbox, "Jo"), self.jo_driver)
        self.kai_page = self.open_page(Home(sandbox, "Kai"), self.kai_driver)

    def open_page(self, home, driver):
        ui = pairing_ui(home)
        self.addCleanup(ui.stop)
        page = Page(driver, ui)
        page.open()
        return page

    def test_pairing_from_the_pages_starts_the_link(self):
        jo, kai = self.jo_page, self.kai_page
        code, address = invite(jo)
        self.assertRegex(address, r"^127\.0\.0\.1:\d+$", "not the address of --pair-listen")
        self.screenshot_invitation(jo)
        join(kai, code, address)

        numbers = {}
        for page, who, partner in ((jo, "Jo", "Kai"), (kai, "Kai", "Jo")):
            page.wait_for('#pair-status[data-state="paired"]', f"{who}'s page, paired")
            numbers[who] = wait_until(
                page.driver, lambda: re.sub(r"\D", "", page.text_of("#safety-number")),
                f"{who}'s page shows no safety number")
            wait_until(page.driver, lambda: page.text_of("#partner-name") == partner,
                       f"{who}'s Partner page never named {partner} (#partner-name)")
        self.assertEqual(numbers["Jo"], numbers["Kai"], "the two pages' safety numbers differ")
        # Why to read it aloud, in the command line's own words (cli's table, /wording.json).
        advice = jo.api("GET", "/wording.json")["body"]["safety_number_advice"]
        self.assertIn(advice, jo.text_of("#pair-done-advice"))
        self.assertIn(advice, jo.text_of("#safety-advice"))

        # Paired, the two nodes find each other at the addresses pairing told them.
        def links():
            return "; ".join(f"{who}'s GET /api/overview link: "
                             f"{page.api('GET', '/api/overview')['body']['link']}"
                             for page, who in ((jo, "Jo"), (kai, "Kai")))
        for page, who in ((jo, "Jo"), (kai, "Kai")):
            wait_explained(page.driver,
                           lambda: page.visible('#link-state[data-state="connected"]'),
                           f"{who}'s Partner page never showed the link connected", links)

        kai.go("together")
        kai.mark_document()
        text = "To cook together on Friday evenings, just the two of us."
        entry_id = write_entry(jo, "need", text)
        share_from_journal(jo, entry_id, text)
        arrived = wait_for_arrival(kai, entry_id, "Kai's Together never showed Jo's need")
        self.assertEqual(kai.one(".text", arrived).text.strip(), text)
        self.assertTrue(kai.document_kept(),
                        "Kai's page was reloaded; Jo's need should arrive through its events")

    def screenshot_invitation(self, page):
        """The Partner page while the invitation waits, at both widths."""
        try:
            for width, height in ((360, 800), (1280, 900)):
                set_viewport(page.driver, width, height)
                page.screenshot(f"partner-inviting-{width}")
        finally:
            set_viewport(page.driver, 1280, 900)

    def test_a_wrong_code_pairs_nobody(self):
        jo, kai = self.jo_page, self.kai_page
        code, address = invite(jo)
        join(kai, another_code(code), address)
        for page, who in ((kai, "Kai"), (jo, "Jo")):
            page.wait_for('#pair-status[data-state="failed"]', f"{who}'s page, failed")
            wait_explained(page.driver, lambda: page.text_of("#error"),
                           f"{who}'s page says nothing of what went wrong (#error)",
                           lambda: f"GET /api/pairing: {page.api('GET', '/api/pairing')['body']}")
            # The page's own way out, not a command to type (ExplainOnPage).
            self.assertNotIn("`attune", page.text_of("#error"))
            overview = page.api("GET", "/api/overview")["body"]
            self.assertFalse(overview["paired"], f"{who} is paired after a wrong code")
            self.assertIsNone(overview["partner"], f"{who} has a partner after a wrong code")
        # Both can try again: Jo's page offers a new code, Kai's the form to enter it.
        jo.wait_for("button#pair-invite:enabled", "Jo's Show a code, after the failure")
        kai.wait_for("button#pair-join-submit:enabled", "Kai's Join, after the failure")


# --- the quiz, on one journal ---------------------------------------------------------------

class OnePageTest(unittest.TestCase):
    """Jo's journal, unpaired, with its page open in a browser of its own."""

    @classmethod
    def setUpClass(cls):
        cls.sandbox = Sandbox()
        cls.addClassCleanup(cls.sandbox.remove)
        cls.ui = Ui(Home(cls.sandbox, "Jo"))
        cls.addClassCleanup(cls.ui.stop)
        cls.driver = start_browser()
        cls.addClassCleanup(cls.driver.quit)
        cls.page = Page(cls.driver, cls.ui)
        cls.page.open()


class QuizTest(OnePageTest):
    """Jo takes the attachment style quiz on the page, and sees the result on its chart."""

    def assert_chart_shows(self, result):
        """svg#style-chart draws `result` (from GET /api/style) where its scores belong, and
        says them in its accessible name; the chart as read."""
        chart = read_chart(self.page)
        self.assertIsNotNone(chart, "no svg#style-chart")
        self.assertTrue(at_position(chart["me"], chart_position(chart, result)),
                        f"circle.point-me at {chart['me']}, not at {result['avoidance']} "
                        f"avoidance, {result['anxiety']} anxiety in {chart['plot']}")
        # The dashed midlines cross at 4, 4: the point is in its scores' quarter.
        centre = chart_position(chart, {"anxiety": 4, "avoidance": 4})
        self.assertEqual(sorted(chart["mids"]), sorted(
            [[centre[0], chart["plot"]["y"], centre[0], chart["plot"]["y"] +
              chart["plot"]["height"]],
             [chart["plot"]["x"], centre[1], chart["plot"]["x"] + chart["plot"]["width"],
              centre[1]]]), "the midlines (line.chart-mid) are not at 4")
        self.assertEqual(chart["me"][0] > centre[0], result["avoidance"] > 4, "left or right")
        self.assertEqual(chart["me"][1] < centre[1], result["anxiety"] > 4, "above or below")
        self.assertEqual(chart["role"], "img")
        for score in (f"anxiety {result['anxiety']:.1f}", f"avoidance {result['avoidance']:.1f}"):
            self.assertIn(score, chart["label"], "the chart's accessible name (aria-label)")
        self.assertEqual(chart["title"], chart["label"])
        self.assertTrue(self.page.one("svg#style-chart circle.point-me").is_displayed())
        self.assertIn(result["described"], self.page.text_of("#quiz-described"))
        return chart

    def test_answers_to_the_chart_and_the_history(self):
        page = self.page
        start_quiz(page)
        take_quiz(page, quiz_answers(anxiety=6, avoidance=2), keyboard=True)
        first = style_results(page)["history"][-1]
        self.assertGreater(first["anxiety"], 4, first)
        self.assertLess(first["avoidance"], 4, first)
        first_chart = self.assert_chart_shows(first)
        self.assertEqual(len(page.all("ol#style-history > li")), 1)

        page.click("button#quiz-again", "Take the quiz again")
        take_quiz(page, quiz_answers(anxiety=2, avoidance=6), keyboard=False)
        history = style_results(page)["history"]
        self.assertEqual(len(history), 2, history)
        second = history[-1]
        second_chart = self.assert_chart_shows(second)
        # Less anxious and more avoidant: further right, further down.
        self.assertGreater(second_chart["me"][0], first_chart["me"][0])
        self.assertGreater(second_chart["me"][1], first_chart["me"][1])
        shown = page.all("ol#style-history > li")
        self.assertEqual([item.get_attribute("data-id") for item in shown],
                         [second["entry_id"], first["entry_id"]], "the history, latest first")


class StepsWorkTest(OnePageTest):
    """Steps 5, 7 and 8 from the page: a boundary restated, a statement re-composed from its
    parts, and the themes of the triggers; and a long journal drawn a page at a time."""

    def add(self, body):
        added = self.page.api("POST", "/api/entries", body)
        self.assertEqual(added["status"], 201, added)
        return added["body"]["entry"]["id"]

    def entry(self, entry_id):
        return self.page.api("GET", "/api/entries/" + entry_id)["body"]["entry"]

    def test_a_boundary_is_restated_and_a_statement_recomposed_on_the_page(self):
        page = self.page
        boundary = self.add({"kind": "boundary", "text": "I pause a hard talk when I shut down."})
        statement = self.add({"kind": "statement", "parts": {
            "feel": "lonely", "when": "we eat in silence", "need": "we talk about our day"}})
        page.reset()
        page.go("journal")
        page.click(f'li.entry[data-id="{boundary}"] button.restate', "Restate")
        page.type(f'li.entry[data-id="{boundary}"] textarea.restate-note', "We paused on Sunday.")
        page.click(f'li.entry[data-id="{boundary}"] button.restate-save', "Save the restatement")
        wait_until(self.driver, lambda: self.entry(boundary)["fields"].get("restatements"),
                   "the restatement was never stored")
        self.assertEqual(self.entry(boundary)["fields"]["restatements"][0]["note"],
                         "We paused on Sunday.")

        page.click(f'li.entry[data-id="{statement}"] button.edit', "Edit the statement")
        feel = page.wait_for("#entry-form #statement-feel", "the composer, with the parts")
        self.assertEqual(feel.get_attribute("value"), "lonely")
        page.type("#entry-form #statement-feel", "sad")
        page.wait_for("#entry-form #statement-preview", "the composed sentence")
        page.click("#entry-save", "Save changes")
        wait_until(self.driver, lambda: self.entry(statement)["text"].startswith("I feel sad when"),
                   "the statement was never re-composed")
        self.assertEqual(self.entry(statement)["fields"]["feel"], "sad")

        # Words of fear of the partner get no rewording, and the support note in full (issue 19).
        page.click(f'li.entry[data-id="{statement}"] button.edit', "Edit the statement again")
        page.wait_for("#entry-form #statement-feel", "the composer")
        page.type("#entry-form #statement-feel", "afraid of you")
        page.wait_for("#statement-safety", "the safety note")
        wording = page.api("GET", "/wording.json")["body"]
        self.assertIn(wording["support_full"], page.text_of("#statement-safety"))
        self.assertEqual(page.all("#statement-hints li"), [], "no rewording is offered")

    def test_delete_moves_an_entry_to_the_trash_and_undo_brings_it_back(self):
        page = self.page
        page.reset()
        text = "A note to set aside for now."
        entry_id = write_entry(page, "note", text)
        page.click(f'li.entry[data-id="{entry_id}"] button.delete', "Delete…")
        page.wait_for("#delete-dialog", "the delete dialog")
        self.assertEqual(page.text_of("#delete-dialog-title"), "Move this entry to the trash?")
        page.click("#delete-confirm", "Move to the trash")
        wait_until(self.driver, lambda: entry_with_text(page, text) is None,
                   "the entry stayed in the journal")
        self.assertIn("Moved to the trash", page.text_of("#notice"))
        trashed = page.api("GET", "/api/entries/" + entry_id)
        self.assertEqual(trashed["status"], 404, trashed)
        self.assertEqual(trashed["body"]["error"]["reason"], "in_trash", trashed)

        page.click("#notice button.notice-action", "Undo")
        wait_until(self.driver, lambda: entry_with_text(page, text),
                   "Undo never brought the entry back")
        wait_until(self.driver, lambda: "Back in your journal" in page.text_of("#notice"),
                   "the page never said the entry is back")
        self.assertEqual(self.entry(entry_id)["visibility"], "private")

    def test_a_long_journal_opens_with_its_newest_entries_and_shows_earlier_ones(self):
        page = self.page
        for n in range(205):
            self.add({"kind": "note", "text": f"Evening note number {n}."})
        total = page.api("GET", "/api/entries?limit=1")["body"]["total"]
        self.assertGreaterEqual(total, 205)
        page.reset()
        page.go("journal")
        page.wait_for("#show-earlier", "the button for earlier entries")
        self.assertEqual(len(page.all("#entry-list > li")), 200)
        self.assertEqual(page.text_of("#entry-earlier-note"),
                         f"Showing the newest 200 of {total} entries.")
        # The newest is last, as in the rest of the journal; the first ones wait above.
        self.assertEqual(page.all("#entry-list > li")[-1].get_attribute("data-id"),
                         page.api("GET", "/api/entries?limit=1")["body"]["entries"][0]["id"])
        page.click("#show-earlier", "Show earlier")
        wait_until(self.driver, lambda: len(page.all("#entry-list > li")) == total,
                   "the earlier entries were never added")
        page.wait_gone("#show-earlier", "the button, once all are shown")
        focused = self.driver.switch_to.active_element
        self.assertEqual(focused.get_attribute("data-id"),
                         page.all("#entry-list > li")[0].get_attribute("data-id"),
                         "focus goes to the first of the entries just shown")

    def test_a_boundary_gets_gentle_notes_as_it_is_typed(self):
        page = self.page
        page.reset()
        page.go("journal")
        page.click("button#new-entry", "New entry")
        page.wait_for("#entry-form", "the entry form")
        Select(page.one("select#entry-kind")).select_by_value("boundary")
        page.type("#entry-form #entry-text", "You must never shout, or else I go.")
        notes = page.wait_for("ul#boundary-notes li", "a note on the boundary's words")
        found = [q.text for q in page.all("ul#boundary-notes q.hint-found")]
        self.assertIn("you must", " ".join(found).lower(), notes.text)
        page.type("#entry-form #entry-text", "When voices rise, I will step away and come back.")
        page.wait_gone("ul#boundary-notes li", "the notes, once the words are gentle")

    def test_step_five_shows_the_themes_of_the_triggers(self):
        for text in ("Lonely when plans change at the last minute.",
                     "Lonely when plans are left open."):
            self.add({"kind": "trigger", "text": text, "tags": ["plans"]})
        self.page.driver.get(self.ui.origin + "/#/steps/5")
        tags = self.page.wait_for("#theme-tags", "step 5's themes")
        self.assertIn("plans", tags.text)
        self.assertIn("2 triggers", tags.text)
        feelings = self.page.wait_for("#theme-feelings", "the feelings, grouped (issue 19)")
        self.assertIn("lonely", feelings.text)


# --- one journal, and the browser around it -------------------------------------------------

SECRET = "A private note nobody else may read."
# What only the journal's page has (the page refusing a session has a title and text only).
JOURNAL_PAGE = "script[src], nav, #view-body, #entry-list"

# docs/ui.md: on every response, errors and the page included.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; connect-src 'self'; font-src 'none'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


class OneJournalTest(unittest.TestCase):
    """Jo's journal, with a private note, and `attune ui` on it; a browser that logs what the
    network answered."""

    @classmethod
    def setUpClass(cls):
        cls.sandbox = Sandbox()
        cls.addClassCleanup(cls.sandbox.remove)
        cls.jo = Home(cls.sandbox, "Jo")
        cls.jo.run("add", "note", SECRET)
        cls.ui = Ui(cls.jo)
        cls.addClassCleanup(cls.ui.stop)
        cls.driver = start_browser(network_log=True)
        cls.addClassCleanup(cls.driver.quit)
        cls.page = Page(cls.driver, cls.ui)

    def session_cookies(self):
        every = self.driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]
        return [cookie for cookie in every if cookie["name"].startswith("attune_session_")]


class SessionTest(OneJournalTest):
    """Only the printed address opens the journal; its session is a cookie scripts cannot read."""

    def setUp(self):
        clear_cookies(self.driver)
        drain_network_log(self.driver)

    def load(self, url):
        """Opens url; the status and headers of the document's response."""
        self.driver.get(url)
        for event in network_events(self.driver):
            params = event.get("params", {})
            if event["method"] == "Network.responseReceived" and params["type"] == "Document":
                response = params["response"]
                return response["status"], {k.lower(): v for k, v in response["headers"].items()}
        raise AssertionError(f"no response to {url} in the browser's network log")

    def assert_security_headers(self, headers):
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(headers.get(name), value, f"header {name}")

    def assert_refused(self, url, status):
        answered, headers = self.load(url)
        self.assertEqual(answered, status, url)
        self.assert_security_headers(headers)
        self.assertEqual(self.page.all(JOURNAL_PAGE), [], f"{url} answered the journal's page")
        self.assertNotIn(SECRET, self.driver.page_source, url)
        self.assertEqual(self.session_cookies(), [], f"{url} set a session cookie")

    def test_without_the_token_nothing_opens(self):
        self.assert_refused(self.ui.origin + "/", 401)
        self.assert_refused(self.ui.origin + "/api/entries", 401)

    def test_a_wrong_token_opens_nothing(self):
        token = self.ui.token
        other_digit = "0" if token[-1] != "0" else "1"
        for wrong in (token[:-1] + other_digit, token[:-2], token + "00", ""):
            with self.subTest(token=wrong):
                self.assert_refused(f"{self.ui.origin}/?token={wrong}", 401)

    def test_another_host_name_is_refused_even_with_the_token(self):
        # What a DNS-rebinding page would send: the right port, another name.
        self.assert_refused(f"http://localhost:{self.ui.port}/?token={self.ui.token}", 421)

    def test_the_printed_address_opens_the_journal_on_a_session_cookie(self):
        status, headers = self.load(self.ui.url)
        self.assertEqual(status, 200)
        self.assert_security_headers(headers)
        self.page.wait_for_title()
        wait_until(self.driver, lambda: entry_with_text(self.page, SECRET), "the note not shown")
        wait_until(self.driver, lambda: "token" not in self.driver.current_url,
                   f"the token stayed in the address bar: {self.driver.current_url}")
        cookies = self.session_cookies()
        self.assertEqual(len(cookies), 1, cookies)
        self.assertTrue(cookies[0]["httpOnly"])
        self.assertEqual(cookies[0]["sameSite"], "Strict")
        self.assertEqual(cookies[0]["path"], "/")
        self.assertNotIn(self.ui.token, cookies[0]["value"])
        self.assertFalse(self.driver.execute_script("return document.cookie"))
        self.page.reset()
        wait_until(self.driver, lambda: entry_with_text(self.page, SECRET),
                   "the page, opened again on its cookie, does not show the note")


class ClosingTest(OneJournalTest):
    """The page's Close button ends `attune ui` (POST /api/close), and the page says so."""

    def test_close_ends_attune_ui(self):
        self.page.open()
        closed = self.page.api("GET", "/wording.json")["body"]["closed"]
        self.page.click("button#close-ui", "Close attune ui")
        wait_until(self.driver, lambda: self.page.text_of("#notice") == closed,
                   f"the page never said {closed!r} (#notice)")
        try:
            code = self.ui.process.wait()
        except subprocess.TimeoutExpired:
            self.fail(f"attune ui still runs {STEP} s after POST /api/close")
        self.assertEqual(code, 0, self.ui.process.stderr())


# A page of another origin that tries what a malicious site in the same browser could: read the
# journal, write to it, listen to its events, and show it in a frame (for clickjacking).
OTHER_SITE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another site</title></head>
<body><iframe id="framed" src="UI_ORIGIN/"></iframe>
<script>
const ui = UI_JSON, marker = MARKER_JSON;
async function attempt(request) {
  try { return 'resolved: ' + await request(); } catch (e) { return 'rejected: ' + e.name; }
}
function listen() {
  return new Promise(done => {
    const source = new EventSource(ui + '/api/events', {withCredentials: true});
    source.onopen = () => { source.close(); done('open'); };
    source.onerror = () => { source.close(); done('error'); };
  });
}
(async () => {
  const results = {};
  results.read = await attempt(async () => {
    const answer = await fetch(ui + '/api/entries', {credentials: 'include'});
    return answer.status + ' ' + (await answer.text()).slice(0, 200);
  });
  results.write = await attempt(async () => (await fetch(ui + '/api/entries', {
    method: 'POST', mode: 'no-cors', credentials: 'include',
    body: JSON.stringify({kind: 'note', text: marker})})).type);
  results.events = await listen();
  document.body.dataset.results = JSON.stringify(results);
})();
</script></body></html>
"""


def js_value(value):
    return json.dumps(value).replace("</", "<\\/")


class OtherSite:
    """OTHER_SITE_PAGE, served on 127.0.0.1 at a port of its own (reached as 127.0.0.1 or as
    localhost); ?marker= names the note it tries to write."""

    def __init__(self, ui_origin):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                if url.path != "/":
                    self.send_error(404)
                    return
                marker = urllib.parse.parse_qs(url.query).get("marker", [""])[0]
                body = (OTHER_SITE_PAGE.replace("UI_ORIGIN", ui_origin)
                        .replace("UI_JSON", js_value(ui_origin))
                        .replace("MARKER_JSON", js_value(marker))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SecondOriginTest(OneJournalTest):
    """Another site open in the browser that holds the session cannot read, change, listen to or
    frame the journal: on 127.0.0.1 at another port (same site, another origin: the session
    cookie, SameSite=Strict, still goes along) and on localhost (another site)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.page.open()
        cls.other_site = OtherSite(cls.ui.origin)
        cls.addClassCleanup(cls.other_site.close)

    def test_a_page_on_another_port_of_the_same_address(self):
        # Same site: the browser sends the session cookie, and the origin check refuses.
        self.assert_kept_out("127.0.0.1", refused_with=403)

    def test_a_page_on_localhost(self):
        # Another site: SameSite=Strict keeps the cookie back, so there is no session.
        self.assert_kept_out("localhost", refused_with=401)

    def assert_kept_out(self, host, refused_with):
        marker = f"Written by a page at {host}: {os.urandom(4).hex()}"
        drain_network_log(self.driver)
        self.driver.get_log("browser")
        self.driver.get(f"http://{host}:{self.other_site.port}/?"
                        + urllib.parse.urlencode({"marker": marker}))
        results = json.loads(wait_until(
            self.driver, lambda: self.page.one("body").get_attribute("data-results"),
            "the other site's script never finished"))
        self.assertTrue(results["read"].startswith("rejected"),
                        f"the other site read /api/entries: {results['read']}")
        self.assertEqual(results["events"], "error", "the other site opened /api/events")
        # The POST's answer never reaches the other site's script (Cross-Origin-Resource-
        # Policy), but the browser saw it: the server refused it.
        posted = [status for method, url, status in responses(network_events(self.driver))
                  if method == "POST" and url == self.ui.origin + "/api/entries"]
        self.assertEqual(posted, [refused_with],
                         f"the other site's POST /api/entries (its script saw "
                         f"{results['write']!r}) was not refused")

        framed = self.framed_document()
        self.assertFalse(framed["app"] or framed["href"].startswith(self.ui.origin),
                         f"the other site shows the page in a frame: {framed}")
        refusals = [entry["message"] for entry in self.driver.get_log("browser")
                    if "frame-ancestors" in entry["message"]]
        self.assertTrue(refusals, "the browser did not report refusing the frame")

        # With the real page's session: the other site's note is not in the journal, while
        # the same request from the page itself is taken (so it was the origin that counted).
        self.page.reset()
        listed = self.page.api("GET", "/api/entries")
        self.assertEqual(listed["status"], 200, listed)
        self.assertNotIn(marker, [entry["text"] for entry in listed["body"]["entries"]])
        made = self.page.api("POST", "/api/entries", {"kind": "note", "text": marker})
        self.assertEqual(made["status"], 201, made)

    def framed_document(self):
        """{href, app} of the other site's frame, once it has loaded or been refused."""
        def loaded():
            self.driver.switch_to.frame(self.page.one("iframe#framed"))
            try:
                return self.driver.execute_script(
                    "return location.href === 'about:blank' ? null : {href: location.href, "
                    "app: !!document.querySelector(arguments[0])}", JOURNAL_PAGE)
            finally:
                self.driver.switch_to.default_content()
        return wait_until(self.driver, loaded, "the frame neither loaded nor was refused")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attune", required=True, help="the attune binary to test")
    parser.add_argument("--out", required=True, help="where the screenshots go (PNG)")
    args, unittest_args = parser.parse_known_args()
    missing = missing_prerequisites()
    if missing:
        print(f"Cannot run the browser tests: {', '.join(missing)} missing. `./dev.sh test` "
              "installs them (apt-get install --no-install-recommends chromium chromium-driver "
              "python3-selenium).", file=sys.stderr)
        return 1
    if not os.access(args.attune, os.X_OK):
        print(f"{args.attune}: not an executable attune", file=sys.stderr)
        return 1
    global ATTUNE, OUT_DIR
    ATTUNE = os.path.abspath(args.attune)
    OUT_DIR = os.path.abspath(args.out)
    os.makedirs(OUT_DIR, exist_ok=True)
    program = unittest.main(argv=[sys.argv[0], *unittest_args], exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
