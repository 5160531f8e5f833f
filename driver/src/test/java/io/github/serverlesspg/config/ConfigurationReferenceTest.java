package io.github.serverlesspg.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/configuration.md} equal to what the property definitions generate. */
class ConfigurationReferenceTest {
  private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

  @Test
  void committedReferenceMatchesThePropertyDefinitions() throws IOException {
    String generated = ConfigurationReference.markdown();
    if (Boolean.getBoolean("updateDocs")) {
      Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(REFERENCE)).as("docs/configuration.md exists").isTrue();
    assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
        .as("docs/configuration.md is stale; regenerate it with: mvn -q -pl driver -am test "
            + "-Dtest=ConfigurationReferenceTest -DupdateDocs=true -Dsurefire.failIfNoSpecifiedTests=false")
        .isEqualTo(generated);
  }

  @Test
  void everyPropertyIsDocumentedWithItsDefaultAndChoices() {
    String generated = ConfigurationReference.markdown();
    for (ServerlessPgProperty property : ServerlessPgProperty.values()) {
      assertThat(generated).contains("| `" + property.propertyName() + "` |");
      for (String choice : property.choices()) {
        assertThat(generated).contains("`" + choice + "`");
      }
    }
  }
}
