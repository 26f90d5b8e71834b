package id.siperlu.app

import id.siperlu.core.AttendanceKind
import id.siperlu.core.CheckInResult
import id.siperlu.core.CheckInStatus
import id.siperlu.core.GeofenceVerdict
import id.siperlu.core.Reason
import id.siperlu.core.TimeSource
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The result screen's lines for a check-in outcome as the core returns it. */
class CheckInTextTest {
    private val outside = CheckInResult(
        status = CheckInStatus.REJECTED,
        headline = Reason("common.rejected", "Presensi ditolak", "Attendance rejected"),
        retryAdvised = true,
        reasons = listOf(Reason("geofence.outside", "Anda di luar area kantor", "You are outside the office area")),
        recordId = "rec-1",
        sequence = 3uL,
        kind = AttendanceKind.CHECK_IN,
        attendanceDay = "2026-12-04",
        zone = "WITA",
        trustedTimeMs = FRIDAY_0805_WIB_MS,
        timeSource = TimeSource.SERVER_ANCHOR,
        latitudeE7 = -51_386_990,
        longitudeE7 = 1_194_327_000,
        accuracyMm = 8_499u,
        geofence = GeofenceVerdict.OUTSIDE,
        officeId = "office-1",
        officeName = "Kantor Gubernur Sulawesi Selatan",
        distanceM = 1000.4,
        faceMatched = true,
        faceScoreMilli = 812,
        livenessMilli = 990,
    )

    @Test
    fun indonesianLines() {
        val lines = describeCheckIn(outside, indonesian).map { it.text }
        assertEquals(
            listOf(
                "Presensi ditolak",
                "• Anda di luar area kantor",
                "Waktu presensi 09.05 WITA, 2026-12-04",
                "Lokasi -5.138699, 119.432700 (akurasi 8 m)",
                "Kantor: Kantor Gubernur Sulawesi Selatan",
                "Jarak ke batas area kantor: 1000 m",
            ),
            lines,
        )
    }

    @Test
    fun englishLines() {
        val lines = describeCheckIn(outside, english)
        assertTrue(lines[0].isHeadline)
        assertEquals("Attendance rejected", lines[0].text)
        assertEquals("• You are outside the office area", lines[1].text)
        assertEquals("Attendance time 09:05 WITA, 2026-12-04", lines[2].text)
    }

    @Test
    fun noOfficeLineWithoutOffice() {
        val lines = describeCheckIn(outside.copy(officeName = "", reasons = emptyList()), indonesian)
        assertEquals(4, lines.size)
        assertEquals("Jarak ke batas area kantor: 1000 m", lines[3].text)
    }

    @Test
    fun noDistanceLineInside() {
        val inside = outside.copy(geofence = GeofenceVerdict.INSIDE, distanceM = 0.0)
        val lines = describeCheckIn(inside, indonesian).map { it.text }
        assertEquals("Kantor: Kantor Gubernur Sulawesi Selatan", lines.last())
    }
}
