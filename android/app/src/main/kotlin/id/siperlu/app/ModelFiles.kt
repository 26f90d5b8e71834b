/*
 * The face models on the phone. The APK carries the five ONNX files and models/manifest.toml
 * as assets (app/build.gradle.kts copies them from the cache that scripts/setup fills), but
 * ONNX Runtime reads models from file paths, so the app copies them out once per installed
 * APK. ONNX Runtime itself is libonnxruntime.so in the APK's native library folder.
 */
package id.siperlu.app

import android.content.Context
import id.siperlu.core.FaceModelPaths
import java.io.File
import java.io.IOException

/** Installs the model assets into app storage and returns the paths the core opens. */
object ModelFiles {
    private const val ASSET_DIR = "models"
    private const val MANIFEST = "manifest.toml"
    private const val STAMP = ".installed-from"

    /**
     * Copies the model assets into `noBackupFilesDir/models` unless they were already copied
     * from this APK (recognised by the APK file's modification time, which changes with every
     * install or update). The core checks each model's size and SHA-256 against the manifest
     * when it loads them, so a half-copied file is reported, not used.
     */
    fun install(context: Context): FaceModelPaths {
        val target = File(context.noBackupFilesDir, ASSET_DIR)
        val stamp = File(target, STAMP)
        val apkStamp = File(context.applicationInfo.sourceDir).lastModified().toString()

        if (!stamp.isFile || stamp.readText() != apkStamp) {
            target.mkdirs()
            val names = context.assets.list(ASSET_DIR).orEmpty()
            for (name in names) {
                val partial = File(target, "$name.partial")
                context.assets.open("$ASSET_DIR/$name").use { input ->
                    partial.outputStream().use { output -> input.copyTo(output) }
                }
                if (!partial.renameTo(File(target, name))) {
                    throw IOException("cannot move ${partial.path} into place; free some storage and reopen the app")
                }
            }
            stamp.writeText(apkStamp)
        }

        return FaceModelPaths(
            manifestPath = File(target, MANIFEST).path,
            modelsDir = target.path,
            onnxruntimeLibrary = File(context.applicationInfo.nativeLibraryDir, "libonnxruntime.so").path,
        )
    }
}
