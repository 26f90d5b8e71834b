package id.siperlu.app

import id.siperlu.core.AttendanceKind
import id.siperlu.core.CheckInStatus
import id.siperlu.core.SyncState
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class HomeStateTest {
    private val hourMs = 3_600_000L

    @Test
    fun emptyHistoryIsNotCheckedIn() {
        val state = buildHomeState(emptyList(), FRIDAY_0805_WIB_MS)
        assertEquals(TodayStatus.NotCheckedIn, state.status)
        assertEquals(0, state.pendingSyncCount)
        assertEquals(AttendanceKind.CHECK_IN, state.suggestedKind)
        assertEquals("Semua presensi sudah tersinkron.", describePending(0, indonesian))
    }

    @Test
    fun checkInTodaySuggestsCheckOut() {
        val history = listOf(historyEntry(FRIDAY_0805_WIB_MS))
        val state = buildHomeState(history, FRIDAY_0805_WIB_MS + 2 * hourMs)
        assertEquals(TodayStatus.CheckedIn(FRIDAY_0805_WIB_MS, OfficeZone.WIB), state.status)
        assertEquals(AttendanceKind.CHECK_OUT, state.suggestedKind)
        assertEquals("Sudah presensi masuk pukul 08.05 WIB.", describeStatus(state.status, indonesian))
        assertEquals("Checked in at 08:05 WIB.", describeStatus(state.status, english))
    }

    @Test
    fun latestCountedRecordWins() {
        val history = listOf(
            historyEntry(FRIDAY_0805_WIB_MS + 9 * hourMs, kind = AttendanceKind.CHECK_OUT),
            historyEntry(FRIDAY_0805_WIB_MS),
        )
        val state = buildHomeState(history, FRIDAY_0805_WIB_MS + 10 * hourMs)
        assertEquals(TodayStatus.CheckedOut(FRIDAY_0805_WIB_MS + 9 * hourMs, OfficeZone.WIB), state.status)
        assertEquals(AttendanceKind.CHECK_IN, state.suggestedKind)
    }

    @Test
    fun rejectedAttemptIsNotAttendance() {
        val history = listOf(
            historyEntry(FRIDAY_0805_WIB_MS + hourMs, status = CheckInStatus.REJECTED),
            historyEntry(FRIDAY_0805_WIB_MS, status = CheckInStatus.FLAGGED, kind = AttendanceKind.CHECK_IN),
        )
        val state = buildHomeState(history, FRIDAY_0805_WIB_MS + 2 * hourMs)
        assertEquals(TodayStatus.CheckedIn(FRIDAY_0805_WIB_MS, OfficeZone.WIB), state.status)
        assertEquals(2, state.pendingSyncCount)
    }

    @Test
    fun yesterdayDoesNotCount() {
        val history = listOf(historyEntry(FRIDAY_0805_WIB_MS - 24 * hourMs, syncState = SyncState.ACKNOWLEDGED))
        val state = buildHomeState(history, FRIDAY_0805_WIB_MS)
        assertEquals(TodayStatus.NotCheckedIn, state.status)
        assertEquals(0, state.pendingSyncCount)
    }

    @Test
    fun dayIsTakenInRecordZone() {
        // 23:30 WIB on the 3rd is 01:30 WIT on the 4th: for a WIT office that is today.
        val lateMs = FRIDAY_0805_WIB_MS - (8 * 60 + 35) * 60_000L
        val witEntry = historyEntry(lateMs, zone = OfficeZone.WIT)
        val wibEntry = historyEntry(lateMs, zone = OfficeZone.WIB)
        assertEquals(TodayStatus.CheckedIn(lateMs, OfficeZone.WIT), buildHomeState(listOf(witEntry), FRIDAY_0805_WIB_MS).status)
        assertEquals(TodayStatus.NotCheckedIn, buildHomeState(listOf(wibEntry), FRIDAY_0805_WIB_MS).status)
    }

    @Test
    fun pendingCountsPendingAndSent() {
        val history = listOf(
            historyEntry(FRIDAY_0805_WIB_MS, syncState = SyncState.PENDING),
            historyEntry(FRIDAY_0805_WIB_MS - 1, syncState = SyncState.SENT),
            historyEntry(FRIDAY_0805_WIB_MS - 2, syncState = SyncState.ACKNOWLEDGED),
            historyEntry(FRIDAY_0805_WIB_MS - 3, syncState = SyncState.REJECTED),
        )
        val state = buildHomeState(history, FRIDAY_0805_WIB_MS)
        assertEquals(2, state.pendingSyncCount)
        assertEquals("2 presensi belum tersinkron ke server.", describePending(state.pendingSyncCount, indonesian))
    }

    @Test
    fun historyEntryLines() {
        val entry = historyEntry(FRIDAY_0805_WIB_MS, zone = OfficeZone.WITA, syncState = SyncState.ACKNOWLEDGED)
        val lines = describeHistoryEntry(entry, indonesian)
        assertEquals("2026-12-04 09.05 WITA · Masuk · Diterima server", lines[0].text)
        assertEquals(1, lines.size)
    }
}
