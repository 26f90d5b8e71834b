package id.siperlu.app

import android.location.Location
import id.siperlu.core.AdminClient
import id.siperlu.core.AttendanceKind
import id.siperlu.core.CheckInStatus
import id.siperlu.core.OFFICE_LAT
import id.siperlu.core.OFFICE_LON
import id.siperlu.core.PlatformClock
import id.siperlu.core.SiperluDevice
import id.siperlu.core.defaultSyncOptions
import id.siperlu.core.photo
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File
import java.net.ServerSocket
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.time.LocalDate
import javax.crypto.KeyGenerator

/**
 * The shell's own path through a working day against the real server on 127.0.0.1. It covers
 * the app's key vault, a LocationManager fix mapped by the app, the result and home screen
 * texts, and the sync job's decisions before registration, after it, and with the server gone. The camera
 * and GPS cannot exist on the JVM, so test photos replace the frames and a filled-in
 * android.location.Location replaces the GPS fix.
 */
class AppJourneyTest {
    private val folder = kotlin.io.path.createTempDirectory("siperlu-app").toFile()
    private val port = ServerSocket(0).use { it.localPort }
    private val baseUrl = "http://127.0.0.1:$port"
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
    private var server: Process? = null

    private val nip = "198811222015032004"

    @AfterEach
    fun stopServer() {
        server?.let {
            it.destroy()
            it.waitFor()
        }
    }

    @Test
    fun workingDayThroughShell() {
        val code = startServerAndSeedAsn()
        val vaultKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
        val clock = object : PlatformClock {
            override fun wallClockMs() = System.currentTimeMillis()
            override fun elapsedSinceBootMs() = System.nanoTime() / 1_000_000
            override fun bootId() = "boot-count:7"
        }
        val gate = SyncGate()

        SiperluDevice.open(File(folder, "phone").path, modelPaths(), SecretKeyVault { vaultKey }, clock).use { device ->
            // Before registration the job has nothing to do.
            assertEquals(SyncRunResult.NotRegistered, runSyncOnce(gate, SyncTrigger.SCHEDULED) { device })

            device.setNip(nip)
            device.enrollFace(listOf(photo("obama.jpg"), photo("obama2.jpg"), photo("32bit.png")))
            device.register(baseUrl, code, null)

            // A fix 20 m north of the office centre, as LocationManager's GPS provider fills it.
            val location = Location("gps").apply {
                latitude = OFFICE_LAT + 20.0 / 110_574.0
                longitude = OFFICE_LON
                accuracy = 9.0f
                time = System.currentTimeMillis()
            }
            val fix = toLocationFix(readLocation(location, sdkInt = 34))
            val result = device.checkIn(AttendanceKind.CHECK_IN, listOf(photo("obama3.jpg")), fix)
            assertEquals(CheckInStatus.ACCEPTED, result.status, result.reasons.toString())

            val lines = describeCheckIn(result, indonesian).map { it.text }
            assertEquals("Presensi diterima", lines[0])
            val timeLine = lines.first { it.startsWith("Waktu presensi ") }
            assertTrue(timeLine.contains(" WITA, "), timeLine)
            assertTrue(lines.contains("Kantor: BKPSDM Kota Makassar"), lines.toString())
            assertTrue(lines.contains("Lokasi -5.147519, 119.432700 (akurasi 9 m)"), lines.toString())

            val before = buildHomeState(device.history(200u), System.currentTimeMillis())
            assertInstanceOf(TodayStatus.CheckedIn::class.java, before.status)
            assertEquals(OfficeZone.WITA, (before.status as TodayStatus.CheckedIn).zone)
            assertEquals(1, before.pendingSyncCount)
            assertEquals(AttendanceKind.CHECK_OUT, before.suggestedKind)

            // The manual sync uploads the record, and the home screen then has nothing pending.
            val synced = runSyncOnce(gate, SyncTrigger.MANUAL) { device }
            assertInstanceOf(SyncRunResult.Done::class.java, synced)
            assertTrue(
                describeSyncResult(synced, indonesian).startsWith("Sinkronisasi selesai: 1 presensi diterima server, 0 ditolak"),
                describeSyncResult(synced, indonesian),
            )
            assertEquals(0, buildHomeState(device.history(200u), System.currentTimeMillis()).pendingSyncCount)

            // With the server gone, a scheduled run requests a later retry from JobScheduler.
            stopServer()
            server = null
            device.checkIn(AttendanceKind.CHECK_OUT, listOf(photo("obama3.jpg")), fix)
            val quick = defaultSyncOptions().copy(connectTimeoutMs = 1_000uL, maxAttempts = 1u)
            val offline = runSyncOnce(gate, SyncTrigger.SCHEDULED, quick) { device }
            assertInstanceOf(SyncRunResult.Failed::class.java, offline)
            assertEquals("sync.offline", messageIdOf((offline as SyncRunResult.Failed).error))
            assertEquals(JobOutcome.RESCHEDULE, offline.outcome)
            assertEquals(1, buildHomeState(device.history(200u), System.currentTimeMillis()).pendingSyncCount)
        }
    }

    /** Starts `siperlu server` with a fresh database and returns an enrollment code for [nip]. */
    private fun startServerAndSeedAsn(): String {
        val libraryDir = System.getProperty("jna.library.path") ?: error("jna.library.path is not set")
        val binary = File(libraryDir, "siperlu")
        check(binary.canExecute()) { "${binary.path} is missing; scripts/android-check builds it" }
        val passwordFile = File(folder, "admin-password").apply { writeText("kata-sandi-uji-456") }
        server = ProcessBuilder(
            binary.path, "server",
            "--db", File(folder, "server.db").path,
            "--listen", "127.0.0.1:$port",
            "--admin-password-file", passwordFile.path,
        ).redirectErrorStream(true).redirectOutput(File(folder, "server.log")).start()

        val deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos()
        while (!isHealthy()) {
            check(server?.isAlive == true) { "the server exited: " + File(folder, "server.log").readText() }
            check(System.nanoTime() < deadline) { "the server did not answer /healthz within 60 s" }
            Thread.sleep(200)
        }

        val admin = AdminClient.login(http, baseUrl, "admin", passwordFile.readText())
        val opdId = admin.post("/api/v1/admin/opd", """{"name": "BKPSDM Makassar"}""").number("id")
        val officeId = admin.post(
            "/api/v1/admin/offices",
            """{"code": "bkpsdm-mks", "name": "BKPSDM Kota Makassar", "opd_id": $opdId, "time_zone": "Asia/Makassar",
                "fences": [{"type": "circle", "center": {"lat": $OFFICE_LAT, "lon": $OFFICE_LON}, "radius_m": 150.0}]}""",
        ).number("id")
        admin.post("/api/v1/admin/asn", """{"nip": "$nip", "name": "ASN uji aplikasi", "opd_id": $opdId}""")
        val today = LocalDate.now()
        admin.post(
            "/api/v1/admin/assignments",
            """{"nip": "$nip", "office_id": $officeId, "valid_from": "${today.minusDays(30)}", "valid_until": "${today.plusDays(30)}"}""",
        )
        return admin.post("/api/v1/admin/enrollment-codes", """{"nip": "$nip", "valid_minutes": 60}""").text("code")
    }

    private fun isHealthy(): Boolean = try {
        val request = HttpRequest.newBuilder(URI.create("$baseUrl/healthz")).timeout(Duration.ofSeconds(2)).build()
        http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
    } catch (error: java.io.IOException) {
        false
    }
}
