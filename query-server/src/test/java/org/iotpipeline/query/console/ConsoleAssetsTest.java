package org.iotpipeline.query.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConsoleAssetsTest {

    private final ConsoleAssets assets = ConsoleAssets.load();

    @Test
    void everyFileOfThePageIsServedAndNothingElseOfItsFolder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources").resolve(ConsoleAssets.WEB_ROOT))) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(ConsoleAssets.FILES);
        }
        for (String file : ConsoleAssets.FILES) {
            assertThat(assets.find(file)).as(file).isPresent();
        }
    }

    @Test
    void uPlotComesFromItsWebJar() {
        assertThat(assets.find("vendor/uPlot.esm.js")).hasValueSatisfying(asset -> {
            assertThat(asset.mediaType()).isEqualTo("text/javascript; charset=utf-8");
            assertThat(new String(asset.bytes(), StandardCharsets.UTF_8)).contains("export { uPlot as default }");
        });
        assertThat(assets.find("vendor/uPlot.min.css")).hasValueSatisfying(asset ->
                assertThat(asset.mediaType()).isEqualTo("text/css; charset=utf-8"));
    }

    @Test
    void onlyExactNamesAreFound() {
        assertThat(assets.find("app.js")).isPresent();
        assertThat(assets.find("./app.js")).isEmpty();
        assertThat(assets.find("vendor/../app.js")).isEmpty();
        assertThat(assets.find("APP.JS")).isEmpty();
        assertThat(assets.find("")).isEmpty();
        assertThat(assets.find("META-INF/MANIFEST.MF")).isEmpty();
        assertThat(assets.find("../QueryServer.class")).isEmpty();
    }

    @Test
    void thePageLoadsItsScriptAsAModuleAndHasNoInlineScriptOrStyle() {
        String page = new String(assets.page().bytes(), StandardCharsets.UTF_8);

        assertThat(assets.page().mediaType()).isEqualTo("text/html; charset=utf-8");
        assertThat(page).contains("<script type=\"module\" src=\"console/app.js\"></script>")
                .doesNotContain("style=").doesNotContain("<style").doesNotContain("onclick=")
                .doesNotContainPattern("<script(?![^>]*src=)");
    }

    @Test
    void etagsFollowTheContent() {
        assertThat(assets.find("app.js").orElseThrow().etag()).isNotEqualTo(assets.find("api.js").orElseThrow().etag())
                .hasSize(22);
        assertThat(ConsoleAssets.load().find("app.js").orElseThrow().etag())
                .isEqualTo(assets.find("app.js").orElseThrow().etag());
    }
}
