/*
 * The home screen and the app's entry point. It shows today's status in the office zone, the
 * buttons for presensi masuk and presensi pulang, the count of records waiting for the server,
 * and today's work plan (rencana kerja harian) with add, edit and status marking. A phone that
 * is not registered yet goes to the setup screen first.
 */
package id.siperlu.app

import android.app.AlertDialog
import android.content.Intent
import android.graphics.Typeface
import android.os.Bundle
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.TextView
import id.siperlu.core.AttendanceKind
import id.siperlu.core.PlanItem
import id.siperlu.core.PlanStatus
import id.siperlu.core.SiperluDevice
import id.siperlu.core.TodayPlan

class HomeActivity : ScreenActivity() {
    private lateinit var statusLine: TextView
    private lateinit var checkInButton: Button
    private lateinit var checkOutButton: Button
    private lateinit var pendingLine: TextView
    private lateinit var planColumn: LinearLayout
    private var plan: TodayPlan? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val column = setColumnContent()
        column.addText(texts["app.home_title"], 22f)
        statusLine = column.addText(texts["app.working"])
        checkInButton = column.addButton(texts["app.check_in_button"]) { openCheckIn(AttendanceKind.CHECK_IN) }
        checkOutButton = column.addButton(texts["app.check_out_button"]) { openCheckIn(AttendanceKind.CHECK_OUT) }

        pendingLine = column.addText("")
        column.addButton(texts["app.sync_now_button"]) { syncNow() }
        column.addButton(texts["app.history_button"]) { startActivity(Intent(this, HistoryActivity::class.java)) }

        column.addText(texts["app.plan_title"], 20f)
        planColumn = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        column.addView(planColumn)
        column.addButton(texts["app.plan_add_button"]) { editPlanItem(null) }
    }

    override fun onResume() {
        super.onResume()
        refresh()
    }

    private fun refresh() {
        app.runInBackground({ device ->
            val registered = device.registration()?.serverUrl != null
            if (!registered) {
                null
            } else {
                HomeData(buildHomeState(device.history(HISTORY_WINDOW), System.currentTimeMillis()), device.todayPlan())
            }
        }) { result ->
            result.onSuccess { loaded ->
                if (loaded == null) {
                    startActivity(Intent(this, SetupActivity::class.java))
                    finish()
                    return@onSuccess
                }
                showState(loaded.state)
                showPlan(loaded.plan)
            }.onFailure { error ->
                statusLine.text = failureText(texts, error)
            }
        }
    }

    private fun showState(state: HomeState) {
        statusLine.text = describeStatus(state.status, texts)
        pendingLine.text = describePending(state.pendingSyncCount, texts)

        // Both buttons stay enabled, because the core decides what a second check-in means;
        // the likely next one is shown in bold.
        val checkInNext = state.suggestedKind == AttendanceKind.CHECK_IN
        checkInButton.setTypeface(null, if (checkInNext) Typeface.BOLD else Typeface.NORMAL)
        checkOutButton.setTypeface(null, if (checkInNext) Typeface.NORMAL else Typeface.BOLD)
    }

    private fun showPlan(today: TodayPlan) {
        plan = today
        planColumn.removeAllViews()
        planColumn.addText(texts.format("app.plan_cutoff", "cutoff" to today.cutoff), 14f)
        if (today.items.isEmpty()) {
            planColumn.addText(texts["app.plan_empty"])
        }
        today.items.forEachIndexed { index, item ->
            planColumn.addText("${index + 1}. ${item.title} — ${item.expectedOutput} (${texts[planStatusMessageId(item.status)]})")
            if (item.note.isNotEmpty()) {
                planColumn.addText(item.note, 14f)
            }
            val row = LinearLayout(this).apply { orientation = LinearLayout.HORIZONTAL }
            planColumn.addView(row)
            row.addButton(texts["app.plan_edit_button"]) { editPlanItem(index) }
            row.addButton(texts["app.plan_status_done"]) { markPlanItem(index) }
        }
    }

    private fun openCheckIn(kind: AttendanceKind) {
        startActivity(Intent(this, CheckInActivity::class.java).putExtra(CheckInActivity.EXTRA_KIND, kind.name))
    }

    private fun syncNow() {
        pendingLine.text = texts["app.working"]
        app.syncInBackground { result ->
            showMessage(texts, describeSyncResult(result, texts))
            refresh()
        }
    }

    /** Adds an item ([index] null) or edits item [index], then saves the plan's next revision. */
    private fun editPlanItem(index: Int?) {
        val today = plan ?: return
        val existing = index?.let { today.items[it] }
        val form = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(dp(16), dp(8), dp(16), 0)
        }
        val titleField = form.addField(texts["app.plan_activity_label"])
        val outputField = form.addField(texts["app.plan_output_label"])
        titleField.setText(existing?.title.orEmpty())
        outputField.setText(existing?.expectedOutput.orEmpty())

        AlertDialog.Builder(this)
            .setTitle(texts["app.plan_title"])
            .setView(form)
            .setNegativeButton(texts["app.cancel_button"], null)
            .setPositiveButton(texts["app.save_button"]) { _, _ ->
                val edited = PlanItem(
                    title = titleField.text.toString().trim(),
                    expectedOutput = outputField.text.toString().trim(),
                    window = existing?.window,
                    status = existing?.status ?: PlanStatus.PLANNED,
                    note = existing?.note.orEmpty(),
                )
                val items = today.items.toMutableList()
                if (index == null) items.add(edited) else items[index] = edited
                val number = (index ?: items.lastIndex) + 1
                savePlan(today, number) { device -> device.setTodayPlan(items) }
            }
            .show()
    }

    /** Marks item [index] as done or not done with a realisation note. */
    private fun markPlanItem(index: Int) {
        val today = plan ?: return
        val item = today.items[index]
        val form = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(dp(16), dp(8), dp(16), 0)
        }
        val noteField: EditText = form.addField(texts["app.plan_note_label"])
        noteField.setText(item.note)

        AlertDialog.Builder(this)
            .setTitle(item.title)
            .setView(form)
            .setNeutralButton(texts["app.cancel_button"], null)
            .setNegativeButton(texts["app.plan_status_not_done"]) { _, _ ->
                savePlan(today, index + 1) { device -> device.markPlanItem(index.toUInt(), PlanStatus.NOT_DONE, noteField.text.toString().trim()) }
            }
            .setPositiveButton(texts["app.plan_status_done"]) { _, _ ->
                savePlan(today, index + 1) { device -> device.markPlanItem(index.toUInt(), PlanStatus.DONE, noteField.text.toString().trim()) }
            }
            .show()
    }

    /** Saves a plan change; [itemNumber] (from 1) is the item it touches, for the error text. */
    private fun savePlan(before: TodayPlan, itemNumber: Int, change: (SiperluDevice) -> TodayPlan) {
        app.runInBackground(change) { result ->
            result.onSuccess(::showPlan).onFailure { error ->
                // The error carries only its id, so the values of plan.past_cutoff,
                // plan.not_today and plan.empty_title come from the plan shown.
                showMessage(texts, failureText(texts, error, "cutoff" to before.cutoff, "day" to before.day, "index" to itemNumber))
            }
        }
    }

    private data class HomeData(val state: HomeState, val plan: TodayPlan)

    companion object {
        /** Records read for today's status and the pending count. */
        // NOTE: the pending count covers only these newest records (about 100 working days of
        // check-ins); the core exports no count of its own outbox yet.
        private val HISTORY_WINDOW = 200u
    }
}
