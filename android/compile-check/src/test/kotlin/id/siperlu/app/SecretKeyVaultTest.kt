package id.siperlu.app

import id.siperlu.core.PlatformClock
import id.siperlu.core.SiperluDevice
import id.siperlu.core.SiperluException
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * The key vault's wrapping format. The Android Keystore cannot exist on the JVM, so a software
 * AES-256 key from javax.crypto replaces the Keystore key. The cipher calls are the same.
 */
class SecretKeyVaultTest {
    private fun newKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

    private fun vaultWith(key: SecretKey) = SecretKeyVault { key }

    private val secret = "device signing key seed, 32 byte".toByteArray()

    @Test
    fun roundTrip() {
        val vault = vaultWith(newKey())
        assertArrayEquals(secret, vault.unwrap(vault.wrap(secret)))
    }

    @Test
    fun blobLayout() {
        val blob = vaultWith(newKey()).wrap(secret)
        assertEquals(1, blob[0].toInt(), "format version")
        assertEquals(12, blob[1].toInt(), "IV length")
        assertEquals(2 + 12 + secret.size + 16, blob.size)
    }

    @Test
    fun freshIvEachWrap() {
        val vault = vaultWith(newKey())
        val first = vault.wrap(secret)
        val second = vault.wrap(secret)
        assertFalse(first.copyOfRange(2, 14).contentEquals(second.copyOfRange(2, 14)))
    }

    @Test
    fun changedByteIsRejected() {
        val vault = vaultWith(newKey())
        val blob = vault.wrap(secret)
        for (index in listOf(5, 20, blob.size - 1)) {
            val changed = blob.copyOf().also { it[index] = (it[index].toInt() xor 1).toByte() }
            val error = assertThrows(SiperluException.Device::class.java) { vault.unwrap(changed) }
            assertEquals("device.storage", error.messageId, "byte $index changed")
        }
    }

    @Test
    fun otherKeyIsRejected() {
        val blob = vaultWith(newKey()).wrap(secret)
        val error = assertThrows(SiperluException.Device::class.java) {
            vaultWith(newKey()).unwrap(blob)
        }
        assertEquals("device.storage", error.messageId)
    }

    @Test
    fun shortOrForeignBlobIsRejected() {
        val vault = vaultWith(newKey())
        assertThrows(SiperluException.Device::class.java) { vault.unwrap(ByteArray(29)) }
        val otherVersion = vault.wrap(secret).also { it[0] = 2 }
        val error = assertThrows(SiperluException.Device::class.java) { vault.unwrap(otherVersion) }
        assertEquals(true, error.reason.contains("format 2"), error.reason)
    }

    /** The real core stores its device key through this vault and opens it again only with the same key. */
    @Test
    fun deviceReopensOnlyWithSameKey(@TempDir dataDir: Path) {
        val key = newKey()
        val clock = object : PlatformClock {
            override fun wallClockMs() = System.currentTimeMillis()
            override fun elapsedSinceBootMs() = 3_600_000L
            override fun bootId() = "boot-count:1"
        }

        val firstId = SiperluDevice.open(dataDir.toString(), modelPaths(), SecretKeyVault { key }, clock).use { it.identity().deviceId }
        val againId = SiperluDevice.open(dataDir.toString(), modelPaths(), SecretKeyVault { key }, clock).use { it.identity().deviceId }
        assertEquals(firstId, againId)

        val error = assertThrows(SiperluException.Device::class.java) {
            SiperluDevice.open(dataDir.toString(), modelPaths(), vaultWith(newKey()), clock).use { it.identity() }
        }
        assertEquals("device.storage", error.messageId)
    }
}
