// Drives Debian's chromium through the admin pages of a running siperlu server: log in, open
// a check-in, check the SVG map, approve it. Usage:
//   node review.mjs BASE_URL ADMIN_PASSWORD RECORD_ID
// Exits 0 when every step passed; prints the failing step and exits 1 otherwise.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [baseUrl, password, recordId] = process.argv.slice(2);
if (!baseUrl || !password || !recordId) {
  console.error("usage: node review.mjs BASE_URL ADMIN_PASSWORD RECORD_ID");
  process.exit(2);
}

const userDataDir = mkdtempSync(join(tmpdir(), "siperlu-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

let step = "start";
try {
  const page = context.pages()[0] ?? (await context.newPage());

  step = "open the check-in list without a session";
  await page.goto(`${baseUrl}/admin/checkins`);
  if (!page.url().endsWith("/admin/login")) throw new Error(`expected the login page, got ${page.url()}`);

  step = "log in";
  await page.fill("input[name=username]", "admin");
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${baseUrl}/admin/checkins`);
  await page.waitForSelector("table#checkins");

  step = "open the check-in";
  await page.click(`a[href="/admin/checkins/${recordId}"]`);
  await page.waitForURL(`${baseUrl}/admin/checkins/${recordId}`);

  step = "see the SVG map";
  const map = page.locator("svg#checkin-map");
  await map.waitFor({ state: "visible" });
  const box = await map.boundingBox();
  if (!box || box.width < 100 || box.height < 100) throw new Error(`map too small: ${JSON.stringify(box)}`);
  for (const selector of ["circle.fence", "circle.fix", "circle.accuracy"]) {
    if ((await map.locator(selector).count()) < 1) throw new Error(`map lacks ${selector}`);
  }

  step = "approve with a reason";
  await page.fill("textarea[name=reason]", "Lokasi sesuai, disetujui lewat uji peramban");
  await page.click("button[name=decision][value=approve]");
  await page.waitForURL(`${baseUrl}/admin/checkins/${recordId}`);
  const status = (await page.textContent("#status"))?.trim();
  if (status !== "Disetujui") throw new Error(`status after approval is ${status}`);

  console.log("browser review passed");
} catch (error) {
  console.error(`browser review failed at step "${step}": ${error.message}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
