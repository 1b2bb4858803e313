package dev.engram.pool;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BadRangeTest {
    @ParameterizedTest(name = "[100,110) overlaps [{0},{0}+{1}) = {2}")
    @CsvSource({
            "0, 100, false",
            "0, 101, true",
            "99, 1, false",
            "100, 1, true",
            "109, 1, true",
            "110, 1, false",
            "105, 0, false",
            "0, 1000, true"})
    void overlapsIsTrueOnlyWhenOneByteIsShared(long off, long len, boolean expected) {
        assertThat(new BadRange(100, 10).overlaps(off, len)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-1, 1", "0, 0", "0, -5", "9223372036854775807, 1"})
    void invalidRangesAreRejectedNamingTheValues(long off, long len) {
        assertThatThrownBy(() -> new BadRange(off, len))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad range must be non-empty, non-negative and not overflow: offset=" + off + " length=" + len);
    }
}
