"""Browser tests of the web app (issue 5): Playwright driving Debian's chromium against a real
`linkwright serve`. Usage: app_test.py BASE_URL ARTIFACTS_DIR. Prints "ok: <name>" per passing
test and exits non-zero on the first failure; screenshots at 375 and 1440 px go to ARTIFACTS_DIR.
"""
import os
import re
import sys
import uuid

from playwright.sync_api import expect, sync_playwright

BASE, ARTIFACTS = sys.argv[1].rstrip("/"), sys.argv[2]
os.makedirs(ARTIFACTS, exist_ok=True)
PASSWORD = "correct horse battery"


def shots(page, name):
    for width in (375, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(ARTIFACTS, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def sign_up(page, agency="Acme Agency"):
    page.goto(BASE + "/signup")
    page.get_by_label("Agency name").fill(agency)
    page.get_by_label("Email").fill(f"owner-{uuid.uuid4().hex[:8]}@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(agency)


def campaign_form(page):
    return page.get_by_role("form", name="New campaign")


def fill_campaign(page, name, target, anchor):
    """Opens Campaigns and submits the new-campaign form; returns the form."""
    page.get_by_role("link", name="Campaigns").click()
    form = campaign_form(page)
    form.get_by_label("Name").fill(name)
    form.get_by_label("Target URL").fill(target)
    form.get_by_label("Anchor texts (one per line)").fill(anchor)
    form.get_by_role("button", name="Create campaign").click()
    return form


def started_campaign_drafts(page, name, target, anchor):
    """Creates and starts a campaign whose first slot falls due at once, then opens its drafts page."""
    page.get_by_role("link", name="Campaigns").click()
    form = campaign_form(page)
    form.get_by_label("Name").fill(name)
    form.get_by_label("Target URL").fill(target)
    form.get_by_label("Anchor texts (one per line)").fill(anchor)
    form.get_by_label("Links a day").fill("1000")
    form.get_by_role("button", name="Create campaign").click()
    page.get_by_role("button", name=f"start {name}").click()
    expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("active")
    page.get_by_role("link", name=name).click()
    page.get_by_role("link", name="Drafts written for this campaign").click()
    expect(page.get_by_role("article").first).to_contain_text("article for web2", timeout=30000)


def test_campaign_lifecycle_with_a_field_error_fixed(page):
    sign_up(page)
    form = fill_campaign(page, "Spring push", "ftp://client.example/", "best running shoes")
    target = form.get_by_label("Target URL")
    expect(target).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_text("target_url must be an http or https URL")).to_be_visible()
    shots(page, "campaign-field-error")
    target.fill("https://client.example/shoes")
    form.get_by_role("button", name="Create campaign").click()
    row = page.get_by_role("row").filter(has_text="Spring push")
    expect(row).to_contain_text("draft")
    row.get_by_role("button", name="start Spring push").click()
    expect(page.get_by_role("row").filter(has_text="Spring push")).to_contain_text("active")
    page.get_by_role("button", name="pause Spring push").click()
    expect(page.get_by_role("row").filter(has_text="Spring push")).to_contain_text("paused")
    page.get_by_role("button", name="resume Spring push").click()
    expect(page.get_by_role("row").filter(has_text="Spring push")).to_contain_text("active")
    shots(page, "campaign-lifecycle")


def test_a_reload_keeps_the_session(page):
    sign_up(page, "Reload Agency")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reload Agency")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    shots(page, "reload")


def test_a_hostile_campaign_name_is_only_text(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_up(page, "XSS Agency")
    hostile = "<img src=x onerror=alert(1)>"
    fill_campaign(page, hostile, "https://client.example/", "anchor")
    expect(page.get_by_role("cell", name=hostile, exact=True)).to_be_visible()
    page.goto(BASE + "/")
    expect(page.get_by_role("cell", name=hostile, exact=True)).to_be_visible()
    assert page.locator("img[src=x]").count() == 0, "the name was parsed as HTML"
    assert dialogs == [], f"script ran: {dialogs}"
    shots(page, "hostile-name")


def test_keyboard_only_campaign_creation(page):
    sign_up(page, "Keyboard Agency")
    page.goto(BASE + "/campaigns")
    expect(campaign_form(page)).to_be_visible()  # rendered (and focus placed) before tabbing
    page.keyboard.press("Tab")  # skip link first
    for _ in range(16):  # through the header links to the first field
        if page.evaluate("document.activeElement && document.activeElement.name") == "name":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "name", "the first field is not reachable by Tab"
    page.keyboard.type("Keyboard campaign")
    page.keyboard.press("Tab")
    page.keyboard.type("https://client.example/kb")
    page.keyboard.press("Tab")
    page.keyboard.type("anchor by keyboard")
    page.keyboard.press("Tab")  # engines
    page.keyboard.press("Tab")  # links a day
    page.keyboard.press("Tab")  # posts to comment on
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the submit button has focus
    expect(page.get_by_role("cell", name="Keyboard campaign", exact=True)).to_be_visible()
    shots(page, "keyboard")


def test_a_placement_added_shows_up_with_its_state(page):
    sign_up(page, "Placement Agency")
    page.get_by_role("link", name="Placements").click()
    form = page.get_by_role("form", name="New placement")
    form.get_by_label("Page with the link").fill("notaurl")
    form.get_by_label("Where it should point").fill("https://client.example/")
    form.get_by_role("button", name="Add and verify").click()
    expect(form.get_by_label("Page with the link")).to_have_attribute("aria-invalid", "true")
    form.get_by_label("Page with the link").fill("https://blog.example/post")
    form.get_by_role("button", name="Add and verify").click()
    expect(page.get_by_role("cell", name="https://blog.example/post", exact=True)).to_be_visible()
    shots(page, "placements")


def test_an_api_key_is_shown_once_and_can_be_revoked(page):
    sign_up(page, "Keys Agency")
    page.get_by_role("link", name="API keys").click()
    form = page.get_by_role("form", name="New API key")
    form.get_by_label("Name").fill("CI script")
    form.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key")
    expect(key).to_have_text(re.compile(r"^lw_[A-Za-z0-9]{38}$"))
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    shots(page, "api-key-created")
    page.reload()
    expect(page.locator("#new-key")).to_have_count(0)
    expect(page.get_by_role("cell", name="CI script", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke CI script").click()
    expect(page.get_by_role("cell", name="CI script", exact=True)).to_have_count(0)


def test_a_member_does_not_see_team_management(page):
    sign_up(page, "Team Agency")
    page.get_by_role("link", name="Team").click()
    form = page.get_by_role("form", name="Invite someone")
    email = f"member-{uuid.uuid4().hex[:8]}@example.test"
    form.get_by_label("Email").fill(email)
    form.get_by_label("Temporary password (at least 12 characters)").fill("member passphrase 1")
    form.get_by_role("button", name="Add").click()
    expect(page.get_by_role("cell", name=email, exact=True)).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("member passphrase 1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team Agency")
    expect(page.get_by_role("link", name="Team")).to_be_hidden()
    page.goto(BASE + "/team")
    expect(page.get_by_text("Only owners and admins manage the team.")).to_be_visible()
    expect(page.get_by_role("form", name="Invite someone")).to_have_count(0)
    shots(page, "member-team")


def test_an_import_shows_progress_and_every_rejected_row(page, tmp=ARTIFACTS):
    sign_up(page, "Import Agency")
    page.get_by_role("link", name="Placements").click()
    path = os.path.join(tmp, "import.csv")
    with open(path, "w") as f:
        f.write("source_url,target_url,expected_anchor\n")
        f.write("https://one.example/a,https://client.example/,Best widgets\n")
        f.write("not a url,https://client.example/,x\n")
        f.write("https://two.example/b,https://client.example/\n")
    form = page.get_by_role("form", name="Import placements")
    form.get_by_label("CSV file").set_input_files(path)
    form.get_by_role("button", name="Import").click()
    expect(page.locator("#import-report")).to_contain_text("2 created, 0 already placed, 1 rows rejected.")
    expect(page.locator("#import-report")).to_contain_text("source_url")
    expect(page.locator("#import-progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("link", name="https://one.example/a")).to_be_visible()
    shots(page, "import")
    page.get_by_role("link", name="https://one.example/a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Placement")
    expect(page.get_by_role("heading", name="Check history")).to_be_visible()
    page.get_by_role("button", name="Check again now").click()
    expect(page.get_by_role("alert")).to_contain_text("A check is queued")
    shots(page, "placement-detail")


def test_a_prospecting_job_is_uploaded_estimated_started_and_exported(page, tmp=ARTIFACTS):
    sign_up(page, "Prospect Agency")
    page.get_by_role("link", name="Prospecting").click()
    domains, keywords = os.path.join(tmp, "domains.csv"), os.path.join(tmp, "keywords.txt")
    with open(domains, "w") as f:
        # .invalid never resolves (RFC 2606): both sites fail, quickly and for a reason a person reads.
        f.write("domain\nshop-one.invalid\nhttps://www.Shop-One.invalid/about\nshop-two.invalid\n")
    with open(keywords, "w") as f:
        f.write("widgets\n")
    form = page.get_by_role("form", name="New prospecting job")
    form.get_by_label("Name").fill("Friday list")
    form.get_by_label("Domains file").set_input_files(domains)
    form.get_by_label("Keywords file").set_input_files(keywords)
    form.get_by_label("Mode").select_option("free-only")
    form.get_by_role("button", name="Upload and see the estimate").click()
    expect(page.get_by_role("alert")).to_contain_text("removed 1 duplicate, 2 unique domains")
    expect(page.get_by_role("heading", level=1)).to_have_text("Friday list")
    expect(page.locator("#job-state")).to_have_text("pending")
    expect(page.locator("#job-estimate")).to_contain_text("pages")
    shots(page, "prospecting-estimate")
    page.get_by_role("button", name="Start").click()
    # Each domain is tried four times (1, 2 and 4 s apart) before it is reported failed; a job none
    # of whose domains could be read has failed, and says where to look.
    expect(page.locator("#job-state")).to_have_text("failed", timeout=60000)
    expect(page.get_by_text("no domain could be crawled: see the error report")).to_be_visible()
    expect(page.get_by_text("2 of 2 (100%)")).to_be_visible()
    page.get_by_role("button", name="Export CSV").click()
    expect(page.get_by_role("link", name=re.compile("Download"))).to_be_visible(timeout=30000)
    with page.expect_download() as report:
        page.get_by_role("button", name="Error report").click()
    path = os.path.join(tmp, "errors.csv")
    report.value.save_as(path)
    with open(path) as f:
        text = f.read()
    assert "shop-one.invalid,DNS resolution failed" in text, text
    shots(page, "prospecting-job")


def test_editing_a_campaign_shows_the_field_error_then_saves(page):
    sign_up(page, "Edit Agency")
    fill_campaign(page, "Autumn", "https://client.example/autumn", "autumn boots")
    page.get_by_role("link", name="Autumn").click()
    edit = page.get_by_role("form", name="Edit campaign")
    expect(page.get_by_role("region", name="Tasks by state")).to_be_visible()
    edit.get_by_label("Links a day").fill("0")
    edit.get_by_role("button", name="Save changes").click()
    expect(edit.get_by_label("Links a day")).to_have_attribute("aria-invalid", "true")
    expect(edit.get_by_text("daily_limit must be from 1 to 1000")).to_be_visible()
    edit.get_by_label("Links a day").fill("12")
    edit.get_by_label("Name").fill("Autumn sale")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn sale")
    page.reload()
    expect(page.get_by_role("form", name="Edit campaign").get_by_label("Links a day")).to_have_value("12")
    shots(page, "campaign-edit")


def test_a_budget_is_entered_in_dollars_and_a_draft_shows_its_expected_cost(page):
    sign_up(page, "Budget Agency")
    fill_campaign(page, "Winter", "https://client.example/winter", "winter coats")
    page.get_by_role("link", name="Winter").click()
    expect(page.locator("#campaign-estimate")).to_contain_text("Expected cost: $")
    edit = page.get_by_role("form", name="Edit campaign")
    budget = edit.get_by_label("Budget in dollars (0 = no cap)")
    budget.fill("a lot")
    edit.get_by_role("button", name="Save changes").click()
    expect(budget).to_have_attribute("aria-invalid", "true")
    budget.fill("1,250.50")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_role("region", name="Budget")).to_contain_text("$1,250.50")
    expect(page.get_by_role("form", name="Edit campaign").get_by_label("Budget in dollars (0 = no cap)")).to_have_value("1250.50")
    shots(page, "campaign-budget")


def test_billing_shows_the_running_month_and_the_dashboard_charts_the_rollups(page):
    sign_up(page, "Billing Agency")
    expect(page.get_by_role("img", name=re.compile("Placements created per day"))).to_be_visible()
    page.get_by_role("link", name="Billing").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("This month so far"))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Free plan"))).to_be_visible()
    expect(page.get_by_text("Running total: $0.00")).to_be_visible()
    expect(page.get_by_text("No closed months yet")).to_be_visible()
    shots(page, "billing")


def test_an_operator_pauses_and_resumes_a_lane(page):
    page.goto(BASE + "/login")
    page.get_by_label("Email").fill("ops@browser.test")
    page.get_by_label("Password").fill("operator passphrase 1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Operations")
    expect(page.get_by_role("link", name="Team")).to_be_hidden()
    page.get_by_role("button", name="Pause bulk").click()
    expect(page.get_by_role("button", name="Resume bulk")).to_be_visible()
    shots(page, "operator")
    page.get_by_role("button", name="Resume bulk").click()
    expect(page.get_by_role("button", name="Pause bulk")).to_be_visible()


def test_work_shows_up_live_on_the_dashboard(page):
    sign_up(page, "Live Agency")
    activity = page.locator("#live-activity")
    expect(activity).to_contain_text("Nothing yet")
    # The same person adds a placement in another tab; its first check is streamed to this one.
    other = page.context.new_page()
    other.goto(BASE + "/placements")
    form = other.get_by_role("form", name="New placement")
    form.get_by_label("Page with the link").fill("https://blog.example/live")
    form.get_by_label("Where it should point").fill("https://client.example/")
    form.get_by_role("button", name="Add and verify").click()
    expect(other.get_by_role("cell", name="https://blog.example/live", exact=True)).to_be_visible()
    expect(activity).to_contain_text("placement checked", timeout=30000)
    shots(page, "live-activity")


def test_a_connection_is_made_once_and_its_secret_never_shown_again(page):
    sign_up(page, "Connections Agency")
    page.get_by_role("link", name="Connections").click()
    form = page.get_by_role("form", name="New connection")
    form.get_by_label("Platform").select_option("wordpress")
    form.get_by_label("Site address").fill("ftp://blog.client.example")
    form.get_by_label("User name").fill("editor")
    secret = "abcd efgh ijkl wxyz"
    form.get_by_label("Secret").fill(secret)
    form.get_by_label("This is our own site").check()
    form.get_by_role("button", name="Connect").click()
    expect(form.get_by_label("Site address")).to_have_attribute("aria-invalid", "true")
    form.get_by_label("Site address").fill("https://blog.client.example")
    form.get_by_role("button", name="Connect").click()
    row = page.get_by_role("row").filter(has_text="blog.client.example")
    expect(row).to_contain_text("…wxyz")
    expect(row).to_contain_text("ours")
    expect(row).to_contain_text("active")
    assert secret not in page.content(), "the secret is on the page"
    assert page.get_by_role("form", name="New connection").get_by_label("Secret").input_value() == ""
    # Testing it signs in as the engines will; this site does not exist, and the verdict says so.
    row.get_by_role("button", name="Test").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be reached")
    expect(page.get_by_role("row").filter(has_text="blog.client.example")).to_contain_text("active")
    row = page.get_by_role("row").filter(has_text="blog.client.example")
    row.get_by_role("button", name="Disable").click()
    expect(page.get_by_role("row").filter(has_text="blog.client.example")).to_contain_text("disabled")
    # A commenter identity has an email and no secret.
    form = page.get_by_role("form", name="New connection")
    form.get_by_label("Platform").select_option("commenter")
    expect(form.get_by_label("Secret")).to_be_hidden()
    form.get_by_label("Site address").fill("https://client.example")
    form.get_by_label("User name").fill("Ann Lee")
    form.get_by_label("Email the comment is signed with").fill("ann@client.example")
    form.get_by_role("button", name="Connect").click()
    expect(page.get_by_role("row").filter(has_text="Ann Lee")).to_contain_text("third-party")
    # Its action limits: the platform's defaults, nothing used yet.
    page.get_by_role("row").filter(has_text="Ann Lee").get_by_role("button", name=re.compile(r"^Limits of ")).click()
    expect(page.get_by_role("alert")).to_contain_text("comment: 0 of 10 this hour, 0 of 30 today")
    # Changed within the platform's maximum; beyond it, the API's reason is shown.
    page.once("dialog", lambda dialog: dialog.accept("4/12"))
    page.get_by_role("row").filter(has_text="Ann Lee").get_by_role("button", name=re.compile(r"^Change limits of ")).click()
    expect(page.get_by_role("alert")).to_contain_text("Limits changed")
    page.get_by_role("row").filter(has_text="Ann Lee").get_by_role("button", name=re.compile(r"^Limits of ")).click()
    expect(page.get_by_role("alert")).to_contain_text("comment: 0 of 4 this hour, 0 of 12 today")
    page.once("dialog", lambda dialog: dialog.accept("99/99"))
    page.get_by_role("row").filter(has_text="Ann Lee").get_by_role("button", name=re.compile(r"^Change limits of ")).click()
    expect(page.get_by_role("alert")).to_contain_text("per_hour must be from 1 to 20")
    shots(page, "connections")


def test_a_started_campaigns_draft_shows_its_checks_and_a_safe_preview(page):
    sign_up(page, "Drafts Agency")
    started_campaign_drafts(page, "Draft run", "https://client.example/drafts", "trail shoes")
    card = page.get_by_role("article").first
    expect(card).to_contain_text("✓ link: one link to the target")
    # The slot's journey so far: written, the rest still to come.
    expect(card.get_by_role("list", name="Journey")).to_contain_text("written")
    expect(card.get_by_role("list", name="Journey")).to_contain_text("verified")
    link = card.locator(".preview a")
    expect(link).to_have_text("trail shoes")
    expect(link).to_have_attribute("href", "https://client.example/drafts")
    assert card.locator(".preview script").count() == 0
    shots(page, "drafts")
    # The campaign's own page shows each slot's journey too.
    page.go_back()
    slots = page.get_by_role("table").filter(has_text="Journey")
    expect(slots.get_by_role("list", name="Journey").first).to_contain_text("written", timeout=30000)


def test_a_batch_is_reviewed_from_the_keyboard_with_a_rewrite_beside_its_original(page):
    sign_up(page, "Review Agency")
    started_campaign_drafts(page, "Review run", "https://client.example/review", "review shoes")
    page.get_by_role("button", name="Review the ready drafts").click()
    item = page.get_by_role("article", name="Item under review")
    expect(item).to_contain_text("Item 1 of 1")
    # r without a reason is refused with a message; nothing changes.
    page.get_by_role("heading", level=1).click()
    page.keyboard.press("r")
    expect(page.locator("#notice")).to_contain_text("Say why it is rejected")
    # Notes, then g (outside the notes): the rewrite comes back beside the original.
    item.get_by_label("Notes").fill("Mention the warranty.")
    page.get_by_role("heading", level=1).click()
    page.keyboard.press("g")
    expect(page.get_by_role("region", name="Before")).to_be_visible(timeout=30000)
    expect(page.get_by_role("region", name="Rewritten")).to_contain_text("version 2")
    page.get_by_role("heading", level=1).click()
    page.keyboard.press("a")
    expect(page.get_by_role("status")).to_contain_text("Every item is decided")
    expect(page.get_by_role("region", name="Batch")).to_contain_text("1")
    assert page.locator(".preview script").count() == 0
    shots(page, "review")


def main():
    tests = [v for k, v in globals().items() if k.startswith("test_")]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), headless=True)
        for test in tests:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            try:
                test(page)
            except Exception:
                page.screenshot(path=os.path.join(ARTIFACTS, f"FAILED-{test.__name__}.png"), full_page=True)
                print(f"FAILED: {test.__name__}", flush=True)
                raise
            finally:
                context.close()
            print(f"ok: {test.__name__}", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
