/*
 * The key vault the core stores the device's secrets through: the Ed25519 signing key and the
 * face template are kept in SQLite only after this vault has wrapped them. On the phone the AES
 * key lives in the Android Keystore (see KeystoreVault.kt) and never leaves it. The wrapping
 * here is plain javax.crypto, so the JVM tests run it with a software key.
 *
 * Wrapped blob, version 1:
 *
 *     byte 0        format version (1)
 *     byte 1        IV length in bytes (12)
 *     bytes 2..13   the GCM IV, chosen by the cipher
 *     rest          AES-GCM ciphertext followed by its 16-byte tag
 *
 * The version byte and the IV length are bound to the tag as associated data, together with a
 * fixed label, so a blob cannot be replayed as another format.
 */
package id.siperlu.app

import id.siperlu.core.KeyVault
import id.siperlu.core.SiperluException
import java.security.GeneralSecurityException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/** Wraps secrets with an AES-GCM key that [loadKey] returns (a Keystore key on the phone). */
class SecretKeyVault(private val loadKey: () -> SecretKey) : KeyVault {

    override fun wrap(plaintext: ByteArray): ByteArray {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        try {
            // No IV is passed: the Android Keystore requires the cipher to choose it, and the
            // JDK's provider does the same when none is given.
            cipher.init(Cipher.ENCRYPT_MODE, loadKey())
        } catch (error: GeneralSecurityException) {
            throw SiperluException.Device("device.storage", "the vault key cannot encrypt: ${error.javaClass.simpleName}")
        }
        val iv = cipher.iv
        if (iv == null || iv.size != IV_BYTES) {
            throw SiperluException.Device("device.storage", "the vault cipher chose a ${iv?.size ?: 0}-byte IV; expected $IV_BYTES")
        }
        cipher.updateAAD(associatedData())
        val sealed = cipher.doFinal(plaintext)
        return byteArrayOf(FORMAT_VERSION, IV_BYTES.toByte()) + iv + sealed
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        if (wrapped.size < HEADER_BYTES + IV_BYTES + TAG_BYTES) {
            throw SiperluException.Device(
                "device.storage",
                "wrapped secret of ${wrapped.size} bytes is shorter than the ${HEADER_BYTES + IV_BYTES + TAG_BYTES}-byte minimum",
            )
        }
        if (wrapped[0] != FORMAT_VERSION || wrapped[1].toInt() != IV_BYTES) {
            throw SiperluException.Device(
                "device.storage",
                "wrapped secret has format ${wrapped[0]} with a ${wrapped[1]}-byte IV; this app reads format $FORMAT_VERSION with $IV_BYTES",
            )
        }

        val cipher = Cipher.getInstance(TRANSFORMATION)
        try {
            cipher.init(Cipher.DECRYPT_MODE, loadKey(), GCMParameterSpec(TAG_BYTES * 8, wrapped, HEADER_BYTES, IV_BYTES))
            cipher.updateAAD(associatedData())
            return cipher.doFinal(wrapped, HEADER_BYTES + IV_BYTES, wrapped.size - HEADER_BYTES - IV_BYTES)
        } catch (error: AEADBadTagException) {
            throw SiperluException.Device("device.storage", "wrapped secret was changed or wrapped by another vault key")
        } catch (error: GeneralSecurityException) {
            throw SiperluException.Device("device.storage", "the vault key cannot decrypt: ${error.javaClass.simpleName}")
        }
    }

    private fun associatedData(): ByteArray = LABEL + byteArrayOf(FORMAT_VERSION, IV_BYTES.toByte())

    companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val FORMAT_VERSION: Byte = 1
        const val HEADER_BYTES = 2
        const val IV_BYTES = 12
        const val TAG_BYTES = 16
        private val LABEL = "siperlu-key-vault".toByteArray(Charsets.US_ASCII)
    }
}
