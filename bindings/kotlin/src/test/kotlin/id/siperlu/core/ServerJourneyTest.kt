package id.siperlu.core

import java.io.File
import java.net.ServerSocket
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.time.LocalDate
import java.util.Collections
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * The whole journey of a phone against the real server. The `siperlu` binary that cargo built
 * beside the library serves on 127.0.0.1 with a fresh database. The test plays the admin
 * through the admin JSON API (an OPD, an office in Makassar, the ASN, the assignment and an
 * enrollment code). The phone then enrolls from real photos, registers, checks in, edits its
 * plan and syncs, and the admin API lists the records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerJourneyTest {
    private val folder = kotlin.io.path.createTempDirectory("siperlu-server").toFile()
    private val port = ServerSocket(0).use { it.localPort }
    private val baseUrl = "http://127.0.0.1:$port"
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
    private lateinit var server: Process
    private lateinit var admin: AdminClient

    @BeforeAll
    fun startServer() {
        val libraryDir = System.getProperty("jna.library.path") ?: error("jna.library.path is not set")
        val binary = File(libraryDir, "siperlu")
        check(binary.canExecute()) { "${binary.path} is missing; scripts/kotlin-bindings test builds it" }
        val passwordFile = File(folder, "admin-password").apply { writeText("kata-sandi-uji-123") }
        server = ProcessBuilder(
            binary.path, "server",
            "--db", File(folder, "server.db").path,
            "--listen", "127.0.0.1:$port",
            "--admin-password-file", passwordFile.path,
        ).redirectErrorStream(true).redirectOutput(File(folder, "server.log")).start()

        val deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos()
        while (!healthy()) {
            check(server.isAlive) { "the server exited: " + File(folder, "server.log").readText() }
            check(System.nanoTime() < deadline) { "the server did not answer /healthz within 60 s" }
            Thread.sleep(200)
        }
        admin = AdminClient.login(http, baseUrl, "admin", passwordFile.readText())
    }

    @AfterAll
    fun stopServer() {
        if (::server.isInitialized) {
            server.destroy()
            server.waitFor()
        }
    }

    private fun healthy(): Boolean = try {
        val request = HttpRequest.newBuilder(URI.create("$baseUrl/healthz")).timeout(Duration.ofSeconds(2)).build()
        http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
    } catch (error: java.io.IOException) {
        false
    }

    /** An OPD, the office `code` around the test point, and the ASN assigned to it; returns a code. */
    private fun seedAsn(code: String, nip: String): String {
        val opdId = admin.post("/api/v1/admin/opd", """{"name": "BKPSDM $code"}""").number("id")
        val officeId = admin.post(
            "/api/v1/admin/offices",
            """{"code": "$code", "name": "BKPSDM Kota Makassar", "opd_id": $opdId, "time_zone": "Asia/Makassar",
                "fences": [{"type": "circle", "center": {"lat": $OFFICE_LAT, "lon": $OFFICE_LON}, "radius_m": 150.0}]}""",
        ).number("id")
        admin.post("/api/v1/admin/asn", """{"nip": "$nip", "name": "ASN uji", "opd_id": $opdId}""")
        val today = LocalDate.now()
        admin.post(
            "/api/v1/admin/assignments",
            """{"nip": "$nip", "office_id": $officeId, "valid_from": "${today.minusDays(30)}", "valid_until": "${today.plusDays(30)}"}""",
        )
        return admin.post("/api/v1/admin/enrollment-codes", """{"nip": "$nip", "valid_minutes": 60}""").text("code")
    }

    @Test
    fun registerCheckInPlanAndSync() {
        val code = seedAsn("bkpsdm-mks", TEST_NIP)
        val device = openPhone()
        device.setNip(TEST_NIP)
        device.enrollFace(listOf(photo("obama.jpg"), photo("obama2.jpg"), photo("32bit.png")))

        // A wrong code is the server's typed refusal, with its own catalog id.
        val wrong = assertThrows(SiperluException.Network::class.java) {
            device.register(baseUrl, "ZZZZ-ZZZZ", null)
        }
        assertEquals("api.enrollment_code_invalid", wrong.messageId, wrong.reason)

        val registered = device.register(baseUrl, code, null)
        assertEquals(device.identity().deviceId, registered.deviceId)
        assertEquals(listOf("bkpsdm-mks"), registered.config.offices.map { it.id })
        assertEquals("WITA", registered.config.homeZone)
        assertEquals(baseUrl, device.registration()?.serverUrl)
        assertNotNull(device.currentConfig())

        val accepted = device.checkIn(AttendanceKind.CHECK_IN, listOf(photo("obama3.jpg")), fixNorthOfOffice(20.0))
        assertEquals(CheckInStatus.ACCEPTED, accepted.status, accepted.reasons.toString())
        val rejected = device.checkIn(AttendanceKind.CHECK_IN, listOf(photo("biden.jpg")), fixNorthOfOffice(20.0))
        assertEquals(CheckInStatus.REJECTED, rejected.status)
        assertTrue(rejected.reasons.any { it.id == "face.no_match" })
        device.setTodayPlan(listOf(PlanItem("Pelayanan kenaikan pangkat", "20 berkas", null, PlanStatus.PLANNED, "")))
        device.markPlanItem(0u, PlanStatus.DONE, "")
        assertTrue(device.history(10u).all { it.syncState == SyncState.PENDING })

        val states = Collections.synchronizedList(mutableListOf<Pair<String, SyncState>>())
        val listener = object : SyncListener {
            override fun recordStateChanged(recordId: String, state: SyncState) {
                states.add(recordId to state)
            }
        }
        val report = device.syncNow(null, listener)
        assertEquals(2u, report.accepted, report.toString())
        assertTrue(report.rejected.isEmpty(), report.toString())
        assertEquals(2u, report.plansPushed, report.toString())
        assertNotNull(report.anchorServerTimeMs)
        assertNotNull(report.configIssuedAtMs)

        // Each record went pending → sent → acknowledged, and the history shows it.
        for (recordId in listOf(accepted.recordId, rejected.recordId)) {
            assertEquals(
                listOf(SyncState.SENT, SyncState.ACKNOWLEDGED),
                states.filter { it.first == recordId }.map { it.second },
                "states of $recordId",
            )
        }
        assertTrue(device.history(10u).all { it.syncState == SyncState.ACKNOWLEDGED })

        // The admin API lists both records, and a second sync uploads nothing.
        val listed = admin.get("/api/v1/admin/checkins")
        assertTrue(listed.contains(accepted.recordId), listed)
        assertTrue(listed.contains(rejected.recordId), listed)
        assertEquals(0u, device.syncNow(null, null).accepted)

        // With the server's time anchor stored, the next check-in takes its time from it.
        val anchored = device.checkIn(AttendanceKind.CHECK_OUT, listOf(photo("obama3.jpg")), fixNorthOfOffice(20.0))
        assertEquals(TimeSource.SERVER_ANCHOR, anchored.timeSource)
    }

    @Test
    fun syncErrorsAreTyped() {
        val device = openPhone()
        device.setNip("198503152010011003")
        val notRegistered = assertThrows(SiperluException.NotReady::class.java) { device.syncNow(null, null) }
        assertEquals("sync.not_registered", notRegistered.messageId)

        assertThrows(SiperluException.InvalidInput::class.java) { device.register("ftp://example", "X", null) }

        // Nothing listens on this port: one quick attempt, then a Network error.
        val closedPort = ServerSocket(0).use { it.localPort }
        val options = defaultSyncOptions().copy(connectTimeoutMs = 1_000uL, maxAttempts = 1u)
        device.enrollFace(listOf(photo("obama.jpg"), photo("obama2.jpg"), photo("32bit.png")))
        val offline = assertThrows(SiperluException.Network::class.java) {
            device.register("http://127.0.0.1:$closedPort", "ABCD-EFGH", options)
        }
        assertEquals("sync.offline", offline.messageId)
    }
}

