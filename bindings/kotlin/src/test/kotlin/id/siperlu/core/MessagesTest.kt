package id.siperlu.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The message catalog as the Android screens read it, through the real native library. */
class MessagesTest {
    @Test
    fun messageTextFollowsLocale() {
        assertEquals("Presensi diterima", messageText("common.accepted", "id-ID"))
        assertEquals("Attendance accepted", messageText("common.accepted", "en-US"))
    }

    @Test
    fun unknownMessageIdComesBackAsIs() {
        assertEquals("no.such_message", messageText("no.such_message", "id"))
    }

    @Test
    fun coreVersionIsSet() {
        assertEquals(true, coreVersion().isNotBlank())
    }
}
