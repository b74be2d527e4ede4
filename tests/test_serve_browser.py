"""The review page in a real browser (Debian's chromium, headless, through chromedriver and
selenium) against a real server: sign in, open a record, see the current field's evidence
highlighted on the page image, move with the keyboard, correct a field, export the corrections
as gold and score the pipeline against them."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.evaluate import evaluate_records, load_records
from tests.serve_support import SAMPLES, TOKEN, Server, running_server

pytest.importorskip("fastapi")
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver (setup.sh --dev)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("serve-browser") / "data"
    with running_server(data, "-j", "1") as srv:
        yield srv


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: Any, condition: Any, seconds: float = 30) -> Any:
    # A page that is being replaced (the login form's redirect) gives stale elements: look again.
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(
        condition
    )


@needs_browser
def test_an_archivist_checks_a_record_against_its_page_and_corrects_it(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    driver = browser
    with server.client() as client:
        response = client.post(
            "/v1/jobs",
            files=[
                ("files", ("công điện <img src=x onerror=alert(1)>.pdf", (SAMPLES / "070.pdf").read_bytes()))
            ],
        )
        assert response.status_code == 202
        job = response.json()["jobs"][0]
    [done] = server.wait_done([job["id"]])
    assert done["status"] == "done" and done["record_status"] == "ok"
    sha = job["sha256"]

    # Signing in: the page sends the reviewer to the login form, and back.
    driver.get(f"{server.url}/review/{sha}")
    _wait(driver, lambda d: d.find_elements(By.ID, "login"))
    driver.find_element(By.ID, "name").send_keys("Trần Thị Lan")
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.ID, "login-submit").click()
    _wait(driver, lambda d: d.execute_script("return document.body && document.body.dataset.ready") == "1")
    # The client's file name is shown as text, never as markup.
    assert driver.find_element(By.ID, "doc-name").text == "công điện <img src=x onerror=alert(1)>.pdf"
    assert not driver.find_elements(By.CSS_SELECTOR, "#doc-name img")

    # The first field (doc_type) is current; its evidence is highlighted on the rendered page.
    image = driver.find_element(By.ID, "page-image")
    _wait(
        driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image)
    )
    current = driver.find_element(By.CSS_SELECTOR, ".field.current")
    assert current.get_attribute("data-field") == "doc_type"
    boxes = driver.find_elements(By.CSS_SELECTOR, "#page .hl")
    assert boxes, "the evidence of the current field is highlighted"
    frame = image.rect
    for box in boxes:
        rect = box.rect
        assert rect["width"] > 5 and rect["height"] > 3
        assert frame["x"] <= rect["x"] and rect["x"] + rect["width"] <= frame["x"] + frame["width"] + 1
        assert frame["y"] <= rect["y"] and rect["y"] + rect["height"] <= frame["y"] + frame["height"] + 1

    # Keyboard: j moves down to the summary, whose highlight sits elsewhere on the page.
    body = driver.find_element(By.TAG_NAME, "body")
    first_top = boxes[0].rect["y"]
    names = [item.get_attribute("data-field") for item in driver.find_elements(By.CSS_SELECTOR, ".field")]
    for _ in range(names.index("summary")):
        body.send_keys("j")
    current = driver.find_element(By.CSS_SELECTOR, ".field.current")
    assert current.get_attribute("data-field") == "summary"
    summary_boxes = driver.find_elements(By.CSS_SELECTOR, "#page .hl")
    assert summary_boxes and summary_boxes[0].rect["y"] != first_top
    body.send_keys("k")  # up to issuer: accept it as read
    assert driver.find_element(By.CSS_SELECTOR, ".field.current").get_attribute("data-field") == "issuer"
    body.send_keys("a")
    _wait(driver, lambda d: "accepted" in d.find_element(By.ID, "field-issuer").get_attribute("class"))

    # Accepting moves on to the summary: edit it, Enter saves the correction with a note.
    assert driver.find_element(By.CSS_SELECTOR, ".field.current").get_attribute("data-field") == "summary"
    summary = driver.find_element(By.ID, "field-summary")
    summary.find_element(By.CSS_SELECTOR, ".note").send_keys("the seal covers a word")
    body.send_keys("e")
    box = summary.find_element(By.CSS_SELECTOR, ".value")
    box.clear()
    box.send_keys("Triệu tập phiên họp Ban Chỉ đạo")
    box.send_keys("\n")
    _wait(driver, lambda d: "corrected" in d.find_element(By.ID, "field-summary").get_attribute("class"))
    verdict = summary.find_element(By.CSS_SELECTOR, ".verdict").text
    assert "Triệu tập phiên họp Ban Chỉ đạo" in verdict and "Trần Thị Lan" in verdict

    # The machine's value is untouched; the correction is stored beside it, with who and when.
    with server.client() as client:
        record = client.get(f"/v1/documents/{sha}").json()
        assert record["document"]["summary"] == "Phiên họp lần thứ nhất Ban Chỉ đạo quốc gia về dữ liệu"
        rows = client.get(f"/v1/documents/{sha}/corrections").json()
        assert [(r["field"], r["action"], r["author"]) for r in rows] == [
            ("issuer", "accept", "Trần Thị Lan"),
            ("summary", "correct", "Trần Thị Lan"),
        ]
        assert rows[1]["machine_value"] == record["document"]["summary"] and rows[1]["created"]
        archive = zipfile.ZipFile(io.BytesIO(client.get("/v1/gold.zip").content))

    # Exported as gold in the corpus format, the corrections score the pipeline.
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    [name] = archive.namelist()
    (gold_dir / Path(name).name).write_bytes(archive.read(name))
    gold = json.loads((gold_dir / f"{sha}.json").read_text(encoding="utf-8"))
    assert gold["id"] == sha and gold["file"] == f"{sha}.pdf"
    assert gold["summary"] == "Triệu tập phiên họp Ban Chỉ đạo" and gold["issuer"] == "VĂN PHÒNG CHÍNH PHỦ"
    report = evaluate_records(load_records(server.data / "records"), gold_dir)
    fields = report.fields
    assert fields["summary"].f1 == 0.0  # the machine's summary is not the archivist's
    assert fields["issuer"].f1 == 1.0 and fields["symbol"].f1 == 1.0
