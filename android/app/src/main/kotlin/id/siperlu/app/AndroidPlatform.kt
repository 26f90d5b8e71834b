/*
 * The phone's clocks and log output, handed to the Rust core. The core trusts a check-in time
 * only through a server time anchor plus the monotonic elapsed-since-boot clock, which the ASN
 * cannot set. A new boot id marks a restart of that clock.
 */
package id.siperlu.app

import android.content.ContentResolver
import android.os.SystemClock
import android.provider.Settings
import android.util.Log
import id.siperlu.core.LogLevel
import id.siperlu.core.LogSink
import id.siperlu.core.PlatformClock

/** Android's clocks: wall clock, `elapsedRealtime()` (counts deep sleep too) and the boot count. */
class AndroidClock(private val resolver: ContentResolver) : PlatformClock {
    override fun wallClockMs(): Long = System.currentTimeMillis()

    override fun elapsedSinceBootMs(): Long = SystemClock.elapsedRealtime()

    /**
     * Returns `boot-count:N` from `Settings.Global.BOOT_COUNT` (API 24). When the setting is
     * missing it throws, and the core then treats the boot as unknown and does not trust the
     * elapsed clock.
     */
    override fun bootId(): String = "boot-count:" + Settings.Global.getInt(resolver, Settings.Global.BOOT_COUNT)
}

/** Forwards the core's `tracing` events to logcat under the tag `Siperlu`. */
class LogcatSink : LogSink {
    override fun log(level: LogLevel, target: String, message: String) {
        val line = "$target: $message"
        when (level) {
            LogLevel.ERROR -> Log.e(TAG, line)
            LogLevel.WARN -> Log.w(TAG, line)
            LogLevel.INFO -> Log.i(TAG, line)
            LogLevel.DEBUG -> Log.d(TAG, line)
            LogLevel.TRACE -> Log.v(TAG, line)
        }
    }

    companion object {
        const val TAG = "Siperlu"
    }
}
