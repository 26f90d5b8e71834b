package id.siperlu.app

import id.siperlu.core.SiperluException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File

/** Screen texts read from the real catalog through the bindings. */
class TextsTest {
    @Test
    fun indonesianIsDefault() {
        assertEquals("Presensi masuk", indonesian["app.check_in_button"])
        assertEquals("Presensi masuk", Texts("jv-ID")["app.check_in_button"])
        assertFalse(Texts("in-ID").isEnglish)
    }

    @Test
    fun englishPhoneGetsEnglish() {
        assertEquals("Check in", english["app.check_in_button"])
        assertTrue(Texts("en_GB").isEnglish)
    }

    @Test
    fun formatFillsPlaceholders() {
        assertEquals("3 dari 5 foto diambil", indonesian.format("app.photo_count", "count" to 3))
        assertEquals("3 of 5 photos taken", english.format("app.photo_count", "count" to 3))
    }

    @Test
    fun errorTextUsesMessageIdAndValues() {
        val error = SiperluException.Rejected("plan.past_cutoff", "after cutoff")
        assertEquals(
            "Batas waktu ubah rencana kerja hari ini sudah lewat (pukul 10:00).",
            indonesian.errorText(error, "cutoff" to "10:00"),
        )
    }

    @Test
    fun unknownIdComesBackAsIs() {
        assertEquals("app.no_such_text", indonesian["app.no_such_text"])
    }

    /** Every catalog id quoted in the app's sources must exist, in both languages. */
    @Test
    fun everyIdInAppSourcesIsInCatalog() {
        val sources = File(repoRoot, "android/app/src/main/kotlin").walkTopDown().filter { it.extension == "kt" }.toList()
        assertTrue(sources.size >= 10, "expected the app's sources under android/app, found ${sources.size} files")
        val idPattern = Regex("\"((?:app|common|device|plan|sync)\\.[a-z0-9_]+)\"")
        val ids = sources.flatMap { file -> idPattern.findAll(file.readText()).map { it.groupValues[1] }.toList() }.toSortedSet()
        assertTrue(ids.size >= 40, "expected at least 40 catalog ids in the app, found ${ids.size}")

        for (id in ids) {
            assertNotEquals(id, indonesian[id], "$id is quoted in the app but missing from the catalog")
            assertNotEquals(indonesian[id], english[id], "$id has no English text")
        }
    }
}
