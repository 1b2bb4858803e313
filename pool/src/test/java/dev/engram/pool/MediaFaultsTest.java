package dev.engram.pool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaFaultsTest {
    static final String COMPILED = "a fault occurred in a recent unsafe memory access operation in compiled Java code";
    static final String INTERPRETED = "a fault occurred in an unsafe memory access operation";

    @Test
    void shouldRecogniseBothFormsOfTheJdksFaultAndNothingElse() {
        assertThat(MediaFaults.isMediaFault(new InternalError(COMPILED))).isTrue();
        assertThat(MediaFaults.isMediaFault(new InternalError(INTERPRETED))).isTrue();
        assertThat(MediaFaults.isMediaFault(new InternalError("something else"))).isFalse();
        assertThat(MediaFaults.isMediaFault(new IllegalStateException(INTERPRETED))).isFalse();
    }

    @Test
    void shouldTranslateALateFaultAndPassOtherErrorsThrough() {
        assertThatThrownBy(() -> MediaFaults.guard("tx on pool p", () -> {
            throw new InternalError(COMPILED);
        })).isInstanceOfSatisfying(MediaErrorException.class, e -> assertThat(e.offset()).isEqualTo(-1))
                .hasMessageContaining("tx on pool p").hasCauseInstanceOf(InternalError.class);
        assertThatThrownBy(() -> MediaFaults.guard("x", () -> {
            throw new InternalError("bug");
        })).isExactlyInstanceOf(InternalError.class);
        assertThat(MediaFaults.guard("x", () -> 5)).isEqualTo(5);
    }
}
