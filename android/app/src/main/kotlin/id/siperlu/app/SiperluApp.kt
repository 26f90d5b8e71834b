/*
 * The app process: it opens the one SiperluDevice the process keeps, sets up the core's logging
 * once, and runs blocking core calls off the main thread. Every core call blocks (face
 * inference, SQLite, HTTP), so screens call through runInBackground and sync goes through
 * runSync.
 */
package id.siperlu.app

import android.app.Application
import android.content.pm.ApplicationInfo
import android.os.Handler
import android.os.Looper
import android.util.Log
import id.siperlu.core.LogLevel
import id.siperlu.core.SiperluDevice
import id.siperlu.core.SiperluException
import id.siperlu.core.setupLogging
import java.io.IOException
import java.util.Locale
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors

class SiperluApp : Application() {
    /** One worker for the screens' core calls, so a check-in and a plan edit run in order. */
    private val worker: ExecutorService = Executors.newSingleThreadExecutor { task -> Thread(task, "siperlu-core") }

    /** Sync runs on its own thread; the core lets a check-in proceed while a batch is in flight. */
    private val syncWorker: ExecutorService = Executors.newSingleThreadExecutor { task -> Thread(task, "siperlu-sync") }

    private val mainHandler = Handler(Looper.getMainLooper())
    private val syncGate = SyncGate()

    @Volatile
    private var device: SiperluDevice? = null

    override fun onCreate() {
        super.onCreate()
        val debuggable = applicationInfo.flags and ApplicationInfo.FLAG_DEBUGGABLE != 0
        setupLogging(LogcatSink(), if (debuggable) LogLevel.DEBUG else LogLevel.INFO)
        SyncScheduler.schedulePeriodic(this)
    }

    /** Texts in the phone's current language; read again on each screen, as the ASN may switch. */
    fun texts(): Texts = Texts(Locale.getDefault().toLanguageTag())

    /**
     * Returns the process's device, opening it on first use: this copies the models out of
     * the APK, loads them into ONNX Runtime and opens the store. Call it off the main thread,
     * because model loading alone blocks for a noticeable time.
     */
    @Synchronized
    fun device(): SiperluDevice {
        device?.let { return it }
        val models = try {
            ModelFiles.install(this)
        } catch (error: IOException) {
            throw SiperluException.Device("device.models_unavailable", "copying the face models failed: ${error.message}")
        }
        val opened = SiperluDevice.open(
            filesDir.path,
            models,
            SecretKeyVault(KeystoreVaultKey::load),
            AndroidClock(contentResolver),
        )
        device = opened
        return opened
    }

    /** Runs [task] on the core worker and passes its result to [onDone] on the main thread. */
    fun <T> runInBackground(task: (SiperluDevice) -> T, onDone: (Result<T>) -> Unit) {
        worker.execute {
            val result = runCatching { task(device()) }
            mainHandler.post { onDone(result) }
        }
    }

    /** Starts a manual sync ("Sinkronkan sekarang") and passes the result to [onDone] on the main thread. */
    fun syncInBackground(onDone: (SyncRunResult) -> Unit) {
        syncWorker.execute {
            val result = runSync(SyncTrigger.MANUAL)
            mainHandler.post { onDone(result) }
        }
    }

    /** Runs one sync on the calling thread unless another is running. */
    fun runSync(trigger: SyncTrigger): SyncRunResult {
        val result = runSyncOnce(syncGate, trigger) { device() }
        if (result is SyncRunResult.Failed) {
            Log.w(LogcatSink.TAG, "sync ($trigger) failed, next step ${result.outcome}: ${result.error.message}")
        }
        return result
    }
}
