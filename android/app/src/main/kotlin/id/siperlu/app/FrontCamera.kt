/*
 * The front camera through Camera2: a live preview on a TextureView and JPEG stills for the
 * selfie, the blink burst and the enrollment photos. The JPEG bytes go to the core unchanged;
 * the core decodes them, applies the EXIF orientation and runs the face models.
 */
package id.siperlu.app

import android.annotation.SuppressLint
import android.content.Context
import android.graphics.ImageFormat
import android.graphics.SurfaceTexture
import android.hardware.camera2.CameraAccessException
import android.hardware.camera2.CameraCaptureSession
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraDevice
import android.hardware.camera2.CameraManager
import android.hardware.camera2.CaptureFailure
import android.hardware.camera2.CaptureRequest
import android.hardware.camera2.params.OutputConfiguration
import android.hardware.camera2.params.SessionConfiguration
import android.media.ImageReader
import android.os.Build
import android.os.Handler
import android.os.HandlerThread
import android.os.Looper
import android.view.Surface
import android.view.TextureView
import java.util.concurrent.Executor

/**
 * One open front camera. Call [open] once the activity is visible and [close] when it stops.
 * Callbacks arrive on the main thread. Camera work runs on a private handler thread.
 */
class FrontCamera(context: Context, private val preview: TextureView) {
    private val manager: CameraManager = context.getSystemService(CameraManager::class.java)
    private val thread = HandlerThread("siperlu-camera").apply { start() }
    private val handler = Handler(thread.looper)
    private val mainHandler = Handler(Looper.getMainLooper())

    // Touched only on the camera thread after open().
    private var camera: CameraDevice? = null
    private var session: CameraCaptureSession? = null
    private var reader: ImageReader? = null
    private var sensorOrientationDeg = 270
    private var pending: Burst? = null
    private var closed = false

    private class Burst(val frameCount: Int, val onDone: (Result<List<ByteArray>>) -> Unit) {
        val frames = ArrayList<ByteArray>()
    }

    /**
     * Opens the front camera and starts the preview. [onError] gets a short English reason
     * (for `app.camera_failed`) when the phone has no usable front camera or another app uses
     * it. The caller must hold the CAMERA permission.
     */
    @SuppressLint("MissingPermission")
    fun open(onError: (String) -> Unit) {
        val fail = { reason: String -> mainHandler.post { onError(reason) }; Unit }
        try {
            val cameraId = manager.cameraIdList.firstOrNull { id ->
                manager.getCameraCharacteristics(id).get(CameraCharacteristics.LENS_FACING) ==
                    CameraCharacteristics.LENS_FACING_FRONT
            } ?: return fail("no front camera")

            val characteristics = manager.getCameraCharacteristics(cameraId)
            sensorOrientationDeg = characteristics.get(CameraCharacteristics.SENSOR_ORIENTATION) ?: 270
            val map = characteristics.get(CameraCharacteristics.SCALER_STREAM_CONFIGURATION_MAP)
                ?: return fail("no stream configuration")
            val jpegSize = chooseCaptureSize(map.getOutputSizes(ImageFormat.JPEG).orEmpty().toList(), MAX_CAPTURE_PIXELS)
                ?: return fail("no JPEG output size")
            val previewSize = chooseCaptureSize(map.getOutputSizes(SurfaceTexture::class.java).orEmpty().toList(), MAX_PREVIEW_PIXELS)
                ?: return fail("no preview size")

            val imageReader = ImageReader.newInstance(jpegSize.width, jpegSize.height, ImageFormat.JPEG, MAX_BURST_FRAMES + 1)
            imageReader.setOnImageAvailableListener({ ready -> collectImage(ready) }, handler)
            reader = imageReader

            whenPreviewReady { texture ->
                texture.setDefaultBufferSize(previewSize.width, previewSize.height)
                openDevice(cameraId, Surface(texture), imageReader.surface, fail)
            }
        } catch (error: CameraAccessException) {
            fail("camera access error ${error.reason}")
        }
    }

    /**
     * Takes [frameCount] JPEG stills in one burst and passes their bytes to [onDone]; the first
     * is the selfie, the rest are the blink frames. [deviceRotationDeg] is the display rotation.
     * A burst that has not finished within five seconds fails.
     */
    fun captureBurst(frameCount: Int, deviceRotationDeg: Int, onDone: (Result<List<ByteArray>>) -> Unit) {
        require(frameCount in 1..MAX_BURST_FRAMES) { "frameCount must be 1 to $MAX_BURST_FRAMES, not $frameCount" }
        handler.post {
            val device = camera
            val activeSession = session
            val imageReader = reader
            if (device == null || activeSession == null || imageReader == null) {
                mainHandler.post { onDone(Result.failure(IllegalStateException("camera is not open"))) }
                return@post
            }
            if (pending != null) {
                mainHandler.post { onDone(Result.failure(IllegalStateException("a capture is already running"))) }
                return@post
            }

            val burst = Burst(frameCount, onDone)
            pending = burst
            try {
                val orientation = jpegOrientationDegrees(sensorOrientationDeg, deviceRotationDeg, frontFacing = true)
                val requests = List(frameCount) {
                    device.createCaptureRequest(CameraDevice.TEMPLATE_STILL_CAPTURE).apply {
                        addTarget(imageReader.surface)
                        set(CaptureRequest.JPEG_ORIENTATION, orientation)
                        set(CaptureRequest.JPEG_QUALITY, JPEG_QUALITY)
                    }.build()
                }
                activeSession.captureBurst(requests, object : CameraCaptureSession.CaptureCallback() {
                    override fun onCaptureFailed(session: CameraCaptureSession, request: CaptureRequest, failure: CaptureFailure) {
                        finishBurst(burst, Result.failure(IllegalStateException("capture failed, reason ${failure.reason}")))
                    }
                }, handler)
            } catch (error: CameraAccessException) {
                finishBurst(burst, Result.failure(error))
                return@post
            }
            handler.postDelayed({
                finishBurst(burst, Result.failure(IllegalStateException("burst timed out after $BURST_TIMEOUT_MS ms")))
            }, BURST_TIMEOUT_MS)
        }
    }

