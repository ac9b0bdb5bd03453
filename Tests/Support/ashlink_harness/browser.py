"""Debian's Chromium under Debian's chromedriver, through Selenium: headless, a throwaway profile,
JavaScript off unless a test asks for it, and nothing reached but loopback (docs/decisions/0016).

Pages are driven as a person drives them: typing into fields, choosing files, pressing buttons,
all by WebDriver's own commands; nothing is injected into a page."""

import contextlib
import os
import re
import tempfile
from pathlib import Path

try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait
except ImportError:  # python3-selenium is not installed: missing() names it and the browser tests skip
    webdriver = None

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PAGE_TIMEOUT = 30

# `profile.managed_default_content_settings.javascript = 2` is the policy-level "block" of the
# content settings; `scriptEnabled=false` turns scripting off in Blink itself. Either one alone
# suffices today; both keep the pages under test as Tor Browser at Safest sees them.
JAVASCRIPT_OFF_PREFERENCES = {"profile.managed_default_content_settings.javascript": 2}
JAVASCRIPT_OFF_SWITCH = "--blink-settings=scriptEnabled=false"

# Every host but 127.0.0.1 (where the server under test listens) resolves to nothing, and no
# component is updated: the browser never connects to a service of its vendor.
LOOPBACK_ONLY_SWITCHES = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--disable-component-update"]


def missing():
    """Which of Debian's chromium, chromium-driver and python3-selenium is absent, or None."""
    absent = [package for package, present in (
        ("chromium", os.access(CHROMIUM, os.X_OK)),
        ("chromium-driver", os.access(CHROMEDRIVER, os.X_OK)),
        ("python3-selenium", webdriver is not None),
    ) if not present]
    return " ".join(absent) or None


class Browser:
    """One tab. Fields are found by id, buttons by the text a person reads on them."""

    def __init__(self, driver):
        self.driver = driver

    def open(self, url):
        self.driver.get(url)

    @property
    def url(self):
        return self.driver.current_url

    @property
    def title(self):
        return self.driver.title

    def type(self, field_id, text):
        field = self._find(By.ID, field_id)
        field.click()
        field.send_keys(text)

    def choose_file(self, field_id, path):
        """Picks a file in an `<input type=file>`, as the file dialog would (an absolute path)."""
        self._find(By.ID, field_id).send_keys(str(Path(path).resolve()))

    def press(self, button_text):
        """Clicks the button and waits until the page it submits to has replaced this one."""
        page = self._find(By.TAG_NAME, "html")
        self._find(By.XPATH, f"//button[normalize-space()='{button_text}']").click()
        self._wait_until_replaced(page)

    def follow(self, link_text):
        """Clicks the link a person reads as this text and waits for the page it leads to."""
        page = self._find(By.TAG_NAME, "html")
        self._find(By.XPATH, f"//a[normalize-space()='{link_text}']").click()
        self._wait_until_replaced(page)

    def value(self, field_id):
        """What a field holds now (a textarea's text as the page shows it)."""
        return self._find(By.ID, field_id).get_property("value")

    def text(self, css_selector):
        """The element's text as rendered: what a person reads there."""
        return self._find(By.CSS_SELECTOR, css_selector).text

    def shown(self, css_selector):
        """Whether the element is rendered on the page (not `display: none`, not zero-sized)."""
        return self._find(By.CSS_SELECTOR, css_selector).is_displayed()

    def computed(self, css_selector, property_name):
        """The element's computed value of a CSS property, as WebDriver reports it."""
        return self._find(By.CSS_SELECTOR, css_selector).value_of_css_property(property_name)

    def console(self):
        """What the page wrote to the console since the last call: the browser's own messages too,
        such as a style the Content-Security-Policy refused."""
        return self.driver.get_log("browser")

    def _wait_until_replaced(self, page):
        """Until the old page's root is gone. While the next page loads, chromedriver may report
        the old node as "not belonging to the document" instead of stale: both mean it is gone."""

        def replaced(_driver):
            try:
                page.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as error:
                if "does not belong to the document" in str(error):
                    return True
                raise

        WebDriverWait(self.driver, PAGE_TIMEOUT).until(replaced)

    def _find(self, by, target):
        return self.driver.find_element(by, target)


def options(profile, javascript):
    chosen = Options()
    chosen.binary_location = CHROMIUM
    for switch in ["--headless=new", f"--user-data-dir={profile}", *LOOPBACK_ONLY_SWITCHES]:
        chosen.add_argument(switch)
    if os.geteuid() == 0:
        # Chromium's setuid/namespace sandbox refuses to start as root; CI runs as root.
        chosen.add_argument("--no-sandbox")
    chosen.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        chosen.add_argument(JAVASCRIPT_OFF_SWITCH)
        chosen.add_experimental_option("prefs", JAVASCRIPT_OFF_PREFERENCES)
    return chosen


def browser_lines(log):
    """The last lines Chromium wrote (`[pid:tid:...]`) in chromedriver's log, where a failed start says why."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return "\n".join([line for line in lines if re.match(r"\[\d+:\d+:", line)][-20:]) or "(none)"


@contextlib.contextmanager
def chromium(javascript=False):
    """A fresh headless Chromium, quit and its profile deleted on leaving; raises with what Chromium
    said when it does not start."""
    with tempfile.TemporaryDirectory(prefix="ashlink-chromium-") as profile:
        log = Path(profile) / "chromedriver.log"
        service = Service(CHROMEDRIVER, log_path=str(log), service_args=["--enable-chrome-logs"])
        try:
            driver = webdriver.Chrome(service=service, options=options(Path(profile) / "profile", javascript))
        except WebDriverException as error:
            raise RuntimeError(f"Chromium did not start: {error.msg}\n--- Chromium's own lines ---\n{browser_lines(log)}") from error
        try:
            driver.set_page_load_timeout(PAGE_TIMEOUT)
            yield Browser(driver)
        finally:
            driver.quit()
