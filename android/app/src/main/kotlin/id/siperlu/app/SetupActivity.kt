/*
 * First run: the ASN types the NIP, the server address and the one-time enrollment code from
 * the OPD admin, takes 3 to 5 face photos with the front camera, and registers. The order is
 * fixed by the core: the NIP first, then the face, because registration sends the enrolled
 * template's id.
 */
package id.siperlu.app

import android.content.Intent
import android.os.Bundle
import android.text.InputType
import android.view.TextureView
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.TextView

class SetupActivity : ScreenActivity() {
    private lateinit var nipField: EditText
    private lateinit var serverField: EditText
    private lateinit var codeField: EditText
    private lateinit var photoCount: TextView
    private lateinit var registerButton: Button
    private lateinit var preview: TextureView
    private var camera: FrontCamera? = null
    private val photos = ArrayList<ByteArray>()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val column = setColumnContent()
        column.addText(texts["app.setup_title"], 22f)
        column.addText(texts["app.setup_intro"])

        nipField = column.addField(texts["app.nip_label"], InputType.TYPE_CLASS_NUMBER)
        serverField = column.addField(texts["app.server_url_label"], InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_URI)
        codeField = column.addField(texts["app.enrollment_code_label"])

        column.addText(texts["app.enroll_hint"])
        preview = TextureView(this)
        column.addView(preview, LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, dp(360)))
        photoCount = column.addText(texts.format("app.photo_count", "count" to 0))
        column.addButton(texts["app.take_photo_button"]) { takePhoto() }
        column.addButton(texts["app.retake_photos_button"]) {
            photos.clear()
            showPhotoCount()
        }
        registerButton = column.addButton(texts["app.register_button"]) { register() }
    }

    override fun onResume() {
        super.onResume()
        if (camera != null) {
            return
        }
        withPermissions(listOf(CAMERA)) {
            val opened = FrontCamera(this, preview)
            camera = opened
            opened.open { reason -> showMessage(texts, texts.format("app.camera_failed", "reason" to reason)) }
        }
    }

    override fun onPause() {
        camera?.close()
        camera = null
        super.onPause()
    }

    private fun takePhoto() {
        val opened = camera ?: return
        if (photos.size >= MAX_PHOTOS) {
            return
        }
        opened.captureBurst(1, displayRotationDegrees()) { result ->
            result.onSuccess { frames ->
                photos.addAll(frames)
                showPhotoCount()
            }.onFailure { error ->
                showMessage(texts, texts.format("app.camera_failed", "reason" to (error.message ?: "capture failed")))
            }
        }
    }

    private fun showPhotoCount() {
        photoCount.text = texts.format("app.photo_count", "count" to photos.size)
    }

    private fun register() {
        val nip = nipField.text.toString().trim()
        val serverUrl = serverField.text.toString().trim()
        val code = codeField.text.toString().trim()
        val emptyField = listOf(
            "app.nip_label" to nip,
            "app.server_url_label" to serverUrl,
            "app.enrollment_code_label" to code,
        ).firstOrNull { it.second.isEmpty() }
        if (emptyField != null) {
            showMessage(texts, texts.format("app.field_missing", "field" to texts[emptyField.first]))
            return
        }
        if (photos.size < MIN_PHOTOS) {
            showMessage(texts, texts["app.need_more_photos"])
            return
        }

        registerButton.isEnabled = false
        registerButton.text = texts["app.working"]
        val enrollmentPhotos = photos.toList()
        app.runInBackground({ device ->
            device.setNip(nip)
            device.enrollFace(enrollmentPhotos)
            device.register(serverUrl, code, null)
        }) { result ->
            registerButton.isEnabled = true
            registerButton.text = texts["app.register_button"]
            result.onSuccess {
                startActivity(Intent(this, HomeActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_CLEAR_TOP))
                finish()
            }.onFailure { error ->
                showMessage(texts, failureText(texts, error, "value" to serverUrl))
            }
        }
    }

    private fun displayRotationDegrees(): Int = surfaceRotationDegrees(this)

    companion object {
        const val MIN_PHOTOS = 3
        const val MAX_PHOTOS = 5
    }
}
