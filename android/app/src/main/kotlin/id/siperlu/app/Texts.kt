/*
 * Screen texts for the Siperlu app. Every label, status line and error on screen comes from the
 * Rust core's message catalog through `messageText`, so the phone shows the same words as the
 * server and the admin pages. Bahasa Indonesia is the default; English is used only when the
 * phone's language is English.
 */
package id.siperlu.app

import id.siperlu.core.SiperluException
import id.siperlu.core.messageText

/** Catalog texts in one locale (a BCP 47 tag such as `id-ID` or `en-US`). */
class Texts(
    val localeTag: String,
    private val lookup: (id: String, localeTag: String) -> String = ::messageText,
) {
    /** True when the catalog's English texts are shown; the core treats every other language as Indonesian. */
    val isEnglish: Boolean = localeTag.substringBefore('-').substringBefore('_').equals("en", ignoreCase = true)

    /** Returns the text of catalog message [id], or [id] itself when the catalog has no such message. */
    operator fun get(id: String): String = lookup(id, localeTag)

    /**
     * Returns the text of [id] with each `{name}` placeholder replaced by its value. A placeholder
     * without a value stays as written, as the core's own `messages::format` leaves it.
     */
    fun format(id: String, vararg values: Pair<String, Any>): String {
        var text = get(id)
        for ((name, value) in values) {
            text = text.replace("{$name}", value.toString())
        }
        return text
    }

    /**
     * Returns the text an ASN reads for a failed core call: the catalog text of its `messageId`.
     * The error carries no values, so the screen passes the values it has (the cutoff of today's
     * plan, the server address typed in) for the placeholders.
     */
    fun errorText(error: SiperluException, vararg values: Pair<String, Any>): String =
        format(messageIdOf(error), *values)
}

/** Returns the catalog id that a core error carries, whichever subclass it is. */
fun messageIdOf(error: SiperluException): String = when (error) {
    is SiperluException.NotReady -> error.messageId
    is SiperluException.InvalidInput -> error.messageId
    is SiperluException.Rejected -> error.messageId
    is SiperluException.Device -> error.messageId
    is SiperluException.Network -> error.messageId
    is SiperluException.Internal -> error.messageId
}