/** The admin JSON API, logged in with a session cookie and its CSRF token. */
class AdminClient private constructor(
    private val http: HttpClient,
    private val baseUrl: String,
    private val cookie: String,
    private val csrfToken: String,
) {
    fun post(path: String, json: String): Reply {
        val request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("cookie", cookie).header("x-csrf-token", csrfToken).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 201) { "POST $path answered ${response.statusCode()}: ${response.body()}" }
        return Reply(response.body())
    }

    fun get(path: String): String {
        val request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("cookie", cookie).GET().build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 200) { "GET $path answered ${response.statusCode()}: ${response.body()}" }
        return response.body()
    }

    /** A JSON response body. The test finds its few fields by name, without a JSON library. */
    class Reply(val body: String) {
        fun number(field: String): Long =
            Regex("\"$field\"\\s*:\\s*(\\d+)").find(body)?.groupValues?.get(1)?.toLong() ?: error("no $field in $body")

        fun text(field: String): String =
            Regex("\"$field\"\\s*:\\s*\"([^\"]*)\"").find(body)?.groupValues?.get(1) ?: error("no $field in $body")
    }

    companion object {
        fun login(http: HttpClient, baseUrl: String, username: String, password: String): AdminClient {
            val request = HttpRequest.newBuilder(URI.create("$baseUrl/api/v1/admin/session"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""{"username": "$username", "password": "$password"}"""))
                .build()
            val response = http.send(request, HttpResponse.BodyHandlers.ofString())
            check(response.statusCode() in 200..299) { "login answered ${response.statusCode()}: ${response.body()}" }
            val cookie = response.headers().firstValue("set-cookie").orElseThrow().substringBefore(';')
            return AdminClient(http, baseUrl, cookie, Reply(response.body()).text("csrf_token"))
        }
    }
}
