/*
 * Background sync with JobScheduler (framework API, no WorkManager): a periodic job that runs
 * when any network is available, and a one-off job after each check-in so that the record goes
 * up as soon as the phone is online. Both run the same sync as the "Sinkronkan sekarang" button,
 * through SiperluApp.runSync, which lets only one run go at a time.
 */
package id.siperlu.app

import android.app.job.JobInfo
import android.app.job.JobParameters
import android.app.job.JobScheduler
import android.app.job.JobService
import android.content.ComponentName
import android.content.Context
import java.util.concurrent.TimeUnit

/** Schedules the sync jobs. */
object SyncScheduler {
    private const val PERIODIC_JOB_ID = 4101
    private const val AFTER_CHECK_IN_JOB_ID = 4102

    /** Hourly, which keeps the server's view within the hour without waking a cheap phone often. */
    private val PERIOD_MS = TimeUnit.HOURS.toMillis(1)
    private val BACKOFF_MS = TimeUnit.MINUTES.toMillis(2)

    /** Schedules the periodic job unless it is already scheduled; it survives reboots. */
    fun schedulePeriodic(context: Context) {
        val scheduler = context.getSystemService(JobScheduler::class.java)
        if (scheduler.getPendingJob(PERIODIC_JOB_ID) != null) {
            return
        }
        val job = JobInfo.Builder(PERIODIC_JOB_ID, ComponentName(context, SyncJobService::class.java))
            .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
            .setPeriodic(PERIOD_MS)
            .setPersisted(true)
            .setBackoffCriteria(BACKOFF_MS, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
            .build()
        scheduler.schedule(job)
    }

    /** Schedules a one-off sync for when a network is available; replaces an earlier one. */
    fun scheduleAfterCheckIn(context: Context) {
        val scheduler = context.getSystemService(JobScheduler::class.java)
        val job = JobInfo.Builder(AFTER_CHECK_IN_JOB_ID, ComponentName(context, SyncJobService::class.java))
            .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
            .setBackoffCriteria(BACKOFF_MS, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
            .build()
        scheduler.schedule(job)
    }
}

/** Runs a scheduled sync on its own thread, because every core call blocks. */
class SyncJobService : JobService() {
    override fun onStartJob(params: JobParameters): Boolean {
        val app = application as SiperluApp
        Thread({
            val result = app.runSync(SyncTrigger.SCHEDULED)
            val reschedule = result is SyncRunResult.Failed && result.outcome == JobOutcome.RESCHEDULE
            jobFinished(params, reschedule)
        }, "siperlu-sync-job").start()
        return true
    }

    /**
     * Requests a later rerun from JobScheduler. NOTE: the core's sync cannot be interrupted, so
     * a run that is already uploading finishes on its thread. The store saves each record's
     * state as it changes, so the next run uploads only what is left.
     */
    override fun onStopJob(params: JobParameters): Boolean = true
}
