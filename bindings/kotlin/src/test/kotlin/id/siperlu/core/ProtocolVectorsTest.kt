package id.siperlu.core

import java.io.File
import java.security.KeyFactory
import java.security.MessageDigest
import java.security.Signature
import java.security.spec.X509EncodedKeySpec
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The test vectors of docs/PROTOCOL.md, verified with the JDK's own Ed25519 (Java 15 and later)
 * rather than the Rust library: what the Android shell or a Java server would do with a record.
 */
class ProtocolVectorsTest {
    private val document: String by lazy {
        val root = System.getProperty("siperlu.repo.root")?.takeIf { it.isNotBlank() } ?: "../.."
        File(root, "docs/PROTOCOL.md").readText()
    }

    /** Returns the hex blocks labelled `label` (` ```hex label `) in document order. */
    private fun hexBlocks(label: String): List<ByteArray> {
        val pattern = Regex("```hex $label\\n(.*?)```", RegexOption.DOT_MATCHES_ALL)
        return pattern.findAll(document).map { match -> hexToBytes(match.groupValues[1]) }.toList()
    }

    private fun hexToBytes(text: String): ByteArray {
        val digits = text.filterNot { it.isWhitespace() }
        return ByteArray(digits.length / 2) { index -> digits.substring(index * 2, index * 2 + 2).toInt(16).toByte() }
    }

    /** Wraps a raw 32-byte Ed25519 public key in the X.509 SubjectPublicKeyInfo the JDK reads. */
    private fun publicKey(raw: ByteArray) =
        KeyFactory.getInstance("Ed25519").generatePublic(
            X509EncodedKeySpec(hexToBytes("302a300506032b6570032100") + raw),
        )

    private fun verifies(publicKey: ByteArray, message: ByteArray, signature: ByteArray): Boolean {
        val verifier = Signature.getInstance("Ed25519")
        verifier.initVerify(publicKey(publicKey))
        verifier.update(message)
        return verifier.verify(signature)
    }

    @Test
    fun recordSignaturesVerify() {
        val key = hexBlocks("public_key").single()
        val bodies = hexBlocks("body")
        val signatures = hexBlocks("signature")
        assertEquals(3, bodies.size, "PROTOCOL.md has three record vectors")
        for ((body, signature) in bodies.zip(signatures)) {
            assertTrue(verifies(key, body, signature), "record vector signature")
            val changed = body.copyOf()
            changed[changed.size / 2] = (changed[changed.size / 2].toInt() xor 1).toByte()
            assertFalse(verifies(key, changed, signature), "a changed byte must not verify")
        }
    }

    @Test
    fun recordsChainByHash() {
        val bodies = hexBlocks("body")
        val signatures = hexBlocks("signature")
        val hashes = hexBlocks("hash")
        var previous = ByteArray(32)
        for (index in bodies.indices) {
            val body = bodies[index]
            // previous_hash is the last 32 bytes of the body, after the u64 sequence.
            assertArrayEquals(previous, body.copyOfRange(body.size - 32, body.size), "vector ${index + 1} links to the one before")
            val hash = MessageDigest.getInstance("SHA-256").digest(body + signatures[index])
            assertArrayEquals(hashes[index], hash, "record hash of vector ${index + 1}")
            previous = hash
        }
    }

    @Test
    fun planAndEnvelopeVerify() {
        val key = hexBlocks("public_key").single()
        assertTrue(verifies(key, hexBlocks("plan_body").single(), hexBlocks("plan_signature").single()))
        val envelope = hexBlocks("envelope").single()
        val split = envelope.size - 64
        assertTrue(verifies(key, envelope.copyOfRange(0, split), envelope.copyOfRange(split, envelope.size)))
    }
}
