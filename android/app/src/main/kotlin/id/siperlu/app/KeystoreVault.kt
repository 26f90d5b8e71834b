/*
 * The AES key of the device's key vault, generated inside the Android Keystore. The key is
 * not exportable: the app can encrypt and decrypt with it through the Keystore but never reads
 * its bytes. A copy of the app's database is therefore useless on another phone.
 * SecretKeyVault does the wrapping with it.
 */
package id.siperlu.app

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.security.KeyStore
import java.security.ProviderException
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/** Loads or creates the vault key in the `AndroidKeyStore` provider. */
object KeystoreVaultKey {
    private const val PROVIDER = "AndroidKeyStore"

    /** Alias of the key; a new alias would make every wrapped secret unreadable. */
    const val ALIAS = "siperlu.key-vault.v1"

    @Volatile
    private var cached: SecretKey? = null

    /** Returns the vault key, generating it on first use (StrongBox when the phone has one). */
    @Synchronized
    fun load(): SecretKey {
        cached?.let { return it }
        val store = KeyStore.getInstance(PROVIDER).apply { load(null) }
        val key = (store.getKey(ALIAS, null) as? SecretKey) ?: generate()
        cached = key
        return key
    }

    private fun generate(): SecretKey {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            try {
                return generate(strongBox = true)
            } catch (error: ProviderException) {
                // StrongBoxUnavailableException (API 28) extends ProviderException: most
                // low-end phones have no StrongBox chip, and the TEE-backed key is used instead.
            }
        }
        return generate(strongBox = false)
    }

    private fun generate(strongBox: Boolean): SecretKey {
        val builder = KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
        if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            builder.setIsStrongBoxBacked(true)
        }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER)
        generator.init(builder.build())
        return generator.generateKey()
    }
}
