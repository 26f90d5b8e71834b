package id.siperlu.app

import id.siperlu.core.Reason
import id.siperlu.core.RejectedRecord
import id.siperlu.core.SiperluException
import id.siperlu.core.SyncReport
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class SyncPolicyTest {
    @Test
    fun offlineScheduledRunIsRescheduled() {
        val offline = SiperluException.Network("sync.offline", "connection refused")
        assertEquals(JobOutcome.RESCHEDULE, outcomeAfterError(offline, SyncTrigger.SCHEDULED))
        assertEquals(JobOutcome.WAIT_FOR_USER, outcomeAfterError(offline, SyncTrigger.MANUAL))
    }

    @Test
    fun refusalWaitsForUser() {
        val cases = listOf(
            SiperluException.Network("sync.refused", "403"),
            SiperluException.NotReady("sync.not_registered", "no registration"),
            SiperluException.Rejected("sync.untrusted_server", "key mismatch"),
            SiperluException.Device("device.storage", "disk full"),
            SiperluException.InvalidInput("sync.invalid_server_url", "no scheme"),
        )
        for (error in cases) {
            assertEquals(JobOutcome.WAIT_FOR_USER, outcomeAfterError(error, SyncTrigger.SCHEDULED), error.message)
        }
    }

    @Test
    fun internalErrorRetriesOnlyInBackground() {
        val bug = SiperluException.Internal("common.internal_error", "panic")
        assertEquals(JobOutcome.RESCHEDULE, outcomeAfterError(bug, SyncTrigger.SCHEDULED))
        assertEquals(JobOutcome.WAIT_FOR_USER, outcomeAfterError(bug, SyncTrigger.MANUAL))
    }

    @Test
    fun gateRunsOneAtATime() {
        val gate = SyncGate()
        var inner: String? = "not run"
        val outer = gate.runExclusive {
            assertTrue(gate.isRunning)
            inner = gate.runExclusive { "second" }
            "first"
        }
        assertEquals("first", outer)
        assertNull(inner, "a second run while the first is going must not start")
        assertFalse(gate.isRunning)
        assertEquals("again", gate.runExclusive { "again" })
    }

    @Test
    fun gateReopensAfterFailure() {
        val gate = SyncGate()
        runCatching { gate.runExclusive { throw IllegalStateException("boom") } }
        assertFalse(gate.isRunning)
    }

    @Test
    fun doneReportText() {
        val report = SyncReport(
            accepted = 2u,
            duplicates = 1u,
            rejected = listOf(RejectedRecord("rec-1", Reason("ingest.bad_signature", "x", "y"))),
            batchesSent = 1u,
            plansPushed = 1u,
            plansRefused = emptyList(),
            retries = 0u,
            anchorServerTimeMs = null,
            configIssuedAtMs = null,
        )
        assertEquals(
            "Sinkronisasi selesai: 3 presensi diterima server, 1 ditolak, 1 rencana kerja terkirim.",
            describeSyncResult(SyncRunResult.Done(report), indonesian),
        )
        val refused = report.copy(plansRefused = listOf("2026-12-04 #2: plan.past_cutoff"))
        assertTrue(describeSyncResult(SyncRunResult.Done(refused), indonesian).endsWith("tersinkron: 2026-12-04 #2: plan.past_cutoff"))
    }

    @Test
    fun otherResultTexts() {
        assertEquals(indonesian["app.sync_running"], describeSyncResult(SyncRunResult.Busy, indonesian))
        assertEquals(indonesian["sync.not_registered"], describeSyncResult(SyncRunResult.NotRegistered, indonesian))
        val offline = SiperluException.Network("sync.offline", "timeout")
        assertEquals(
            english["sync.offline"],
            describeSyncResult(SyncRunResult.Failed(offline, JobOutcome.RESCHEDULE), english),
        )
    }
}
