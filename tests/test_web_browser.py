"""The web page in a real browser: headless Chromium drives ``capsim web`` as a visitor would.

It picks a bundled scenario, moves a headcount, shortens the run through the page's own inputs,
runs it, sees the findings and a chart, runs it again with another headcount (on the server's kept
worker processes, :mod:`capsim.web.workers`) and goes back to the first, and downloads the scenario
(YAML), its summary.csv, the report and the brief (printed to PDF by Chromium from the server,
beside those workers); then ``capsim run`` on the downloaded YAML must give exactly the page's
numbers. When the server stops, its worker processes must be gone. A screenshot of each page
state is kept under ``test-artifacts/web/`` (git-ignored; CI keeps it as an artefact).

Chromium and its driver come from Debian's ``chromium`` and ``chromium-driver`` packages
(``.ci/run`` installs them when absent). Without them the test is skipped locally, saying so.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from capsim.web.workers import WORKERS

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(os.environ.get("CAPSIM_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "web"
SCENARIO = "iwf-forum-2023"
TITLE = "IWF dark-web forum study, 2023"
WAIT = 120  # seconds: generous for the first run's numba compilation on a shared 2-core machine

HAVE_BROWSER = Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()
if not HAVE_BROWSER and os.environ.get("CAPSIM_REQUIRE_BROWSER"):  # CI (.ci/run) must run this test
    raise RuntimeError(f"CAPSIM_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("web-browser"),
    pytest.mark.skipif(not HAVE_BROWSER, reason="Chromium or chromedriver absent (Debian packages chromium, "
                       "chromium-driver; .ci/run installs them)"),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is part of the test extra")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``capsim web`` on a free port, from an empty folder; stopped at the end."""
    port, cwd = free_port(), tmp_path_factory.mktemp("web-cwd")
    capsim = Path(sys.executable).with_name("capsim")
    proc = subprocess.Popen([str(capsim), "web", "--port", str(port), "--no-browser"], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"capsim web did not start:\n{proc.stdout.read()}")
            time.sleep(0.5)
    yield url
    children = [p for p in Path("/proc").iterdir() if p.name.isdigit() and parent(int(p.name)) == proc.pid]
    assert len(children) >= WORKERS, "the server keeps its worker processes between runs"
    proc.terminate()
    proc.wait(timeout=60)
    deadline = time.monotonic() + 60
    while (left := [p.name for p in children if p.exists()]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"the server's worker processes {left} outlived it"


def parent(pid: int) -> int | None:
    """The parent process id of ``pid`` (None if it has ended)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    driver.downloads = downloads
    yield driver
    driver.quit()


def shot(driver, name: str) -> None:
    """A screenshot of the whole page (the window stretched to the page's height)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script(
        "const m = document.querySelector('[data-testid=stMain]'); return m ? m.scrollHeight : 1000;")
    driver.set_window_size(1400, min(max(int(height) + 100, 1000), 16000))
    time.sleep(0.5)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    driver.set_window_size(1400, 1000)


def settled(driver) -> bool:
    """The page has finished its rerun (Streamlit's status widget says it is running otherwise)."""
    return not driver.find_elements(By.CSS_SELECTOR, "[data-testid=stStatusWidget]")


def wait_for(driver, condition, what: str, timeout: float = WAIT):
    return WebDriverWait(driver, timeout, poll_frequency=0.3).until(condition, message=f"waiting for {what}")


def keyed(driver, key: str):
    """The element container of the widget with Streamlit key ``key`` (its CSS class st-key-…)."""
    css = "st-key-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in key)
    return wait_for(driver, lambda d: d.find_element(By.CLASS_NAME, css), key)


def type_number(driver, key: str, value: int) -> None:
    box = keyed(driver, key).find_element(By.TAG_NAME, "input")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(value), Keys.ENTER)
    wait_for(driver, lambda d: box.get_attribute("value") == str(value) and settled(d), f"{key} = {value}")
    time.sleep(1)


def run(driver) -> None:
    """Press Run and wait for the findings."""
    keyed(driver, "run").find_element(By.TAG_NAME, "button").click()
    wait_for(driver, lambda d: "Over the" in d.find_element(By.TAG_NAME, "body").text and settled(d), "the findings")


def downloaded(driver, name: str, timeout: float = 60) -> Path:
    path = driver.downloads / name
    wait_for(driver, lambda _: path.exists() and path.stat().st_size > 0, f"download {name}", timeout)
    return path


