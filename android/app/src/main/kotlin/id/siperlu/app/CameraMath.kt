/*
 * Camera choices that need no camera: which output size to capture and how the JPEG is
 * rotated. Kept apart from FrontCamera.kt so that the JVM tests can check them.
 */
package id.siperlu.app

import android.util.Size

/**
 * Picks the largest size with at most [maxPixels] pixels, or the smallest size when every size
 * is larger. The detector reads a 320×240 image and the other face models read crops of 24 to
 * 128 pixels (models/manifest.toml), so a 1280×960 selfie has enough detail while keeping
 * decode time and memory low on a cheap phone.
 */
fun chooseCaptureSize(sizes: List<Size>, maxPixels: Int): Size? {
    val fitting = sizes.filter { it.width.toLong() * it.height <= maxPixels }
    return fitting.maxByOrNull { it.width.toLong() * it.height }
        ?: sizes.minByOrNull { it.width.toLong() * it.height }
}

/**
 * Returns the JPEG orientation in degrees for a camera whose sensor is mounted at
 * [sensorOrientationDeg] (`CameraCharacteristics.SENSOR_ORIENTATION`) while the device is
 * turned [deviceRotationDeg] clockwise from its natural orientation. A front camera is mirrored,
 * so its rotation adds to the sensor's instead of subtracting. The camera writes the result into
 * the JPEG (as pixels or as the EXIF orientation tag), and the core applies EXIF orientation.
 */
fun jpegOrientationDegrees(sensorOrientationDeg: Int, deviceRotationDeg: Int, frontFacing: Boolean): Int {
    val rotation = ((deviceRotationDeg % 360) + 360) % 360
    val rounded = ((rotation + 45) / 90 * 90) % 360
    return if (frontFacing) {
        (sensorOrientationDeg + rounded) % 360
    } else {
        (sensorOrientationDeg - rounded + 360) % 360
    }
}
