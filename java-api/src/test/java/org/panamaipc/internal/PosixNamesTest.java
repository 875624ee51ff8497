package org.panamaipc.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.panamaipc.InvalidNameException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PosixNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "orders      | it must start with '/'",
            "/           | at least one character must follow",
            "/a/b        | only the first character may be '/'",
            "/..         | are not names",
            "/.          | are not names"})
    void shouldSayWhichRuleANameBreaks(String name, String rule) {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> PosixNames.check(name));
        assertTrue(e.getMessage().contains(rule), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + name + "\""), e.getMessage());
        assertEquals(0, e.errno());
    }

    @Test
    void shouldRejectNamesLongerThanNameMax() {
        String longName = "/" + "x".repeat(256);
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> PosixNames.check(longName));
        assertTrue(e.getMessage().contains("256 bytes, more than NAME_MAX=255"), e.getMessage());
        assertEquals("/" + "x".repeat(255), PosixNames.check("/" + "x".repeat(255)));
    }

    @Test
    void shouldRejectEmptyAndNullAndNul() {
        assertThrows(InvalidNameException.class, () -> PosixNames.check(""));
        NullPointerException noName = assertThrows(NullPointerException.class, () -> PosixNames.check(null));
        assertEquals("name", noName.getMessage(), "a null is a caller bug naming the parameter (docs/conventions.md)");
        assertThrows(InvalidNameException.class, () -> PosixNames.check("/a\0b"));
    }

    @Test
    void shouldAcceptOrdinaryNames() {
        assertEquals("/orders", PosixNames.check("/orders"));
        assertEquals("/pipc-test-1-2.ring", PosixNames.check("/pipc-test-1-2.ring"));
    }
}