def test_a_visitor_runs_a_scenario_and_capsim_run_reproduces_it(server, browser, tmp_path):
    d = browser
    d.get(server)
    wait_for(d, lambda d: "Start from" in d.find_element(By.TAG_NAME, "body").text and settled(d), "the page")
    shot(d, "1-start")

    keyed(d, "start").click()  # pick a scenario by its title
    option = wait_for(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "[role=option]")
                                         if TITLE in e.text), None), "the scenario's title in the list")
    option.click()
    keyed(d, f"{SCENARIO}|workforce.analysts.headcount")
    wait_for(d, settled, "the scenario to load")
    shot(d, "2-scenario-picked")

    type_number(d, f"{SCENARIO}|workforce.analysts.headcount", 14)  # move a headcount
    type_number(d, f"{SCENARIO}|experiment.replications", 2)  # and keep the run short
    type_number(d, f"{SCENARIO}|clock.horizon", 10)
    body = d.find_element(By.TAG_NAME, "body").text
    assert "workforce.analysts.headcount=14" in body, "the change is listed"
    shot(d, "3-inputs-changed")

    run(d)
    charts = d.find_elements(By.CSS_SELECTOR, "[data-testid=stImage] img, [data-testid=stPyplot] img, "
                             "[data-testid=stImageContainer] img")
    assert charts, "a chart is shown"
    findings = d.find_element(By.TAG_NAME, "body").text
    assert "95% CI" in findings
    shot(d, "4-results")

    for headcount in (13, 14):  # a second run on the same kept workers; then the first again (the server's kept run)
        type_number(d, f"{SCENARIO}|workforce.analysts.headcount", headcount)
        run(d)
    keyed(d, "download_report").find_element(By.TAG_NAME, "button").click()  # made when clicked
    assert b"<html" in downloaded(d, "report.html", WAIT).read_bytes()[:2000].lower()
    keyed(d, "download_yaml").find_element(By.TAG_NAME, "button").click()
    scenario_file = downloaded(d, f"{SCENARIO}.yaml")
    keyed(d, "download_summary").find_element(By.TAG_NAME, "button").click()
    page_summary = pd.read_csv(downloaded(d, "summary.csv"))
    keyed(d, "download_brief").find_element(By.TAG_NAME, "button").click()  # made when clicked (PDFs: seconds)
    with zipfile.ZipFile(downloaded(d, "brief.zip", WAIT)) as brief:  # the brief with its annex, the report
        assert brief.namelist() == ["brief.pdf", "report.pdf", "report.html"]
        assert brief.read("brief.pdf")[:5] == brief.read("report.pdf")[:5] == b"%PDF-"
    shot(d, "5-downloads")

    out = tmp_path / "out"
    proc = subprocess.run([str(Path(sys.executable).with_name("capsim")), "run", str(scenario_file), "--out",
                           str(out), "--no-report"], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr
    cli_summary = pd.read_csv(out / "summary.csv")
    pd.testing.assert_frame_equal(cli_summary, page_summary, check_exact=True)  # the same numbers, exactly
    assert "analysts" in scenario_file.read_text() and cli_summary.loc[cli_summary.metric == "arrivals", "mean"].iloc[0] > 0


FITS = """
const box = document.querySelector('.years'), table = box.querySelector('table');
const main = document.querySelector('[data-testid=stMain] [data-testid=stMainBlockContainer]').getBoundingClientRect();
return {wider: table.scrollWidth - box.clientWidth, beyond: box.getBoundingClientRect().right - main.right,
        rows: table.tBodies[0].rows.length,
        cut: [...table.querySelectorAll('th, td')].filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent),
        broken: [...table.querySelectorAll('th[scope=row]')].filter(c => {
          const text = document.createRange();
          text.selectNodeContents(c);
          return new Set([...text.getClientRects()].map(r => Math.round(r.top))).size > 1;
        }).map(c => c.textContent)};
"""
"""The year-by-year table against the page: how far it is wider than its box and its box reaches past the
page's column (px), its rows, the text of every cell whose content overflows it, and each year's label
that runs over more than one line ("2027 (Apr–" / "Dec)")."""


def test_the_year_by_year_table_fits_a_1200_to_1400_px_window(server, browser):
    """The police unit's table, the widest of the bundled scenarios' (two deadlines, each met and
    missed, then backlog, hours, FTE and cost: eight columns), fits the page at 1200 and 1400 px:
    no column beyond the window, no heading or number cut off in its cell, no year's label broken."""
    d = browser
    d.get(server + "?scenario=police-unit&set=experiment.replications%3D2&set=clock.horizon%3D60d")
    wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".st-key-run button") and settled(d), "the Run button")
    run(d)
    try:
        for width in (1200, 1400):
            d.set_window_size(width, 1000)
            time.sleep(1)
            fits = d.execute_script(FITS)
            assert fits["rows"] >= 1 and fits["wider"] <= 0 and fits["beyond"] <= 0 and not fits["cut"], (width, fits)
            assert not fits["broken"], (width, fits)  # a year's label is never broken inside its dates
    finally:
        d.set_window_size(1400, 1000)


PLAN_CELLS = """
const table = document.querySelector('.st-key-staff_plan table');
const lines = c => {  // the lines its text runs over
  const walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT), tops = new Set();
  while (walk.nextNode()) {
    const r = document.createRange();
    r.selectNodeContents(walk.currentNode);
    for (const box of r.getClientRects()) tops.add(Math.round(box.top));
  }
  return tops.size;
};
return [...table.tBodies[0].rows].map(row => [...row.cells].map(c => ({text: c.textContent, lines: lines(c),
                                                                         cut: c.scrollWidth > c.clientWidth + 1})));
"""
"""Every cell of the page's staffing plan: its text, the lines it runs over and whether its content overflows it."""


def test_a_staffing_plans_notes_wrap_whole_and_its_dates_do_not_break(server, browser):
    """Trial 23: the plan's note column was cut off mid-sentence in a grid cell. Each note now wraps whole
    in the table's last column, and no other cell (a date, a count) is broken over two lines."""
    d = browser
    d.get(server + "?scenario=base&set=experiment.replications%3D2&set=clock.horizon%3D120d")
    wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".st-key-staff button") and settled(d), "the plan's button")
    keyed(d, "staff_period").click()
    wait_for(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "[role=option]") if e.text == "month"),
                               None), "the month option").click()
    wait_for(d, settled, "the period to change")
    d.execute_script("arguments[0].click()", keyed(d, "staff").find_element(By.TAG_NAME, "button"))
    wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".st-key-staff_plan table") and settled(d), "the plan")
    rows = d.execute_script(PLAN_CELLS)
    shot(d, "6-staffing-plan")
    notes = [row[-1] for row in rows]
    assert any(len(n["text"]) > 60 and n["lines"] > 1 for n in notes), notes  # a long note, wrapped
    assert not [c for row in rows for c in row if c["cut"]], rows
    assert all(c["lines"] == 1 for row in rows for c in row[:-1] if c["text"]), rows
