package id.siperlu.app

import android.location.Location
import id.siperlu.core.SiperluException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The mapping of a LocationManager fix into the core's LocationFix. The GPS cannot exist on the
 * JVM, so the fixes are real android.location.Location objects from the framework jar, filled
 * in as the GPS provider fills them.
 */
class LocationReadingTest {
    private fun gpsFix(accuracyM: Float? = 8.5f, mock: Boolean = false): Location {
        val location = Location("gps")
        location.latitude = -5.1477
        location.longitude = 119.4327
        accuracyM?.let { location.accuracy = it }
        location.time = FRIDAY_0805_WIB_MS
        location.elapsedRealtimeNanos = 7_200_000_000_000L
        location.isMock = mock
        return location
    }

    @Test
    fun readsFieldsOfGpsFix() {
        val reading = readLocation(gpsFix(), sdkInt = 34)
        assertEquals(-5.1477, reading.latitudeDeg)
        assertEquals(119.4327, reading.longitudeDeg)
        assertEquals(8.5f, reading.accuracyM)
        assertEquals(FRIDAY_0805_WIB_MS, reading.fixTimeMs)
        assertEquals("gps", reading.provider)
        assertFalse(reading.isMock)
    }

    @Test
    fun mockFlagOnEveryApiLevel() {
        assertTrue(readLocation(gpsFix(mock = true), sdkInt = 34).isMock)
        assertTrue(readLocation(gpsFix(mock = true), sdkInt = 26).isMock)
        assertFalse(readLocation(gpsFix(mock = false), sdkInt = 26).isMock)
    }

    @Test
    fun missingAccuracyIsNull() {
        assertNull(readLocation(gpsFix(accuracyM = null), sdkInt = 34).accuracyM)
    }

    @Test
    fun fixInRecordUnits() {
        val fix = toLocationFix(readLocation(gpsFix(mock = true), sdkInt = 34))
        assertEquals(-51_477_000, fix.latitudeE7)
        assertEquals(1_194_327_000, fix.longitudeE7)
        assertEquals(8_500u, fix.accuracyMm)
        assertEquals(FRIDAY_0805_WIB_MS, fix.fixTimeMs)
        assertEquals("gps", fix.provider)
        assertTrue(fix.isMock, "the mock flag must reach the core, which flags the check-in")
    }

    @Test
    fun fixWithoutAccuracyIsInvalid() {
        val error = assertThrows(SiperluException.InvalidInput::class.java) {
            toLocationFix(readLocation(gpsFix(accuracyM = null), sdkInt = 34))
        }
        assertEquals("device.invalid_fix", error.messageId)
    }

    @Test
    fun outOfRangeLatitudeIsInvalid() {
        val reading = readLocation(gpsFix(), sdkInt = 34).copy(latitudeDeg = 91.0)
        val error = assertThrows(SiperluException.InvalidInput::class.java) { toLocationFix(reading) }
        assertEquals("device.invalid_fix", error.messageId)
    }

    @Test
    fun ageFromElapsedClock() {
        val reading = readLocation(gpsFix(), sdkInt = 34)
        assertEquals(1_500, readingAgeMs(reading, 7_200_000_000_000L + 1_500_000_000L))
    }
}
