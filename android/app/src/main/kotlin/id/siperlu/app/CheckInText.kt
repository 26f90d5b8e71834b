/*
 * The lines of the check-in result screen, built from the core's CheckInResult without any
 * view, so that the JVM tests can check what an ASN reads.
 */
package id.siperlu.app

import id.siperlu.core.CheckInResult
import id.siperlu.core.Reason
import kotlin.math.roundToLong

/** One line of the result; the headline is shown larger, in the colour of the outcome. */
data class ResultLine(val text: String, val isHeadline: Boolean = false)

/** Returns a reason's text in the reader's language; the core fills in both languages. */
fun reasonText(reason: Reason, texts: Texts): String = if (texts.isEnglish) reason.textEn else reason.textId

/**
 * Returns the result lines: the headline, each reason, the time in the office zone with the
 * attendance day, the coordinates with their accuracy, the office, and the distance to its
 * fence when outside. Distances and accuracies are rounded to whole metres.
 */
fun describeCheckIn(result: CheckInResult, texts: Texts): List<ResultLine> {
    val lines = ArrayList<ResultLine>()
    lines.add(ResultLine(reasonText(result.headline, texts), isHeadline = true))
    for (reason in result.reasons) {
        lines.add(ResultLine("• " + reasonText(reason, texts)))
    }

    val zone = OfficeZone.fromAbbreviation(result.zone)
    if (zone != null) {
        lines.add(ResultLine(texts.format(
            "app.result_time",
            "time" to formatClockTime(result.trustedTimeMs, zone, texts),
            "zone" to zone.abbreviation,
            "day" to result.attendanceDay,
        )))
    }

    lines.add(ResultLine(texts.format(
        "app.result_location",
        "lat" to formatDegreesE7(result.latitudeE7),
        "lon" to formatDegreesE7(result.longitudeE7),
        "accuracy_m" to (result.accuracyMm.toLong() + 500) / 1000,
    )))

    if (result.officeName.isNotEmpty()) {
        lines.add(ResultLine(texts.format("app.result_office", "office" to result.officeName)))
    }
    // The core reports 0 m inside a fence, so the distance is shown only outside.
    if (result.distanceM > 0.0) {
        lines.add(ResultLine(texts.format("app.result_distance", "distance_m" to result.distanceM.roundToLong())))
    }
    return lines
}
