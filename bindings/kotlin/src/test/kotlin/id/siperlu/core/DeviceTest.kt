package id.siperlu.core

import java.util.Collections
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * The device API from Kotlin, through the generated bindings and the real native library: real
 * face models on real photos, a real SQLite store in a temp folder, a Kotlin key vault and
 * clock. obama.jpg, obama2.jpg, obama3.jpg and 32bit.png show person A, biden.jpg person B.
 * The server's role (signing the configuration) is played by the JDK's Ed25519 here;
 * ServerJourneyTest runs the same steps against the real server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceTest {
    private val logLines: MutableList<String> = Collections.synchronizedList(mutableListOf())

    @BeforeAll
    fun setUpLogging() {
        // One subscriber per process: a second call reports false and changes nothing.
        val sink = object : LogSink {
            override fun log(level: LogLevel, target: String, message: String) {
                logLines.add("$level $target $message")
            }
        }
        setupLogging(sink, LogLevel.INFO)
        assertFalse(setupLogging(sink, LogLevel.TRACE), "logging is set up once per process")
    }

    /** Opens a phone with the NIP set, person A enrolled and the office configuration stored. */
    private fun readyPhone(clock: TestClock = TestClock()): SiperluDevice {
        val device = openPhone(clock = clock)
        device.setNip(TEST_NIP)
        val enrolled = device.enrollFace(listOf(photo("obama.jpg"), photo("obama2.jpg"), photo("32bit.png")))
        assertEquals(3u, enrolled.photoCount)
        assertEquals(enrolled.templateId, device.enrolledTemplateId())

        val signer = EnvelopeSigner()
        device.pinServerKey(signer.keyId, signer.publicKey)
        val config = device.saveConfig(signer.sign(officeConfig(device.identity().deviceId)))
        assertEquals("WITA", config.homeZone)
        assertEquals(listOf("bkpsdm-makassar"), config.offices.map { it.id })
        return device
    }

    @Test
    fun checkInJudgesFaceAndFence() {
        val device = readyPhone()

        val accepted = device.checkIn(AttendanceKind.CHECK_IN, listOf(photo("obama3.jpg")), fixNorthOfOffice(10.0))
        assertEquals(CheckInStatus.ACCEPTED, accepted.status, accepted.reasons.toString())
        assertEquals("Presensi diterima", accepted.headline.textId)
        assertEquals(GeofenceVerdict.INSIDE, accepted.geofence)
        assertEquals("bkpsdm-makassar", accepted.officeId)
        assertEquals("BKPSDM Kota Makassar", accepted.officeName)
        assertEquals(0.0, accepted.distanceM)
        assertEquals("WITA", accepted.zone)
        assertTrue(accepted.faceMatched)
        assertEquals(1uL, accepted.sequence)
        assertTrue(Regex("\\d{4}-\\d{2}-\\d{2}").matches(accepted.attendanceDay), accepted.attendanceDay)
        // No server time anchor exists yet, so the time is the phone's wall clock.
        assertEquals(TimeSource.WALL_CLOCK, accepted.timeSource)

        val rejected = device.checkIn(AttendanceKind.CHECK_IN, listOf(photo("biden.jpg")), fixNorthOfOffice(10.0))
        assertEquals(CheckInStatus.REJECTED, rejected.status)
        assertFalse(rejected.faceMatched)
        val noMatch = rejected.reasons.single { it.id == "face.no_match" }
        assertTrue(noMatch.textId.isNotBlank(), noMatch.toString())
        assertTrue(noMatch.textId != noMatch.textEn, noMatch.toString())

        // Person A 1 km north: recorded, rejected by the fence, with the distance shown.
        val outside = device.checkIn(AttendanceKind.CHECK_OUT, listOf(photo("obama3.jpg")), fixNorthOfOffice(1_000.0))
        assertEquals(CheckInStatus.REJECTED, outside.status)
        assertEquals(GeofenceVerdict.OUTSIDE, outside.geofence)
        assertTrue(outside.distanceM in 850.0..950.0, "distance ${outside.distanceM} m")
        assertTrue(outside.reasons.any { it.id == "geofence.outside" })

        // The history lists all three, newest first, none uploaded yet.
        val history = device.history(10u)
        assertEquals(listOf(3uL, 2uL, 1uL), history.map { it.sequence })
        assertEquals(listOf(CheckInStatus.REJECTED, CheckInStatus.REJECTED, CheckInStatus.ACCEPTED), history.map { it.status })
        assertEquals(accepted.recordId, history.last().recordId)
        assertTrue(history.all { it.syncState == SyncState.PENDING })
        assertEquals(480.toShort(), history.last().zoneOffsetMinutes)
        assertTrue(history[1].reasons.any { it.id == "face.no_match" })
        assertEquals(1, device.history(1u).size)
    }

    @Test
    fun garbageSelfieIsATypedError() {
        val device = readyPhone()
        val garbage = ByteArray(4096) { (it * 31 + 7).toByte() }

        val error = assertThrows(SiperluException.InvalidInput::class.java) {
            device.checkIn(AttendanceKind.CHECK_IN, listOf(garbage), fixNorthOfOffice(0.0))
        }
        assertEquals("device.invalid_photo", error.messageId)
        assertEquals("Foto tidak dapat dibaca. Ambil foto lagi.", messageText(error.messageId, "id-ID"))

        assertThrows(SiperluException.InvalidInput::class.java) {
            device.checkIn(AttendanceKind.CHECK_IN, listOf(), fixNorthOfOffice(0.0))
        }
        // Three different unreadable files, so that the duplicate-photo check does not answer first.
        val otherGarbage = garbage.copyOf().also { it[0] = 1 }
        val thirdGarbage = garbage.copyOf().also { it[0] = 2 }
        assertThrows(SiperluException.InvalidInput::class.java) {
            device.enrollFace(listOf(garbage, otherGarbage, thirdGarbage))
        }
        assertTrue(device.history(10u).isEmpty(), "a malformed attempt records nothing")
    }

    @Test
    fun badInputIsTypedNeverAPanic() {
        val device = openPhone()

        assertThrows(SiperluException.InvalidInput::class.java) { device.setNip("12345") }
        val notReady = assertThrows(SiperluException.NotReady::class.java) { device.enrollFace(listOf(photo("obama.jpg"))) }
        assertEquals("device.no_nip", notReady.messageId)

        device.setNip(TEST_NIP)
        assertThrows(SiperluException.NotReady::class.java) {
            device.checkIn(AttendanceKind.CHECK_IN, listOf(photo("obama3.jpg")), fixNorthOfOffice(0.0))
        }
        assertThrows(SiperluException.InvalidInput::class.java) {
            locationFixFromDegrees(119.4, -5.1, 8.0, 0, "gps", false)
        }
        assertThrows(SiperluException.InvalidInput::class.java) {
            locationFixFromDegrees(-5.1, 119.4, Double.NaN, 0, "gps", false)
        }

        // A configuration before any key is pinned, a garbage one, and one signed by another key.
        val config = officeConfig(device.identity().deviceId)
        assertThrows(SiperluException.Rejected::class.java) { device.saveConfig(EnvelopeSigner().sign(config)) }
        val signer = EnvelopeSigner()
        device.pinServerKey(signer.keyId, signer.publicKey)
        assertThrows(SiperluException.Rejected::class.java) { device.saveConfig(ByteArray(7)) }
        assertThrows(SiperluException.Rejected::class.java) { device.saveConfig(EnvelopeSigner(signer.keyId).sign(config)) }
        assertNull(device.currentConfig())
        assertNotNull(device.saveConfig(signer.sign(config)))
        assertThrows(SiperluException.Rejected::class.java) {
            device.saveConfig(signer.sign(officeConfig(device.identity().deviceId, issuedAtMs = 1_000)))
        }
        assertThrows(SiperluException.Rejected::class.java) { device.pinServerKey("short", ByteArray(5)) }
    }

    @Test
    fun todaysPlanIsEditedAndMarkedDone() {
        val device = readyPhone()
        val empty = device.todayPlan()
        assertEquals(0u, empty.revision)
        assertEquals("23:59", empty.cutoff)

        val saved = device.setTodayPlan(
            listOf(
                PlanItem("Verifikasi berkas kenaikan pangkat", "12 berkas diverifikasi", PlanWindow(480u, 720u), PlanStatus.PLANNED, ""),
                PlanItem("Rapat koordinasi OPD", "Notulen rapat", null, PlanStatus.PLANNED, ""),
            ),
        )
        assertEquals(1u, saved.revision)
        assertEquals(empty.day, saved.day)

        val marked = device.markPlanItem(0u, PlanStatus.DONE, "Selesai pukul 11.00")
        assertEquals(2u, marked.revision)
        assertEquals(PlanStatus.DONE, marked.items[0].status)
        assertEquals("Selesai pukul 11.00", marked.items[0].note)
        assertEquals(PlanStatus.PLANNED, marked.items[1].status)
        assertEquals(marked, device.todayPlan())

        val blank = assertThrows(SiperluException.InvalidInput::class.java) {
            device.setTodayPlan(listOf(PlanItem("  ", "", null, PlanStatus.PLANNED, "")))
        }
        assertEquals("plan.empty_title", blank.messageId)
        assertThrows(SiperluException.InvalidInput::class.java) { device.markPlanItem(9u, PlanStatus.DONE, "") }
    }

    @Test
    fun storeReopensWithTheSameVaultOnly() {
        val folder = kotlin.io.path.createTempDirectory("siperlu-reopen").toFile()
        val vault = AesGcmKeyVault()
        val first = openPhone(vault = vault, folder = folder)
        val deviceId = first.identity().deviceId
        first.setNip(TEST_NIP)
        first.enrollFace(listOf(photo("obama.jpg"), photo("obama2.jpg"), photo("32bit.png")))
        val signer = EnvelopeSigner()
        first.pinServerKey(signer.keyId, signer.publicKey)
        first.saveConfig(signer.sign(officeConfig(deviceId)))
        assertTrue(vault.wrapCount.get() >= 2, "the device key and the template are wrapped by the Kotlin vault")
        first.close()

        val again = openPhone(vault = vault, folder = folder)
        assertEquals(deviceId, again.identity().deviceId)
        assertEquals(TEST_NIP, again.registration()?.nip)
        assertNotNull(again.enrolledTemplateId())
        assertEquals(CheckInStatus.ACCEPTED, again.checkIn(AttendanceKind.CHECK_IN, listOf(photo("obama3.jpg")), fixNorthOfOffice(0.0)).status)
        again.close()

        // Another Keystore key (a reinstalled app, a wiped Keystore) cannot unwrap the stored
        // template or device key: a typed error the app shows, not a crash.
        // Opening the store checks the vault, so the error comes before anything is written.
        val error = assertThrows(SiperluException.Device::class.java) {
            openPhone(vault = AesGcmKeyVault(), folder = folder)
        }
        assertEquals("device.storage", error.messageId)
        val owner = openPhone(vault = vault, folder = folder)
        assertEquals(1, owner.history(10u).size, "the refused open recorded nothing")
        owner.close()
    }

    @Test
    fun platformCallbackFailuresAreTyped() {
        // A vault that throws an undeclared exception (a Keystore bug) becomes a Device error.
        val folder = kotlin.io.path.createTempDirectory("siperlu-broken-vault").toFile()
        val vault = AesGcmKeyVault()
        val first = openPhone(vault = vault, folder = folder)
        first.setNip(TEST_NIP)
        first.enrollFace(listOf(photo("obama.jpg"), photo("obama2.jpg"), photo("32bit.png")))
        val signer = EnvelopeSigner()
        first.pinServerKey(signer.keyId, signer.publicKey)
        first.saveConfig(signer.sign(officeConfig(first.identity().deviceId)))
        first.close()
        val broken = object : KeyVault {
            override fun wrap(plaintext: ByteArray): ByteArray = vault.wrap(plaintext)
            override fun unwrap(wrapped: ByteArray): ByteArray = throw IllegalStateException("keystore unavailable")
        }
        val error = assertThrows(SiperluException.Device::class.java) {
            openPhone(vault = broken, folder = folder)
        }
        assertEquals("device.storage", error.messageId)

        // A clock whose boot id throws still lets the ASN check in, on the wall clock.
        val clock = object : PlatformClock {
            val inner = TestClock()
            override fun wallClockMs(): Long = inner.wallClockMs()
            override fun elapsedSinceBootMs(): Long = inner.elapsedSinceBootMs()
            override fun bootId(): String = throw SiperluException.Device("device.storage", "boot count unreadable")
        }
        val phone = openPhone(vault = vault, clock = clock, folder = folder)
        val result = phone.checkIn(AttendanceKind.CHECK_IN, listOf(photo("obama3.jpg")), fixNorthOfOffice(0.0))
        assertEquals(CheckInStatus.ACCEPTED, result.status, result.reasons.toString())
        assertEquals(TimeSource.WALL_CLOCK, result.timeSource)
    }

    @Test
    fun logsCarryIdsButNeverTheNip() {
        val device = readyPhone()
        device.checkIn(AttendanceKind.CHECK_IN, listOf(photo("obama3.jpg")), fixNorthOfOffice(0.0))
        val lines = synchronized(logLines) { logLines.toList() }
        assertTrue(lines.any { it.contains("face enrolled") }, lines.joinToString("\n"))
        assertTrue(lines.none { it.contains(TEST_NIP) }, "a log line holds the NIP")
    }
}
