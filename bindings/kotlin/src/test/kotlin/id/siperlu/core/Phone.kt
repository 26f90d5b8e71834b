package id.siperlu.core

import java.io.ByteArrayOutputStream
import java.io.File
import java.nio.ByteBuffer
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.SecureRandom
import java.security.Signature
import java.util.UUID
import java.util.concurrent.atomic.AtomicLong
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/*
 * What a phone supplies to the Rust core, written in Kotlin as the Android app will write it,
 * and the helpers the JVM tests share. A phone's Keystore, camera, GPS and clocks cannot exist
 * on the JVM, so the tests mock them: AesGcmKeyVault replaces the Android Keystore, photo files
 * replace camera frames, LocationFix values replace GPS fixes, and TestClock replaces the
 * Android clocks.
 */

/** NIP of the test ASN; 18 digits, as the activation screen takes it. */
const val TEST_NIP = "198503152010011002"

/** Centre of the test office's 100 m fence in Makassar (WITA). */
const val OFFICE_LAT = -5.1477
const val OFFICE_LON = 119.4327

/** The repository root, passed by Maven as the system property `siperlu.repo.root`. */
val repoRoot: File by lazy {
    File(System.getProperty("siperlu.repo.root")?.takeIf { it.isNotBlank() } ?: "../..").canonicalFile
}

/** Reads a test photo from the asset cache that scripts/setup fills. */
fun photo(name: String): ByteArray {
    val file = File(repoRoot, ".cache/photos/face_recognition/$name")
    check(file.isFile) { "test photo ${file.path} is missing; run scripts/setup" }
    return file.readBytes()
}

/** Returns the paths of the face models and ONNX Runtime in the developer cache. */
fun modelPaths(): FaceModelPaths {
    val cache = File(repoRoot, ".cache")
    return FaceModelPaths(
        manifestPath = File(repoRoot, "models/manifest.toml").path,
        modelsDir = File(cache, "models").path,
        onnxruntimeLibrary = File(cache, "onnxruntime/libonnxruntime.so.1.32.0").path,
    )
}

/**
 * The key vault in Kotlin, standing in for the Android Keystore: an AES-256-GCM key held in
 * memory by javax.crypto. On the phone the key is generated inside the Keystore
 * (`KeyGenParameterSpec` with `PURPOSE_ENCRYPT or PURPOSE_DECRYPT`) and never leaves it. The
 * blob layout (a 12-byte IV, then the ciphertext with its 16-byte tag) stays the same.
 */
class AesGcmKeyVault(private val key: SecretKey = newKey()) : KeyVault {
    private val random = SecureRandom()
    val wrapCount = AtomicLong()

    override fun wrap(plaintext: ByteArray): ByteArray {
        val iv = ByteArray(IV_BYTES).also(random::nextBytes)
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(TAG_BITS, iv))
        wrapCount.incrementAndGet()
        return iv + cipher.doFinal(plaintext)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        if (wrapped.size < IV_BYTES + TAG_BITS / 8) {
            throw SiperluException.Device("device.storage", "wrapped secret of ${wrapped.size} bytes is too short")
        }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES))
        try {
            return cipher.doFinal(wrapped, IV_BYTES, wrapped.size - IV_BYTES)
        } catch (error: javax.crypto.AEADBadTagException) {
            throw SiperluException.Device("device.storage", "wrapped secret does not open with this vault key")
        }
    }

    companion object {
        private const val IV_BYTES = 12
        private const val TAG_BITS = 128

        fun newKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    }
}

/**
 * The Android clocks in Kotlin: on the phone `System.currentTimeMillis()`,
 * `SystemClock.elapsedRealtime()` and the boot count. Here the wall clock is the JVM's, the
 * elapsed clock counts from an arbitrary boot an hour ago, and a test can set the wall clock
 * off, as an ASN can in the phone's settings.
 */
class TestClock(val bootId: String = UUID.randomUUID().toString()) : PlatformClock {
    private val startNanos = System.nanoTime()
    val wallShiftMs = AtomicLong()

    override fun wallClockMs(): Long = System.currentTimeMillis() + wallShiftMs.get()

    override fun elapsedSinceBootMs(): Long = 3_600_000 + (System.nanoTime() - startNanos) / 1_000_000

    override fun bootId(): String = bootId
}

/** Builds a fix `northM` metres north of the office centre, taken now by the fused provider. */
fun fixNorthOfOffice(northM: Double, isMock: Boolean = false): LocationFix =
    locationFixFromDegrees(OFFICE_LAT + northM / 110_574.0, OFFICE_LON, 8.0, System.currentTimeMillis(), "fused", isMock)

/**
 * Signs configurations as the server does, with the JDK's Ed25519: the `SPSE` envelope of
 * docs/PROTOCOL.md (magic, u16 version, u32-length key id, u32-length payload, then the
 * signature of every byte before it). Used by the tests that run without a server.
 */
class EnvelopeSigner(val keyId: String = "server-test") {
    private val keyPair: KeyPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair()

    /** The raw 32-byte public key: the last 32 bytes of its X.509 encoding. */
    val publicKey: ByteArray = keyPair.public.encoded.takeLast(32).toByteArray()

    fun sign(payload: ByteArray): ByteArray {
        val keyIdBytes = keyId.toByteArray(Charsets.UTF_8)
        val signedPart = ByteArrayOutputStream().apply {
            write("SPSE".toByteArray(Charsets.US_ASCII))
            write(ByteBuffer.allocate(2).putShort(1).array())
            write(ByteBuffer.allocate(4).putInt(keyIdBytes.size).array())
            write(keyIdBytes)
            write(ByteBuffer.allocate(4).putInt(payload.size).array())
            write(payload)
        }.toByteArray()
        val signature = Signature.getInstance("Ed25519").apply {
            initSign(keyPair.private)
            update(signedPart)
        }.sign()
        return signedPart + signature
    }
}

/** Builds the configuration document for one office in Makassar, as the server issues it. */
fun officeConfig(deviceId: String, issuedAtMs: Long = System.currentTimeMillis()): ByteArray =
    """
    {"format": 1, "issued_at_ms": $issuedAtMs, "device_id": "$deviceId", "nip": "$TEST_NIP",
     "assignment": {"offices": [{"id": "bkpsdm-makassar", "name": "BKPSDM Kota Makassar",
       "time_zone": "WITA", "fences": [{"type": "circle",
         "center": {"lat": $OFFICE_LAT, "lon": $OFFICE_LON}, "radius_m": 100}]}]},
     "plan_cutoff": "23:59"}
    """.trimIndent().toByteArray(Charsets.UTF_8)

/** Opens a device in a new temp folder with a Kotlin vault and clock. */
fun openPhone(
    vault: KeyVault = AesGcmKeyVault(),
    clock: PlatformClock = TestClock(),
    folder: File = kotlin.io.path.createTempDirectory("siperlu-phone").toFile(),
): SiperluDevice = SiperluDevice.open(folder.path, modelPaths(), vault, clock)