    /** Stops the preview and releases the camera; the object cannot be opened again. */
    fun close() {
        handler.post {
            closed = true
            pending = null
            session?.close()
            camera?.close()
            reader?.close()
            session = null
            camera = null
            reader = null
            thread.quitSafely()
        }
    }

    private fun whenPreviewReady(action: (SurfaceTexture) -> Unit) {
        val ready = preview.surfaceTexture
        if (preview.isAvailable && ready != null) {
            handler.post { action(ready) }
            return
        }
        preview.surfaceTextureListener = object : TextureView.SurfaceTextureListener {
            override fun onSurfaceTextureAvailable(texture: SurfaceTexture, width: Int, height: Int) {
                handler.post { action(texture) }
            }

            override fun onSurfaceTextureSizeChanged(texture: SurfaceTexture, width: Int, height: Int) = Unit

            override fun onSurfaceTextureDestroyed(texture: SurfaceTexture): Boolean = true

            override fun onSurfaceTextureUpdated(texture: SurfaceTexture) = Unit
        }
    }

    @SuppressLint("MissingPermission")
    private fun openDevice(cameraId: String, previewSurface: Surface, jpegSurface: Surface, fail: (String) -> Unit) {
        if (closed) {
            return
        }
        val callback = object : CameraDevice.StateCallback() {
            override fun onOpened(device: CameraDevice) {
                if (closed) {
                    device.close()
                    return
                }
                camera = device
                startSession(device, previewSurface, jpegSurface, fail)
            }

            override fun onDisconnected(device: CameraDevice) {
                device.close()
                camera = null
                fail("camera disconnected")
            }

            override fun onError(device: CameraDevice, error: Int) {
                device.close()
                camera = null
                fail("camera error $error")
            }
        }
        try {
            manager.openCamera(cameraId, callback, handler)
        } catch (error: CameraAccessException) {
            fail("camera access error ${error.reason}")
        } catch (error: SecurityException) {
            fail("no camera permission")
        }
    }

    private fun startSession(device: CameraDevice, previewSurface: Surface, jpegSurface: Surface, fail: (String) -> Unit) {
        val callback = object : CameraCaptureSession.StateCallback() {
            override fun onConfigured(configured: CameraCaptureSession) {
                session = configured
                try {
                    val request = device.createCaptureRequest(CameraDevice.TEMPLATE_PREVIEW).apply {
                        addTarget(previewSurface)
                        set(CaptureRequest.CONTROL_MODE, CaptureRequest.CONTROL_MODE_AUTO)
                    }
                    configured.setRepeatingRequest(request.build(), null, handler)
                } catch (error: CameraAccessException) {
                    fail("camera access error ${error.reason}")
                }
            }

            override fun onConfigureFailed(configured: CameraCaptureSession) {
                fail("camera session could not be configured")
            }
        }

        try {
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
                val outputs = listOf(OutputConfiguration(previewSurface), OutputConfiguration(jpegSurface))
                val executor = Executor { task -> handler.post(task) }
                device.createCaptureSession(SessionConfiguration(SessionConfiguration.SESSION_REGULAR, outputs, executor, callback))
            } else {
                createSessionBeforeP(device, listOf(previewSurface, jpegSurface), callback)
            }
        } catch (error: CameraAccessException) {
            fail("camera access error ${error.reason}")
        }
    }

    @Suppress("DEPRECATION")
    private fun createSessionBeforeP(device: CameraDevice, surfaces: List<Surface>, callback: CameraCaptureSession.StateCallback) {
        device.createCaptureSession(surfaces, callback, handler)
    }

    private fun collectImage(ready: ImageReader) {
        val image = ready.acquireNextImage() ?: return
        val bytes = image.use {
            val buffer = it.planes[0].buffer
            ByteArray(buffer.remaining()).also(buffer::get)
        }
        val burst = pending ?: return
        burst.frames.add(bytes)
        if (burst.frames.size == burst.frameCount) {
            finishBurst(burst, Result.success(burst.frames.toList()))
        }
    }

    private fun finishBurst(burst: Burst, result: Result<List<ByteArray>>) {
        if (pending !== burst) {
            return
        }
        pending = null
        mainHandler.post { burst.onDone(result) }
    }

    companion object {
        /** Frames of one blink burst including the selfie; a blink lasts 100 to 400 ms. */
        const val MAX_BURST_FRAMES = 8
        private const val MAX_CAPTURE_PIXELS = 1280 * 960
        private const val MAX_PREVIEW_PIXELS = 1280 * 720
        private const val JPEG_QUALITY: Byte = 90
        private const val BURST_TIMEOUT_MS = 5_000L
    }
}
