/*
 * Local times in the office's zone. Indonesia has three zones and no daylight saving: WIB
 * (Asia/Jakarta, UTC+7), WITA (Asia/Makassar, UTC+8) and WIT (Asia/Jayapura, UTC+9). The core
 * reports a check-in's zone by its abbreviation and a history entry by its UTC offset in
 * minutes. These helpers turn either into the clock time an ASN expects to read.
 */
package id.siperlu.app

import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter

/** One of Indonesia's three time zones. */
enum class OfficeZone(val abbreviation: String, val offsetMinutes: Int) {
    WIB("WIB", 7 * 60),
    WITA("WITA", 8 * 60),
    WIT("WIT", 9 * 60);

    val offset: ZoneOffset get() = ZoneOffset.ofTotalSeconds(offsetMinutes * 60)

    companion object {
        /** Returns the zone named [abbreviation] (`WIB`, `WITA`, `WIT`, any case), or null. */
        fun fromAbbreviation(abbreviation: String): OfficeZone? =
            entries.firstOrNull { it.abbreviation.equals(abbreviation.trim(), ignoreCase = true) }

        /** Returns the zone with this UTC offset, or null for an offset outside Indonesia. */
        fun fromOffsetMinutes(offsetMinutes: Int): OfficeZone? =
            entries.firstOrNull { it.offsetMinutes == offsetMinutes }
    }
}

/**
 * Formats [timeMs] (Unix milliseconds) as a clock time in [zone]: `08.05` in Bahasa Indonesia,
 * where a dot separates hours and minutes, and `08:05` in English.
 */
fun formatClockTime(timeMs: Long, zone: OfficeZone, texts: Texts): String {
    val pattern = if (texts.isEnglish) "HH:mm" else "HH.mm"
    return DateTimeFormatter.ofPattern(pattern).format(Instant.ofEpochMilli(timeMs).atOffset(zone.offset))
}

/** Returns the calendar day of [timeMs] in [zone], which is the attendance day the core uses. */
fun localDay(timeMs: Long, zone: OfficeZone): LocalDate =
    Instant.ofEpochMilli(timeMs).atOffset(zone.offset).toLocalDate()

/**
 * Formats a coordinate in degrees from the record's 1e-7 degree units with six decimals
 * (about 0.1 m), with a dot as decimal separator in every locale so that it can be pasted into
 * a map search.
 */
fun formatDegreesE7(valueE7: Int): String {
    val microDegrees = (Math.abs(valueE7.toLong()) + 5) / 10
    val sign = if (valueE7 < 0 && microDegrees > 0) "-" else ""
    val whole = microDegrees / 1_000_000
    val fraction = (microDegrees % 1_000_000).toString().padStart(6, '0')
    return "$sign$whole.$fraction"
}
