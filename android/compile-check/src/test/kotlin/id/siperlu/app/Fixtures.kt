package id.siperlu.app

import id.siperlu.core.AttendanceKind
import id.siperlu.core.CheckInStatus
import id.siperlu.core.FaceModelPaths
import id.siperlu.core.GeofenceVerdict
import id.siperlu.core.HistoryEntry
import id.siperlu.core.Reason
import id.siperlu.core.SyncState
import id.siperlu.core.TimeSource
import java.io.File

/*
 * Helpers the app's JVM tests share. The catalog texts come from the real native library, which
 * JNA loads from the folder that scripts/android-check passes. History entries are built as the
 * core returns them.
 */

/** The repository root, passed by Maven as the system property `siperlu.repo.root`. */
val repoRoot: File by lazy {
    File(System.getProperty("siperlu.repo.root")?.takeIf { it.isNotBlank() } ?: "../..").canonicalFile
}

val indonesian = Texts("id-ID")
val english = Texts("en-US")

/** 2026-12-04 08:05 WIB (01:05 UTC), a Friday. */
const val FRIDAY_0805_WIB_MS = 1_796_346_300_000L

fun historyEntry(
    timeMs: Long,
    kind: AttendanceKind = AttendanceKind.CHECK_IN,
    status: CheckInStatus = CheckInStatus.ACCEPTED,
    zone: OfficeZone = OfficeZone.WIB,
    syncState: SyncState = SyncState.PENDING,
    reasons: List<Reason> = emptyList(),
    rejectReason: String? = null,
) = HistoryEntry(
    sequence = 1uL,
    recordId = "rec-$timeMs",
    kind = kind,
    status = status,
    trustedTimeMs = timeMs,
    timeSource = TimeSource.SERVER_ANCHOR,
    zoneOffsetMinutes = zone.offsetMinutes.toShort(),
    geofence = GeofenceVerdict.INSIDE,
    officeId = "office-1",
    reasons = reasons,
    syncState = syncState,
    rejectReason = rejectReason,
)

/** Returns the paths of the face models and ONNX Runtime in the developer cache (scripts/setup). */
fun modelPaths(): FaceModelPaths {
    val cache = File(repoRoot, ".cache")
    return FaceModelPaths(
        manifestPath = File(repoRoot, "models/manifest.toml").path,
        modelsDir = File(cache, "models").path,
        onnxruntimeLibrary = File(cache, "onnxruntime/libonnxruntime.so.1.32.0").path,
    )
}
