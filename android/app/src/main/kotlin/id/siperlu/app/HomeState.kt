/*
 * The home screen's content, computed from the core's history without touching any Android
 * view, so that the JVM tests can check it.
 */
package id.siperlu.app

import id.siperlu.core.AttendanceKind
import id.siperlu.core.CheckInStatus
import id.siperlu.core.HistoryEntry
import id.siperlu.core.SyncState

/** Today's attendance as the home screen states it. */
sealed class TodayStatus {
    /** No accepted or flagged check-in today. */
    data object NotCheckedIn : TodayStatus()

    /** The latest counted record today is a check-in, at [timeMs] in [zone]. */
    data class CheckedIn(val timeMs: Long, val zone: OfficeZone) : TodayStatus()

    /** The latest counted record today is a check-out, at [timeMs] in [zone]. */
    data class CheckedOut(val timeMs: Long, val zone: OfficeZone) : TodayStatus()
}

/** The home screen's state: today's status, the pending-sync count and the suggested action. */
data class HomeState(
    val status: TodayStatus,
    val pendingSyncCount: Int,
    /** The attendance the ASN most likely wants next: check-out once checked in, else check-in. */
    val suggestedKind: AttendanceKind,
)

/**
 * Builds the home state from [history] (newest first, as `SiperluDevice.history` returns it) at
 * [nowMs]. A record counts for today when its own zone's calendar day equals today's in that
 * zone. Rejected attempts do not count as attendance but do count as pending until the server
 * acknowledges them, because they are synced for the admin too.
 */
fun buildHomeState(history: List<HistoryEntry>, nowMs: Long): HomeState {
    val pendingSyncCount = history.count { it.syncState == SyncState.PENDING || it.syncState == SyncState.SENT }

    var status: TodayStatus = TodayStatus.NotCheckedIn
    for (entry in history) {
        val zone = OfficeZone.fromOffsetMinutes(entry.zoneOffsetMinutes.toInt()) ?: continue
        if (entry.status == CheckInStatus.REJECTED || localDay(entry.trustedTimeMs, zone) != localDay(nowMs, zone)) {
            continue
        }
        status = when (entry.kind) {
            AttendanceKind.CHECK_IN -> TodayStatus.CheckedIn(entry.trustedTimeMs, zone)
            AttendanceKind.CHECK_OUT -> TodayStatus.CheckedOut(entry.trustedTimeMs, zone)
        }
        break
    }

    val suggestedKind = if (status is TodayStatus.CheckedIn) AttendanceKind.CHECK_OUT else AttendanceKind.CHECK_IN
    return HomeState(status, pendingSyncCount, suggestedKind)
}

/** Returns the status line of the home screen in the reader's language. */
fun describeStatus(status: TodayStatus, texts: Texts): String = when (status) {
    TodayStatus.NotCheckedIn -> texts["app.status_none"]
    is TodayStatus.CheckedIn -> texts.format(
        "app.status_checked_in",
        "time" to formatClockTime(status.timeMs, status.zone, texts),
        "zone" to status.zone.abbreviation,
    )
    is TodayStatus.CheckedOut -> texts.format(
        "app.status_checked_out",
        "time" to formatClockTime(status.timeMs, status.zone, texts),
        "zone" to status.zone.abbreviation,
    )
}

/** Returns the line about records that still wait for the server. */
fun describePending(pendingSyncCount: Int, texts: Texts): String =
    if (pendingSyncCount == 0) texts["app.all_synced"] else texts.format("app.pending_count", "count" to pendingSyncCount)

/** Returns the catalog id of a sync state's badge in the history list. */
fun syncStateMessageId(state: SyncState): String = when (state) {
    SyncState.PENDING -> "app.sync_state_pending"
    SyncState.SENT -> "app.sync_state_sent"
    SyncState.ACKNOWLEDGED -> "app.sync_state_acknowledged"
    SyncState.REJECTED -> "app.sync_state_rejected"
}

/** Returns the catalog id of a plan item status. */
fun planStatusMessageId(status: id.siperlu.core.PlanStatus): String = when (status) {
    id.siperlu.core.PlanStatus.PLANNED -> "app.plan_status_planned"
    id.siperlu.core.PlanStatus.DONE -> "app.plan_status_done"
    id.siperlu.core.PlanStatus.NOT_DONE -> "app.plan_status_not_done"
}
