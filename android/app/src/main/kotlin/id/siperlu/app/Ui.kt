/*
 * Screens are built in code from framework views, so the app needs no XML layouts and no
 * generated R class, and the whole shell compiles against the framework jar alone. These
 * helpers keep each screen's code to what it shows.
 */
package id.siperlu.app

import android.app.Activity
import android.app.AlertDialog
import android.content.Context
import android.graphics.Color
import android.text.InputType
import android.util.Log
import android.util.TypedValue
import android.view.ViewGroup
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import id.siperlu.core.CheckInStatus
import id.siperlu.core.SiperluException

/** Converts density-independent pixels to pixels. */
fun Context.dp(value: Int): Int =
    TypedValue.applyDimension(TypedValue.COMPLEX_UNIT_DIP, value.toFloat(), resources.displayMetrics).toInt()

/** Sets a scrolling vertical column as the activity's content and returns the column. */
fun Activity.setColumnContent(): LinearLayout {
    val column = LinearLayout(this).apply {
        orientation = LinearLayout.VERTICAL
        setPadding(dp(16), dp(16), dp(16), dp(16))
    }
    val scroll = ScrollView(this).apply { addView(column) }
    setContentView(scroll)
    return column
}

/** Adds a text line; [sizeSp] 22 makes a title. */
fun LinearLayout.addText(value: String, sizeSp: Float = 16f): TextView {
    val view = TextView(context).apply {
        text = value
        textSize = sizeSp
        setPadding(0, context.dp(4), 0, context.dp(4))
    }
    addView(view)
    return view
}

/** Adds a full-width button. */
fun LinearLayout.addButton(label: String, onClick: () -> Unit): Button {
    val view = Button(context).apply {
        text = label
        setOnClickListener { onClick() }
    }
    // In a row, buttons share the width equally; in a column, each takes the full width.
    val params = if (orientation == LinearLayout.HORIZONTAL) {
        LinearLayout.LayoutParams(0, ViewGroup.LayoutParams.WRAP_CONTENT, 1f)
    } else {
        LinearLayout.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.WRAP_CONTENT)
    }
    addView(view, params)
    return view
}

/** Adds a labelled one-line input field. */
fun LinearLayout.addField(label: String, inputType: Int = InputType.TYPE_CLASS_TEXT): EditText {
    addText(label, 14f)
    val view = EditText(context).apply {
        this.inputType = inputType
        isSingleLine = true
    }
    addView(view)
    return view
}

/** Returns the colour of a check-in outcome: green accepted, amber flagged, red rejected. */
fun statusColor(status: CheckInStatus): Int = when (status) {
    CheckInStatus.ACCEPTED -> Color.rgb(0x1B, 0x7F, 0x3B)
    CheckInStatus.FLAGGED -> Color.rgb(0xB2, 0x6A, 0x00)
    CheckInStatus.REJECTED -> Color.rgb(0xB3, 0x26, 0x1E)
}

/** Shows [message] in a dialog with one button. */
fun Activity.showMessage(texts: Texts, message: String) {
    if (isFinishing) {
        return
    }
    AlertDialog.Builder(this)
        .setMessage(message)
        .setPositiveButton(texts["app.back_button"], null)
        .show()
}

/**
 * Returns the text for a failed background call: the catalog text of a SiperluException, and
 * `common.internal_error` for anything else. Logs the failure first, because the screen shows
 * it and does not re-raise it. A SiperluException's reason contains no NIP or key (the core keeps
 * them out); any other exception is logged by class name only.
 */
fun failureText(texts: Texts, failure: Throwable, vararg values: Pair<String, Any>): String {
    if (failure is SiperluException) {
        Log.w(LogcatSink.TAG, "call failed: ${failure.javaClass.simpleName} ${failure.message}")
        return texts.errorText(failure, *values)
    }
    Log.e(LogcatSink.TAG, "call failed with an unexpected ${failure.javaClass.name}")
    return texts["common.internal_error"]
}

/** Returns how far the display is turned from the phone's natural orientation, in degrees. */
@Suppress("DEPRECATION")
fun surfaceRotationDegrees(activity: Activity): Int {
    val rotation = if (android.os.Build.VERSION.SDK_INT >= android.os.Build.VERSION_CODES.R) {
        activity.display?.rotation ?: android.view.Surface.ROTATION_0
    } else {
        activity.windowManager.defaultDisplay.rotation
    }
    return when (rotation) {
        android.view.Surface.ROTATION_90 -> 90
        android.view.Surface.ROTATION_180 -> 180
        android.view.Surface.ROTATION_270 -> 270
        else -> 0
    }
}
