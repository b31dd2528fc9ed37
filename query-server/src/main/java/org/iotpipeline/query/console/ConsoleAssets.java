package org.iotpipeline.query.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The console's files, read once from the server's own jar: the page, its style sheet and scripts
 * ({@value #WEB_ROOT}) and uPlot from its WebJar. Only the files named here are served: a request
 * is looked up by its exact path in this map, so no path, however it is encoded, reaches any
 * other resource.
 */
public final class ConsoleAssets {

    /** Where the page's own files are on the class path. */
    static final String WEB_ROOT = "org/iotpipeline/query/console/web/";
    /** The page's own files, by the path they are served at under {@code /console/}. */
    static final List<String> FILES = List.of("index.html", "console.css", "app.js", "api.js", "auth.js", "format.js",
            "query-page.js", "sql-examples.js", "history.js", "grid.js", "chart.js", "chart-model.js",
            "pipeline-page.js");
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final Map<String, String> UPLOT_FILES = Map.of(
            "vendor/uPlot.esm.js", "dist/uPlot.esm.js",
            "vendor/uPlot.min.css", "dist/uPlot.min.css",
            "vendor/uPlot.LICENSE", "LICENSE");

    /** A file as it is answered. */
    public record Asset(String path, byte[] bytes, String mediaType, String etag) {
        public Asset {
            Objects.requireNonNull(path, "path is null");
            Objects.requireNonNull(bytes, "bytes is null");
            Objects.requireNonNull(mediaType, "mediaType is null");
            Objects.requireNonNull(etag, "etag is null");
        }
    }

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /**
     * Loads every file.
     *
     * @throws IllegalStateException naming a file the build did not package
     */
    public static ConsoleAssets load() {
        ClassLoader loader = ConsoleAssets.class.getClassLoader();
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String file : FILES) {
            assets.put(file, asset(file, read(loader, WEB_ROOT + file)));
        }
        String uplotRoot = "META-INF/resources/webjars/uplot/" + uplotVersion(loader) + "/";
        UPLOT_FILES.forEach((path, file) -> assets.put(path, asset(path, read(loader, uplotRoot + file))));
        return new ConsoleAssets(assets);
    }

    /** The file served at {@code /console/<path>}, if it is one of the console's. */
    public Optional<Asset> find(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    /** The page itself. */
    public Asset page() {
        return assets.get("index.html");
    }

    private static String uplotVersion(ClassLoader loader) {
        Properties pom = new Properties();
        try (InputStream in = loader.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException(UPLOT_POM + " is not on the class path: the uPlot WebJar"
                        + " (org.webjars.npm:uplot) is missing");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
        }
        return Objects.requireNonNull(pom.getProperty("version"), UPLOT_POM + " names no version");
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console file " + resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console file " + resource, e);
        }
    }

    private static Asset asset(String path, byte[] bytes) {
        return new Asset(path, bytes, mediaType(path), etag(bytes));
    }

    static String mediaType(String path) {
        if (path.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (path.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (path.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/plain; charset=utf-8";
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
