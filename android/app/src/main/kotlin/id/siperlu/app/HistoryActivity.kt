/*
 * The attendance records on this phone, newest first, each with its outcome and its sync
 * state (waiting, sent, accepted or refused by the server).
 */
package id.siperlu.app

import android.os.Bundle
import android.widget.LinearLayout
import id.siperlu.core.AttendanceKind
import id.siperlu.core.HistoryEntry

class HistoryActivity : ScreenActivity() {
    private lateinit var list: LinearLayout

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val column = setColumnContent()
        column.addText(texts["app.history_button"], 22f)
        list = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        column.addView(list)
        column.addButton(texts["app.back_button"]) { finish() }
    }

    override fun onResume() {
        super.onResume()
        list.removeAllViews()
        list.addText(texts["app.working"])
        app.runInBackground({ device -> device.history(HISTORY_LIMIT) }) { result ->
            list.removeAllViews()
            result.onSuccess(::showEntries).onFailure { error -> list.addText(failureText(texts, error)) }
        }
    }

    private fun showEntries(entries: List<HistoryEntry>) {
        if (entries.isEmpty()) {
            list.addText(texts["app.history_empty"])
            return
        }
        for (entry in entries) {
            for (line in describeHistoryEntry(entry, texts)) {
                list.addText(line.text, if (line.isHeadline) 16f else 14f).also { view ->
                    if (line.isHeadline) view.setTextColor(statusColor(entry.status))
                }
            }
        }
    }

    companion object {
        private val HISTORY_LIMIT = 50u
    }
}

/**
 * Returns the lines of one history entry: day, time, zone and kind with the sync state, then
 * the reasons and the server's reason when it refused the record. A record from an offset
 * outside Indonesia's three zones shows its time in UTC.
 */
fun describeHistoryEntry(entry: HistoryEntry, texts: Texts): List<ResultLine> {
    val zone = OfficeZone.fromOffsetMinutes(entry.zoneOffsetMinutes.toInt())
    val kindText = texts[if (entry.kind == AttendanceKind.CHECK_IN) "app.kind_check_in" else "app.kind_check_out"]
    val whenText = if (zone != null) {
        "${localDay(entry.trustedTimeMs, zone)} ${formatClockTime(entry.trustedTimeMs, zone, texts)} ${zone.abbreviation}"
    } else {
        java.time.Instant.ofEpochMilli(entry.trustedTimeMs).toString()
    }

    val lines = ArrayList<ResultLine>()
    lines.add(ResultLine("$whenText · $kindText · ${texts[syncStateMessageId(entry.syncState)]}", isHeadline = true))
    for (reason in entry.reasons) {
        lines.add(ResultLine("• " + reasonText(reason, texts)))
    }
    entry.rejectReason?.let { lines.add(ResultLine("• " + texts[it])) }
    return lines
}
