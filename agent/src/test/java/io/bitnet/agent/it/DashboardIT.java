package io.bitnet.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in a real browser: Debian's headless chromium, driven through its own chromedriver,
 * against the agent's management server in the sample app. Chromium is required, not optional: CI installs
 * it, so a missing one fails the test with the command that installs it.
 */
class DashboardIT {

  private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int REQUESTS = 10;
  private static final String COMPLETION = "{\"prompt\":\"Hello\",\"max_tokens\":8}";
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

  @Test
  void showsLiveMetricsHealthAndTracesWithoutErrorsOrOutsideRequests() throws Exception {
    requireChromium();
    try (AgentHarness app = AgentHarness.start(AgentHarness.options())) {
      WebDriver driver = chrome();
      ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-load");
        t.setDaemon(true);
        return t;
      });
      try {
        driver.get("http://127.0.0.1:" + app.managementPort + "/dashboard");
        assertEquals("BitNet agent dashboard", driver.getTitle(),
            "GET /dashboard on the management port did not serve the dashboard page: " + driver.getPageSource());
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        // The trace table is rebuilt when new traces arrive, so an element found a moment ago may be gone.
        wait.ignoring(StaleElementReferenceException.class);
        wait.withMessage("the empty state (no requests yet)")
            .until(d -> d.findElement(testId("empty-requests")).isDisplayed());
        assertTrue(text(driver, "empty-requests").contains("curl"), "the empty state says how to send a request");
        int pointsBefore = intAttr(driver, "chart-tokens", "data-points");

        for (int i = 0; i < REQUESTS; i++) {
          assertEquals(200, app.complete(COMPLETION).statusCode());
        }
        // Tokens/s is per refresh interval: a steady trickle keeps the newest interval non-zero while we wait.
        AtomicInteger failures = new AtomicInteger();
        load.scheduleWithFixedDelay(() -> {
          try {
            if (app.complete(COMPLETION).statusCode() != 200) {
              failures.incrementAndGet();
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          }
        }, 0, 250, TimeUnit.MILLISECONDS);

        wait.withMessage(() -> "live values; page now: " + summary(driver)).until(d ->
            number(text(d, "tile-tokens-per-second")) > 0
                && intAttr(d, "chart-tokens", "data-points") > pointsBefore
                && doubleAttr(d, "chart-tokens", "data-last") > 0
                && text(d, "tile-p95").matches("(?s).*\\d+(\\.\\d+)? ms.*")
                && healthAllUp(d)
                && completionRows(d).size() >= REQUESTS
                && !d.findElement(testId("empty-requests")).isDisplayed());
        load.shutdownNow();
        assertEquals(0, failures.get(), "completions sent while waiting failed");
        assertTrue(text(driver, "tile-sla-compliance").contains("%"), text(driver, "tile-sla-compliance"));
        assertTrue(number(text(driver, "tile-violations")) >= 0, text(driver, "tile-violations"));
        assertTrue(text(driver, "last-updated").matches("(?s).*\\d{2}:\\d{2}:\\d{2}.*"), text(driver, "last-updated"));

        // One trace opened as a waterfall: the HTTP server span, text_completion, prefill and decode.
        String traceId = wait.withMessage("a trace row to click").until(d -> {
          WebElement row = completionRows(d).get(0);
          String id = row.getAttribute("data-trace-id");
          row.click();
          return id;
        });
        assertTrue(traceId.matches("[0-9a-f]{32}"), "trace id " + traceId);
        wait.withMessage("the waterfall of trace " + traceId).until(d -> d.findElement(testId("waterfall")).isDisplayed()
            && d.findElements(testId("waterfall-span")).size() >= 3);
        String waterfall = text(driver, "waterfall");
        // content capture is off: the span attributes the waterfall shows hold no prompt or completion text
        String traceJson = app.management("/dashboard/api/trace?id=" + traceId).body();
        assertTrue(traceJson.contains("text_completion") && !traceJson.contains("Hello")
            && !traceJson.contains("gen_ai.prompt"), "no prompt text in the trace: " + traceJson);
        for (String span : List.of("POST /v1/completions", "text_completion", "bitnet.prefill", "bitnet.decode")) {
          assertTrue(waterfall.contains(span), span + " is in the waterfall:\n" + waterfall);
        }
        driver.findElements(testId("waterfall-span")).get(1).click();
        wait.withMessage("the span's attributes").until(d -> d.findElement(By.id("span-details")).isDisplayed());
        assertTrue(driver.findElement(By.id("span-details")).getText().contains("gen_ai."),
            driver.findElement(By.id("span-details")).getText());

        screenshot(driver, "dashboard-waterfall.png");
        driver.findElement(testId("waterfall-close")).click();
        wait.withMessage("the waterfall closes").until(d -> !d.findElement(testId("waterfall")).isDisplayed());
        js(driver, "window.scrollTo(0, 0)");
        screenshot(driver, "dashboard-laptop.png");

        // Phone width: one column, nothing wider than the screen.
        driver.manage().window().setSize(new Dimension(375, 800));
        wait.withMessage("the page resized to a phone's width")
            .until(d -> ((Number) js(d, "return window.innerWidth")).intValue() <= 400);
        Thread.sleep(500); // the charts redraw on their ResizeObserver callbacks
        long scrollWidth = ((Number) js(driver, "return document.documentElement.scrollWidth")).longValue();
        long innerWidth = ((Number) js(driver, "return window.innerWidth")).longValue();
        assertTrue(scrollWidth <= innerWidth, "no horizontal scroll at phone width: " + scrollWidth + " > " + innerWidth);
        js(driver, "window.scrollTo(0, 0)");
        screenshot(driver, "dashboard-phone.png");

        // Same origin only: no CDN, no web fonts, nothing but the management server.
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) js(driver,
            "return performance.getEntriesByType('resource').map(e => e.name)");
        assertTrue(resources.stream().anyMatch(u -> u.contains("/dashboard/api/metrics")), resources.toString());
        for (String url : resources) {
          if (!url.startsWith("data:")) {
            assertEquals("127.0.0.1", URI.create(url).getHost(), "request to another host: " + url);
          }
        }

        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).collect(Collectors.toList());
        assertTrue(severe.isEmpty(), "console errors: " + severe);
      } finally {
        load.shutdownNow();
        driver.quit();
      }
    }
  }

  private static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new AssertionError("DashboardIT needs Debian's chromium and its chromedriver at " + CHROMIUM + " and "
          + CHROMEDRIVER + ": install them with apt-get install -y --no-install-recommends chromium chromium-driver"
          + " (.ci/run does this), or pass -Dchromium=/path/to/chrome -Dchromedriver=/path/to/chromedriver.");
    }
  }

  /** Chromium with an explicit driver and binary, so that Selenium Manager never looks anything up or downloads. */
  private static WebDriver chrome() {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new ChromeDriver(service, options);
  }

  private static By testId(String id) {
    return By.cssSelector("[data-testid='" + id + "']");
  }

  private static String text(WebDriver d, String id) {
    return d.findElement(testId(id)).getText();
  }

  /** The first number in a text, or NaN. */
  private static double number(String text) {
    Matcher m = NUMBER.matcher(text.replace(",", ""));
    return m.find() ? Double.parseDouble(m.group()) : Double.NaN;
  }

  private static int intAttr(WebDriver d, String id, String attr) {
    String v = d.findElement(testId(id)).getAttribute(attr);
    return v == null || v.isEmpty() ? 0 : Integer.parseInt(v);
  }

  private static double doubleAttr(WebDriver d, String id, String attr) {
    String v = d.findElement(testId(id)).getAttribute(attr);
    return v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
  }

  private static boolean healthAllUp(WebDriver d) {
    List<WebElement> components = d.findElements(testId("health-component"));
    return !components.isEmpty() && components.stream().allMatch(c -> "UP".equals(c.getAttribute("data-status")));
  }

  private static List<WebElement> completionRows(WebDriver d) {
    return d.findElements(testId("trace-row")).stream()
        .filter(r -> r.getText().contains("text_completion")).collect(Collectors.toList());
  }

  private static Object js(WebDriver d, String script) {
    return ((JavascriptExecutor) d).executeScript(script);
  }

  /** What the wait conditions look at, for the failure message. */
  private static String summary(WebDriver d) {
    try {
      return "tokens tile '" + text(d, "tile-tokens-per-second").replace('\n', ' ') + "', p95 tile '"
          + text(d, "tile-p95").replace('\n', ' ') + "', tokens chart points=" + intAttr(d, "chart-tokens", "data-points")
          + " last=" + d.findElement(testId("chart-tokens")).getAttribute("data-last") + ", health "
          + d.findElements(testId("health-component")).stream()
              .map(c -> c.getAttribute("data-status")).collect(Collectors.toList())
          + ", trace rows " + d.findElements(testId("trace-row")).size() + ", unreachable banner "
          + d.findElement(By.id("unreachable")).isDisplayed();
    } catch (RuntimeException e) {
      return "(page not readable: " + e + ")";
    }
  }

  private static void screenshot(WebDriver d, String name) throws Exception {
    File shot = ((org.openqa.selenium.TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.copy(shot.toPath(), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
