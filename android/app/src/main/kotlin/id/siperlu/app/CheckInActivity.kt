/*
 * Presensi masuk or pulang: a front-camera preview, then on the button a selfie with a short
 * burst for the blink check and, at the same time, a fresh GPS fix. Both go to
 * SiperluDevice.checkIn, which decides and records the outcome. This screen only shows it: the
 * reasons, the coordinates with their accuracy, the office, the distance and the time in the
 * office zone.
 */
package id.siperlu.app

import android.os.Bundle
import android.util.Log
import android.view.TextureView
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView
import id.siperlu.core.AttendanceKind
import id.siperlu.core.CheckInResult
import id.siperlu.core.LocationFix
import id.siperlu.core.SiperluException

class CheckInActivity : ScreenActivity() {
    private lateinit var kind: AttendanceKind
    private lateinit var preview: TextureView
    private lateinit var captureButton: Button
    private lateinit var progressLine: TextView
    private lateinit var resultColumn: LinearLayout
    private var camera: FrontCamera? = null
    private lateinit var locator: GpsLocator

    // Filled on the main thread as the burst and the fix arrive.
    private var frames: List<ByteArray>? = null
    private var fix: LocationFix? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        kind = AttendanceKind.entries.firstOrNull { it.name == intent.getStringExtra(EXTRA_KIND) } ?: AttendanceKind.CHECK_IN
        locator = GpsLocator(this)

        val column = setColumnContent()
        val buttonId = if (kind == AttendanceKind.CHECK_IN) "app.check_in_button" else "app.check_out_button"
        column.addText(texts[buttonId], 22f)
        column.addText(texts["app.check_in_hint"])
        preview = TextureView(this)
        column.addView(preview, LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, dp(420)))
        captureButton = column.addButton(texts[buttonId]) { startAttempt() }
        progressLine = column.addText("")
        resultColumn = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        column.addView(resultColumn)
        column.addButton(texts["app.back_button"]) { finish() }
    }

    override fun onResume() {
        super.onResume()
        if (camera != null) {
            return
        }
        withPermissions(listOf(CAMERA, FINE_LOCATION)) {
            val opened = FrontCamera(this, preview)
            camera = opened
            opened.open { reason -> showMessage(texts, texts.format("app.camera_failed", "reason" to reason)) }
        }
    }

    override fun onPause() {
        locator.cancel()
        camera?.close()
        camera = null
        super.onPause()
    }

    private fun startAttempt() {
        val opened = camera ?: return
        if (!locator.isGpsEnabled) {
            showMessage(texts, texts["app.gps_disabled"])
            return
        }
        captureButton.isEnabled = false
        resultColumn.removeAllViews()
        progressLine.text = texts["app.locating"]
        frames = null
        fix = null

        opened.captureBurst(BURST_FRAMES, surfaceRotationDegrees(this)) { result ->
            result.onSuccess { captured ->
                frames = captured
                submitWhenReady()
            }.onFailure { error ->
                abandon(texts.format("app.camera_failed", "reason" to (error.message ?: "capture failed")))
            }
        }

        locator.requestFreshFix(FIX_TIMEOUT_MS) { location ->
            if (location == null) {
                abandon(texts.format("app.no_fix", "seconds" to FIX_TIMEOUT_MS / 1000))
                return@requestFreshFix
            }
            try {
                fix = toLocationFix(readLocation(location, android.os.Build.VERSION.SDK_INT))
                submitWhenReady()
            } catch (error: SiperluException) {
                abandon(texts.errorText(error))
            }
        }
    }

    private fun submitWhenReady() {
        val capturedFrames = frames ?: return
        val currentFix = fix ?: return
        progressLine.text = texts["app.working"]
        app.runInBackground({ device -> device.checkIn(kind, capturedFrames, currentFix) }) { result ->
            captureButton.isEnabled = true
            progressLine.text = ""
            result.onSuccess(::showResult).onFailure { error -> showMessage(texts, failureText(texts, error)) }
        }
    }

    private fun abandon(message: String) {
        Log.w(LogcatSink.TAG, "check-in attempt abandoned before the core call: $message")
        locator.cancel()
        captureButton.isEnabled = true
        progressLine.text = ""
        showMessage(texts, message)
    }

    private fun showResult(result: CheckInResult) {
        // A rejected attempt is recorded too, so it is synced for the admin like the others.
        SyncScheduler.scheduleAfterCheckIn(this)

        for (line in describeCheckIn(result, texts)) {
            val view = resultColumn.addText(line.text, if (line.isHeadline) 20f else 16f)
            if (line.isHeadline) {
                view.setTextColor(statusColor(result.status))
            }
        }
        if (result.retryAdvised) {
            resultColumn.addButton(texts["app.retry_button"]) { startAttempt() }
        }
    }

    companion object {
        const val EXTRA_KIND = "id.siperlu.app.extra.KIND"

        /** The selfie plus seven frames; at a typical 5 to 10 JPEG stills per second that spans about a second. */
        private const val BURST_FRAMES = 8

        /** A cold GPS start outdoors takes up to about 30 s on a cheap phone. */
        private const val FIX_TIMEOUT_MS = 45_000L
    }
}
