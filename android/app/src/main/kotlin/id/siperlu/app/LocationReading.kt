/*
 * The GPS fix a check-in carries, taken from Android's LocationManager. The mapping into the
 * core's `LocationFix` is kept apart from the LocationManager calls so that the JVM tests can
 * drive it with real `android.location.Location` objects.
 */
package id.siperlu.app

import android.location.Location
import id.siperlu.core.LocationFix
import id.siperlu.core.SiperluException
import id.siperlu.core.locationFixFromDegrees

/** One fix as Android reported it, in degrees and metres. */
data class LocationReading(
    val latitudeDeg: Double,
    val longitudeDeg: Double,
    /** Horizontal accuracy radius at 68 % confidence, in metres; null when the provider gave none. */
    val accuracyM: Float?,
    /** Fix time, Unix milliseconds (`Location.getTime()`). */
    val fixTimeMs: Long,
    /** Elapsed realtime of the fix, nanoseconds since boot (`Location.getElapsedRealtimeNanos()`). */
    val elapsedRealtimeNanos: Long,
    val provider: String,
    /** Whether Android marked the fix as coming from a mock location app. */
    val isMock: Boolean,
)

/**
 * Reads [location]. The mock flag is `Location.isMock()` on API 31 and later and the older
 * `isFromMockProvider()` below it; [sdkInt] is `Build.VERSION.SDK_INT`, passed in so that the
 * JVM tests can choose it.
 */
@Suppress("DEPRECATION")
fun readLocation(location: Location, sdkInt: Int): LocationReading {
    val isMock = if (sdkInt >= 31) location.isMock else location.isFromMockProvider
    return LocationReading(
        latitudeDeg = location.latitude,
        longitudeDeg = location.longitude,
        accuracyM = if (location.hasAccuracy()) location.accuracy else null,
        fixTimeMs = location.time,
        elapsedRealtimeNanos = location.elapsedRealtimeNanos,
        provider = location.provider ?: "unknown",
        isMock = isMock,
    )
}

/**
 * Returns how old [reading] is at [nowElapsedNanos] (`SystemClock.elapsedRealtimeNanos()`), in
 * milliseconds. The elapsed clock is used because the ASN can set the wall clock.
 */
fun readingAgeMs(reading: LocationReading, nowElapsedNanos: Long): Long =
    (nowElapsedNanos - reading.elapsedRealtimeNanos) / 1_000_000

/**
 * Converts [reading] into the core's `LocationFix`, keeping the provider and the mock flag, so
 * that the core itself flags a mock fix. A fix without an accuracy is `InvalidInput`
 * (`device.invalid_fix`), because the geofence verdict needs the accuracy radius.
 */
fun toLocationFix(reading: LocationReading): LocationFix {
    val accuracyM = reading.accuracyM
        ?: throw SiperluException.InvalidInput(
            "device.invalid_fix",
            "the ${reading.provider} fix has no accuracy; request a new GPS fix",
        )
    return locationFixFromDegrees(
        reading.latitudeDeg,
        reading.longitudeDeg,
        accuracyM.toDouble(),
        reading.fixTimeMs,
        reading.provider,
        reading.isMock,
    )
}
