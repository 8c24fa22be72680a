package io.meshrpc.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's Chromium and chromedriver (Debian's {@code chromium} and {@code chromium-driver}), driven headless.
 * Never faked: without them, {@link #missing()} says why and the browser tests skip.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** Why no browser can be started here, or empty when one can. */
    static Optional<String> missing() {
        if (chromium().isEmpty()) {
            return Optional.of("no Chromium on the PATH (chromium, chromium-browser, google-chrome, "
                    + "google-chrome-stable); Debian: apt-get install chromium chromium-driver");
        }
        if (driver().isEmpty()) {
            return Optional.of("no chromedriver on the PATH nor in /usr/lib/chromium; Debian: apt-get install "
                    + "chromium-driver");
        }
        return Optional.empty();
    }

    /** A headless Chromium with a window of this size. */
    static ChromeDriver start(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().orElseThrow().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver().orElseThrow().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> chromium() {
        return executable("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    }

    private static Optional<Path> driver() {
        return executable("chromedriver").or(() -> Stream.of("/usr/lib/chromium/chromedriver",
                "/usr/lib/chromium-browser/chromedriver").map(Path::of).filter(Files::isExecutable).findFirst());
    }

    private static Optional<Path> executable(String... names) {
        List<String> path = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return Stream.of(names).flatMap(n -> path.stream().map(dir -> Path.of(dir, n)))
                .filter(Files::isExecutable).findFirst();
    }
}
