/*
 * What the background sync job decides, kept free of Android types so that the JVM tests can
 * check it. JobScheduler runs the job when a network is available; the ASN's "Sinkronkan
 * sekarang" button runs the same sync at once. The core allows one sync at a time per phone
 * (two would upload the same records twice), so both paths go through one SyncGate.
 */
package id.siperlu.app

import id.siperlu.core.SiperluDevice
import id.siperlu.core.SiperluException
import id.siperlu.core.SyncOptions
import java.util.concurrent.atomic.AtomicBoolean

/** The origin of a sync run. */
enum class SyncTrigger {
    /** The periodic JobScheduler job, with a network available. */
    SCHEDULED,

    /** The "Sinkronkan sekarang" button. */
    MANUAL,
}

/** The job's next step after a sync attempt. */
enum class JobOutcome {
    /** Done; the next periodic run comes as scheduled. */
    FINISHED,

    /** Ask JobScheduler to run the job again with its back-off (`jobFinished(params, true)`). */
    RESCHEDULE,

    /** Do not retry until the ASN acts (registers, fixes the phone) or the next period. */
    WAIT_FOR_USER,
}

/**
 * Decides the job's outcome after [error] ended a run. The core has already retried each
 * request with its own back-off, so a network failure here means the server stayed unreachable.
 * A scheduled run then requests a later retry from JobScheduler. A manual run shows the error
 * and leaves the retry to the periodic job. A refused request, a missing set-up step or a broken store needs the
 * ASN or the admin, and retrying soon would only repeat it.
 */
fun outcomeAfterError(error: SiperluException, trigger: SyncTrigger): JobOutcome = when (error) {
    is SiperluException.Network -> if (trigger == SyncTrigger.SCHEDULED && messageIdOf(error) == "sync.offline") {
        JobOutcome.RESCHEDULE
    } else {
        JobOutcome.WAIT_FOR_USER
    }
    is SiperluException.Internal -> if (trigger == SyncTrigger.SCHEDULED) JobOutcome.RESCHEDULE else JobOutcome.WAIT_FOR_USER
    is SiperluException.NotReady,
    is SiperluException.InvalidInput,
    is SiperluException.Rejected,
    is SiperluException.Device -> JobOutcome.WAIT_FOR_USER
}

/** Lets one sync run at a time in this process, whichever path started it. */
class SyncGate {
    private val running = AtomicBoolean(false)

    /** Runs [block] unless a sync is already running; returns null in that case. */
    fun <T> runExclusive(block: () -> T): T? {
        if (!running.compareAndSet(false, true)) {
            return null
        }
        try {
            return block()
        } finally {
            running.set(false)
        }
    }

    val isRunning: Boolean get() = running.get()
}

/** The end state of a sync run, as the job and the home screen use it. */
sealed class SyncRunResult {
    /** The run finished; [report] is the core's account of it. */
    data class Done(val report: id.siperlu.core.SyncReport) : SyncRunResult()

    /** Another run was already going; this one did not start. */
    data object Busy : SyncRunResult()

    /** The phone has no server registration yet. */
    data object NotRegistered : SyncRunResult()

    /** The run failed with [error], and [outcome] decides whether the job retries. */
    data class Failed(val error: SiperluException, val outcome: JobOutcome) : SyncRunResult()
}

/**
 * Runs one sync through [gate] on the calling thread with the device that [openDevice] returns
 * (opening it may fail too). [options] replaces the core's default timeouts and retries.
 */
fun runSyncOnce(
    gate: SyncGate,
    trigger: SyncTrigger,
    options: SyncOptions? = null,
    openDevice: () -> SiperluDevice,
): SyncRunResult {
    val result = gate.runExclusive {
        try {
            val device = openDevice()
            if (device.registration()?.serverUrl == null) {
                SyncRunResult.NotRegistered
            } else {
                SyncRunResult.Done(device.syncNow(options, null))
            }
        } catch (error: SiperluException) {
            SyncRunResult.Failed(error, outcomeAfterError(error, trigger))
        }
    }
    return result ?: SyncRunResult.Busy
}

/** Returns what the home screen shows after a sync run. */
fun describeSyncResult(result: SyncRunResult, texts: Texts): String = when (result) {
    is SyncRunResult.Done -> {
        val report = result.report
        val summary = texts.format(
            "sync.done",
            "acknowledged" to (report.accepted + report.duplicates),
            "rejected" to report.rejected.size,
            "plans" to report.plansPushed,
        )
        if (report.plansRefused.isEmpty()) {
            summary
        } else {
            summary + "\n" + texts.format("plan.sync_refused", "count" to report.plansRefused.size) +
                " " + report.plansRefused.joinToString(", ")
        }
    }
    SyncRunResult.Busy -> texts["app.sync_running"]
    SyncRunResult.NotRegistered -> texts["sync.not_registered"]
    is SyncRunResult.Failed -> texts.errorText(result.error)
}
