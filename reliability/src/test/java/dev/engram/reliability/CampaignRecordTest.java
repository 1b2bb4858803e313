package dev.engram.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The campaign records' JSON, the opt-in property, and the list of kept findings. */
class CampaignRecordTest {
    private static final String PROPERTY = "engram.test.campaign.out";

    @Test
    void writesNestedValuesAsIndentedJsonInInsertionOrder() {
        Map<String, Object> mode = new LinkedHashMap<>();
        mode.put("mode", "FORCE_PMEM");
        mode.put("kills", 500);
        mode.put("failure", null);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("campaign", "say \"hi\"\\\n\t\u0001");
        r.put("seed", 0x70_27_0009L);
        r.put("ratio", 0.5);
        r.put("nan", Double.NaN);
        r.put("ok", true);
        r.put("modes", List.of(mode));
        r.put("empty", List.of());

        assertThat(CampaignRecord.json(r)).isEqualTo("""
                {
                  "campaign": "say \\"hi\\"\\\\\\n\\t\\u0001",
                  "seed": 1881604105,
                  "ratio": 0.5,
                  "nan": null,
                  "ok": true,
                  "modes": [
                    {
                      "mode": "FORCE_PMEM",
                      "kills": 500,
                      "failure": null
                    }
                  ],
                  "empty": []
                }""");
    }

    @Test
    void writesOnlyWhenThePropertyNamesAFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("sub/record.json");
        String before = System.getProperty(PROPERTY);
        try {
            System.clearProperty(PROPERTY);
            assertThat(CampaignRecord.writeIfRequested(PROPERTY, Map.of("a", 1))).isNull();
            System.setProperty(PROPERTY, " ");
            assertThat(CampaignRecord.writeIfRequested(PROPERTY, Map.of("a", 1))).isNull();
            assertThat(tmp).isEmptyDirectory();

            System.setProperty(PROPERTY, file.toString());
            assertThat(CampaignRecord.writeIfRequested(PROPERTY, Map.of("a", 1))).isEqualTo(file);
            assertThat(Files.readString(file)).isEqualTo("{\n  \"a\": 1\n}\n");
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }

    @Test
    void everyFindingNamesARegressionTestThatExists() throws Exception {
        assertThat(Findings.ALL).isNotEmpty();
        for (Findings.Finding f : Findings.ALL) {
            String[] parts = f.test().split("#");
            assertThat(parts).as(f.test()).hasSize(2);
            Class<?> type = Class.forName(CampaignRecordTest.class.getPackageName() + "." + parts[0]);
            Method m = Arrays.stream(type.getDeclaredMethods()).filter(x -> x.getName().equals(parts[1]))
                    .findFirst().orElseThrow(() -> new AssertionError("no method " + f.test()));
            assertThat(m.isAnnotationPresent(Test.class)).as("%s is a @Test", f.test()).isTrue();
            assertThat(f.fixedIn()).as("fix of %s", f.test()).matches("[0-9a-f]{7,40} [a-z]+/");
        }
        assertThat(Findings.asMaps()).hasSameSizeAs(Findings.ALL)
                .allSatisfy(m -> assertThat(m).containsOnlyKeys("foundBy", "test", "fixedIn", "summary"));
        assertThat(Findings.jazzerInputs()).allSatisfy(p -> assertThat(p).startsWith("mutatedPoolImage"));
    }
}
