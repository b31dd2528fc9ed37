package org.iotpipeline.console.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's {@code chromium} and {@code chromedriver}, headless, with a fresh profile. Nothing is
 * downloaded: the binaries are the ones {@code .ci/run} installs with apt-get ({@code CHROMIUM_BINARY}
 * and {@code CHROMEDRIVER} name others).
 *
 * <p>Missing browser: the tests are skipped ({@link Required}) with a message saying how to install
 * it, unless the environment variable {@code CI} is set (to anything but {@code false}): then they
 * fail, so CI never passes without having run them.
 */
public final class Chromium {

    private static final Logger log = LoggerFactory.getLogger(Chromium.class);
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private Chromium() {
    }

    private static final String HOW = "install it with 'apt-get update && apt-get install -y chromium chromium-driver'"
            + " (.ci/run does this)";

    /** The browser and driver; fails naming what is missing (with CI set, or called without {@link Required}). */
    public static Binaries require() {
        Optional<Path> browser = find("CHROMIUM_BINARY", BROWSERS);
        Optional<Path> driver = find("CHROMEDRIVER", DRIVERS);
        if (browser.isPresent() && driver.isPresent()) {
            return new Binaries(browser.get(), driver.get());
        }
        throw new AssertionError("The browser tests cannot run: " + missing(browser, driver) + " not found"
                + (onCi() ? ", and CI is set, so they must not be skipped" : "") + "; " + HOW);
    }

    private static String missing(Optional<Path> browser, Optional<Path> driver) {
        return (browser.isEmpty() ? "chromium (" + String.join(", ", BROWSERS) + ", or CHROMIUM_BINARY)" : "")
                + (browser.isEmpty() && driver.isEmpty() ? " and " : "")
                + (driver.isEmpty() ? "chromedriver (" + String.join(", ", DRIVERS) + ", or CHROMEDRIVER)" : "");
    }

    /**
     * Skips a test class, before anything of it starts, when the browser is missing and {@code CI} is
     * not set; with {@code CI} set the class runs and {@link #require()} fails it.
     */
    public static final class Required implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<Path> browser = find("CHROMIUM_BINARY", BROWSERS);
            Optional<Path> driver = find("CHROMEDRIVER", DRIVERS);
            if (browser.isPresent() && driver.isPresent()) {
                return ConditionEvaluationResult.enabled("chromium and chromedriver found");
            }
            if (onCi()) {
                return ConditionEvaluationResult.enabled("CI is set: the missing browser fails the tests");
            }
            String message = "SKIPPED browser tests: " + missing(browser, driver) + " not found; " + HOW
                    + ". With CI=true they fail instead of being skipped.";
            log.warn(message);
            return ConditionEvaluationResult.disabled(message);
        }
    }

    static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    private static Optional<Path> find(String variable, List<String> candidates) {
        String named = System.getenv(variable);
        if (named != null && !named.isBlank()) {
            Path path = Path.of(named);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Where the browser and its driver are. */
    public record Binaries(Path browser, Path driver) {

        /**
         * A headless browser with a new profile in {@code profile}, downloads saved to {@code downloads}
         * without asking, and the page's console messages kept (CSP violations show there).
         */
        public ChromeDriver start(Path profile, Path downloads) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(browser.toFile());
            // The flags this machine needs (docs/dependencies.md): no sandbox as root, and nothing that
            // reaches out to the network on its own.
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--no-default-browser-check", "--window-size=1280,1000",
                    "--force-device-scale-factor=1", "--user-data-dir=" + profile.toAbsolutePath());
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", downloads.toAbsolutePath().toString(),
                    "download.prompt_for_download", false));
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(driver.toFile())
                    .usingAnyFreePort()
                    // chromedriver's own log is noise here; the browser's console is read through Selenium.
                    .withLogOutput(OutputStream.nullOutputStream())
                    .build();
            try {
                Files.createDirectories(profile);
                Files.createDirectories(downloads);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ChromeDriver(service, options);
        }
    }

    /** A temporary directory under the module's target/. */
    public static Path tempDir(String prefix) {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
