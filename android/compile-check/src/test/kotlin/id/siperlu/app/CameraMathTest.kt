package id.siperlu.app

import android.util.Size
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

class CameraMathTest {
    private val sizes = listOf(Size(4000, 3000), Size(1920, 1080), Size(1280, 960), Size(640, 480), Size(320, 240))

    @Test
    fun largestSizeWithinLimit() {
        assertEquals(Size(1280, 960), chooseCaptureSize(sizes, 1280 * 960))
        assertEquals(Size(640, 480), chooseCaptureSize(sizes, 1280 * 960 - 1))
    }

    @Test
    fun smallestWhenAllTooLarge() {
        assertEquals(Size(320, 240), chooseCaptureSize(sizes, 100))
        assertNull(chooseCaptureSize(emptyList(), 100))
    }

    @Test
    fun frontCameraOrientation() {
        // A typical front sensor is mounted at 270 degrees.
        assertEquals(270, jpegOrientationDegrees(270, 0, frontFacing = true))
        assertEquals(0, jpegOrientationDegrees(270, 90, frontFacing = true))
        assertEquals(90, jpegOrientationDegrees(270, 180, frontFacing = true))
        assertEquals(270, jpegOrientationDegrees(270, 359, frontFacing = true))
    }

    @Test
    fun backCameraOrientation() {
        assertEquals(90, jpegOrientationDegrees(90, 0, frontFacing = false))
        assertEquals(0, jpegOrientationDegrees(90, 90, frontFacing = false))
        assertEquals(180, jpegOrientationDegrees(90, 270, frontFacing = false))
    }
}
