/*
 * The base of every screen: access to the app process and its texts, and runtime permissions
 * asked with the reason shown first, in the phone's language (Bahasa Indonesia unless it is English),
 * before Android's own dialog.
 */
package id.siperlu.app

import android.app.Activity
import android.app.AlertDialog
import android.content.pm.PackageManager

/** A permission the screen needs, with the catalog ids of its explanation and its refusal. */
data class NeededPermission(val permission: String, val explanationId: String, val deniedId: String)

abstract class ScreenActivity : Activity() {
    protected val app: SiperluApp get() = application as SiperluApp

    protected lateinit var texts: Texts
        private set

    private var waitingFor: List<NeededPermission> = emptyList()
    private var onAllGranted: (() -> Unit)? = null

    // True from the explanation dialog until Android returns the result. Android's own dialog
    // pauses and resumes the activity, and onResume must not start a second request meanwhile.
    private var requestInFlight = false

    override fun onCreate(savedInstanceState: android.os.Bundle?) {
        super.onCreate(savedInstanceState)
        texts = app.texts()
    }

    /**
     * Runs [then] once every permission in [needed] is granted. For each missing one it first
     * explains why in a dialog, then requests it from Android. A refusal shows its text and stops.
     * While a request is in flight, a second call does nothing: the running request continues.
     */
    protected fun withPermissions(needed: List<NeededPermission>, then: () -> Unit) {
        if (!requestInFlight) {
            continuePermissions(needed, then)
        }
    }

    private fun continuePermissions(needed: List<NeededPermission>, then: () -> Unit) {
        val missing = needed.firstOrNull { checkSelfPermission(it.permission) != PackageManager.PERMISSION_GRANTED }
        if (missing == null) {
            requestInFlight = false
            then()
            return
        }
        requestInFlight = true
        waitingFor = needed
        onAllGranted = then
        AlertDialog.Builder(this)
            .setMessage(texts[missing.explanationId])
            .setCancelable(false)
            .setPositiveButton(texts["app.continue_button"]) { _, _ ->
                requestPermissions(arrayOf(missing.permission), PERMISSION_REQUEST_CODE)
            }
            .show()
    }

    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        if (requestCode != PERMISSION_REQUEST_CODE) {
            return
        }
        requestInFlight = false
        val then = onAllGranted
        onAllGranted = null

        // Empty arrays mean Android cancelled the request; the next onResume requests them again.
        val asked = permissions.firstOrNull()?.let { name -> waitingFor.firstOrNull { it.permission == name } }
        if (asked == null || then == null) {
            return
        }
        if (grantResults.firstOrNull() == PackageManager.PERMISSION_GRANTED) {
            continuePermissions(waitingFor, then)
        } else {
            showMessage(texts, texts[asked.deniedId])
        }
    }

    companion object {
        private const val PERMISSION_REQUEST_CODE = 7301

        val CAMERA = NeededPermission(
            android.Manifest.permission.CAMERA,
            "app.camera_permission_reason",
            "app.camera_permission_denied",
        )
        val FINE_LOCATION = NeededPermission(
            android.Manifest.permission.ACCESS_FINE_LOCATION,
            "app.location_permission_reason",
            "app.location_permission_denied",
        )
    }
}
