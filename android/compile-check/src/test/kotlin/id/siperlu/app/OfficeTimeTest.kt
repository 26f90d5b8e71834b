package id.siperlu.app

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import java.time.LocalDate

class OfficeTimeTest {
    @Test
    fun clockTimeInEachZone() {
        assertEquals("08.05", formatClockTime(FRIDAY_0805_WIB_MS, OfficeZone.WIB, indonesian))
        assertEquals("09.05", formatClockTime(FRIDAY_0805_WIB_MS, OfficeZone.WITA, indonesian))
        assertEquals("10.05", formatClockTime(FRIDAY_0805_WIB_MS, OfficeZone.WIT, indonesian))
    }

    @Test
    fun englishUsesColon() {
        assertEquals("08:05", formatClockTime(FRIDAY_0805_WIB_MS, OfficeZone.WIB, english))
    }

    @Test
    fun dayChangesAtLocalMidnight() {
        // 16:30 UTC is 23:30 WIB on the 4th but 00:30 WITA on the 5th.
        val lateUtcMs = FRIDAY_0805_WIB_MS + (15 * 60 + 25) * 60_000L
        assertEquals(LocalDate.of(2026, 12, 4), localDay(lateUtcMs, OfficeZone.WIB))
        assertEquals(LocalDate.of(2026, 12, 5), localDay(lateUtcMs, OfficeZone.WITA))
    }

    @Test
    fun zoneLookup() {
        assertEquals(OfficeZone.WITA, OfficeZone.fromAbbreviation(" wita"))
        assertEquals(OfficeZone.WIT, OfficeZone.fromOffsetMinutes(540))
        assertNull(OfficeZone.fromAbbreviation("UTC"))
        assertNull(OfficeZone.fromOffsetMinutes(0))
    }

    @Test
    fun degreesFromE7() {
        assertEquals("-5.147700", formatDegreesE7(-51_477_000))
        assertEquals("119.432700", formatDegreesE7(1_194_327_000))
        assertEquals("0.000001", formatDegreesE7(5))
        assertEquals("0.000000", formatDegreesE7(-3))
        assertEquals("-1.000000", formatDegreesE7(-9_999_999))
        assertEquals("-214.748365", formatDegreesE7(Int.MIN_VALUE))
    }
}
